"""What each ``watch`` command does, one short function per command (the parser is in cli.py).

Commands open the store, call the module that does the work, and print the outcome.  Modules
used by a single command are imported inside it, so ``watch check`` stays quick.  Read commands
(status, export, explain) never create a database; ``status`` and ``run`` skip a bad source
entry (and say so) instead of refusing the whole file.  The classifier's commands (explain,
feedback, train) are in watch.model_commands; ``watch sources …`` in watch.source_commands;
``watch digest`` in watch.digest_commands; the lines ``watch fetch`` prints in watch.fetch_output.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from watch.cli import CommandError, load, open_db, print_json, settings_for
from watch.config import ConfigError, load_config, load_entries
from watch.schedule import utcnow
from watch.wording import counted

if TYPE_CHECKING:
    from watch.config import Settings, WatchConfig
    from watch.health import SourceHealth
    from watch.store import Store


def cmd_check(args: argparse.Namespace) -> int:
    from watch.digest_status import setup_line

    path = settings_for(args).config_path
    try:
        config = load_config(path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        print(f"{len(exc.errors)} error(s) in {path}", file=sys.stderr)
        return 1
    feeds = sum(1 for s in config.sources if s.kind == "feed")
    disabled = sum(1 for s in config.sources if not s.enabled)
    print(f"{path}: OK — {config.name!r}")
    pages, full = len(config.sources) - feeds, sum(1 for s in config.sources if s.full_text)
    print(
        f"  sources: {len(config.sources)} ({counted(feeds, 'feed')}, {counted(pages, 'page')}, "
        f"{disabled} disabled" + (f"; {full} with full text)" if full else ")")
    )
    print(f"  topics:  {', '.join(t.name for t in config.topics) or '(none)'}")
    print(setup_line(config.digest))
    if config.alerts:
        print(f"  alerts:  {', '.join(alert.name for alert in config.alerts)}")
    settings = settings_for(args, config)
    for name, problem in settings.credentials.missing.items():
        print(f"warning: source {name!r}: {problem}; fetched without credentials", file=sys.stderr)
    _warn_about_chats(config, settings)
    if not config.sources:
        print("warning: no sources: nothing will be collected", file=sys.stderr)
    _warn_about_refused_addresses(config)
    for source in config.sources:
        if source.credentials_env and source.url.startswith("http://"):
            print(
                f"warning: source {source.name!r} sends its credentials over plain http",
                file=sys.stderr,
            )
    for topic in config.topics:
        if not topic.keywords:
            print(
                f"warning: topic {topic.name!r} has no keywords: only its feedback (and the "
                "optional embeddings extra) can give it articles",
                file=sys.stderr,
            )
    return 0


def _warn_about_refused_addresses(config: WatchConfig) -> None:
    """A source whose url is a private address written out (127.0.0.1:8080, 10.0.0.5) that
    fetch.allow_private does not list: refused at every fetch, so said now.  Host names are not
    resolved here (``watch check`` works offline)."""
    from watch.netguard import AddressPolicy, BlockedAddress

    policy = AddressPolicy(config.fetch.allow_private)
    for source in config.sources:
        try:
            policy.check_url(source.url)
        except BlockedAddress as exc:
            print(
                f"warning: source {source.name!r}: {exc}: every fetch will be refused; add "
                f"'{exc.target}' to fetch.allow_private if it is on your own network",
                file=sys.stderr,
            )


def _warn_about_chats(config: WatchConfig, settings: Settings) -> None:
    """A chat whose webhook variable is unset, or whose webhook is plain http to a public
    server (named by the chat and the variable, never by the URL: it is the secret)."""
    for name, problem in settings.chats.missing.items():
        print(f"warning: chat {name!r}: {problem}; the digest is not posted there", file=sys.stderr)
    from watch.netguard import AddressPolicy

    policy = AddressPolicy(config.fetch.allow_private)
    for chat in config.digest.chats:
        url = settings.chats.urls.get(chat.name)
        if url and policy.sends_in_clear(url):
            print(
                f"warning: chat {chat.name!r}: ${chat.url_env} is a plain http:// URL to a server "
                "not listed in fetch.allow_private: its secret token crosses the network in clear "
                "text, anyone on the way can post to the chat; use https://, or list the host in "
                "fetch.allow_private if the server is on your own network",
                file=sys.stderr,
            )


def cmd_fetch(args: argparse.Namespace) -> int:
    """One pass now.  A bad entry of sources.yaml is said and skipped, as ``watch run`` does,
    and the pass still exits 2 (the file is invalid): one typo never blocks every fetch."""
    from watch.fetch_output import print_pass, progress_bar
    from watch.pipeline import PassReport, Pipeline

    config, settings, invalid = _valid_entries(args)
    store = open_db(settings)
    pipeline = Pipeline(store, config, settings)
    try:
        names, gone = _pass_sources(store, config, args.source)
        _say(pipeline.ranker.refresh())  # model and stored topics in line with sources.yaml
        progress = progress_bar(len(names))
        report = asyncio.run(pipeline.run_pass(names, on_done=progress)) if names else PassReport()
        if progress is not None:
            print(file=sys.stderr)  # end the progress bar's line
        if not settings.model_path.exists():  # a first collection: its topics by the model now
            _say(pipeline.ranker.refresh())
        pipeline.ranker.refresh_scores()  # freshness decays between passes
    except KeyError as exc:
        name = exc.args[0]
        invalid_entry = f"{name}: not fetched, its entry in sources.yaml is invalid (above)"
        print(invalid_entry if name in invalid else f"unknown source: {name}", file=sys.stderr)
        return 2
    finally:
        pipeline.close()  # its parser workers; left to Python's exit they can print a traceback
        store.close()
    print_pass(report, gone, {source.name: source.url for source in config.sources})
    if invalid:
        return 2
    return 1 if args.strict and report.failed else 0


def _valid_entries(args: argparse.Namespace) -> tuple[WatchConfig, Settings, set[str]]:
    """sources.yaml's valid sources (an unreadable file, or an error outside ``sources``, is
    still a ConfigError), the settings, and the names of the entries skipped, each said."""
    from watch.replan import invalid_entries

    path = settings_for(args).config_path
    config, errors = load_entries(path)
    for error in errors:
        print(f"{error} (entry skipped; the other sources are fetched)", file=sys.stderr)
    return config, settings_for(args, config), set(invalid_entries(path, errors))


def _say(done: str | None) -> None:
    if done:
        print(done, file=sys.stderr)


def _pass_sources(
    store: Store, config: WatchConfig, named: list[str]
) -> tuple[list[str], list[str]]:
    """The sources of a pass and the gone ones it skips: the named ones, or every enabled
    source except those gone (HTTP 410) — unless their url changed or they were disabled."""
    from watch.replan import follow_renames, gone_sources, replan_sources

    if named:
        follow_renames(store, config.sources)
        return list(named), []
    replan_sources(store, config.sources, utcnow())
    gone = gone_sources(store, config.sources)
    return [s.name for s in config.sources if s.enabled and s.name not in gone], gone


def cmd_run(args: argparse.Namespace) -> int:
    from watch.scheduler import AlreadyRunning, WatchService

    settings = settings_for(args)
    load_entries(settings.config_path)  # unreadable, or errors outside sources: exit 2 now
    store = open_db(settings)
    try:
        asyncio.run(WatchService(store, settings).serve())
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from watch.cadence import advise_sources
    from watch.digest_status import Delivery, digest_status, read_recorded
    from watch.health import page_warnings, source_health, status_table
    from watch.text_health import page_counts

    path = settings_for(args).config_path
    config, errors = load_entries(path)
    settings = settings_for(args, config)
    store = open_db(settings, existing=True)
    try:
        now = utcnow()
        stats = {n: int(s.get("articles", 0)) for n, s in store.source_article_stats().items()}
        advice = advise_sources(config, store, now)
        warnings = page_warnings(config, store.fetch_log)
        texts = page_counts(config, store, now)  # the article pages of full_text: sources
        states = store.list_source_states()
        rows = source_health(config, states, stats, now, advice, warnings, texts)
        rows = _chosen_rows(rows, args.source, args.problems)
        recorded = read_recorded(store, config.digest, now)
    finally:
        store.close()
    if errors:
        entries = len({error.split(": ", 1)[0] for error in errors})  # "file:line": one entry
        print(
            f"{path}: {entries} invalid source entr{'y' if entries == 1 else 'ies'} "
            "skipped (as 'watch run' skips them):",
            file=sys.stderr,
        )
        print("\n".join(f"  {error}" for error in errors), file=sys.stderr)
    if args.format == "json":
        print_json([r.as_json() for r in rows])
    elif not rows and args.problems:
        print(f"no source needs attention ({counted(len(config.sources), 'source')})")
    else:
        delivery = Delivery(settings.smtp is not None, settings.chats.missing)
        digest = digest_status(config.digest, delivery, recorded, now)
        print("\n".join(status_table(rows, now) + ([""] + digest if digest else [])))
    return 0


def _chosen_rows(
    rows: list[SourceHealth], names: list[str], problems_only: bool
) -> list[SourceHealth]:
    """``--source`` and ``--problems``: the rows asked for (CommandError for an unknown name)."""
    known = {row.name for row in rows}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise CommandError(f"unknown source: {', '.join(unknown)} (not in sources.yaml)", 2)
    chosen = [row for row in rows if not names or row.name in names]
    return [row for row in chosen if row.problem] if problems_only else chosen


def cmd_export(args: argparse.Namespace) -> int:
    from watch.export import write_export

    labels = readable_config(args).source_labels
    delimiter = "\t" if args.delimiter == "tab" else args.delimiter
    store = open_db(settings_for(args), existing=True)
    try:
        articles, texts = store.iter_articles(since=args.since), store.article_texts
        if args.out:
            with open_for_writing(args.out, newline="") as out:
                count = write_export(articles, out, args.format, labels, delimiter, texts)
            print(f"{count} articles written to {args.out}", file=sys.stderr)
        else:
            write_export(articles, sys.stdout, args.format, labels, delimiter, texts)
            sys.stdout.flush()  # a closed pipe is reported here, not at exit
    finally:
        store.close()
    return 0


def open_for_writing(path: str, newline: str | None = None) -> TextIO:
    try:
        return open(path, "w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None


def readable_config(args: argparse.Namespace) -> WatchConfig:
    """sources.yaml as far as it reads (for the sources' labels); empty when it cannot be read:
    commands that only read the database work without it."""
    from watch.config import WatchConfig

    try:
        return load_entries(settings_for(args).config_path)[0]
    except ConfigError:
        return WatchConfig()


def cmd_prune(args: argparse.Namespace) -> int:
    from watch.retention import describe, prune_now

    config, settings = load(args)
    store = open_db(settings, existing=True)
    try:
        report = prune_now(store, config, settings, args.keep, args.dry_run, args.vacuum)
    finally:
        store.close()
    print("\n".join(describe(report)))
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    """Mark read the articles asked for and, as the board's "Mark read", the other copies of
    their stories (else a story read here stays unread on the board under another source)."""
    from dataclasses import replace

    from watch.store.base import ArticleQuery
    from watch.topic_names import topic_named

    if not (args.source or args.topic or args.before or args.older_than or args.all):
        raise CommandError(
            "say which articles: --source, --topic, --before, --older-than or --all", 2
        )
    config, settings = load(args)
    file = settings.config_path.name
    topics = [topic_named(given, config.topics, file, off_topic=True) for given in args.topic]
    until = args.before or (utcnow() - args.older_than if args.older_than else None)
    store = open_db(settings, existing=True)
    try:
        known = {s.name for s in config.sources} | {s.name for s in store.list_source_states()}
        for name in args.source:
            if name not in known:
                raise CommandError(f"no source named {name!r} (see `watch status`)", 2)
        newest = store.newest_article_id()  # marks what is counted, not articles stored since
        query = ArticleQuery(
            sources=args.source or None, topics=topics or None, until=until, max_id=newest
        )
        asked = store.count_articles(replace(query, read=False))
        marked = store.mark_read(query, whole_stories=True)
    finally:
        store.close()
    copies = marked - asked  # the stories' copies the query did not match
    also = f", and {counted(copies, 'other copy')} of their stories" if copies > 0 else ""
    print(f"{counted(asked, 'article')} marked read{also}")
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from watch.board import running_board

    settings = settings_for(args)
    open_db(settings).close()  # the board only reads: the schema is brought up to date here
    with running_board(settings.config_path, settings.db_url, port=args.port) as board:
        return board.wait()


def cmd_up(args: argparse.Namespace) -> int:
    from watch.board import running_board

    settings = settings_for(args)
    open_db(settings).close()  # up to date before the board reads it (cmd_run would be late)
    with running_board(settings.config_path, settings.db_url, port=args.port):
        return cmd_run(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from watch.demo_run import run_demo

    return run_demo(Path(args.dir), board_port=None if args.no_board else args.port)

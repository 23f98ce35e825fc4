"""What each ``watch`` command does, one short function per command (the parser is in cli.py).

Commands open the store, call the module that does the work, and print the outcome.  Modules
used by a single command are imported inside it, so ``watch check`` stays quick.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from watch.cli import load, parse_since, print_json, settings_for
from watch.config import ConfigError, load_config
from watch.schedule import utcnow
from watch.store import open_store


def cmd_check(args: argparse.Namespace) -> int:
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
    print(
        f"  sources: {len(config.sources)} ({feeds} feeds, {len(config.sources) - feeds} pages, {disabled} disabled)"
    )
    print(f"  topics:  {', '.join(t.name for t in config.topics) or '(none)'}")
    recipients = len(config.digest.recipients)
    print(
        f"  digest:  {config.digest.schedule} {config.digest.timezone}, {recipients} recipient(s)"
    )
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from watch.pipeline import Pipeline, SourceOutcome

    config, settings = load(args)
    store = open_store(settings.db_url)
    total = len(args.source) if args.source else sum(1 for s in config.sources if s.enabled)
    done = 0
    tty = sys.stderr.isatty()

    def progress(outcome: SourceOutcome) -> None:
        nonlocal done
        done += 1
        if tty:
            bar = "#" * int(30 * done / max(total, 1))
            print(
                f"\r[{bar:<30}] {done}/{total} {outcome.name[:30]:<30}",
                end="",
                file=sys.stderr,
                flush=True,
            )

    try:
        report = asyncio.run(
            Pipeline(store, config, settings).run_pass(args.source or None, on_done=progress)
        )
    except KeyError as exc:
        print(f"unknown source: {exc.args[0]}", file=sys.stderr)
        return 2
    finally:
        store.close()
    if tty:
        print(file=sys.stderr)
    for o in sorted(report.outcomes, key=lambda o: o.name):
        detail = o.error if o.error else f"{o.new} new, {o.updated} updated, {o.seen} in feed"
        print(f"{o.outcome:<13} {o.name:<28} {detail}  ({o.duration:.1f}s)")
    print(
        f"{len(report.outcomes)} sources: {report.count('new')} with new articles, "
        f"{report.count('unchanged') + report.count('not_modified')} unchanged "
        f"({report.count('not_modified')} not modified), {len(report.failed)} failed; "
        f"{report.new_articles} new articles"
    )
    return 1 if args.strict and report.failed else 0


def cmd_run(args: argparse.Namespace) -> int:
    from watch.scheduler import AlreadyRunning, WatchService

    settings = settings_for(args)
    load_config(settings.config_path)  # refuse to start on a file with non-source errors
    store = open_store(settings.db_url)
    try:
        asyncio.run(WatchService(store, settings).serve())
    except AlreadyRunning as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from watch.health import describe_age, source_health

    config, settings = load(args)
    store = open_store(settings.db_url)
    now = utcnow()
    stats = {name: int(s.get("articles", 0)) for name, s in store.source_article_stats().items()}
    rows = source_health(config, store.list_source_states(), stats, now)
    store.close()
    if args.format == "json":
        print_json([r.as_json() for r in rows])
        return 0
    print(
        f"{'source':<26} {'status':<9} {'errors':>6} {'last success':>13} {'next due':>10} {'articles':>8}  problem"
    )
    for r in rows:
        success = describe_age(now - r.last_success) + " ago" if r.last_success else "never"
        due = ("in " + describe_age(r.next_due - now)) if r.next_due and r.next_due > now else "now"
        print(
            f"{r.name:<26} {r.status:<9} {r.error_count:>6} {success:>13} {due:>10} {r.articles:>8}  {r.problem or ''}"
        )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from watch.export import write_export

    settings = settings_for(args)
    store = open_store(settings.db_url, read_only=False)
    since = parse_since(args.since)
    try:
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as out:
                count = write_export(store.iter_articles(since=since), out, args.format)
            print(f"{count} articles written to {args.out}", file=sys.stderr)
        else:
            write_export(store.iter_articles(since=since), sys.stdout, args.format)
    finally:
        store.close()
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    store = open_store(settings.db_url)
    article = store.get_article(args.id)
    store.close()
    if article is None:
        print(f"no article {args.id}", file=sys.stderr)
        return 1
    print(f"#{article.id} {article.title}")
    print(f"  {article.source} · {article.published:%Y-%m-%d %H:%M} UTC · {article.url}")
    print(f"  score {article.score:.0f}/100")
    for name, value in sorted(article.score_parts.items(), key=lambda kv: -abs(kv[1])):
        print(f"    {name:<12} {value:+6.1f}")
    for line in article.explanation:
        print(f"  - {line}")
    if not article.topics:
        print("  - off-topic: no topic matched")
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from watch.ranking import Ranker

    config, settings = load(args)
    store = open_store(settings.db_url)
    ranker = Ranker(store, config, settings, None, utcnow)
    ranker.retrain()
    count = len(store.list_feedback())
    store.close()
    print(
        f"model trained with {count} feedback item(s), saved to {settings.model_path}; scores recomputed"
    )
    return 0


def cmd_feedback(args: argparse.Namespace) -> int:
    from watch.models import Feedback

    config, settings = load(args)
    topic = args.not_topic or args.also_topic
    if topic and topic not in {t.name for t in config.topics}:
        print(f"unknown topic {topic!r}", file=sys.stderr)
        return 2
    kind = (
        "up"
        if args.up
        else "down"
        if args.down
        else "not_topic"
        if args.not_topic
        else "also_topic"
    )
    store = open_store(settings.db_url)
    if store.get_article(args.id) is None:
        store.close()
        print(f"no article {args.id}", file=sys.stderr)
        return 1
    store.add_feedback(Feedback(article_id=args.id, kind=kind, topic=topic, at=utcnow()))  # type: ignore[arg-type]
    store.close()
    print(
        f"feedback stored ({kind}{' ' + topic if topic else ''}); 'watch train' applies it now, 'watch run' within the hour"
    )
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from watch.digest import render_html, render_markdown, render_text
    from watch.digest_job import gather_digest, previous_week, send_digest

    config, settings = load(args)
    now = utcnow()
    week = args.week or previous_week(now.astimezone(ZoneInfo(config.digest.timezone)))
    store = open_store(settings.db_url)
    try:
        digest = gather_digest(store, config, week, now)
        if args.out:
            renderer = {".html": render_html, ".md": render_markdown}.get(
                Path(args.out).suffix, render_text
            )
            Path(args.out).write_text(renderer(digest), encoding="utf-8")
            print(f"digest {week} written to {args.out}")
        elif not args.send:
            print(render_text(digest))
        if args.send:
            if settings.smtp is None:
                print("WATCH_SMTP_HOST is not set: cannot send", file=sys.stderr)
                return 2
            record = send_digest(store, config, settings.smtp, week, force=args.force, now=now)
            if (
                record.status == "sent"
                and record.sent_at
                and record.sent_at < now
                and not args.force
            ):
                print(
                    f"digest {week} was already sent on {record.sent_at:%Y-%m-%d %H:%M} UTC; --force resends it"
                )
                return 0
            print(
                f"digest {week}: {record.status}" + (f" ({record.error})" if record.error else "")
            )
            return 0 if record.status == "sent" else 1
    except ValueError as exc:
        print(f"digest: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


def cmd_dashboard(args: argparse.Namespace) -> int:
    from watch.board import launch_board

    settings = settings_for(args)
    process = launch_board(settings.config_path, settings.db_url, port=args.port)
    return process.wait()


def cmd_up(args: argparse.Namespace) -> int:
    from watch.board import launch_board

    settings = settings_for(args)
    board = launch_board(settings.config_path, settings.db_url, port=args.port)
    try:
        return cmd_run(args)
    finally:
        board.terminate()
        board.wait(timeout=10)


def cmd_demo(args: argparse.Namespace) -> int:
    from watch.demo_run import run_demo

    return run_demo(Path(args.dir), board_port=None if args.no_board else args.port)


def cmd_sources(args: argparse.Namespace) -> int:
    from watch.opml import export_opml, import_opml

    path = settings_for(args).config_path
    if args.action == "export-opml":
        text = export_opml(load_config(path))
        if args.file:
            Path(args.file).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if not args.file:
        print("import-opml needs an OPML file", file=sys.stderr)
        return 2
    added = import_opml(Path(args.file).read_bytes(), path)
    print(f"{len(added)} source(s) added to {path}: {', '.join(added) or '(none new)'}")
    return 0

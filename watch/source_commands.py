"""``watch sources``: editing the source list from the command line (the parser is in cli.py).

- ``add URL``: look at a site or feed (``watch.probe``: its feed, how often it publishes, what
  it is about) and append it to sources.yaml with the suggested ``every`` and topic hints, the
  feed's title as its ``label:`` and a name derived from it (or ``--name``);
  ``--dry-run`` says what would be added and writes nothing. A URL already followed is refused,
  whatever its spelling (http/https, trailing slash), before anything is fetched, and so is the
  feed it leads to: followed means a source's ``url:``, or the feed found on a source's web page
  (which the database knows). A URL without a scheme (or ``feed://``) is tried with
  ``https://``, then ``http://`` when https cannot be reached; ``feed:https://…`` is ``https://…``. A feed of a
  site already followed (the same home page, or the same host and title: a site's JSON Feed
  beside its RSS) is refused unless ``--name`` says to follow it too.
- ``import-opml FILE``: the feeds of another reader's export, appended (``watch.opml``), each
  consulted ``--every`` (IMPORT_EVERY by default: a daily look, what ``add`` gives a feed whose
  rate it cannot tell, until ``watch status`` advises better). The report is short whatever
  the size of the file: the names when 10 or fewer, the names changed (their wish was taken)
  and the feeds skipped grouped by reason, at most LISTED of each. A sources.yaml that is not
  YAML is refused as ``watch check`` says, untouched.
- ``export-opml [FILE]``: OPML 2.0 for other readers; written to FILE, it says how many.

sources.yaml is appended to, never rewritten: the user's comments and layout stay, and a file
that was valid stays valid.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from watch.cli import CommandError, NoDatabase, open_db, settings_for
from watch.commands import open_for_writing
from watch.config import load_config
from watch.schedule import utcnow
from watch.wording import at_most, counted, describe_age

QUIET_SINCE = timedelta(days=90)
"""A feed whose latest item is older than this is named as possibly abandoned."""
IMPORT_EVERY = "1d"
"""How often imported feeds are consulted unless ``--every`` says: what ``add`` suggests for a
feed whose publishing rate is unknown (``cadence.suggest_every``, not imported here: it loads
the store), rather than hourly fetches of mostly weekly blogs; ``watch status`` advises more
often for the busy ones after a few fetches."""
LISTED = 10
"""At most this many names (or skipped feeds of one kind) are listed; then "and N more"."""
UNREACHABLE = ("TLS error", "connection refused", "could not connect", "timed out", "network")
"""How a fetch error starts when no HTTP answer came (``watch.fetch.errors``): a URL given
without a scheme is then tried with ``http://`` after ``https://``."""

if TYPE_CHECKING:
    from watch.config import WatchConfig
    from watch.opml import OpmlImport, SkippedFeed
    from watch.probe import Probe


def cmd_sources(args: argparse.Namespace) -> int:
    if args.action == "export-opml":
        return _export_opml(args)
    if args.action == "add":
        return _add_source(args)
    return _import_opml(args)


def _add_source(args: argparse.Namespace) -> int:
    from watch.opml import OpmlError, OpmlFeed, append_feeds, label_from_title

    path = settings_for(args).config_path
    if not args.file:
        raise CommandError("add needs the URL of a site or a feed", 2)
    config = load_config(path)
    if args.name and args.name in {s.name for s in config.sources}:
        raise CommandError(f"{path} already has a source named {args.name!r}", 2)
    every, topics = _checked_choices(args, config, path)
    discovered, homes, _ = _known_feeds(args, config)
    followed = _followed_urls(discovered, config)
    _refuse_followed(args.file, followed, path)
    found = _probe_as_written(args.file, config)
    print(_describe(found, utcnow()))
    _refuse_followed(found.url, followed, path)
    _refuse_same_site(found, config, homes | _page_homes(discovered, config), args)
    feed = OpmlFeed(
        xml_url=found.url,
        title=found.title or "",
        html_url=found.home,
        name=args.name,
        categories=tuple(found.topics) if topics is None else topics,
        every=every or found.every,
    )
    comment = f"Added on {utcnow():%Y-%m-%d}"
    try:
        report = append_feeds([feed], path, feed.every or "1d", comment, write=not args.dry_run)
    except OpmlError as exc:
        raise CommandError(str(exc), 2) from None
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    if not report.added:
        raise CommandError(f"not added: {report.skipped[0].reason}")
    done = "would add to" if args.dry_run else "added to"
    name, label = report.added[0], label_from_title(feed.title)
    print(
        f"{done} {path} as {name!r}"
        + (f" (label {label!r})" if label and label != name else "")
        + f": every {feed.every}"
        + (f", topics [{', '.join(feed.categories)}]" if feed.categories else "")
    )
    return 0


def _probe_as_written(url: str, config: WatchConfig) -> Probe:
    """The probe of ``url``; without a scheme (or ``feed://``), of ``https://url``, else
    ``http://url`` when https cannot be reached; ``feed:https://…`` is ``https://…``."""
    from watch.opml import http_url

    given = url
    url = url[len("feed://") :] if url.lower().startswith("feed://") else http_url(url)
    if url != given:
        print(f"{given} read as {url if '://' in url else f'https://{url}'}", file=sys.stderr)
    if "://" not in url:
        try:
            return _probe(f"https://{url}", config)
        except CommandError as exc:
            reason = str(exc).removeprefix(f"https://{url}: ")
            if not reason.startswith(UNREACHABLE):
                raise
            tried = f"https://{url} cannot be reached ({reason})"
            print(f"{tried}: trying http://{url}", file=sys.stderr)
        url = f"http://{url}"
    return _probe(url, config)


def _probe(url: str, config: WatchConfig) -> Probe:
    from watch.probe import ProbeError, probe
    from watch.select_guess import split_advice

    try:
        return asyncio.run(probe(url, config, utcnow()))
    except ProbeError as exc:
        reasons, entry = split_advice(str(exc))
        if entry:  # on standard output: `watch sources add URL >> sources.yaml` keeps it
            print(entry)
        raise CommandError(reasons) from None


def _refuse_same_site(
    found: Probe, config: WatchConfig, homes: dict[str, str], args: argparse.Namespace
) -> None:
    """A feed of a site already followed is refused (the same articles twice) unless
    ``--name`` asks for it: then it is only said."""
    from watch.opml import same_site

    urls = [url for url in (found.url, found.home, found.discovered_from) if url]
    twin = same_site(found.title or "", urls, list(config.sources), homes)
    if twin is None:
        return
    if not args.name:
        raise CommandError(
            f"not added: same site as {twin}; to follow this feed as well, give it a name:"
            f" watch sources add {args.file} --name NAME"
        )
    print(f"note: same site as {twin}")


def _page_homes(discovered: dict[str, str], config: WatchConfig) -> dict[str, str]:
    """Source name → its url, for the sources whose url is a web page (a page source, or a
    page where a feed was found): that url is the site's home page, or a page of it."""
    return {s.name: s.url for s in config.sources if s.kind == "page" or s.name in discovered}


def _checked_choices(
    args: argparse.Namespace, config: WatchConfig, path: Path
) -> tuple[str | None, tuple[str, ...] | None]:
    """``--every`` and ``--topics`` (None when not given), refused in the user's words before
    anything is fetched: a frequency sources.yaml would refuse, a topic it does not define."""
    if args.every:
        _check_every(args.every)
    if args.topics is None:
        return args.every, None
    topics = tuple(dict.fromkeys(t.strip() for t in args.topics.split(",") if t.strip()))
    known = [topic.name for topic in config.topics]
    unknown = [topic for topic in topics if topic not in known]
    if unknown:
        raise CommandError(
            f"--topics: {', '.join(unknown)} not defined in {path.name} "
            f"(its topics: {', '.join(known) or 'none'})",
            2,
        )
    return args.every, topics


def _check_every(every: str) -> None:
    """``--every`` refused (exit 2) with sources.yaml's own words when it would refuse it."""
    from pydantic import ValidationError

    from watch.config import SourceConfig

    try:
        SourceConfig(name="new", url="https://example.org/", every=every)
    except ValidationError as exc:
        reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        raise CommandError(f"--every {every}: {reason}", 2) from None


def _followed_urls(discovered: dict[str, str], config: WatchConfig) -> dict[str, str]:
    """Every URL the sources are read from, spelled as ``url_key`` → the source's name: the
    ``url:`` of sources.yaml and the feed found on a source's web page (from the database)."""
    from watch.opml import url_key

    followed = {url_key(feed): name for name, feed in discovered.items()}
    followed.update({url_key(source.url): source.name for source in config.sources})
    return followed


def _refuse_followed(url: str, followed: dict[str, str], path: Path) -> None:
    from watch.opml import url_key

    name = followed.get(url_key(url))
    if name is not None:
        raise CommandError(f"not added: {url} is already in {path.name} as {name}")


def _describe(found: Probe, now: datetime) -> str:
    """What the probe saw, in a few lines."""
    where = f" (advertised by {found.discovered_from})" if found.discovered_from else ""
    title = f"{found.title!r}, " if found.title else ""
    lines = [
        f"found {found.url}{where}: {title}{_items(found.items)}, {_rate_words(found.per_week)}"
    ]
    if found.latest is not None and now - found.latest > QUIET_SINCE:
        lines.append(
            f"its latest item is {_age_words(now - found.latest)} old: is it still published?"
        )
    if found.topics:
        lines.append(f"most of its items match: {', '.join(found.topics)}")
    return "\n".join(lines)


def _items(count: float, what: str = "item") -> str:
    return f"{count:.0f} {what}{'' if round(count) == 1 else 's'}"


def _rate_words(per_week: float | None) -> str:
    if per_week is None:
        return "too few dated items to tell how often it publishes"
    if per_week >= 7:
        return f"about {_items(per_week / 7)} a day"
    if per_week >= 1:
        return f"about {_items(per_week)} a week"
    if per_week * 52 >= 1:
        return f"about {_items(per_week * 52)} a year"
    return "less than one item a year"


def _age_words(age: timedelta) -> str:
    """'400 days', 'over 11 years'."""
    if age < timedelta(days=730):
        return describe_age(age)
    return f"over {age.days // 365} years"


def _export_opml(args: argparse.Namespace) -> int:
    from watch.opml.writing import export_opml, export_summary

    config = load_config(settings_for(args).config_path)
    discovered, homes, titles = _known_feeds(args, config)
    text = export_opml(config, discovered=discovered, site_urls=homes, titles=titles)
    if args.file:
        with open_for_writing(args.file) as out:
            out.write(text)
        print(export_summary(config, args.file))
    else:
        sys.stdout.write(text)
    return 0


def _known_feeds(
    args: argparse.Namespace, config: WatchConfig
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """What the database knows of the sources (if it exists): the feeds found on the web pages
    of sources, and each feed's home page and own title (while its url is unchanged)."""
    from watch.replan import discovered_feeds

    try:
        store = open_db(settings_for(args, config), existing=True)
    except NoDatabase:
        return {}, {}, {}
    except CommandError as exc:
        print(f"watch sources: {exc}; going by what sources.yaml says only", file=sys.stderr)
        return {}, {}, {}
    try:
        discovered = discovered_feeds(store, config.sources)
        states = {state.name: state for state in store.list_source_states()}
    finally:
        store.close()
    pairs = [(s, states.get(s.name)) for s in config.sources]
    known = {s.name: st for s, st in pairs if st and st.url in (s.url, discovered.get(s.name))}
    homes = {name: state.home_url for name, state in known.items() if state.home_url}
    return discovered, homes, {name: state.title for name, state in known.items() if state.title}


def _import_opml(args: argparse.Namespace) -> int:
    from watch.opml import OpmlError, import_opml

    path = settings_for(args).config_path
    if not args.file:
        print("import-opml needs an OPML file", file=sys.stderr)
        return 2
    every = args.every or IMPORT_EVERY
    _check_every(every)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror or exc}", 2) from None
    try:
        report = import_opml(data, path, default_every=IMPORT_EVERY, every=args.every)
    except OpmlError as exc:
        raise CommandError(f"{args.file}: {exc}", 2) from None
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    print("\n".join(_import_report(report, path, every)))
    return 0


def _import_report(report: OpmlImport, path: Path, every: str) -> list[str]:
    """What the import did, in a few lines whatever the size of the OPML."""
    if not report.added and not report.skipped:
        return [f"the OPML lists no feeds: nothing added to {path}"]
    names = [_shown_name(name, report.renamed) for name in report.added]
    if not names:
        lines = [f"no source added to {path}"]
    elif len(names) <= LISTED:
        lines = [f"{counted(len(names), 'source')} added to {path}: {', '.join(names)}"]
    else:
        lines = [f"{counted(len(names), 'source')} added to {path}"]
        if report.renamed:
            renamed = [_shown_name(name, report.renamed) for name in report.renamed]
            lines.append(f"{counted(len(renamed), 'name')} changed: {at_most(renamed, LISTED)}")
    lines += _skipped_lines(report.skipped, path.name)
    lines += [f"note: {note}" for note in report.notes[:LISTED]]
    if len(report.notes) > LISTED:
        lines.append(f"  and {len(report.notes) - LISTED} more")
    if report.added:
        lines.append(
            f"they will be fetched {_frequency_words(report, every)}; after a few fetches,"
            " `watch status` advises a better frequency for those that need one"
        )
    return lines


def _frequency_words(report: OpmlImport, every: str) -> str:
    """'every 1d', 'every 1d, 3 at the frequency the OPML gives' (our own export's ``every``,
    whatever its value: it counts the feeds whose frequency the OPML gave)."""
    own = len(report.own_every)
    if own == len(report.added):
        return "at the frequency the OPML gives"
    return f"every {every}" + (f", {own} at the frequency the OPML gives" if own else "")


def _shown_name(name: str, renamed: dict[str, str]) -> str:
    """'le-monde-2 (le-monde was taken)' for a name that is not the one its title gave."""
    return f"{name} ({renamed[name]} was taken)" if name in renamed else name


def _skipped_lines(skipped: list[SkippedFeed], file_name: str) -> list[str]:
    """'skipped: 12 already in sources.yaml, 3 listed twice, 2 scraped pages:', then the feeds
    of each kind (at most LISTED) with their reason."""
    groups: dict[str, list[SkippedFeed]] = {}
    for feed in skipped:
        groups.setdefault(feed.kind, []).append(feed)
    ordered = sorted(groups.values(), key=len, reverse=True)
    if not ordered:
        return []
    kinds = [_skip_kind_words(group[0].kind, len(group), file_name) for group in ordered]
    lines = [f"skipped: {', '.join(kinds)}:"]
    for group in ordered:
        for feed in group[:LISTED]:
            title = f"{feed.title} " if feed.title else ""
            lines.append(f"  {title}<{feed.xml_url}>: {feed.reason}")
        if len(group) > LISTED:
            lines.append(f"  and {len(group) - LISTED} more")
    return lines


def _skip_kind_words(kind: str, count: int, file_name: str) -> str:
    """'12 already in sources.yaml', '3 listed twice', '2 scraped pages'."""
    words = {
        "present": f"{count} already in {file_name}",
        "repeated": f"{count} listed twice",
        "page": counted(count, "page source"),
        "scraped": counted(count, "scraped page"),
        "no-feed": f"{counted(count, 'site')} without a feed",
    }
    return words.get(kind, counted(count, "refused URL"))

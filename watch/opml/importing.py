"""Importing OPML into sources.yaml: new feeds appended, the user's comments and layout kept.

The file goes through a plain-text insertion when its layout allows, else a ruamel round trip
(``watch.opml.yaml_text``), is validated before it replaces the original, and is written
atomically; a URL already present is never added again, and every feed not imported is reported with its reason (pages another
reader scrapes, such as FreshRSS's ``HTML+XPath`` outlines, are not feeds).  A feed's title
becomes the source's ``label:`` (when it says more than the name derived from it), its
``htmlUrl`` the source's ``site:``; the other reader's folder becomes the source's ``folder:``
(nested ones joined, "Dev / Python"), with a ``# folder: …`` comment above the first of its
feeds, and topic hints when such a topic exists; a feed listed in two folders is added once,
in the first, with the hints of both, and listed as ``http://`` and ``https://``, with the
``https://`` spelling; a ``feed:`` URL is the http(s) URL it stands for.  Our own export's ``watch:every``, ``watch:weight`` and
``watch:enabled`` come back as they were.  A sources.yaml that is not YAML is refused with the
located error ``watch check`` gives (``ConfigError``), the file untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from watch.config import ConfigError, SourceConfig, parse_config
from watch.config.loading import not_utf8_message
from watch.opml.naming import (
    base_name,
    folder_name,
    http_url,
    label_from_title,
    slug,
    unique_name,
    url_key,
)
from watch.opml.reading import PAGE_SOURCE, OpmlError, OpmlFeed, read_opml
from watch.opml.yaml_text import append_entries, round_trip_yaml, write_atomically

SkipKind = Literal["present", "repeated", "page", "scraped", "no-feed", "refused"]
"""Why a feed was skipped, for grouping: its URL already in sources.yaml, listed twice in the
OPML, a page source of our own export, a page the other reader scraped, a site with no feed
URL, or a URL sources.yaml refuses (not http(s), credentials in it)."""


@dataclass(frozen=True)
class SkippedFeed:
    """A feed of the OPML that was not imported, and why, in a user's words."""

    xml_url: str
    """As the OPML gives it (its ``htmlUrl`` when it has no feed), a password in it replaced by
    ``***``."""
    title: str
    reason: str
    kind: SkipKind = "refused"


@dataclass
class OpmlImport:
    """What ``import_opml`` did: the source names it added and the feeds it skipped."""

    added: list[str] = field(default_factory=list)
    skipped: list[SkippedFeed] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    """Added name → the name its title (or ``watch:name``) asked for, already taken."""
    own_every: list[str] = field(default_factory=list)
    """The names added with the OPML's own ``watch:every`` (whatever its value) rather than
    ``default_every``."""
    notes: list[str] = field(default_factory=list)
    """What was read otherwise than written: a document repaired, ``feed:`` URLs converted."""


def import_opml(
    opml_text: bytes | str,
    sources_yaml_path: Path,
    *,
    default_every: str = "1d",
    every: str | None = None,
) -> OpmlImport:
    """Append the OPML's new feeds to sources.yaml, keeping its comments; say what was done.

    Each is consulted at the OPML's own ``watch:every`` (our export), else ``default_every``;
    ``every`` (the user's ``--every``) overrides both.  URLs already present, repeated in the
    OPML or unusable (not http(s), credentials in them) are skipped, each with its reason;
    folders and categories become topic hints when such a topic exists (``append_feeds``).
    """
    comment = f"Imported from OPML on {datetime.now(UTC):%Y-%m-%d}"
    feeds, problem = read_opml(opml_text)
    if every is not None:
        feeds = [replace(feed, every=None) for feed in feeds]
    converted = {feed.xml_url: http_url(feed.xml_url) for feed in feeds}
    feeds = [replace(feed, xml_url=converted[feed.xml_url]) for feed in feeds]
    report = append_feeds(feeds, sources_yaml_path, every or default_every, comment, sites=True)
    if problem:
        report.notes.append(f"the OPML is {problem}: read as its writer meant it")
    report.notes += [f"{old} read as {new}" for old, new in converted.items() if old != new]
    return report


def _read_text(path: Path) -> str:
    """sources.yaml as text ('' when it does not exist yet); ConfigError when not UTF-8."""
    if not path.exists():
        return ""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError([not_utf8_message(path, exc)]) from None


def append_feeds(
    feeds: list[OpmlFeed],
    sources_yaml_path: Path,
    default_every: str,
    comment: str,
    *,
    write: bool = True,
    sites: bool = False,
) -> OpmlImport:
    """Append ``feeds`` whose URL is new to sources.yaml under ``comment``, keeping the file's
    comments and layout (``watch sources import-opml`` and ``watch sources add``).

    If the file was valid before, it is valid after: the result is validated before it replaces
    the file.  A symlinked sources.yaml is written through the link, and a file with CRLF line
    ends keeps them.  With ``write=False`` nothing is written: the report says what would be.
    With ``sites=True`` (an OPML's feeds) each feed's ``htmlUrl`` is kept as ``site:``.
    """
    path = Path(sources_yaml_path).resolve()
    raw = _read_text(path)
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    yaml = round_trip_yaml(text)
    try:
        document = yaml.load(text) if text.strip() else CommentedMap()
    except MarkedYAMLError:
        parse_config(text, str(sources_yaml_path))  # ConfigError: the line, as `watch check` says
        raise
    if not isinstance(document, CommentedMap):
        raise OpmlError(f"{path}: cannot import into a file that is not a mapping with 'sources:'")
    entries, folders, report = _new_entries(feeds, document, default_every, path.name, sites)
    if not entries:
        return report
    comments = _comments(comment, folders)
    result = append_entries(yaml, text, document, entries, comments)
    if _is_valid(text, str(path)):
        try:
            parse_config(result, str(path))
        except ConfigError as exc:  # a bug of ours, never a reason to break the user's file
            raise OpmlError(f"import would make {path} invalid; nothing written:\n{exc}") from None
    if write:
        write_atomically(path, result, newline)
    report.added = [str(entry["name"]) for entry in entries]
    return report


def _new_entries(
    feeds: list[OpmlFeed], document: CommentedMap, default_every: str, file_name: str, sites: bool
) -> tuple[list[CommentedMap], list[str], OpmlImport]:
    """Entries for the feeds whose URL is not in the file yet, with unique names, and the
    folder each comes from; the feeds skipped, with the reason, the names that had to change
    and those consulted at the OPML's own frequency (``added`` left to the caller)."""
    sources = document.get("sources")
    existing = [item for item in sources or () if isinstance(item, Mapping)]
    taken = {  # URL → why another feed with it is skipped
        url_key(str(item.get("url", ""))): f"already in {file_name} as {item.get('name')}"
        for item in existing
    }
    names = {str(item.get("name")) for item in existing}
    topics = _topic_lookup(document.get("topics"))
    imported: dict[str, tuple[CommentedMap, str]] = {}  # URL → the entry added, its folder
    entries: list[CommentedMap] = []
    folders: list[str] = []
    report = OpmlImport()
    for feed in _https_preferred(feeds):
        keys = dict.fromkeys((url_key(feed.url), url_key(feed.xml_url)))
        repeated = next((imported[key] for key in keys if key in imported), None)
        present = next((taken[key] for key in keys if key in taken), None)
        refusal = _not_a_feed(feed) or (("present", present) if present else None)
        if refusal is None and repeated is not None:
            refusal = ("repeated", _merge_repeat(*repeated, feed, topics))
        entry = refusal or _new_entry(feed, names, topics, default_every, sites)
        if not isinstance(entry, CommentedMap):
            kind, reason = entry if isinstance(entry, tuple) else ("refused", entry)
            shown = _hide_password(feed.xml_url or feed.html_url or "")
            report.skipped.append(SkippedFeed(shown, feed.title, reason, kind))
            continue
        for key in keys:
            imported[key] = (entry, _folder(feed))
        names.add(entry["name"])
        if entry["name"] != (wanted := base_name(feed) or "feed"):
            report.renamed[entry["name"]] = wanted
        if feed.every and entry["every"] == feed.every:
            report.own_every.append(entry["name"])
        entries.append(entry)
        folders.append(_folder(feed))
    return entries, folders, report


def _https_preferred(feeds: list[OpmlFeed]) -> list[OpmlFeed]:
    """The feeds, an ``http://`` one given the ``https://`` spelling the OPML also lists."""
    secure = {url_key(feed.url): feed.url for feed in feeds if _scheme(feed.url) == "https"}
    return [
        replace(feed, source_url=secure[url_key(feed.url)])
        if _scheme(feed.url) == "http" and url_key(feed.url) in secure
        else feed
        for feed in feeds
    ]


def _scheme(url: str) -> str:
    return urlsplit(url.strip()).scheme.lower()


def _merge_repeat(entry: CommentedMap, folder: str, feed: OpmlFeed, topics: dict[str, str]) -> str:
    """Why a feed listed again is skipped; the topic hints of its other folder go to ``entry``."""
    hints = [hint for hint in _hints(feed, topics) if hint not in entry.get("topics", ())]
    if hints:
        entry["topics"] = _flow([*entry.get("topics", ()), *hints])
    where = f" (also in folder {_folder(feed)})" if _folder(feed) not in ("", folder) else ""
    return f"listed twice in the OPML{where}, imported once as {entry['name']}"


def _not_a_feed(feed: OpmlFeed) -> tuple[SkipKind, str] | None:
    """Why an outline is not a feed: it has only a site (a feed the other reader lost), or it
    is a page FreshRSS scrapes (``HTML+XPath``, ``JSON+DotNotation``…, the page as ``xmlUrl``)."""
    if feed.outline_type == PAGE_SOURCE:
        return "page", (
            "a page source (read with CSS selectors): copy its entry, with its select:, from"
            " the sources.yaml it was exported from"
        )
    if not feed.xml_url:
        return (
            "no-feed",
            f"no feed URL (xmlUrl), only its site: try watch sources add {feed.html_url}",
        )
    kind = feed.outline_type.lower()
    if "xpath" not in kind and "dotnotation" not in kind:
        return None
    return "scraped", (
        f"not a feed: the other reader scraped this page (type {feed.outline_type});"
        " add it as a page source with select:"
    )


def _folder(feed: OpmlFeed) -> str:
    return folder_name(feed.folders)


def _site(feed: OpmlFeed) -> dict[str, str]:
    """``site:`` from the OPML's ``htmlUrl``: when it is an http(s) URL, other than the url."""
    site = http_url(feed.html_url or "")
    if not site or url_key(site) == url_key(feed.url):
        return {}
    try:
        SourceConfig(name="x", url="https://x.example/", site=site)
    except ValidationError:
        return {}
    return {"site": site}


def _comments(comment: str, folders: list[str]) -> dict[int, str]:
    """The comment above the first new entry, and above the first entry of each folder
    ("folder: Dev web"), so that the other reader's folders stay visible in sources.yaml; feeds
    in no folder that follow a folder's are headed "no folder", not left under its comment."""
    comments = {
        at: f"folder: {folder}" if folder else "no folder"
        for at, folder in enumerate(folders)
        if (folder and at == 0) or (at > 0 and folders[at - 1] != folder)
    }
    comments[0] = "\n".join(filter(None, (comment, comments.get(0))))
    return comments


def _is_valid(text: str, filename: str) -> bool:
    try:
        parse_config(text, filename)
    except ConfigError:
        return False
    return True


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _topic_lookup(topics: Any) -> dict[str, str]:
    """Folder or category spelling (slugged) → topic name, for names and labels."""
    lookup: dict[str, str] = {}
    for topic in topics or ():
        if isinstance(topic, Mapping) and isinstance(topic.get("name"), str):
            for spelling in (topic["name"], topic.get("label") or ""):
                if spelling:
                    lookup.setdefault(slug(str(spelling)), topic["name"])
    return lookup


def _new_entry(
    feed: OpmlFeed, names: set[str], topics: dict[str, str], default_every: str, sites: bool
) -> CommentedMap | str:
    """A valid sources.yaml entry for ``feed`` (its ``htmlUrl`` as ``site:`` when ``sites``),
    or why its URL cannot be a source."""
    hints = _hints(feed, topics)
    name = unique_name(base_name(feed), names)
    label = label_from_title(feed.title)
    label = "" if label == name else label
    for every in (feed.every, default_every):
        if not every:
            continue
        try:
            SourceConfig(name=name, label=label, url=feed.url, every=every, topics=tuple(hints))
        except ValidationError as exc:
            refusals = [e["msg"] for e in exc.errors() if e["loc"] == ("url",)]
            if refusals:
                return refusals[0].removeprefix("Value error, ").removeprefix(f"{feed.url!r} is ")
            continue
        entry = CommentedMap(name=name, **({"label": label} if label else {}))
        entry.update(url=feed.url, **(_site(feed) if sites else {}), every=every)
        if _folder(feed):
            entry["folder"] = _folder(feed)
        if hints:
            entry["topics"] = _flow(hints)
        if feed.weight is not None and feed.weight != 1.0 and _is_valid_weight(feed.weight):
            entry["weight"] = feed.weight
        if not feed.enabled:
            entry["enabled"] = False
        return entry
    raise OpmlError(f"default_every {default_every!r} is not a valid frequency")


def _hints(feed: OpmlFeed, topics: dict[str, str]) -> list[str]:
    """The topics named by the feed's folders and categories (by topic name or label)."""
    spellings = map(slug, (*feed.folders, *feed.categories))
    return list(dict.fromkeys(topics[s] for s in spellings if s in topics))


def _is_valid_weight(weight: float) -> bool:
    try:
        SourceConfig(name="x", url="https://x.example/", every="1h", weight=weight)
    except ValidationError:
        return False
    return True


def _flow(values: list[str]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq

"""Fallback path: feedparser, for everything the fast path cannot read faithfully.

feedparser 6.0.14 copes with ill-formed XML, RSS 0.9x, Atom 0.3 and more, but runs at about
1 MB/s and cannot be interrupted from inside.  The time limit is kept this way:

* documents no larger than ``time_limit × INLINE_BYTES_PER_SECOND`` (25 kB per second of limit,
  40 times below the measured rate: 250 kB for the default 10 s) are parsed in-process — with
  entity declarations refused beforehand (see guard.py) feedparser's work is linear in the
  input, so these finish far inside the limit;
* larger documents are parsed in a worker process (``forkserver`` start method: a clean,
  single-threaded parent that has already imported feedparser, so a worker costs a fork, not an
  interpreter start) which is killed when the limit passes.  A killed parse raises
  ``ParseTimeout`` and nothing else in the calling process is disturbed.
"""

from __future__ import annotations

import html
import multiprocessing
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

import feedparser

from watch.models import ParsedEntry, ParsedFeed
from watch.parse.dates import from_struct_time, parse_date
from watch.parse.fast import ORIGINAL_LINKS, original_link

INLINE_BYTES_PER_SECOND = 25_000
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["watch.parse.fallback"])
_RSS09 = {"rss090", "rss091n", "rss091u", "rss092", "rss093", "rss094"}


class ParseTimeout(Exception):
    """feedparser did not finish within the time limit (the worker was killed)."""


class FallbackFailed(Exception):
    """feedparser raised, or the worker died; the message says how."""


def parse_with_feedparser(data: bytes, url: str, time_limit: float) -> ParsedFeed:
    """Parse UTF-8 ``data`` with feedparser within ``time_limit`` seconds."""
    if len(data) <= time_limit * INLINE_BYTES_PER_SECOND:
        return convert(_feedparse(data, url))
    return _parse_in_worker(data, url, time_limit)


def _feedparse(data: bytes, url: str) -> Any:
    headers = {"content-type": "application/xml; charset=utf-8"}
    if url:
        headers["content-location"] = url
    return feedparser.parse(data, response_headers=headers, sanitize_html=False)


def _parse_in_worker(data: bytes, url: str, time_limit: float) -> ParsedFeed:
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    worker = _CONTEXT.Process(target=_worker_main, args=(sender, data, url), daemon=True)
    worker.start()
    sender.close()
    try:
        if not receiver.poll(time_limit):
            raise ParseTimeout(f"parse took longer than {time_limit:g} s")
        outcome, payload = receiver.recv()
    except EOFError:
        raise FallbackFailed("feedparser worker died") from None
    finally:
        receiver.close()
        if worker.is_alive():
            worker.kill()
        worker.join()
    if outcome == "error":
        raise FallbackFailed(payload)
    return payload  # type: ignore[no-any-return]


def _worker_main(sender: Connection, data: bytes, url: str) -> None:
    try:
        result: tuple[str, Any] = ("ok", convert(_feedparse(data, url)))
    except Exception as exc:  # the parent turns this into a ParseError
        result = ("error", f"feedparser failed: {exc}")
    sender.send(result)
    sender.close()


def convert(parsed: Any) -> ParsedFeed:
    """feedparser's result → ParsedFeed (summary always HTML: plain text is escaped; a feed
    proxy's original link as the link, as the fast path takes it)."""
    version = parsed.get("version") or ""
    meta = parsed.get("feed", {})
    feed = ParsedFeed(
        format="rss09x" if version in _RSS09 else (version or "unknown"),
        title=meta.get("title"),
        link=meta.get("link"),
        language=meta.get("language"),
        parser="feedparser",
    )
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        feed.warnings.append(f"feedparser: {parsed['bozo_exception']}")
    originals = _original_link_keys(parsed.get("namespaces") or {})
    feed.entries = [_entry(e, originals) for e in parsed.get("entries", [])]
    return feed


def _original_link_keys(namespaces: dict[str, str]) -> frozenset[str]:
    """The keys under which feedparser keeps ``fast.ORIGINAL_LINKS`` in this document's entries:
    its own prefix for the namespaces it knows ("feedburner_origlink"), the document's for the
    others ("pheedo_origlink"); ``namespaces`` maps each prefix it used to the namespace."""
    wanted = {uri.lower(): name.lower() for uri, name in ORIGINAL_LINKS}
    spelled = {prefix: str(uri).lower().rstrip("/") for prefix, uri in namespaces.items()}
    return frozenset(
        f"{prefix.lower()}_{wanted[uri]}" for prefix, uri in spelled.items() if uri in wanted
    )


def _original_link(raw: Any, originals: frozenset[str]) -> str | None:
    """The entry's last original link, when it is a web address (the fast path keeps the last
    one too)."""
    found = [value for name, value in raw.items() if name in originals and isinstance(value, str)]
    return original_link(found[-1]) if found else None


def _as_html(detail: Any) -> str | None:
    value = detail.get("value") if detail else None
    if not value:
        return None
    if detail.get("type") == "text/plain":
        return html.escape(value, quote=False)
    return str(value).strip()


def _entry(raw: Any, originals: frozenset[str]) -> ParsedEntry:
    contents = [_as_html(c) for c in raw.get("content", [])]
    summary = _as_html(raw.get("summary_detail")) or (raw.get("summary") or None)
    candidates = [c for c in (*contents[:1], summary) if c]
    detail = raw.get("summary_detail") or raw.get("title_detail") or {}
    return ParsedEntry(
        guid=(raw.get("id") or "").strip() or None,
        link=_original_link(raw, originals) or (raw.get("link") or "").strip() or None,
        title=raw.get("title"),
        summary=max(candidates, key=len) if candidates else None,
        author=raw.get("author"),
        published=_date(raw, "published"),
        updated=_date(raw, "updated"),
        language=detail.get("language") or None,
        base_url=detail.get("base") or None,
    )


def _date(raw: Any, field: str) -> datetime | None:
    """feedparser's date for ``field``, else ours for its text (feedparser reads no date in
    other languages: "Mo, 16 Nov 2026 09:15:00 +0100")."""
    return from_struct_time(dict.get(raw, f"{field}_parsed")) or parse_date(dict.get(raw, field))

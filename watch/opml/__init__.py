"""OPML import and export: how users of other feed readers move into `watch` and out of it.

- ``reading``: ``parse_opml``, safely (no DTDs, entities or network access), ``read_opml``
  also saying what was repaired (a bare ``&``, an HTML entity);
- ``writing``: ``export_opml``, OPML 2.0 from a validated config;
- ``importing``: ``import_opml``, new feeds appended to sources.yaml with its comments kept,
  and the feeds it skipped with their reasons (``append_feeds``, also used by
  ``watch sources add``);
- ``naming``: source names and labels from feed titles, ``url_key`` for URLs already followed,
  ``http_url`` for ``feed:`` URLs,
  ``same_site`` for a new feed of a site already followed.
"""

from watch.opml.importing import (
    OpmlImport,
    SkippedFeed,
    append_feeds,
    import_opml,
)
from watch.opml.naming import http_url, label_from_title, same_site, url_key
from watch.opml.reading import WATCH_NS, OpmlError, OpmlFeed, parse_opml, read_opml
from watch.opml.writing import export_opml

__all__ = [
    "WATCH_NS",
    "OpmlError",
    "OpmlFeed",
    "OpmlImport",
    "SkippedFeed",
    "append_feeds",
    "export_opml",
    "http_url",
    "import_opml",
    "label_from_title",
    "parse_opml",
    "read_opml",
    "same_site",
    "url_key",
]

"""Writing OPML 2.0 from a validated config, for other feed readers (and for ``import_opml``).

One ``type="rss"`` outline per feed source, titled by the source's label, else the feed's own
title (as the database knows it), else its name; in the folder its ``folder:`` names ("Dev /
Python": nested outlines), else in a folder named after its first topic (other readers show
folders, not categories), at the top level when it has neither;
page sources as comments at the end, outside any folder (other readers cannot read them, and a
folder holding only a comment is an empty folder to them); our own settings ride along in the ``watch:`` namespace, which other readers ignore
(``watch:name`` keeps the source's name through an export and import).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from lxml import etree

from watch.config import SourceConfig, WatchConfig
from watch.config.fields import folder_path
from watch.opml.naming import label_from_title
from watch.opml.reading import WATCH_NS
from watch.wording import counted


def export_opml(
    config: WatchConfig,
    *,
    discovered: Mapping[str, str] | None = None,
    site_urls: Mapping[str, str] | None = None,
    titles: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> str:
    """OPML 2.0 for the feed sources, in their ``folder:``, each outline titled by its label.

    ``discovered`` maps the name of a source whose url is a web page to the feed found on that
    page: other readers get the feed as ``xmlUrl`` (some never look for it) and the page as
    ``htmlUrl``; ``watch:url`` keeps the url as written for our own import.  ``site_urls`` maps
    the name of a feed source to its site's home page, as the feed gives it; else its
    ``site:`` (the ``htmlUrl`` of the OPML it came from) is used.  Otherwise ``htmlUrl`` is
    left out, never guessed.  ``titles`` maps the name of a source to its
    feed's own title, the outline's title when the source has no ``label:``.
    """
    labels = config.topic_labels
    root = etree.Element("opml", version="2.0", nsmap={"watch": WATCH_NS})
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = config.name
    etree.SubElement(head, "dateCreated").text = format_datetime(
        now or datetime.now(UTC), usegmt=True
    )
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    folders: dict[tuple[str, ...], Any] = {(): body}
    for source in (s for s in config.sources if s.kind != "page"):
        first_topic = labels.get(source.topics[0], source.topics[0]) if source.topics else None
        parent = _folder_outline(folders, folder_path(source.folder or first_topic))
        feed_url = (discovered or {}).get(source.name)
        html_url = source.url if feed_url else (site_urls or {}).get(source.name, source.site)
        title = _outline_title(source, (titles or {}).get(source.name))
        parent.append(_feed_outline(source, title, feed_url, html_url))
    for source in (s for s in config.sources if s.kind == "page"):
        body.append(etree.Comment(_comment_text(source)))
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8").decode(
        "utf-8"
    )


def export_summary(config: WatchConfig, file: str) -> str:
    """What ``export-opml FILE`` says it wrote: the feeds, and the page sources apart (comments
    that other readers ignore), "wrote 27 feeds to out.opml (+1 page source as a comment: …)"."""
    pages = sum(source.kind == "page" for source in config.sources)
    feeds = counted(len(config.sources) - pages, "feed")
    as_comments = "as a comment" if pages == 1 else "as comments"
    readers = f"{as_comments}: other readers cannot read pages"
    return f"wrote {feeds} to {file}" + (
        f" (+{counted(pages, 'page source')} {readers})" if pages else ""
    )


def _folder_outline(folders: dict[tuple[str, ...], Any], path: tuple[str, ...]) -> Any:
    """The outline of the folder at ``path``, made (with its parents) the first time."""
    if path not in folders:
        parent = _folder_outline(folders, path[:-1])
        name = path[-1]
        folders[path] = etree.SubElement(parent, "outline", text=name, title=name)
    return folders[path]


def _outline_title(source: SourceConfig, feed_title: str | None) -> str:
    """The source's label, else its feed's own title (on one line), else its name."""
    return source.label or label_from_title(feed_title or "") or source.name


def _feed_outline(
    source: SourceConfig, title: str, feed_url: str | None, html_url: str | None
) -> Any:
    outline = etree.Element("outline", type="rss", text=title, title=title)
    outline.set("xmlUrl", feed_url or source.url)
    outline.set(f"{{{WATCH_NS}}}name", source.name)
    if html_url:
        outline.set("htmlUrl", html_url)
    if feed_url:
        outline.set(f"{{{WATCH_NS}}}url", source.url)
    if source.topics:
        outline.set("category", ",".join(f"/{topic}" for topic in source.topics))
    outline.set(f"{{{WATCH_NS}}}every", source.every)
    if source.weight != 1.0:
        outline.set(f"{{{WATCH_NS}}}weight", f"{source.weight:g}")
    if not source.enabled:
        outline.set(f"{{{WATCH_NS}}}enabled", "false")
    return outline


def _comment_text(source: SourceConfig) -> str:
    text = f" watch page source {source.name}: {source.url} (a web page read with CSS selectors, not a feed) "
    return re.sub(r"-(?=-)", "- ", text)  # "--" is not allowed inside an XML comment

"""The demo: the project's own sample sources, served on 127.0.0.1 so `watch demo` needs no internet.

This package owns the demo content (``content``: sources and items generated from
``watch/demo_data/``), its rendering as feeds and pages (``render``; ``site_page`` for the
article pages of its ``full_text`` source), the local HTTP server (``server``) and the
``sources.yaml`` text that points ``watch`` at it (``sources_yaml``).
"""

from watch.demo.content import DemoItem, DemoSource, demo_article_count, demo_items, demo_sources
from watch.demo.server import DemoServer
from watch.demo.sources_yaml import demo_sources_yaml, demo_topics

__all__ = [
    "DemoItem",
    "DemoServer",
    "DemoSource",
    "demo_article_count",
    "demo_items",
    "demo_sources",
    "demo_sources_yaml",
    "demo_topics",
]

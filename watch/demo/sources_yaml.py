"""Demo sources.yaml: the text that points `watch` at the demo server.

The topics are the starter topics of the repository's ``sources.yaml`` when it is reachable,
else the copy in ``demo_data/topics.yaml`` (a test keeps both equal).  The demo team is French
(its name, topic labels and half of its sources are): its digest is written in French.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from watch.demo.content import DATA_DIR, DemoSource, demo_sources

ROOT_SOURCES_YAML = Path(__file__).resolve().parents[2] / "sources.yaml"


def demo_topics() -> list[dict[str, Any]]:
    """The starter topics: from the repository's sources.yaml when reachable, else the copy."""
    from watch.config import ConfigError, load_config

    try:
        topics = load_config(ROOT_SOURCES_YAML).topics
    except ConfigError:
        topics = load_config(DATA_DIR / "topics.yaml").topics
    return [
        {k: list(v) if isinstance(v, tuple) else v for k, v in t.model_dump().items() if v}
        for t in topics
    ]


def demo_sources_yaml(base_url: str, port: int) -> str:
    """A complete sources.yaml for the demo: its sources at ``base_url``, the starter topics."""
    topics = demo_topics()
    known = {t["name"] for t in topics}
    host = urlsplit(base_url).hostname or "127.0.0.1"
    data = {
        "name": "Veille technologique — démonstration",
        "fetch": {"allow_private": [f"{host}:{port}"]},
        "digest": {
            "schedule": "mon 08:00",
            "timezone": "Europe/Paris",
            "language": "fr",  # the demo team reads French: its topics and labels are
            "recipients": ["equipe-web@example.org"],
            "stories_per_topic": 5,
            "board_url": "http://localhost:8501",
        },
        "topics": topics,
        "sources": [_demo_source_entry(s, base_url.rstrip("/"), known) for s in demo_sources()],
    }
    out = io.StringIO()
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.dump(_flow_leaf_lists(data), out)
    header = (
        "# sources.yaml written by `watch demo`: the demo sources, served on this machine by\n"
        "# watch.demo.DemoServer, and the topics of the starter sources.yaml. Regenerated at\n"
        "# every `watch demo`; copy the repository's sources.yaml to start your own watch.\n"
    )
    return header + out.getvalue()


def _flow_leaf_lists(node: Any) -> Any:
    """Lists of scalars as ``[a, b]`` (as a person writes them), the rest in block style."""
    if isinstance(node, dict):
        return CommentedMap((k, _flow_leaf_lists(v)) for k, v in node.items())
    if isinstance(node, list):
        if all(isinstance(v, str | int | float) for v in node):
            seq = CommentedSeq(node)
            seq.fa.set_flow_style()
            return seq
        return CommentedSeq(_flow_leaf_lists(v) for v in node)
    return node


def _demo_source_entry(source: DemoSource, base_url: str, known: set[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": source.name,
        "label": source.title,
        "url": base_url + source.path,
    }
    if source.format == "page":
        entry["kind"] = "page"
    entry["every"] = source.every
    entry["topics"] = [t for t in source.topics if t in known]
    entry["weight"] = source.weight
    if source.select:
        entry["select"] = dict(source.select)
    if source.full_text:
        entry["full_text"] = True
    return entry

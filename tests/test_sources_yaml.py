"""The starter sources.yaml at the repository root: the example users copy must stay valid and sound."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from watch.config import WatchConfig, load_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def config() -> WatchConfig:
    return load_config(ROOT / "sources.yaml")


def test_it_loads_with_20_to_40_uniquely_named_sources(config: WatchConfig) -> None:
    names = [source.name for source in config.sources]
    assert 20 <= len(names) <= 40
    assert not [name for name, count in Counter(names).items() if count > 1]
    assert len({source.url for source in config.sources}) == len(names)


def test_every_topic_is_used_and_has_french_and_english_keywords(config: WatchConfig) -> None:
    used = {topic for source in config.sources for topic in source.topics}
    assert 6 <= len(config.topics) <= 8
    assert {topic.name for topic in config.topics} == used
    for topic in config.topics:
        assert topic.label != topic.name, f"{topic.name} needs a French label"
        assert len(topic.keywords) >= 10
        assert any(not k.isascii() or " " in k for k in topic.keywords), topic.name


def test_page_sources_have_select_blocks(config: WatchConfig) -> None:
    pages = [source for source in config.sources if source.kind == "page"]
    assert len(pages) >= 2
    assert all(page.select is not None and page.select.item for page in pages)


def test_frequencies_follow_the_source_kind(config: WatchConfig) -> None:
    alerts = config.source("cert-fr-alertes")
    assert alerts.period.total_seconds() <= 3600
    assert any(source.is_cron for source in config.sources)
    assert all(source.period.total_seconds() >= 1800 for source in config.sources)
    assert all(urlsplit(source.url).scheme == "https" for source in config.sources)


def test_digest_block_is_a_working_example(config: WatchConfig) -> None:
    assert (config.digest.schedule, config.digest.timezone) == ("mon 08:00", "Europe/Paris")
    assert config.digest.recipients and config.digest.board_url
    assert config.fetch.allow_private == ()


def test_the_file_is_commented_for_people_who_copy_it() -> None:
    text = (ROOT / "sources.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 40
    for key in ("every", "weight", "topics", "select", "cron", "credentials_env", "Private"):
        assert any(key in line for line in comments), key

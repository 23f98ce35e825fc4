"""A digest for a client (session 11): ``digest.leave_out`` drops the parts meant for the team."""

from __future__ import annotations

import pytest

from tests.test_digest import CONFIG_YAML, make_config, make_digest
from watch.config import ConfigError, parse_config
from watch.digest_render import render_html, render_markdown, render_text

CLIENT_YAML = CONFIG_YAML + "  leave_out: [why, trends, health]\n"


def renderings(config_yaml: str) -> list[str]:
    digest = make_digest(config=make_config(config_yaml))
    return [render_html(digest), render_text(digest), render_markdown(digest)]


def test_a_client_digest_has_the_stories_without_why_lines_trends_or_source_health() -> None:
    team, client = renderings(CONFIG_YAML), renderings(CLIENT_YAML)
    for full, lean in zip(team, client, strict=True):
        for part in ("Why:", "rust 2.0", "Source health", "selector matched nothing"):
            assert part in full and part not in lean, part
        for kept in ("Rust 2.0 announced", "Also covered by 2 sources", "board.example.org"):
            assert kept in full and kept in lean, kept


def test_only_the_parts_named_are_left_out() -> None:
    html, text, markdown = renderings(CONFIG_YAML + "  leave_out: [health]\n")
    for rendering in (html, text, markdown):
        assert "Why:" in rendering and "rust 2.0" in rendering
        assert "Source health" not in rendering


def test_an_unknown_part_is_a_located_error() -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(CONFIG_YAML + "  leave_out: [why, sources]\n")
    assert "digest.leave_out[1]: should be 'why', 'trends' or 'health'" in str(error.value)

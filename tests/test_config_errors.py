"""sources.yaml mistakes people make (a tab, a duplicated key, ``every: 1 hour``, a URL without
its scheme, a missing file) get an error that says how to fix them, at its line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from watch.cadence import advise
from watch.cli import main
from watch.config import ConfigError, load_config, parse_config
from watch.opml.writing import export_opml

BASE = """\
topics:
  - name: security
    keywords: [CVE]
  - name: dev
    keywords: [python]
sources:
  - name: rsc
    url: https://research.swtch.com/feed.atom
    every: 1h
  - name: manton
    url: https://www.manton.org/feed.xml
    every: 1d
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "sources.yaml")
    return caught.value.errors


def test_a_tab_is_named_with_its_column_and_every_tab_is_reported() -> None:
    text = BASE.replace("    url: https://www.manton", "\turl: https://www.manton").replace(
        "    every: 1d", "    every:\t1d"
    )
    assert errors_of(text) == [
        "sources.yaml:11: YAML syntax: a tab (column 1): YAML indents with spaces, not tabs; "
        "replace it with spaces",
        "sources.yaml:12: YAML syntax: a tab (column 11): YAML indents with spaces, not tabs; "
        "replace it with spaces",
    ]


def test_a_colon_in_an_unquoted_value_says_to_quote_it() -> None:
    text = BASE.replace("  - name: manton\n", "  - name: manton\n    label: Manton: the blog\n")
    assert errors_of(text) == [
        "sources.yaml:11: YAML syntax: a ':' where none is expected (column 18): a value "
        "holding ': ' must be quoted, e.g. label: \"Manton: the blog\""
    ]


@pytest.mark.parametrize(
    ("line", "indented"),
    [
        ("    every: 1d\n", "     every: 1d\n"),
        ("    url: https://www.manton", "   url: https://www.manton"),
    ],
)
def test_a_badly_indented_key_says_to_check_the_indentation(line: str, indented: str) -> None:
    errors = errors_of(BASE.replace(line, indented))
    assert len(errors) == 1 and "indentation" in errors[0], errors
    assert errors[0].startswith(("sources.yaml:11: YAML syntax:", "sources.yaml:12: YAML syntax:"))
    assert "<block" not in errors[0] and "mapping values" not in errors[0]


def test_a_duplicate_key_names_its_first_line_and_never_the_values() -> None:
    many = "".join(f"  - {{name: s{i}, url: 'https://s{i}.example/feed'}}\n" for i in range(200))
    text = BASE + many + "sources:\n  - {name: late, url: 'https://late.example/'}\n"
    text = text.replace("    every: 1h\n", "    every: 1h\n    every: 2h\n")
    assert errors_of(text) == [
        "sources.yaml:10: YAML syntax: duplicate key 'every' (first at line 9)",
        "sources.yaml:214: YAML syntax: duplicate key 'sources' (first at line 6)",
    ]


@pytest.mark.parametrize(
    ("every", "short", "period"),
    [
        ("1 hour", "1h", timedelta(hours=1)),
        ("2 hours", "2h", timedelta(hours=2)),
        ("30 minutes", "30m", timedelta(minutes=30)),
        ("1 day", "1d", timedelta(days=1)),
        ("1 week", "1w", timedelta(weeks=1)),
        ("1H", "1h", timedelta(hours=1)),
        ("Hourly", "1h", timedelta(hours=1)),
        ("daily", "1d", timedelta(days=1)),
        ("weekly", "1w", timedelta(weeks=1)),
        ("2 heures", "2h", timedelta(hours=2)),
        ("1 jour", "1d", timedelta(days=1)),
        ("3 Jours", "3d", timedelta(days=3)),
        ("1 semaine", "1w", timedelta(weeks=1)),
        ("45 minute", "45m", timedelta(minutes=45)),
        ("quotidien", "1d", timedelta(days=1)),
        ("hebdomadaire", "1w", timedelta(weeks=1)),
        ("10 Minutes", "10m", timedelta(minutes=10)),
        ("1 d", "1d", timedelta(days=1)),
    ],
)
def test_every_takes_spelled_out_units_and_keeps_the_short_form(
    every: str, short: str, period: timedelta
) -> None:
    source = parse_config(BASE.replace("every: 1h", f"every: {every}")).sources[0]
    assert (source.every, source.period) == (short, period)


def test_a_spelled_out_every_is_exported_advised_and_still_bounded() -> None:
    config = parse_config(BASE.replace("every: 1h", "every: 2 hours"))
    assert 'watch:every="2h"' in export_opml(config)
    assert advise(config.sources[0], per_week=0.0).every is not None
    assert errors_of(BASE.replace("every: 1h", "every: 2 minutes")) == [
        "sources.yaml:9: sources[0].every: '2 minutes' is below the 5 minute minimum"
    ]
    assert errors_of(BASE.replace("every: 1h", "every: 6 weeks")) == [
        "sources.yaml:9: sources[0].every: '6 weeks' is above the 30 day maximum"
    ]


@pytest.mark.parametrize(
    ("every", "message"),
    [
        ("banana", "'banana' is not a duration like 30m, 1h, 1d or a cron string"),
        ("0s", "'0s' is below the 5 minute minimum"),
        (
            "2 hourz",
            "'2 hourz' is not a duration like 30m, 1h, 1d or a cron string (did you mean '2h'?)",
        ),
        (
            "1.5h",
            "'1.5h' is not a duration like 30m, 1h, 1d or a cron string (did you mean '90m'?)",
        ),
        (
            "every 2 hours",
            "'every 2 hours' is not a duration like 30m, 1h, 1d or a cron string "
            "(did you mean '2h'?)",
        ),
        ("hour", "'hour' is not a duration like 30m, 1h, 1d or a cron string (did you mean '1h'?)"),
        (
            "dayly",
            "'dayly' is not a duration like 30m, 1h, 1d or a cron string (did you mean '1d'?)",
        ),
    ],
)
def test_a_wrong_every_is_refused_with_a_did_you_mean_when_recognisable(
    every: str, message: str
) -> None:
    assert errors_of(BASE.replace("every: 1h", f"every: {every}")) == [
        f"sources.yaml:9: sources[0].every: {message}"
    ]


def test_a_missing_file_names_the_full_path_and_how_to_point_at_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WATCH_CONFIG", raising=False)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        f"{tmp_path / 'sources.yaml'}: cannot read: no such file; pass -c FILE, set "
        "$WATCH_CONFIG, or start from the README's example"
    ), err
    with pytest.raises(ConfigError, match="is a folder, not a file"):
        load_config(tmp_path)


def test_a_duplicate_source_name_says_where_the_first_one_is() -> None:
    text = BASE.replace("  - name: manton", "  - name: rsc")
    assert errors_of(text) == [
        "sources.yaml:10: sources[1].name: duplicate name 'rsc' (first at line 7)"
    ]


def test_an_undefined_topic_lists_the_defined_ones() -> None:
    text = BASE.replace("    every: 1h\n", "    every: 1h\n    topics: [securite]\n")
    assert errors_of(text) == [
        "sources.yaml:10: sources[0].topics[0]: topic 'securite' is not defined "
        "(did you mean 'security'? defined: security, dev)"
    ]
    digest = errors_of(BASE + "digest:\n  topics: [ops]\n")
    assert digest == [
        "sources.yaml:14: digest.topics[0]: topic 'ops' is not defined (defined: security, dev)"
    ]
    alone = errors_of("sources:\n  - {name: a, url: 'https://a.example/', topics: [dev]}\n")
    assert alone == [
        "sources.yaml:2: sources[0].topics[0]: topic 'dev' is not defined "
        "(no topic is defined: add it under 'topics:')"
    ]


@pytest.mark.parametrize(
    ("url", "suggested"),
    [
        ("www.example.org/feed.xml", "https://www.example.org/feed.xml"),
        ("example.org", "https://example.org"),
        ("feed://example.org/rss", "https://example.org/rss"),
        ("feed:https://example.org/rss", "https://example.org/rss"),
        ("feed:http://example.org/rss", "http://example.org/rss"),
    ],
)
def test_a_url_without_its_scheme_suggests_the_https_one(url: str, suggested: str) -> None:
    errors = errors_of(BASE.replace("https://www.manton.org/feed.xml", url))
    assert errors == [
        f"sources.yaml:11: sources[1].url: {url!r} is not an http(s) URL "
        f"(did you mean {suggested!r}?)"
    ]


@pytest.mark.parametrize(
    "url", ["ftp://example.org/feed", "not a url", "javascript:alert(1)", "feed"]
)
def test_a_url_that_https_would_not_fix_gets_no_suggestion(url: str) -> None:
    errors = errors_of(BASE.replace("https://www.manton.org/feed.xml", f"'{url}'"))
    assert errors == [f"sources.yaml:11: sources[1].url: {url!r} is not an http(s) URL"]


def test_a_file_saved_in_latin_1_is_located_and_shown_readably(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sources.yaml"
    path.write_bytes(BASE.replace("rsc", "sécurité-rsc").encode("latin-1"))
    assert main(["check", "-c", str(path)]) == 1
    err = capsys.readouterr().err.splitlines()[0]
    assert err == (
        f"{path}:7: not UTF-8 text (byte 0xe9 at column 12, in '- name: sécurité-rsc'); "
        "save the file as UTF-8 (your editor's encoding setting)"
    )


@pytest.mark.parametrize(
    ("written", "error"),
    [
        ("'article ::: x'", "'article ::: x' is not a CSS selector (malformed pseudo-class selector at position 8)"),
        ("'div@x'", "'div@x' is not a CSS selector (invalid character '@' position 3)"),
        ("''", "should be true, false or the CSS selector of the article's body, not ''"),
        ("yes", "should be true, false or the CSS selector of the article's body, not 'yes'"),
        ("3", "should be true, false or the CSS selector of the article's body, not 3"),
    ],
)  # fmt: skip
def test_a_full_text_that_is_no_selector_is_reported_at_its_line(written: str, error: str) -> None:
    """Session 13: ``full_text:`` takes true, false or the CSS selector of the article's body,
    compiled when sources.yaml is read, as the selectors of ``select:`` are."""
    text = BASE.replace("    every: 1d\n", f"    every: 1d\n    full_text: {written}\n")
    assert errors_of(text) == [f"sources.yaml:13: sources[1].full_text: {error}"]


def test_full_text_is_off_unless_asked_and_keeps_its_selector() -> None:
    text = BASE.replace("    every: 1d\n", "    every: 1d\n    full_text: ' div.story > .body '\n")
    config = parse_config(text.replace("    every: 1h\n", "    every: 1h\n    full_text: true\n"))
    assert [s.full_text for s in config.sources] == [True, "div.story > .body"]
    assert [s.full_text for s in parse_config(BASE).sources] == [False, False]

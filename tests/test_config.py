"""sources.yaml validation: every error located as file:line: field: message, all at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.support.servers import LocalServer
from watch.config import (
    ConfigError,
    SourceConfig,
    load_config,
    parse_config,
    resolve_settings,
    validate_entries,
)
from watch.config.fields import folder_path

GOOD = """\
name: "Veille techno — équipe web"
topics:
  - name: security
    label: "Sécurité"
    keywords: ["vulnérabilité", "CVE"]
sources:
  - name: cloudflare-blog
    url: https://blog.cloudflare.com/rss/
    every: 1h
    topics: [security]
    weight: 1.5
  - name: sqlite-news
    url: https://sqlite.org/news.html
    kind: page
    every: "0 8 * * 1-5"
    select:
      item: "h3"
      title: "a"
      link: "a@href"
fetch:
  allow_private: ["intranet.example.org", "10.1.0.0/16", "127.0.0.1:8765"]
"""


def errors_of(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "sources.yaml")
    return caught.value.errors


def test_valid_file_loads_with_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(GOOD, encoding="utf-8")
    config = load_config(path)
    assert config.name == "Veille techno — équipe web"
    blog, page = config.sources
    assert blog.period == timedelta(hours=1) and blog.weight == 1.5 and blog.kind == "feed"
    assert page.is_cron and page.select is not None and page.select.link == "a@href"
    assert page.period == timedelta(days=1) or page.period == timedelta(days=3)
    assert config.topics[0].label == "Sécurité"
    assert config.fetch.allow_private[2] == "127.0.0.1:8765"


@pytest.mark.parametrize(
    ("line", "replacement", "expected"),
    [
        (
            "    every: 1h\n",
            "    every: 0s\n",
            "sources.yaml:9: sources[0].every: '0s' is below the 5 minute minimum",
        ),
        (
            "    every: 1h\n",
            "    every: banana\n",
            "sources.yaml:9: sources[0].every: 'banana' is not a duration",
        ),
        (
            "    every: 1h\n",
            "    every: 4m\n",
            "sources.yaml:9: sources[0].every: '4m' is below the 5 minute minimum",
        ),
        (
            "    every: 1h\n",
            "    every: 40d\n",
            "sources.yaml:9: sources[0].every: '40d' is above the 30 day maximum",
        ),
        (
            "    url: https://blog.cloudflare.com/rss/\n",
            "    url: ftp://example.org/feed\n",
            "sources.yaml:8: sources[0].url: 'ftp://example.org/feed' is not an http(s) URL",
        ),
        (
            "    url: https://blog.cloudflare.com/rss/\n",
            "    url: not a url\n",
            "sources.yaml:8: sources[0].url:",
        ),
        (
            "    weight: 1.5\n",
            "    weight: 1.5\n    colour: blue\n",
            "sources.yaml:12: sources[0].colour: unknown key (known keys: name, label, url, site, "
            "kind, every, topics, folder, weight, enabled, select, credentials_env, full_text)",
        ),
        (
            "    every: 1h\n",
            "    evry: 1h\n",
            "sources.yaml:9: sources[0].evry: unknown key (did you mean 'every'?)",
        ),
        (
            "    topics: [security]\n",
            "    topics: [securty]\n",
            "sources.yaml:10: sources[0].topics[0]: topic 'securty' is not defined",
        ),
        ("    weight: 1.5\n", "    weight: '1.5'\n", "sources.yaml:11: sources[0].weight:"),
        (
            "  - name: sqlite-news\n",
            "  - name: cloudflare-blog\n",
            "sources.yaml:12: sources[1].name: duplicate name 'cloudflare-blog'",
        ),
        (
            '    every: "0 8 * * 1-5"\n',
            '    every: "0 25 * * *"\n',
            "sources.yaml:15: sources[1].every: '0 25 * * *' is not a valid cron string",
        ),
        (
            "  - name: security\n",
            "  - name: Security!\n",
            "sources.yaml:3: topics[0].name: 'Security!' is not a valid id: lowercase letters",
        ),
        (
            '    keywords: ["vulnérabilité", "CVE"]\n',
            "    keywords: CVE\n",
            "sources.yaml:5: topics[0].keywords: should be a list, e.g. [a, b], not 'CVE'",
        ),
        (
            "    weight: 1.5\n",
            "    weight: heavy\n",
            "sources.yaml:11: sources[0].weight: should be a number, not 'heavy'",
        ),
    ],
)
def test_each_error_is_located(line: str, replacement: str, expected: str) -> None:
    errors = errors_of(GOOD.replace(line, replacement, 1))
    assert any(e.startswith(expected) for e in errors), errors


def test_page_without_select_and_all_errors_at_once() -> None:
    text = GOOD.replace(
        '    select:\n      item: "h3"\n      title: "a"\n      link: "a@href"\n', ""
    ).replace("every: 1h", "every: 2s")
    errors = errors_of(text)
    assert "sources.yaml:9: sources[0].every: '2s' is below the 5 minute minimum" in errors
    assert "sources.yaml:12: sources[1]: a page source needs a 'select' block" in errors
    assert errors == sorted(errors, key=lambda e: int(e.split(":")[1]))


def test_yaml_syntax_error_has_a_line() -> None:
    errors = errors_of(GOOD.replace("    every: 1h\n", "    every: [1h\n"))
    assert len(errors) == 1 and errors[0].startswith("sources.yaml:") and "YAML syntax" in errors[0]


def test_bad_selector_and_bad_cidr() -> None:
    errors = errors_of(
        GOOD.replace('link: "a@href"', 'link: "a@"').replace("10.1.0.0/16", "10.1.0.0/99")
    )
    assert any(e.startswith("sources.yaml:19: sources[1].select.link: 'a@'") for e in errors), (
        errors
    )
    assert any(e.startswith("sources.yaml:21: fetch.allow_private[1]:") for e in errors), errors


def test_a_selector_that_is_not_css_is_reported_where_it_is_written() -> None:
    errors = errors_of(
        GOOD.replace('item: "h3"', 'item: "div["').replace('title: "a"', 'title: "h3 >"')
    )
    assert errors == [
        "sources.yaml:17: sources[1].select.item: 'div[' is not a CSS selector"
        " (malformed attribute selector at position 3)",
        "sources.yaml:18: sources[1].select.title: 'h3 >' is not a CSS selector"
        " (invalid character ' ' position 2)",
    ], errors
    assert parse_config(GOOD.replace('"h3"', '"ul > li.post:not(.ad), h3[data-id]"'))


def test_a_page_time_zone_is_a_tz_database_name() -> None:
    valid = GOOD.replace('link: "a@href"', 'link: "a@href"\n      timezone: Europe/Paris')
    assert parse_config(valid).sources[1].select.timezone == "Europe/Paris"  # type: ignore[union-attr]
    errors = errors_of(valid.replace("Europe/Paris", "Paris"))
    assert any(
        e.startswith(
            "sources.yaml:20: sources[1].select.timezone: 'Paris' is not a known time zone"
        )
        for e in errors
    ), errors


def test_a_source_label_is_one_trimmed_line_of_at_most_80_characters() -> None:
    labelled = GOOD.replace(
        "  - name: cloudflare-blog\n",
        '  - name: cloudflare-blog\n    label: "  The Cloudflare Blog "\n',
    )
    config = parse_config(labelled)
    assert config.sources[0].label == "The Cloudflare Blog"
    assert config.source_label("cloudflare-blog") == "The Cloudflare Blog"
    assert config.source_label("sqlite-news") == "sqlite-news", "no label: the name"
    assert config.source_label("gone-since") == "gone-since", "not in sources.yaml: the name"
    too_long = "x" * 81
    for label, message in [
        ("42", "should be text (in quotes if it looks like a number), not 42"),
        (f'"{too_long}"', "is too long: 81 characters, at most 80"),
        ('"Cloudflare\\nBlog"', "should be one line of text, without line breaks or tabs"),
    ]:
        errors = errors_of(labelled.replace('"  The Cloudflare Blog "', label))
        assert errors == [f"sources.yaml:8: sources[0].label: {message}"]
    assert parse_config(labelled.replace("  The Cloudflare Blog ", "x" * 80)).sources[0].label


def test_a_source_folder_is_one_line_of_at_most_100_characters_and_its_site_a_web_url() -> None:
    """Session 11: the folder another reader kept a feed in, and its site (OPML htmlUrl)."""
    filed = GOOD.replace(
        "    every: 1h\n",
        '    every: 1h\n    folder: " Dev / Développement "\n    site: https://blog.cloudflare.com/\n',
    )
    blog, page = parse_config(filed).sources
    assert (blog.folder, blog.site) == ("Dev / Développement", "https://blog.cloudflare.com/")
    assert (page.folder, page.site) == (None, None)
    assert parse_config(filed.replace('" Dev / Développement "', '" "')).sources[0].folder is None
    assert parse_config(filed.replace("Dev / Développement", "x" * 100)).sources[0].folder
    for line, value, message in [
        (10, "42", "should be text (in quotes if it looks like a number), not 42"),
        (10, f'"{"x" * 101}"', "is too long: 101 characters, at most 100"),
        (10, '"Dev\\nWeb"', "should be one line of text, without line breaks or tabs"),
    ]:
        errors = errors_of(filed.replace('" Dev / Développement "', value))
        assert errors == [f"sources.yaml:{line}: sources[0].folder: {message}"]
    for value, message in [
        ("ftp://blog.example/", "'ftp://blog.example/' is not an http(s) URL"),
        ("https://me:pw@blog.example/", "credentials in the URL are refused; the site is only"),
    ]:
        errors = errors_of(filed.replace("https://blog.cloudflare.com/\n", f"{value}\n"))
        assert len(errors) == 1 and errors[0].startswith(
            f"sources.yaml:11: sources[0].site: {message}"
        )


def test_a_nested_folder_is_kept_in_one_spelling_and_urls_refuse_control_characters() -> None:
    """Session 11 review: "Dev  /  Python" was one folder for the export and another for the
    board, and a `site:` holding "\\x1b[2J" was printed as is by `watch status`."""
    filed = GOOD.replace("    every: 1h\n", "    every: 1h\n    folder: FOLDER\n    site: SITE\n")
    for written, kept in [
        ('"Dev  /  Python"', "Dev / Python"),
        ('"/ News"', "News"),
        ('"Dev / Python /"', "Dev / Python"),
        ('" / Dev /  / Go "', "Dev / Go"),
        ('"Dev\u00a0 Tools / CI/CD"', "Dev Tools / CI/CD"),
        ('"Dev/Ops"', "Dev/Ops"),
        ('" / "', None),
    ]:
        config = parse_config(
            filed.replace("FOLDER", written).replace("SITE", "https://x.example/")
        )
        assert config.sources[0].folder == kept, written
        assert folder_path(kept) == folder_path(written.strip('"')), "the same folder either way"
    valid = filed.replace("FOLDER", "Dev")
    escape = "https://x.example/\\x1b[2J\\x07"  # YAML double quotes: ESC and BEL
    assert errors_of(valid.replace("SITE", f'"{escape}"')) == [
        "sources.yaml:11: sources[0].site: 'https://x.example/\\x1b[2J\\x07' is refused: a URL"
        " cannot hold a control character ('\\x1b')"
    ]
    bad_url = valid.replace("SITE", "https://x.example/").replace(
        "url: https://blog.cloudflare.com/rss/", 'url: "https://blog.cloudflare.com/rss/\\x85"'
    )
    assert errors_of(bad_url) == [
        "sources.yaml:8: sources[0].url: 'https://blog.cloudflare.com/rss/\\x85' is refused: a"
        " URL cannot hold a control character ('\\x85')"
    ]
    with pytest.raises(ValidationError, match="cannot hold a control character"):
        SourceConfig(name="x", url="https://x.example/", site="https://x.example/\x1b[2J\x07")


def test_a_page_without_select_is_reported_even_when_the_entry_has_other_errors() -> None:
    text = GOOD.replace(
        '    select:\n      item: "h3"\n      title: "a"\n      link: "a@href"\n', ""
    ).replace('every: "0 8 * * 1-5"', "every: 4m")
    errors = errors_of(text)
    assert "sources.yaml:15: sources[1].every: '4m' is below the 5 minute minimum" in errors
    assert "sources.yaml:12: sources[1]: a page source needs a 'select' block" in errors
    only_select = errors_of(text.replace("every: 4m", "every: 1d"))
    assert only_select == ["sources.yaml:12: sources[1]: a page source needs a 'select' block"]


def test_every_bad_allow_private_entry_is_reported_on_its_own_line() -> None:
    entries = [
        "intranet.example.org",
        "http://intranet/",
        "10.0.0.0/33",
        "127.0.0.1:abc",
        "999.1.1.1",
        "*.corp",
        "[::1]:8080",
        "127.0.0.1:8765",
    ]
    text = "fetch:\n  allow_private:\n" + "".join(f'    - "{e}"\n' for e in entries)
    errors = errors_of(text)
    assert errors == [
        "sources.yaml:4: fetch.allow_private[1]: 'http://intranet/' is a URL, not a host, "
        "host:port or CIDR network: write 'intranet'",
        "sources.yaml:5: fetch.allow_private[2]: '10.0.0.0/33' is not a CIDR network "
        "(like 10.1.0.0/16)",
        "sources.yaml:6: fetch.allow_private[3]: '127.0.0.1:abc': 'abc' is not a port number "
        "(1-65535)",
        "sources.yaml:7: fetch.allow_private[4]: '999.1.1.1' is not a valid IPv4 address",
        "sources.yaml:8: fetch.allow_private[5]: '*.corp': wildcards are not supported; "
        "list each host, or its network as CIDR",
    ]


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ("* * * * *", "fires 1 minute(s) apart, below the 5 minute minimum"),
        ("*/2 * * * *", "fires 2 minute(s) apart, below the 5 minute minimum"),
        ("0,58 7,8 * * 1-5", "fires 2 minute(s) apart, below the 5 minute minimum"),
        ("0 8 31 2 *", "never fires"),
    ],
)
def test_cron_strings_keep_the_5_minute_minimum_and_must_fire(cron: str, message: str) -> None:
    errors = errors_of(GOOD.replace('"0 8 * * 1-5"', f'"{cron}"'))
    assert errors == [f"sources.yaml:15: sources[1].every: {cron!r} {message}"]
    parse_config(GOOD.replace('"0 8 * * 1-5"', '"*/5 * * * *"'))  # exactly 5 minutes is fine


ANCHORED = """\
sources:
  - &lwn
    name: lwn
    url: https://lwn.net/headlines/rss
    every: 1h
  - name: hn
    url: https://news.ycombinator.com/rss
    every: 1h
"""


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("  - *lwn\n", "sources.yaml:9: sources[2].name: duplicate name 'lwn' (first at line 3)"),
        (
            "  - url: https://lwn.net/other\n    <<: *lwn\n",
            "sources.yaml:9: sources[2].name: duplicate name 'lwn' (first at line 3)",
        ),
        (
            "  - url: https://lwn.net/other\n    every: 2s\n    <<: *lwn\n",
            "sources.yaml:10: sources[2].every: '2s' is below the 5 minute minimum",
        ),
    ],
)
def test_errors_in_entries_written_with_an_alias_point_at_the_entry(
    entry: str, expected: str
) -> None:
    """``- *lwn`` and ``<<: *lwn`` repeat the anchored entry: its errors are reported on the
    line that repeats it, not on the anchor's lines."""
    assert expected in errors_of(ANCHORED + entry)


def test_errors_under_an_aliased_block_point_at_the_alias() -> None:
    mirror = (
        "  - name: sqlite-mirror\n    url: https://x.example/\n    kind: page\n    every: 1d\n"
        "    select: *select\nfetch:\n"
    )
    text = (
        GOOD.replace("    select:\n", "    select: &select\n")
        .replace('link: "a@href"', 'link: "a@"')
        .replace("fetch:\n", mirror)
    )
    errors = errors_of(text)
    assert any(e.startswith("sources.yaml:19: sources[1].select.link: 'a@'") for e in errors)
    assert any(e.startswith("sources.yaml:24: sources[2].select.link: 'a@'") for e in errors), (
        errors
    )


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "nope.yaml")


def test_lenient_validation_keeps_valid_sources() -> None:
    text = GOOD.replace("    every: 1h\n", "    every: banana\n")
    config, errors = validate_entries(text, "sources.yaml")
    assert [s.name for s in config.sources] == ["sqlite-news"]
    assert errors and errors[0].startswith("sources.yaml:9: sources[0].every")


def test_lenient_validation_still_refuses_global_errors() -> None:
    with pytest.raises(ConfigError, match="fetch.colour: unknown key"):
        validate_entries(GOOD + "  colour: blue\n", "sources.yaml")


def test_settings_from_environment(tmp_path: Path) -> None:
    config = parse_config(
        GOOD.replace("    weight: 1.5\n", "    weight: 1.5\n    credentials_env: CF_FEED\n")
    )
    env = {
        "WATCH_CONFIG": str(tmp_path / "s.yaml"),
        "CF_FEED_TOKEN": "s3cret",
        "WATCH_SMTP_HOST": "mail.example.org",
        "WATCH_SMTP_SECURITY": "ssl",
        "WATCH_SMTP_PASSWORD": "pw",
    }
    settings = resolve_settings(config=config, env=env)
    assert settings.config_path == tmp_path / "s.yaml"
    assert settings.db_url == f"sqlite:///{tmp_path / 'watch.db'}"
    assert settings.credentials == {"cloudflare-blog": {"token": "s3cret"}}
    assert (
        settings.smtp is not None and settings.smtp.port == 465 and settings.smtp.security == "ssl"
    )
    assert "pw" not in repr(settings.smtp) and "s3cret" not in repr(settings)
    assert resolve_settings(db_url="postgresql://x/y", env=env).db_url == "postgresql://x/y"


def test_unset_credential_variables_are_named() -> None:
    text = GOOD.replace("    weight: 1.5\n", "    weight: 1.5\n    credentials_env: CF_FEED\n")
    config = parse_config(text)
    credentials = resolve_settings(config=config, env={}).credentials
    assert credentials.missing == {  # type: ignore[attr-defined]
        "cloudflare-blog": "$CF_FEED_TOKEN (or $CF_FEED_USER and $CF_FEED_PASSWORD) is not set"
    }
    half = resolve_settings(config=config, env={"CF_FEED_USER": "alice"}).credentials
    assert half.missing == {  # type: ignore[attr-defined]
        "cloudflare-blog": "$CF_FEED_PASSWORD is not set ($CF_FEED_USER is)"
    }
    full = {"CF_FEED_USER": "alice", "CF_FEED_PASSWORD": "pw"}
    assert not resolve_settings(config=config, env=full).credentials.missing  # type: ignore[attr-defined]


def test_settings_read_credentials_of_a_later_config_from_the_same_environment() -> None:
    text = GOOD.replace("    weight: 1.5\n", "    weight: 1.5\n    credentials_env: CF_FEED\n")
    settings = resolve_settings(env={"CF_FEED_TOKEN": "s3cret"})
    assert dict(settings.credentials) == {}
    later = settings.with_credentials(parse_config(text))
    assert later.credentials == {"cloudflare-blog": {"token": "s3cret"}}
    assert "s3cret" not in repr(later)


def test_credentials_in_url_are_refused() -> None:
    errors = errors_of(
        GOOD.replace("https://blog.cloudflare.com/rss/", "https://user:pw@blog.cloudflare.com/rss/")
    )
    assert any("credentials in the URL are refused" in e for e in errors)


def test_ca_bundle_must_be_a_pem_file_and_is_found_from_the_files_folder(tmp_path: Path) -> None:
    (tmp_path / "certs").mkdir()
    notes, missing = tmp_path / "certs" / "notes.txt", tmp_path / "certs" / "ca.pem"
    notes.write_text("not a certificate\n")
    sources = tmp_path / "sources.yaml"
    sources.write_text("name: x\nfetch:\n  ca_bundle: certs/notes.txt\n")
    with pytest.raises(ConfigError) as caught:
        load_config(sources)
    assert caught.value.errors == [
        f"{sources}:3: fetch.ca_bundle: '{notes}' holds no PEM certificate"
    ]
    sources.write_text("name: x\nfetch:\n  ca_bundle: certs/ca.pem\n")
    with pytest.raises(ConfigError) as caught:
        load_config(sources)
    assert caught.value.errors == [
        f"{sources}:3: fetch.ca_bundle: cannot read '{missing}': No such file or directory"
    ]


def test_the_board_language_is_its_own_or_the_digest_one() -> None:
    """Session 12: ``board: language:`` sets the board's language; unset, the board reads the
    digest's language (None here: the board falls back); a typo is located like the digest's."""
    assert parse_config(GOOD).board.language is None
    board = GOOD + "board:\n  language: de\n"
    assert parse_config(board).board.language == "de"
    assert errors_of(board.replace("language: de", "language: deutsch")) == [
        "sources.yaml:23: board.language: 'deutsch' is not a language the board is written in"
        " (en, fr or de)"
    ]


def test_the_digest_language_is_en_fr_or_de_and_a_typo_is_located() -> None:
    """Session 8: ``digest: language: fr`` writes the digest in French; English by default."""
    assert parse_config(GOOD).digest.language == "en"
    french = GOOD + "digest:\n  timezone: Europe/Paris\n  language: fr\n"
    assert parse_config(french).digest.language == "fr"
    assert errors_of(french.replace("language: fr", "language: french")) == [
        "sources.yaml:24: digest.language: 'french' is not a language the digest is written in"
        " (en, fr or de)"
    ]
    assert errors_of(french.replace("language: fr", "language: 1")) == [
        "sources.yaml:24: digest.language: should be text (in quotes if it looks like a number),"
        " not 1"
    ]


# -- store.keep (session 8: retention) -----------------------------------------------------


@pytest.mark.parametrize(
    ("written", "days"),
    [
        ("30d", 30),
        ("26w", 182),
        ("6 months", 180),
        ("12 Months", 360),
        ("2y", 730),
        ("1 an", 365),
        ("18 mois", 540),
        ("forever", None),
    ],
)
def test_store_keep_takes_days_weeks_months_years_or_forever(
    written: str, days: int | None
) -> None:
    keep_for = parse_config(GOOD + f"store:\n  keep: {written}\n").store.keep_for
    assert keep_for == (timedelta(days=days) if days is not None else None)


def test_without_store_keep_every_article_is_kept() -> None:
    assert parse_config(GOOD).store.keep is None
    assert parse_config(GOOD + "store: {}\n").store.keep_for is None


def test_store_keep_errors_are_located_in_words() -> None:
    line = GOOD.count("\n") + 2
    cases = {
        "12m": "'12m' is ambiguous: write months ('12 months')",
        "3 weeks": "'3 weeks' is below the 30 day minimum: the digest reports the last full week "
        "and the trends compare a week with the 4 before it",
        "a while": "'a while' is not a duration like 90d, 26w, 12 months, 2y or forever",
        "12": "should be text (in quotes if it looks like a number), not 12",
    }
    for written, message in cases.items():
        text = GOOD + f"store:\n  keep: {written}\n"
        assert errors_of(text) == [f"sources.yaml:{line}: store.keep: {message}"]
    assert errors_of(GOOD + "store:\n  kep: 1y\n") == [
        f"sources.yaml:{line}: store.kep: unknown key (did you mean 'keep'?)"
    ]
    assert errors_of(GOOD + "stor:\n  keep: 1y\n") == [
        f"sources.yaml:{line - 1}: stor: unknown key (did you mean 'store'?)"
    ]


# -- digest.chats (session 8: the digest in the team's chat) --------------------------------


def test_digest_chats_name_their_webhook_variable_and_unset_ones_are_named() -> None:
    chats = "digest:\n  chats:\n    - {name: team, kind: slack, url_env: SLACK_DIGEST_URL}\n"
    config = parse_config(GOOD + chats)
    [chat] = config.digest.chats
    assert (chat.name, chat.kind, chat.url_env) == ("team", "slack", "SLACK_DIGEST_URL")
    assert parse_config(GOOD).digest.chats == ()
    url = "https://hooks.slack.com/services/T0/B0/secret"
    found = resolve_settings(config=config, env={"SLACK_DIGEST_URL": url}).chats
    assert found.urls == {"team": url} and not found.missing and url not in repr(found)
    unset = resolve_settings(config=config, env={}).chats
    assert unset.missing == {"team": "$SLACK_DIGEST_URL is not set"}


def test_digest_chat_errors_are_located_and_a_url_in_the_file_is_refused_unshown() -> None:
    line = GOOD.count("\n") + 3
    secret = "https://hooks.slack.com/services/T0/B0/secret"
    cases = {
        "{name: team, kind: slack, url: " + secret + "}": "digest.chats[0]: a webhook URL is a"
        " secret (whoever has it can post): put it in an environment variable and name that"
        " variable with url_env, e.g. url_env: SLACK_DIGEST_URL",
        "{name: team, kind: teams, url_env: HOOK}": "digest.chats[0].kind: should be 'slack'"
        " or 'mattermost'",
        "{name: team, kind: slack, url_env: slack_url}": "digest.chats[0].url_env: 'slack_url'"
        " is not an environment variable name: capital letters, digits and '_', starting with a"
        " letter (e.g. SLACK_DIGEST_URL)",
        "{name: Team, kind: slack, url_env: HOOK}": "digest.chats[0].name: 'Team' is not a valid"
        " id: lowercase letters, digits, '-' and '_', starting with a letter or a digit",
        "{name: team, kind: slack}": "digest.chats[0].url_env: is required",
    }
    for written, message in cases.items():
        errors = errors_of(GOOD + f"digest:\n  chats:\n    - {written}\n")
        assert errors == [f"sources.yaml:{line}: {message}"]
        assert secret not in "\n".join(errors)
    twice = (
        "    - {name: team, kind: slack, url_env: A}\n    - {name: team, kind: slack, url_env: B}\n"
    )
    assert errors_of(GOOD + "digest:\n  chats:\n" + twice) == [
        f"sources.yaml:{line - 1}: digest.chats: duplicate chat name 'team': each chat is sent"
        " once a week"
    ]


def test_two_configs_in_one_folder_keep_a_model_file_each(
    tmp_path: Path, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 9: team-a.yaml and team-b.yaml in one folder, each with its own --db, shared
    watch-model.pkl: each run found the model made for the other's topics and rebuilt it."""
    from watch.classify.classifier import Classifier
    from watch.cli import main

    items = "".join(
        f"<item><guid>g{i}</guid><title>{word} news {i}</title><link>https://n.example/{i}</link>"
        f"<description>About {word} and more</description></item>"
        for i, word in enumerate(["CVE", "recipe", "kernel", "CSS"] * 3)
    )
    local_server.route(
        "/feed", f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    )
    monkeypatch.delenv("WATCH_MODEL", raising=False)
    monkeypatch.delenv("WATCH_DB", raising=False)
    for team, topic in (("team-a", "security: [CVE]"), ("team-b", "cooking: [recipe]")):
        name, keywords = topic.split(": ")
        (tmp_path / f"{team}.yaml").write_text(
            f"topics:\n  - {{name: {name}, keywords: {keywords}}}\n"
            f"fetch:\n  allow_private: ['{local_server.allow}']\n"
            f"sources:\n  - {{name: news, url: '{local_server.url('/feed')}', every: 1h}}\n",
            encoding="utf-8",
        )
    runs = {
        team: ["-c", str(tmp_path / f"{team}.yaml"), "--db", f"sqlite:///{tmp_path / team}.db"]
        for team in ("team-a", "team-b")
    }
    for args in runs.values():
        assert main(["fetch", *args]) == 0 and main(["train", *args]) == 0
    models = sorted(path.name for path in tmp_path.glob("*.pkl"))
    assert models == ["team-a.model.pkl", "team-b.model.pkl"]
    for team in runs:
        topics = load_config(tmp_path / f"{team}.yaml").topics
        assert Classifier.load(tmp_path / f"{team}.model.pkl", topics) is not None, team


def test_the_model_file_follows_the_database_and_an_old_one_keeps_working(
    tmp_path: Path,
) -> None:
    config = tmp_path / "team-a.yaml"
    sqlite = f"sqlite:///{tmp_path / 'data' / 'a.db'}"
    assert resolve_settings(config, sqlite, env={}).model_path == tmp_path / "data" / "a.model.pkl"
    postgres = resolve_settings(config, "postgresql://u@h/watch", env={}).model_path
    assert postgres == tmp_path / "team-a.model.pkl"
    chosen = {"WATCH_MODEL": str(tmp_path / "m.pkl")}
    assert resolve_settings(config, sqlite, env=chosen).model_path == tmp_path / "m.pkl"
    default = tmp_path / "sources.yaml"
    assert resolve_settings(default, env={}).model_path == tmp_path / "watch.model.pkl"
    (tmp_path / "watch-model.pkl").write_bytes(b"model of an earlier version")
    assert resolve_settings(default, sqlite, env={}).model_path.name == "a.model.pkl"
    assert (tmp_path / "watch-model.pkl").exists(), "not another database's to take"
    assert resolve_settings(default, env={}).model_path == tmp_path / "watch.model.pkl"
    assert (tmp_path / "watch.model.pkl").read_bytes() == b"model of an earlier version"
    assert not (tmp_path / "watch-model.pkl").exists(), "moved to its new name, not left behind"


def test_a_prefix_keyword_is_checked_where_it_is_written() -> None:
    """Session 11: "Datenschutz*" matches Datenschutzverletzung; a "*" inside a word or after
    fewer than 3 letters is a located error, every one of them at once."""
    text = (
        "topics:\n  - name: datenschutz\n"
        '    keywords: ["Datenschutz*", "Da*"]\n'
        '    exclude: ["Wer*bung"]\n'
        "sources:\n  - name: a\n    url: https://example.org/feed\n"
    )
    errors = errors_of(text)
    assert [e.split(": '")[0] for e in errors] == [
        "sources.yaml:3: topics[0].keywords[1]",
        "sources.yaml:4: topics[0].exclude[0]",
    ]
    assert "too short" in errors[0] and "can only end a keyword" in errors[1]
    good = parse_config(text.replace('"Da*"', '"*nix"').replace("Wer*bung", "Werbung*"))
    assert good.topics[0].keywords == ("Datenschutz*", "*nix")  # a leading "*": as before


def test_bidirectional_controls_are_refused_in_labels_folders_and_urls() -> None:
    """Session 12 ("Trojan Source"): a right-to-left override (U+202E) or an isolate shows a
    label or a URL in another order than written ("Cloudflare\\u202eredaolnwod" reads
    "Cloudflare download…" backwards); each is a located error, as control characters are.
    Right-to-left text itself (Hebrew, Arabic) is a label like any other."""
    filed = GOOD.replace(
        "    every: 1h\n",
        '    every: 1h\n    label: LABEL\n    folder: FOLDER\n    site: "SITE"\n',
    )

    def written(label: str, folder: str = "Dev", site: str = "https://x.example/") -> str:
        return filed.replace("LABEL", label).replace("FOLDER", folder).replace("SITE", site)

    hebrew = parse_config(written('"חדשות אבטחה"', '"أخبار / Dev"')).sources[0]
    assert (hebrew.label, hebrew.folder) == ("חדשות אבטחה", "أخبار / Dev")
    refused = "cannot hold a bidirectional control character ({}): it shows the text in {}"
    order = "another order than written"
    assert errors_of(written('"Cloudflare\\u202Eredaolnwod"')) == [
        f"sources.yaml:10: sources[0].label: {refused.format('U+202E', order)}"
    ]
    assert errors_of(written("Blog", '"Dev / \\u2067News"')) == [
        f"sources.yaml:11: sources[0].folder: {refused.format('U+2067', order)}"
    ]
    assert errors_of(written("Blog", site="https://x.example/\\u202Dfdp.exe")) == [
        "sources.yaml:12: sources[0].site: 'https://x.example/\\u202dfdp.exe' is refused: a URL"
        " cannot hold a bidirectional control character (U+202D)"
    ]
    bad_url = written("Blog").replace(
        "url: https://blog.cloudflare.com/rss/", 'url: "https://blog.cloudflare.com/\\u202Erss/"'
    )
    assert errors_of(bad_url) == [
        "sources.yaml:8: sources[0].url: 'https://blog.cloudflare.com/\\u202erss/' is refused: a"
        " URL cannot hold a bidirectional control character (U+202E)"
    ]


def test_a_topic_label_is_one_line_without_bidirectional_controls() -> None:
    """Session 12: a topic's label heads the board's chips and the digest's sections: it is
    checked like a source's (one line, no override), and still defaults to the name."""
    assert parse_config(GOOD.replace('"Sécurité"', '""')).topics[0].label == "security"
    assert errors_of(GOOD.replace('"Sécurité"', '"S\\u202Eécurité"')) == [
        "sources.yaml:4: topics[0].label: cannot hold a bidirectional control character"
        " (U+202E): it shows the text in another order than written"
    ]
    assert errors_of(GOOD.replace('"Sécurité"', '"Sécu\\nrité"')) == [
        "sources.yaml:4: topics[0].label: should be one line of text, without line breaks or tabs"
    ]


def test_a_label_taken_from_a_feed_title_loses_its_bidirectional_controls() -> None:
    """`watch sources add` and OPML import label a source with its feed's title: one holding
    an override must give a label sources.yaml accepts, its right-to-left letters kept."""
    from watch.opml import label_from_title

    label = label_from_title("\u202eevil\u202c שלום \u2066news\u2069")
    assert label == "evil שלום news"
    assert SourceConfig(name="x", url="https://x.example/", label=label).label == label


def test_the_board_url_is_an_http_url_checked_where_it_is_written() -> None:
    """Finding 3 of the session 12 audit: ``board_url: veille.agence.fr`` passed `watch check`
    and every "On the board" link silently disappeared."""
    line = GOOD.count("\n") + 2

    def board(url: str) -> str:
        return GOOD + f"digest:\n  board_url: {url}\n"

    assert errors_of(board("veille.agence.fr")) == [
        f"sources.yaml:{line}: digest.board_url: 'veille.agence.fr' is not an http(s) URL "
        "(did you mean 'https://veille.agence.fr'?)"
    ]
    assert errors_of(board("'https://veille.example/a b'")) == [
        f"sources.yaml:{line}: digest.board_url: 'https://veille.example/a b' cannot hold a "
        "space in a link (write it %20)"
    ]
    assert errors_of(board("https://me:secret@veille.example/")) == [
        f"sources.yaml:{line}: digest.board_url: credentials in the URL are refused; the "
        "board's address is only a link"
    ]
    intranet = parse_config(board("http://10.1.2.3:8501/"), "sources.yaml")  # private: fine
    assert intranet.digest.board_url == "http://10.1.2.3:8501/"

"""The weekly digest in German (``digest: language: de``), session 11.

A German team's audit: ``language: de`` was refused ("'de' is not a language the digest is
written in (en or fr)"), and with ``en`` their stakeholder got English headings and dates.  The
digest is built here as every digest is, by ``gather_digest`` from a real SQLite store, then
rendered (HTML, text, Markdown, the mail, the chat posts): every heading is German, no word of
the English or French tables is left, and dates and numbers are written the German way.
"""

from __future__ import annotations

import re
import string
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.test_digest import CONFIG_YAML, IN_WEEK, NOW, WEEK, article, make_config, seed
from watch.chat import chat_payload
from watch.config import parse_config
from watch.digest import Digest, build_digest
from watch.digest_job import gather_digest
from watch.digest_lang import ENGLISH, FRENCH, DigestLanguage
from watch.digest_render import build_message, render_html, render_markdown, render_text
from watch.digest_words import page_warning_words, week_period
from watch.models import FetchLogEntry, StoredArticle, TermTrend, TrendReport
from watch.store import open_store

GERMAN_YAML = (
    CONFIG_YAML.replace("name: Team watch", "name: Technologie-Radar")
    .replace('label: "Rust & systems"', 'label: "Rust & Systeme"')
    .replace("label: Security,", "label: Sicherheit,")
    + "  language: de\n"
)
SUBJECT = "Technologie-Radar — Wöchentliche Übersicht, 16.–22. November 2026 (KW 47)"
HEADINGS = (
    "subject", "heading", "overview", "consulted_all", "consulted_some", "consulted_failing",
    "consulted_later", "from_sources", "top_topics", "picks", "untitled", "no_link", "note",
    "why", "also_covered", "no_stories", "emerging", "term_count", "term_before", "term_new",
    "health", "all_healthy", "health_more", "open_board", "board_for", "sent_by", "in_title",
    "in_text", "by_source", "by_model", "by_feedback", "starred", "chat_more",
)  # fmt: skip
"""The phrases a reader sees around the stories: headings, the overview, why lines, links."""
NAMES = {"watch", "Sources"}
"""Words every table writes: the product's name and the board page's title."""


def table_words(language: DigestLanguage) -> set[str]:
    """The words (4 letters or more) of ``language``'s HEADINGS phrases, their counted nouns
    included: "Weekly", "digest", "collected", "distinct", "story", "Pourquoi", "semaine"…"""
    texts = [
        part
        for key in HEADINGS
        for literal, _, spec, _ in string.Formatter().parse(language.phrases[key])
        for part in (literal, spec or "")
    ]
    return {word for text in texts for word in re.findall(r"[^\W\d_]{4,}", text)} - NAMES


def words_left(rendering: str) -> list[str]:
    """The English or French table words found in ``rendering`` (its style sheet, HTML tags
    and URLs left out)."""
    text = re.sub(
        r"<style[^>]*>.*?</style>|</?[a-z][a-z0-9]*(?:\s[^>]*)?>", " ", rendering, flags=re.S
    )
    text = re.sub(r"https?://[^\s\"'>)|]+", "", text)
    foreign = table_words(ENGLISH) | table_words(FRENCH)
    return sorted(word for word in foreign if re.search(rf"(?<!\w){word}(?!\w)", text))


def german(id: int, title: str, **more: object) -> StoredArticle:
    """A German article: its text German too (the helper's "About …" is English)."""
    story = article(id, title, **more)  # type: ignore[arg-type]
    return replace(story, summary_text=f"Worum es geht: {title} und die Folgen für Teams.")


def german_week() -> list[StoredArticle]:
    return [
        german(1, "Rust 2.0 erschienen", score=95, cluster=7,
               cluster_sources=["alpha", "beta", "gamma"]),
        german(2, "Rust 2.0 ist da (Kopie)", source="beta", score=80, cluster=7,
               cluster_sources=["alpha", "beta", "gamma"]),
        german(3, "Asynchrone Traits im Rust-Compiler", score=70),
        german(4, "Dritte Meldung zu Rust", score=60),
        german(5, "CVE-2026-1234 in OpenSSL", source="delta", score=90,
               topics=[("security", 0.95), ("rust", 0.4)]),
    ]  # fmt: skip


def gathered(tmp_path: Path) -> Digest:
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    seed(store, german_week())
    store.set_flags(3, starred=True, at=IN_WEEK)
    store.set_note(3, "Bitte bis Freitag prüfen.")
    for name, outcome in (("alpha", "error"), ("beta", "new"), ("gamma", "unchanged")):
        store.add_fetch_log(FetchLogEntry(name, IN_WEEK, outcome))  # type: ignore[arg-type]
    digest = gather_digest(store, make_config(GERMAN_YAML), WEEK, NOW)
    store.close()
    return digest


def test_a_german_digest_from_the_store_is_german_in_every_rendering(tmp_path: Path) -> None:
    digest = gathered(tmp_path)
    assert digest.subject == SUBJECT
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    message = build_message(digest, "watch@example.org", ["team@example.org"])
    assert message["Subject"] == SUBJECT and message["Content-Language"] == "de"
    assert html.startswith('<!DOCTYPE html><html lang="de">')
    assert ">Wöchentliche Übersicht — 16.–22. November 2026 (KW 47)</p>" in html
    assert text.startswith(SUBJECT + "\n") and markdown.startswith(f"# {SUBJECT}\n")
    overview = (
        "5 Artikel gesammelt (4 unterschiedliche Meldungen) aus 3 Quellen;"
        " 3 von 4 Quellen abgerufen, davon 1 fehlerhaft."
    )
    for rendering in (html, text, markdown):
        assert overview in rendering
        assert "Wichtigste Themen: Rust " in rendering
        assert "Auswahl des Teams" in rendering and "Notiz:" in rendering
        assert "Warum: im Dashboard mit Stern markiert; Rust " in rendering
        assert "„rust“ im Titel" in rendering
        assert "Auch berichtet von 1 Quelle: beta" in rendering
        assert "Quellenstatus" in rendering and "Dashboard öffnen" in rendering
        assert "Seit 5 Tagen nicht abgerufen" in rendering
        assert "Noch nie abgerufen" in rendering
        assert words_left(rendering) == [], "English or French left"
    assert "\n  alpha · Mittwoch, 18. November\n" in text
    assert "\n  Notiz: Bitte bis Freitag prüfen.\n" in text
    assert "\n- beta: Seit 5 Tagen nicht abgerufen (vorgesehenes Intervall: täglich)\n" in text
    assert "— alpha, Mittwoch, 18. November" in markdown
    assert (
        "\n- alpha: Die Website hat ein Serverproblem („HTTP 503 Service Unavailable“);"
        " 3 Fehlversuche in Folge\n"
    ) in text
    assert "\n== Auswahl des Teams ==\n" in text and "\n== Quellenstatus ==\n" in text
    assert "\nDashboard öffnen: https://board.example.org/\n" in text
    assert ">Dashboard öffnen</a> für alle Artikel, Filter und Rückmeldungen." in html
    assert "Gesendet von watch für Technologie-Radar.</p>" in html
    for kind in ("slack", "mattermost"):
        post = chat_payload(digest, kind)["text"]
        assert post.startswith(f"{'*' if kind == 'slack' else '**'}Technologie-Radar — W")
        assert "Wöchentliche Übersicht" in post and "Dashboard öffnen" in post
        assert words_left(post) == [], f"English or French left in the {kind} post"


def german_digest(articles: list[StoredArticle], week: str = WEEK) -> Digest:
    emerging = [TermTrend("rust 2.0", 1, 0.0), TermTrend("tokio", 4, 3.5)]
    return build_digest(config=make_config(GERMAN_YAML), week=week, articles=articles,
                        source_states=[], trends=TrendReport(week=week, emerging=emerging),
                        now=NOW)  # fmt: skip


def test_german_dates_counts_and_numbers_are_written_the_german_way() -> None:
    from watch.digest_lang import GERMAN

    assert [week_period(week, GERMAN) for week in ("2026-W47", "2026-W49", "2026-W53")] == [
        "16.–22. November 2026", "30. November – 6. Dezember 2026",
        "28. Dezember 2026 – 3. Januar 2027",
    ]  # fmt: skip
    assert week_period("2027-W05", GERMAN, "span") == "vom 1. bis 7. Februar 2027"
    monday = german(1, "Montag", published=datetime(2026, 11, 15, 23, 30, tzinfo=UTC))
    older = german(2, "Archiv", published=datetime(2019, 5, 1, 8, tzinfo=UTC))
    digest = german_digest([monday, older])
    dates = [story.date for story in digest.sections[0].stories]
    assert dates == ["Montag, 16. November", "Mittwoch, 1. Mai 2019"], "another year: its year"
    text = render_text(digest)
    assert "2 Artikel gesammelt (2 unterschiedliche Meldungen) aus einer Quelle;" in text
    assert "\n- rust 2.0: 1 Meldung (neu)\n" in text
    assert "\n- tokio: 4 Meldungen (zuvor etwa 3,5 pro Woche)\n" in text
    assert "Diese Woche keine Meldungen zu den verfolgten Themen." in render_text(german_digest([]))
    assert "0 Artikel gesammelt (0 unterschiedliche Meldungen) aus 0 Quellen;" in render_text(
        german_digest([])
    )
    assert [GERMAN.age(timedelta(days=days)) for days in (5, 60, 90, 800)] == [
        "5 Tagen", "1 Monat", "2 Monaten", "2 Jahren",
    ]  # fmt: skip
    assert GERMAN.quote("CVE") == "„CVE“" and GERMAN.say("apostrophe") == "’"


def test_every_phrase_of_the_english_table_has_its_german_words() -> None:
    from watch.digest_lang import GERMAN
    from watch.fetch.failures import KINDS

    assert set(GERMAN.phrases) == set(ENGLISH.phrases)
    assert set(GERMAN.problems) == set(FRENCH.problems)
    assert set(GERMAN.failure_means) == set(FRENCH.failure_means) == set(KINDS)
    assert "\u202f" not in "".join(GERMAN.phrases.values()), "no French spacing before ':'"
    lost = (
        "select.link 'a@href' found no link in 3 of the 14 items select.item 'article' matched"
        " (those items were skipped)"
    )
    assert page_warning_words(lost, GERMAN) == (
        "select.link „a@href“ findet keinen Link in 3 der 14 Elemente, die select.item"
        " „article“ auswählt (diese Elemente wurden übersprungen)"
    )


def test_sources_yaml_accepts_de_as_the_digest_language() -> None:
    assert parse_config(GERMAN_YAML).digest.language == "de"

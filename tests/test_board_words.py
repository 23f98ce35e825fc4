"""The board in French and German (``board: language:``, else ``digest: language:``).

The tables first: every language has exactly the English keys and placeholders, French is typeset
the French way; then the board itself through AppTest on the store of test_dashboard, in French
and German, and the actions still working in French.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st

from dashboard import view, view_sources
from dashboard.words import BOARD_LANGUAGES, ENGLISH, board_language
from tests.test_dashboard import (
    SOURCES_YAML,
    Board,
    board_on,
    make_article,
    open_dialogs,
    run_app,
    shown_text,
    table_of,
)
from watch.advice_words import PHRASES as ADVICE
from watch.config import parse_config
from watch.models import FetchLogEntry, SourceState, StoredArticle, TopicMatch
from watch.store.base import DigestRecord

FRENCH, GERMAN = BOARD_LANGUAGES["fr"], BOARD_LANGUAGES["de"]
NNBSP = "\u202f"


def placeholders(phrase: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(phrase) if field is not None}


@pytest.mark.parametrize("code", sorted(set(BOARD_LANGUAGES) - {"en"}))
def test_every_language_has_the_english_keys_and_placeholders(code: str) -> None:
    english, other = ENGLISH.phrases.phrases, BOARD_LANGUAGES[code].phrases.phrases
    assert sorted(other) == sorted(english), "missing or extra keys"
    differ = {k for k in english if placeholders(english[k]) != placeholders(other[k])}
    assert not differ, f"placeholders differ in {sorted(differ)}"
    assert len(BOARD_LANGUAGES[code].say("weekdays_short").split()) == 7


def test_french_puts_a_narrow_no_break_space_before_high_punctuation() -> None:
    for key, phrase in FRENCH.phrases.phrases.items():
        # placeholders, code and a sources.yaml value to copy ("every: {every}") are not prose
        prose = re.sub(r"[a-z_]+: \{[^}]*\}|\{[^}]*\}|`[^`]*`", "", phrase)
        wrong = re.findall(rf"[^{NNBSP}][:;?!]", prose)
        assert not wrong, f"{key}: {phrase!r}"
        assert "«" not in prose or f"«{NNBSP}" in prose, key


def test_ages_dates_and_counts_in_each_language() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    three_hours, two_days = now - timedelta(hours=3), now - timedelta(days=2)
    assert view.humanize_age(three_hours, now) == "3 h ago"
    assert view.humanize_age(three_hours, now, FRENCH) == "il y a 3 h"
    assert view.humanize_age(three_hours, now, GERMAN) == "vor 3 Std."
    assert view.humanize_age(two_days, now, GERMAN) == "vor 2 Tagen"
    assert view.humanize_age(now + timedelta(minutes=5), now, FRENCH) == "dans 5 min"
    assert view.humanize_age(None, now, GERMAN) == "nie"
    old = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    later = old + timedelta(days=30)
    assert view.published_words(old, later, "Europe/Paris") == "1 Dec 2026"
    assert view.published_words(old, later, "Europe/Paris", FRENCH) == "1er déc. 2026"
    assert view.published_words(old, later, "Europe/Paris", GERMAN) == "1. Dezember 2026"
    assert view.with_count("Sécurité", 1234, FRENCH) == f"Sécurité (1{NNBSP}234)"
    assert view.with_count("Security", 1234) == "Security (1,234)"
    assert FRENCH.say("marked_read", count=0) == "0 article marqué lu"
    assert FRENCH.say("others_moved", count=2) == " (et 2 autres articles de ce sujet)"
    assert GERMAN.say("others_moved", count=2) == " (und 2 weitere Artikel dieser Meldung)"


def test_a_vote_toast_in_french() -> None:
    said = view.judgement_words("Aimé", 72.0, 82.4, 2, words=FRENCH)
    assert said == f"Aimé{NNBSP}: score 72 → 82 (et 2 autres articles de ce sujet)"
    removed = view.judgement_words("Pas dans le thème Cloud", 75, 60, 0, "removed", FRENCH)
    assert removed == f"Pas dans le thème Cloud{NNBSP}: retiré, score 75 → 60"


def test_why_this_score_in_french_says_the_reasons_as_the_digest_does() -> None:
    article = StoredArticle(**vars(make_article("s", "Faille critique", datetime.now(UTC), 0)))
    article.topics = [TopicMatch("security", 0.9, ["matched 'cve' in title"])]
    article.score_parts = {"topic": 45.0, "freshness": 7.5}
    article.explanation = ["Security 0.90: matched 'cve' in title", "source weight 1"]
    lines = view.score_lines(article, {"security": "Sécurité"}, FRENCH)
    assert lines == [
        f"thème{NNBSP}: +45,0",  # as in English: the part's name escaped, its points as they are
        f"fraîcheur{NNBSP}: +7,5",
        view.escape_markdown(f"Sécurité 90{NNBSP}%{NNBSP}: «{NNBSP}cve{NNBSP}» dans le titre"),
    ]
    german = view.score_lines(article, {"security": "Sicherheit"}, GERMAN)
    assert german[-1] == view.escape_markdown("Sicherheit 90 %: „cve“ im Titel")


def test_a_failing_source_is_explained_in_french() -> None:
    config = parse_config("sources:\n  - {name: blog, url: 'https://blog.example/f'}\n")
    now = datetime.now(UTC)
    states = [SourceState(name="blog", status="error", last_error="HTTP 404", error_count=3)]
    [row] = view_sources.source_health(config, states, {}, now, words=FRENCH)
    assert row.status == "failing"
    assert view_sources.status_words(row.status, FRENCH) == "en erreur"
    assert row.last_error == f"l’adresse n’existe plus{NNBSP}: HTTP 404 (3 échecs d’affilée)"
    assert row.last_success == "jamais"


HOSTILE_HOME = "https://evil.example/:red[PWNED]*x*$x^2$"


@pytest.mark.parametrize("code", sorted(BOARD_LANGUAGES))
def test_a_home_page_quoted_in_the_advice_makes_no_markdown(code: str) -> None:
    """Session 12 review: a feed's home page was quoted as a link target, which keeps
    ``[ ] $ * :``: the French "moved" advice showed it in red, in italics and as maths.  Out of
    a code span it is escaped text now; in one (`watch sources add …`) it is as written."""
    config = parse_config("sources:\n  - {name: moved, url: 'https://a.example/f'}\n")
    moved = SourceState(name="moved", status="error", last_error="HTTP 404", home_url=HOSTILE_HOME)
    now = datetime.now(UTC)
    [row] = view_sources.source_health(config, [moved], {}, now, words=BOARD_LANGUAGES[code])
    prose = re.sub(r"`[^`]*`", "", row.what_to_do)
    assert view.escape_markdown(HOSTILE_HOME) in prose, row.what_to_do
    assert not re.search(r"(?<!\\)[\[\]*$]", prose), row.what_to_do
    assert "`watch sources add https://evil.example/:red[PWNED]*x*$x%5E2$`" in row.what_to_do


def test_the_sources_page_advice_without_a_state_is_said_in_the_advices_words() -> None:
    """Session 12 review: when the board knows a failure by its error alone, it said "retried
    automatically" and "check the url" with its own copies of ``watch.advice_words``'s phrases."""
    for key in ("retried", "retried_and", "check_url"):
        assert not any(words.knows(key) for words in BOARD_LANGUAGES.values()), key
    busy = "HTTP 503 Service Unavailable"
    assert view_sources.error_advice(busy, words=FRENCH) == (
        f"réessayée automatiquement{NNBSP}: nouvel essai au prochain passage{NNBSP}; si cela dure,"
        " prévenir le site"
    )
    broken = "network error with a.example: reset"
    assert view_sources.error_advice(broken, words=GERMAN) == (
        "wird automatisch erneut versucht: nächster Versuch beim nächsten Durchlauf"
    )
    assert view_sources.error_advice("weird", words=GERMAN) == (
        "die URL in sources.yaml prüfen (im Browser öffnen: Der Feed ist vielleicht umgezogen)"
    )


@pytest.mark.parametrize("code", ["fr", "de"])
def test_the_advice_has_the_english_keys_and_placeholders(code: str) -> None:
    english, other = ADVICE["en"], ADVICE[code]
    assert sorted(other) == sorted(english), "missing or extra keys"
    differ = {k for k in english if placeholders(english[k]) != placeholders(other[k])}
    assert not differ, f"placeholders differ in {sorted(differ)}"


def test_the_advice_in_french_is_typeset_the_french_way() -> None:
    for key, phrase in ADVICE["fr"].items():
        prose = re.sub(r"\{[^}]*\}|`[^`]*`|<[^>]*>", "", phrase)  # placeholders, code, <URL>
        assert not re.findall(rf"[^{NNBSP}][:;?!]", prose), f"{key}: {phrase!r}"
        assert "'" not in prose and ("«" not in prose or f"«{NNBSP}" in prose), key


def test_the_boards_language_falls_back_on_the_digests() -> None:
    url = "  - {name: a, url: 'https://a.example/f'}\n"
    assert board_language(parse_config(f"sources:\n{url}")) == "en"
    assert board_language(parse_config(f"digest: {{language: fr}}\nsources:\n{url}")) == "fr"
    both = f"digest: {{language: fr}}\nboard: {{language: en}}\nsources:\n{url}"
    assert board_language(parse_config(both)) == "en"


# -- the board itself ---------------------------------------------------------------


@pytest.fixture
def lang_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    """test_dashboard's board, its sources.yaml to be given a language by the test."""
    yield from board_on(tmp_path, monkeypatch, None)


def speak(board: Board, settings: str) -> None:
    board.config_path.write_text(SOURCES_YAML + settings, encoding="utf-8")


def test_a_french_board_speaks_french_and_its_actions_work(lang_board: Board) -> None:
    speak(lang_board, "board:\n  language: fr\n")
    app = run_app()
    assert [h.value for h in app.sidebar.header] == ["Filtres"]
    assert app.text_input(key="board_text").label == "Rechercher"
    assert app.multiselect(key="board_topics").label == "Thèmes"
    assert app.multiselect(key="board_topics").placeholder == "Choisir…"
    assert app.date_input(key="board_dates").proto.format == "DD/MM/YYYY"
    assert app.toggle(key="board_grouped").label == "Un article par sujet"
    assert any(c.value.startswith("6 articles correspondent · mis à jour à") for c in app.caption)
    assert any(
        "lwn · il y a 2 h · également couvert par 1 autre source" in c.value for c in app.caption
    )
    target = lang_board.ids["Critical CVE in OpenSSL patched"]
    assert app.button(key=f"read_{target}").label == "Marquer lu"
    assert app.button(key=f"up_{target}").label == "J’aime"
    assert app.button(key="mark_all_read").label == "Marquer les 6 résultats comme lus"
    assert [e.label for e in app.expander][:3] == ["Pourquoi ce score · résumé", "Thèmes…", "Note…"]
    assert "**Score 92**" in shown_text(app)
    assert view.escape_markdown("rédigé comme d’autres articles sur ce thème") in shown_text(app)

    app.button(key=f"read_{target}").click().run()  # mark read, in French
    store = lang_board.open()
    assert store.get_article(target).read
    store.close()
    app.multiselect(key="board_topics").set_value(["ai"]).run()  # filter by topic
    titles = [h.value for h in app.main.header]
    assert len(titles) == 1 and "LLM" in titles[0]
    assert any(c.value.startswith("1 article correspond ·") for c in app.caption)
    app.multiselect(key="board_topics").set_value([]).run()
    app.text_input(key="board_text").input("kubernetes").run()  # search
    titles = [h.value for h in app.main.header]
    assert len(titles) == 1 and "Kubernetes" in titles[0]


def test_a_german_board_speaks_german(lang_board: Board) -> None:
    speak(lang_board, "board:\n  language: de\n")
    app = run_app()
    assert [h.value for h in app.sidebar.header] == ["Filter"]
    assert app.text_input(key="board_text").label == "Suche"
    target = lang_board.ids["Critical CVE in OpenSSL patched"]
    assert app.button(key=f"star_{target}").label == "Stern"
    assert any(
        "lwn · vor 2 Std. · auch berichtet von 1 weiteren Quelle" in c.value for c in app.caption
    )
    assert any(c.value.startswith("6 Artikel passen") for c in app.caption)
    app.button(key="mark_all_read").click().run()  # the question asked in a dialog, in German
    assert open_dialogs(app) == ["Alle als gelesen markieren?"]
    assert app.button(key="mark_all_confirm").label == "Ja, 6 als gelesen markieren"
    assert app.button(key="mark_all_cancel").label == "Abbrechen"


def test_the_digests_french_makes_a_french_board_unless_the_board_says_english(
    lang_board: Board,
) -> None:
    speak(lang_board, "digest:\n  language: fr\n")
    assert [h.value for h in run_app().sidebar.header] == ["Filtres"]
    speak(lang_board, "digest:\n  language: fr\nboard:\n  language: en\n")
    st.cache_resource.clear()  # the config is read once per process
    assert [h.value for h in run_app().sidebar.header] == ["Filters"]


def test_the_other_pages_in_french(lang_board: Board) -> None:
    speak(lang_board, "board:\n  language: fr\n")
    sources = run_app("app_pages/sources.py")
    assert sources.title[0].value.endswith("Sources")
    table = table_of(sources).set_index("Source")
    assert table.loc["blog", "État"] == ":orange-badge[en erreur]"
    assert any("Que faire" in e.value for e in sources.error)
    assert sources.button(key="fetch_now").label == "Consulter maintenant"
    trends = run_app("app_pages/trends.py")
    assert trends.title[0].value.endswith("Thèmes et tendances")
    assert trends.selectbox(key="trends_week").label == "Semaine"
    from tests.test_chat import an_article_last_week

    store = lang_board.open()
    an_article_last_week(store)  # last week has something to send: the page says why it cannot
    store.close()
    digest = run_app("app_pages/digest.py")
    assert digest.title[0].value.endswith("Synthèse hebdomadaire")
    assert any("WATCH_SMTP_HOST" in c.value and "désactivé" in c.value for c in digest.caption)


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("fr", ["envoyée", "échec", "en cours d’envoi"]),
        ("de", ["gesendet", "fehlgeschlagen", "wird gesendet"]),
    ],
)
def test_the_send_history_says_each_status_in_the_boards_language(
    lang_board: Board, code: str, said: list[str]
) -> None:
    """Session 12 review: the history's status column said "sent", "failed" or "pending" on
    a French or German board."""
    speak(lang_board, f"board:\n  language: {code}\n")
    store = lang_board.open()
    for week, status in (("2020-W01", "sent"), ("2020-W02", "failed"), ("2020-W03", "pending")):
        store.save_digest(DigestRecord(week=week, status=status, attempts=1))
    store.close()
    history = table_of(run_app("app_pages/digest.py"))
    week, status = history.columns[0], history.columns[2]
    assert dict(zip(history[week], history[status], strict=True)) == {
        "2020-W01": said[0],
        "2020-W02": said[1],
        "2020-W03": said[2],
    }


def test_a_french_and_a_german_sources_page_say_the_advice_in_their_language(
    lang_board: Board,
) -> None:
    """How often to consult a source, when a failing one is retried and what to do about it:
    in the board's language; the server's own words ("HTTP 503 …") as it said them."""
    now = datetime.now(UTC)
    store = lang_board.open()
    for day in range(4):  # every item new at each fetch: items are missed
        store.add_fetch_log(FetchLogEntry("lwn", now - timedelta(days=4 - day), "new", 200, 10, 10))
    store.save_source_state(
        SourceState(
            name="blog",
            status="error",
            last_attempt=now,
            last_success=now - timedelta(days=2),
            last_error="HTTP 503 Service Unavailable",
            error_count=4,
            next_due=now + timedelta(hours=8, minutes=30),
        )
    )
    store.close()
    expected = {
        "fr": (
            "tous les articles étaient nouveaux lors de 3 des 3 dernières consultations",
            f"Que faire{NNBSP}: réessayée automatiquement{NNBSP}: nouvel essai dans 8 h (essais"
            f" espacés après 4 échecs){NNBSP}; si cela dure, prévenir le site",
            f"le site a un problème de serveur{NNBSP}: HTTP 503 Service Unavailable",
        ),
        "de": (
            "bei 3 der letzten 3 Abrufe waren alle Einträge neu",
            "Was tun: wird automatisch erneut versucht: nächster Versuch in 8 Std. (längere"
            " Abstände nach 4 Fehlversuchen); wenn es anhält, der Website Bescheid geben",
            "Die Website hat ein Serverproblem: HTTP 503 Service Unavailable",
        ),
    }
    for code, (missed, what_to_do, error) in expected.items():
        speak(lang_board, f"board:\n  language: {code}\n")
        st.cache_resource.clear()  # the config is read once per process
        st.cache_data.clear()
        app = run_app("app_pages/sources.py")
        said = view.escape_markdown(missed)  # the suggestion, shown as a warning
        assert any(w.value.startswith("**lwn**") and said in w.value for w in app.warning), code
        (box,) = [e.value for e in app.error if "blog" in e.value]
        assert what_to_do in box and view.escape_markdown(error) in box, code

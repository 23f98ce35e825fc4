"""No English left on a French or German board: the words said where the session 12 audit
found English (an article without topic, a source's kind and frequency, the other sources of a
story), then every page walked through AppTest.

The English words looked for are the board's own: those of the English table
(``dashboard.words_en``), less the words the other language's tables use too ("Source",
"Score", "Articles", "page").  What the board shows is read from every element AppTest sees
(labels, help, placeholders, options, Markdown, tables, toasts, dialogs, the chart's titles
and legend), less what it never translates: the feed text, the labels and names of
sources.yaml, addresses and code.  Streamlit's own labels ("Skip to main content", the date
picker's "Choose date range") are not in AppTest's tree: they are Streamlit's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import chain
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import streamlit as st
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from dashboard import view, view_sources
from dashboard.words import BOARD_LANGUAGES, ENGLISH, BoardWords
from tests.test_board_words import FRENCH, GERMAN, NNBSP, speak
from tests.test_dashboard import APP, ROWS, SOURCES_YAML, Board, board_on, make_article, run_app
from watch.advice_words import Said, roughly
from watch.cadence import Advice
from watch.config import parse_config
from watch.digest_weeks import previous_week
from watch.models import ArticleText, SourceState, StoredArticle
from watch.store import DigestRecord, open_store

NOT_SHOWN = {"id", "formId", "key", "type", "icon", "language", "theme", "data", "datasets"}
"""Keys of an element's proto whose values are not text the reader sees."""
PAGE_TEXTS = {
    "Critical CVE in OpenSSL patched": "\n\n".join(["Patched builds ship today."] * 60),
    "LLM model release discussed": "Weights are published.\n\nThe licence allows research.",
}
"""The pages' texts of ``full_text:`` articles, by title (the first reads in a minute)."""
PAGE_NOT_READ = ("Kubernetes 2.0 scheduling changes", "HTTP 403 Forbidden")
FEED_TEXT = sorted(
    {text for _, title, *_ in ROWS for text in (title, f"Summary of {title} with enough words")}
    | {"to search.", "enough, search, summary", "HTTP 404 Not Found", PAGE_NOT_READ[1]}
    | {paragraph for text in PAGE_TEXTS.values() for paragraph in text.split("\n\n")}
    | {"Artificial intelligence", "Security", "Cloud", "Team watch", "vendor-news"},
    key=len,
    reverse=True,
)
"""What the board shows as the feeds, the servers and sources.yaml wrote it (longest first):
titles, summaries and the terms taken from them, pages' texts, HTTP errors, labels and names."""
CODE = re.compile(
    r"`[^`]*`|https?://\S+|data:\S+|<style>.*?</style>|<script>.*?</script>|:material/\w+:", re.S
)
WORD = re.compile(r"\b[^\W\d_]{3,}\b")


def words_of(texts: Iterator[str] | list[str]) -> set[str]:
    """The words of ``texts`` in lower case: three letters or more, placeholders and code out."""
    found: set[str] = set()
    for text in texts:
        prose = CODE.sub(" ", re.sub(r"\{[^}]*\}", " ", text))
        found.update(word.casefold() for word in WORD.findall(prose))
    return found


def english_words(code: str) -> set[str]:
    """The board's English words that the ``code`` language does not use itself."""
    other = BOARD_LANGUAGES[code]
    same = words_of([*other.phrases.phrases.values(), *other.digest.phrases.values()])
    return words_of(list(ENGLISH.phrases.phrases.values())) - same


def shown(app: AppTest) -> list[str]:
    """Every text of the page's elements, Markdown escapes taken off."""
    texts: list[str] = []
    _collect(app._tree, texts)
    return [re.sub(r"\\(.)", r"\1", text) for text in texts]


def _collect(node: Any, texts: list[str]) -> None:
    proto = getattr(node, "proto", None)
    if proto is not None and getattr(node, "type", "") != "code":  # a command is as typed
        _strings(MessageToDict(proto), texts)
        if getattr(node, "type", "") == "table":
            frame = node.value
            texts += [str(value) for value in [*frame.columns, *frame.to_numpy().ravel()]]
    for child in getattr(node, "children", {}).values():
        _collect(child, texts)


def _strings(value: Any, texts: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "spec":
                _chart_words(json.loads(item), texts)
            elif key not in NOT_SHOWN:
                _strings(item, texts)
    elif isinstance(value, list):
        for item in value:
            _strings(item, texts)
    elif isinstance(value, str) and not re.fullmatch(r"[A-Z_]+", value):  # not an enum
        texts.append(value)


def _chart_words(spec: Any, texts: list[str]) -> None:
    """A Vega-Lite chart's titles and legend (its field names are not shown)."""
    if isinstance(spec, dict):
        for key, item in spec.items():
            if key == "title" and isinstance(item, str):
                texts.append(item)
            elif key == "sort" and isinstance(item, list):
                texts += [label for label in item if isinstance(label, str)]
            else:
                _chart_words(item, texts)
    elif isinstance(spec, list):
        for item in spec:
            _chart_words(item, texts)


def english_left(app: AppTest, code: str) -> dict[str, list[str]]:
    """The board's English words on the page, each with the texts it is in."""
    english = english_words(code)
    left: dict[str, list[str]] = {}
    for text in shown(app):
        prose = text
        for feed_text in FEED_TEXT:
            prose = prose.replace(feed_text, " ")
        for word in words_of([prose]) & english:
            left.setdefault(word, []).append(text)
    return left


def walked(board: Board) -> Iterator[tuple[str, AppTest]]:
    """Every page, the board in several states: its list, a vote's toast, the mark-all
    dialog, no match, one article linked (?article=), the other pages."""
    app = run_app()
    yield "board", app
    target = board.ids["Critical CVE in OpenSSL patched"]
    app.button(key=f"up_{target}").click().run()
    yield "vote", app
    app.button(key="mark_all_read").click().run()
    yield "mark all", app
    app = run_app()
    app.text_input(key="board_text").input("zzzz").run()
    yield "no match", app
    linked = AppTest.from_file(str(APP), default_timeout=30)
    linked.query_params["article"] = str(board.ids["LLM model release discussed"])
    yield "linked", linked.run()
    missing = AppTest.from_file(str(APP), default_timeout=30)
    missing.query_params["article"] = "99999"
    yield "linked, not stored", missing.run()
    for page in ("sources", "trends", "digest"):
        yield page, run_app(f"app_pages/{page}.py")


def walked_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, AppTest]]:
    """Every page on a new database: nothing collected yet, last week skipped by the scheduler
    (its reason is stored in English), then shown."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    last_week = previous_week(datetime.now(ZoneInfo("Europe/Paris")))
    store = open_store(url)
    store.migrate()
    why = "nothing collected that week: the watch has collected nothing yet"
    store.save_digest(DigestRecord(last_week, "skipped", error=why, recipients=["a@x.example"]))
    store.close()
    monkeypatch.setenv("WATCH_DB", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield "new database: board", run_app()
    for page in ("sources", "trends", "digest"):
        yield f"new database: {page}", run_app(f"app_pages/{page}.py")
    app = run_app("app_pages/digest.py")
    app.selectbox(key="digest_week").set_value(last_week).run()
    yield "new database: digest of the skipped week", app


# -- the words said where English was left -------------------------------------------


def test_the_other_sources_of_a_story_read_as_others() -> None:
    """Session 12 audit: "Aussi couvert par 1 source" read as if that one were the only one."""
    assert FRENCH.say("also_covered", count=1) == "également couvert par 1 autre source"
    assert FRENCH.say("linked_same_story", count=2) == "Également couvert par 2 autres sources"
    assert GERMAN.say("also_covered", count=1) == "auch berichtet von 1 weiteren Quelle"
    assert GERMAN.say("linked_same_story", count=2) == "Auch berichtet von 2 weiteren Quellen"
    assert ENGLISH.say("also_covered", count=2) == "also covered by 2 sources"


def test_an_article_without_topic_and_a_sources_kind_in_the_boards_words() -> None:
    """Session 12 audit: a French card without topic showed "off-topic", the Sources page's
    Type column "feed" or "page"."""
    config = parse_config(
        "topics:\n  - {name: ai, label: IA, keywords: [llm]}\nsources:\n"
        "  - {name: blog, url: 'https://blog.example/f'}\n"
        "  - {name: site, url: 'https://site.example/', kind: page, select: {item: li, title: a, link: a@href}}\n"
    )
    article = StoredArticle(**vars(make_article("s", "t", datetime.now(UTC), 0)))
    labels = {code: view.topic_labels(config, words) for code, words in BOARD_LANGUAGES.items()}
    assert view.topic_chips(article, labels["fr"]) == ":gray-badge[hors thème]"
    assert view.topic_chips(article, labels["de"]) == ":gray-badge[ohne Thema]"
    assert view.topic_chips(article, labels["en"]) == ":gray-badge[off-topic]"
    assert labels["fr"] == {"ai": "IA", view.OFF_TOPIC: "hors thème"}
    kinds = {
        code: [
            row.kind
            for row in view_sources.source_health(config, [], {}, datetime.now(UTC), words=words)
        ]
        for code, words in BOARD_LANGUAGES.items()
    }
    assert kinds == {"en": ["feed", "page"], "fr": ["flux", "page"], "de": ["Feed", "Seite"]}


@pytest.mark.parametrize(
    ("every", "said"),
    [
        ("5m", ("every 5 min", "toutes les 5 min", "alle 5 Min.")),
        ("90m", ("every 90 min", "toutes les 90 min", "alle 90 Min.")),
        ("1h", ("every hour", "toutes les heures", "stündlich")),
        ("6h", ("every 6 h", "toutes les 6 h", "alle 6 Std.")),
        ("1d", ("every day", "tous les jours", "täglich")),
        ("3d", ("every 3 days", "tous les 3 jours", "alle 3 Tage")),
        ("1w", ("every week", "toutes les semaines", "wöchentlich")),
        ("14d", ("every 2 weeks", "toutes les 2 semaines", "alle 2 Wochen")),
        (
            "'0 8 * * 1-5'",
            (
                "on the cron schedule '0 8 * * 1-5'",
                f"selon le planning cron «{NNBSP}0 8 * * 1-5{NNBSP}»",
                "nach dem Cron-Zeitplan „0 8 * * 1-5“",
            ),
        ),
    ],
)
def test_how_often_a_source_is_consulted_in_the_boards_words(
    every: str, said: tuple[str, str, str]
) -> None:
    """Session 12 audit: "Consultée toutes les | 5m", the sources.yaml value as written."""
    config = parse_config(
        f"sources:\n  - {{name: a, url: 'https://a.example/f', every: {every}}}\n"
    )
    words = (ENGLISH, FRENCH, GERMAN)
    assert tuple(view_sources.every_words(config.sources[0], w) for w in words) == said


def test_an_every_value_to_copy_into_sources_yaml_is_quoted_as_written_there() -> None:
    """Session 12 audit: "une fréquence de 1d suffirait" said a raw YAML value as a French
    word; the value to copy is marked as what it is, « every: 1d »."""
    config = parse_config("sources:\n  - {name: a, url: 'https://a.example/f', every: 1h}\n")
    now = datetime.now(UTC)
    states = [SourceState(name="a", status="ok", last_success=now)]
    advice = {
        "a": Advice(
            Said("would_do", {"interval": roughly(timedelta(hours=24)), "every": "1d"}), "1d"
        )
    }

    def suggestion(words: BoardWords) -> str:
        [row] = view_sources.source_health(config, states, {}, now, advice, words=words)
        return row.suggestion

    assert suggestion(FRENCH) == (
        f"publie toutes les ~24 h{NNBSP}: une fréquence de «{NNBSP}every: 1d{NNBSP}» suffirait"
    )
    assert (
        suggestion(GERMAN) == "veröffentlicht alle ~24 Std.: ein Intervall von „every: 1d“ genügt"
    )
    assert suggestion(ENGLISH) == "publishes every ~24 h: every 1d would do"


# -- every page walked ----------------------------------------------------------------


@pytest.fixture
def lang_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Board]:
    """test_dashboard's board, its sources.yaml to be given a language by the test; two
    articles with their page's text, one whose page was not read."""
    for board in board_on(tmp_path, monkeypatch, None):
        now = datetime.now(UTC)
        texts = [
            ArticleText(board.ids[t], f"<p>{t}</p>", text, now) for t, text in PAGE_TEXTS.items()
        ]
        failed, error = PAGE_NOT_READ
        texts.append(ArticleText(board.ids[failed], fetched_at=now, error=error))
        store = board.open()
        store.save_article_texts(texts)
        store.close()
        yield board


@pytest.mark.parametrize("code", ["fr", "de"])
def test_no_english_word_of_the_board_is_left_on_any_page(
    lang_board: Board, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 12 audit: "off-topic" badges and legend, "feed"/"page", raw frequencies on a
    French board."""
    speak(lang_board, f"board:\n  language: {code}\n")
    left = {}
    for name, app in chain(walked(lang_board), walked_empty(tmp_path, monkeypatch)):
        assert not app.exception, (name, [e.message for e in app.exception])
        left.update({f"{name}: {word}": texts for word, texts in english_left(app, code).items()})
    assert not left, "\n".join(f"{k}: {v}" for k, v in left.items())


def test_the_walk_finds_english_on_an_english_board(lang_board: Board) -> None:
    """The walk reads what the pages show: the English board is full of the words looked for."""
    lang_board.config_path.write_text(SOURCES_YAML, encoding="utf-8")
    found: set[str] = set()
    for _, app in walked(lang_board):
        found |= set(english_left(app, "fr"))
    seen = {"off", "topic", "feed", "hour", "consulted", "liked", "failing", "text", "words"}
    assert seen <= found, found

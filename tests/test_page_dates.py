"""Dates as web pages write them (``kind: page``): English, French, numeric, relative, CJK."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from tests.test_pipeline import make_config, stored
from watch.config import SelectConfig, parse_config, resolve_settings
from watch.parse.page import parse_page
from watch.parse.page_dates import read_page_date
from watch.pipeline import Pipeline
from watch.store import open_store

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("12 mars 2026", "fr", datetime(2026, 3, 12, tzinfo=UTC)),
        ("Publié le 3 février 2026 à 14h05", "fr", datetime(2026, 2, 3, 14, 5, tzinfo=UTC)),
        ("lundi 5 octobre 2026", "fr", datetime(2026, 10, 5, tzinfo=UTC)),
        ("1er août 2026", "fr", datetime(2026, 8, 1, tzinfo=UTC)),
        ("12 Sept 2026", "en", datetime(2026, 9, 12, tzinfo=UTC)),
        ("Posted March 12th, 2026 at 2:15 pm", "en", datetime(2026, 3, 12, 14, 15, tzinfo=UTC)),
        ("Dec. 3, 2025", "en", datetime(2025, 12, 3, tzinfo=UTC)),
        ("Updated: 2026-03-12", None, datetime(2026, 3, 12, tzinfo=UTC)),
        ("on 2026-03-12 at 10:00", None, datetime(2026, 3, 12, 10, tzinfo=UTC)),
        ("2026-03-12T10:00:00+02:00", None, datetime(2026, 3, 12, 8, tzinfo=UTC)),
        ("Tue, 10 Jun 2025 04:00:00 GMT", None, datetime(2025, 6, 10, 4, tzinfo=UTC)),
        ("2026年3月12日", "ja", datetime(2026, 3, 12, tzinfo=UTC)),
        ("2026/03/12", None, datetime(2026, 3, 12, tzinfo=UTC)),
        # numeric dates: the day first, except on US English pages; a number above 12 decides
        ("12/03/2026", "fr", datetime(2026, 3, 12, tzinfo=UTC)),
        ("12-03-2026", None, datetime(2026, 3, 12, tzinfo=UTC)),
        ("12.03.2026", "de", datetime(2026, 3, 12, tzinfo=UTC)),
        ("12/03/2026", "en-US", datetime(2026, 12, 3, tzinfo=UTC)),
        ("13/03/2026", "en-US", datetime(2026, 3, 13, tzinfo=UTC)),
        ("03/13/2026", "fr", datetime(2026, 3, 13, tzinfo=UTC)),
        # relative to the fetch
        ("3 days ago", "en", NOW - timedelta(days=3)),
        ("an hour ago", "en", NOW - timedelta(hours=1)),
        ("il y a 2 jours", "fr", NOW - timedelta(days=2)),
        ("il y a une heure", "fr", NOW - timedelta(hours=1)),
        ("yesterday", "en", datetime(2026, 11, 23, tzinfo=UTC)),
        ("Hier", "fr", datetime(2026, 11, 23, tzinfo=UTC)),
        ("aujourd’hui", "fr", datetime(2026, 11, 24, tzinfo=UTC)),
    ],
)
def test_dates_as_pages_write_them(text: str, language: str | None, expected: datetime) -> None:
    assert read_page_date(text, language=language, now=NOW) == expected


@pytest.mark.parametrize("text", ["", "   ", "v2.4.1", "31/02/2026", "no date here", "3 comments"])
def test_text_without_a_date_gives_none(text: str) -> None:
    assert read_page_date(text, now=NOW) is None


def test_relative_dates_need_the_fetch_time() -> None:
    assert read_page_date("3 days ago") is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # no year: the most recent such day at the fetch (24 November 2026)
        ("Publié le 3 mars", "fr", datetime(2026, 3, 3, tzinfo=UTC)),
        ("Le 3 mars à 14h05", "fr", datetime(2026, 3, 3, 14, 5, tzinfo=UTC)),
        ("Mar 3", "en", datetime(2026, 3, 3, tzinfo=UTC)),
        ("Sat 28 Nov", "en-GB", datetime(2025, 11, 28, tzinfo=UTC)),
        ("30 novembre", "fr", datetime(2025, 11, 30, tzinfo=UTC)),
        ("25 nov.", "fr", datetime(2026, 11, 25, tzinfo=UTC)),  # a page clock ahead of UTC
        ("29 février", "fr", datetime(2024, 2, 29, tzinfo=UTC)),
        ("mar. 10 nov.", "fr", datetime(2026, 11, 10, tzinfo=UTC)),  # mardi, not March
        # a time on a relative day, an hour without minutes, 12-hour clocks
        ("Yesterday at 5:30 PM", "en", datetime(2026, 11, 23, 17, 30, tzinfo=UTC)),
        ("hier à 17h30", "fr", datetime(2026, 11, 23, 17, 30, tzinfo=UTC)),
        ("Aujourd'hui à 9h", "fr", datetime(2026, 11, 24, 9, tzinfo=UTC)),
        ("avant-hier", "fr", datetime(2026, 11, 22, tzinfo=UTC)),
        ("Published 3 March 2026 at 5pm", "en-GB", datetime(2026, 3, 3, 17, tzinfo=UTC)),
        ("Mis en ligne le 3 mars 2026 à 9h", "fr", datetime(2026, 3, 3, 9, tzinfo=UTC)),
        ("March 3, 2026 at 12:30 a.m.", "en", datetime(2026, 3, 3, 0, 30, tzinfo=UTC)),
        ("Today at 12:30 pm", "en", datetime(2026, 11, 24, 12, 30, tzinfo=UTC)),
        # time zones written after the time
        ("3 mars 2026 à 14:05 CET", "fr", datetime(2026, 3, 3, 13, 5, tzinfo=UTC)),
        ("3 July 2026 at 14:05 BST", "en-GB", datetime(2026, 7, 3, 13, 5, tzinfo=UTC)),
        ("16. November 2026, 10:00 MEZ", "de", datetime(2026, 11, 16, 9, tzinfo=UTC)),
        ("3. Juli 2026 um 14:05 MESZ", "de", datetime(2026, 7, 3, 12, 5, tzinfo=UTC)),
        ("March 3, 2026 2:15 PM EST", "en", datetime(2026, 3, 3, 19, 15, tzinfo=UTC)),
        ("July 3, 2026, 2:15 p.m. ET", "en", datetime(2026, 7, 3, 18, 15, tzinfo=UTC)),
        ("2026-03-03 14:05 +0100", None, datetime(2026, 3, 3, 13, 5, tzinfo=UTC)),
        ("Posted 2026-03-03T14:05:00+01:00", None, datetime(2026, 3, 3, 13, 5, tzinfo=UTC)),
        ("le 3/3/2026 à 14h05 UTC+1", "fr", datetime(2026, 3, 3, 13, 5, tzinfo=UTC)),
        ("le 3 mars 2026 à 14h05 et mis à jour", "fr", datetime(2026, 3, 3, 14, 5, tzinfo=UTC)),
        # short forms of relative dates, months and years
        ("il y a 2h", "fr", NOW - timedelta(hours=2)),
        ("Updated 2 hrs ago", "en", NOW - timedelta(hours=2)),
        ("5m ago", "en", NOW - timedelta(minutes=5)),
        ("il y a 3 mois", "fr", NOW - timedelta(days=90)),
        ("il y a un an", "fr", NOW - timedelta(days=365)),
        ("2 months ago", "en", NOW - timedelta(days=60)),
        # a time alone: today, or yesterday when more than 3 hours after the fetch (12:00 UTC)
        ("14:05 CET", "fr", datetime(2026, 11, 24, 13, 5, tzinfo=UTC)),
        ("à 9h30", "fr", datetime(2026, 11, 24, 9, 30, tzinfo=UTC)),
        ("14:05", "fr", datetime(2026, 11, 24, 14, 5, tzinfo=UTC)),  # Paris time, zone unwritten
        ("11:50 pm", "en", datetime(2026, 11, 23, 23, 50, tzinfo=UTC)),
        # two-digit years, numeric
        ("Publié le 03/04/26", "fr-FR", datetime(2026, 4, 3, tzinfo=UTC)),
        # the first date written is the publication, a later one an update
        (
            "Publié le 3 mars 2026, mis à jour il y a 3 heures",
            "fr",
            datetime(2026, 3, 3, tzinfo=UTC),
        ),
        ("Posted March 1, 2026 · Updated 2026-03-05", "en", datetime(2026, 3, 1, tzinfo=UTC)),
    ],
)
def test_dates_without_year_with_clock_and_zone(
    text: str, language: str | None, expected: datetime
) -> None:
    assert read_page_date(text, language=language, now=NOW) == expected


@pytest.mark.parametrize(
    "text", ["Mars 2026", "Sept 2026", "5 min read", "Page 2 of 10", "Lecture : 2 h"]
)
def test_words_that_look_like_dates_are_not_dates(text: str) -> None:
    assert read_page_date(text, now=NOW) is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("3. November 2026", "de", datetime(2026, 11, 3, tzinfo=UTC)),
        ("am 12. März 2026 um 14:05 Uhr", "de", datetime(2026, 3, 12, 14, 5, tzinfo=UTC)),
        ("Veröffentlicht: 1. Dez. 2025", "de", datetime(2025, 12, 1, tzinfo=UTC)),
        ("17 Mrz 2026", "de", datetime(2026, 3, 17, tzinfo=UTC)),
        ("3 de noviembre de 2026", "es", datetime(2026, 11, 3, tzinfo=UTC)),
        ("martes, 17 de marzo del 2026", "es", datetime(2026, 3, 17, tzinfo=UTC)),
        ("mar 17 mar 2026", "es", datetime(2026, 3, 17, tzinfo=UTC)),  # martes 17 de marzo
        ("1 ene 2026", "es", datetime(2026, 1, 1, tzinfo=UTC)),
        ("15 ago. 2026", "es", datetime(2026, 8, 15, tzinfo=UTC)),
        ("3 novembre 2026", "it", datetime(2026, 11, 3, tzinfo=UTC)),
        ("20 maggio 2026", "it", datetime(2026, 5, 20, tzinfo=UTC)),
        ("4 giu 2026 alle 10:30", "it", datetime(2026, 6, 4, 10, 30, tzinfo=UTC)),
        ("5 oktober 2026", "nl", datetime(2026, 10, 5, tzinfo=UTC)),
        ("17 mrt 2026", "nl", datetime(2026, 3, 17, tzinfo=UTC)),
        ("3 maart 2026", "nl", datetime(2026, 3, 3, tzinfo=UTC)),
        ("3 de novembro de 2026", "pt", datetime(2026, 11, 3, tzinfo=UTC)),
        ("24 set 2018", "pt", datetime(2018, 9, 24, tzinfo=UTC)),
        ("10 out 2026", "pt", datetime(2026, 10, 10, tzinfo=UTC)),
        # no year: full month names only
        ("12. Oktober", "de", datetime(2026, 10, 12, tzinfo=UTC)),
        ("3 de noviembre", "es", datetime(2026, 11, 3, tzinfo=UTC)),
    ],
)
def test_dates_in_german_spanish_italian_dutch_portuguese(
    text: str, language: str, expected: datetime
) -> None:
    assert read_page_date(text, language=language, now=NOW) == expected


@pytest.mark.parametrize(
    "text",
    ["4 out of 5 stars", "Top 10 set pieces", "posted 2 ago", "gen 3", "set 12", "2 mag 2"],
)
def test_short_month_words_need_a_day_and_a_year(text: str) -> None:
    assert read_page_date(text, now=NOW) is None


def test_dates_without_year_need_the_fetch_time() -> None:
    assert read_page_date("3 mars") is None


FRENCH_CMS_PAGE = """<!DOCTYPE html>
<html lang="fr-FR"><head><meta charset="utf-8"><title>Actualités</title></head><body>
<ul class="actus">
  <li><a href="/actu/cloud">Nouvelle région cloud</a>
      <time class="date">Publié aujourd'hui à 9h30</time></li>
  <li><a href="/actu/faille">Faille corrigée</a> <time class="date">hier à 17h45</time></li>
  <li><a href="/actu/salon">Retour sur le salon</a> <time class="date">mar. 3 mars</time></li>
  <li><a href="/actu/bilan">Bilan de l'année</a>
      <time class="date">Mis en ligne le 28 novembre</time></li>
  <li><a href="/actu/api">Nouvelle API</a>
      <time class="date" datetime="2026-10-02T08:00:00+02:00">2 octobre</time></li>
</ul></body></html>"""


@pytest.mark.parametrize(("zone", "hours_ahead"), [(None, 0), ("Europe/Paris", 1)])
def test_a_french_cms_listing_keeps_each_items_date(
    local_server: LocalServer, tmp_path: Path, zone: str | None, hours_ahead: int
) -> None:
    """A page whose <time> elements mostly have no datetime (only text, often without a year),
    read with the usual `time@datetime` selector: every item keeps the date its reader sees.
    With `timezone: Europe/Paris` the times it writes are Paris times (UTC+1 in November);
    dates without a time stay midnight UTC; a written zone or offset wins."""
    local_server.route(
        "/actus", FRENCH_CMS_PAGE, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    text = make_config(local_server, {}) + (
        f"  - name: actus\n    url: '{local_server.url('/actus')}'\n    kind: page\n"
        "    every: 1d\n    select:\n      item: 'ul.actus li'\n      title: 'a'\n"
        "      link: 'a@href'\n      date: 'time@datetime'\n"
        + (f"      timezone: {zone}\n" if zone else "")
    )
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    config = parse_config(text)
    settings = resolve_settings(path, f"sqlite:///{tmp_path / 'watch.db'}", config, env={})
    store = open_store(settings.db_url)
    pipeline = Pipeline(store, config, settings, clock=lambda: NOW)
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    dates = {a.title: a.published for a in stored(store, "actus")}
    store.close()
    shift = timedelta(hours=hours_ahead)
    assert dates == {
        "Nouvelle région cloud": datetime(2026, 11, 24, 9, 30, tzinfo=UTC) - shift,
        "Faille corrigée": datetime(2026, 11, 23, 17, 45, tzinfo=UTC) - shift,
        "Retour sur le salon": datetime(2026, 3, 3, tzinfo=UTC),
        "Bilan de l'année": datetime(2025, 11, 28, tzinfo=UTC),
        "Nouvelle API": datetime(2026, 10, 2, 6, tzinfo=UTC),
    }


def test_a_relative_date_keeps_its_first_reading(local_server: LocalServer, tmp_path: Path) -> None:
    """ "il y a 2 heures" at one fetch is "il y a 1 jour" at the next: the item keeps the first,
    precise reading (and is not counted as updated); a written date the page corrects still
    updates."""
    page = (
        '<html lang="fr"><body><div class="post"><a href="/a">Annonce</a><span>{a}</span></div>'
        '<div class="post"><a href="/b">Rapport</a><span>{b}</span></div></body></html>'
    )
    text = make_config(local_server, {}) + (
        f"  - name: actus\n    url: '{local_server.url('/actus')}'\n    kind: page\n"
        "    every: 1h\n    select:\n      item: 'div.post'\n      title: 'a'\n"
        "      link: 'a@href'\n      date: 'span'\n"
    )
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    config = parse_config(text)
    settings = resolve_settings(path, f"sqlite:///{tmp_path / 'watch.db'}", config, env={})
    store = open_store(settings.db_url)
    readings = [
        (NOW, "il y a 2 heures", "3 mars 2026"),
        (NOW + timedelta(hours=30), "il y a 1 jour", "4 mars 2026"),
    ]
    for moment, first, second in readings:
        local_server.route(
            "/actus",
            page.format(a=first, b=second),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        pipeline = Pipeline(store, config, settings, clock=lambda m=moment: m)
        (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
        pipeline.close()
    dates = {a.title: a.published for a in stored(store, "actus")}
    store.close()
    assert dates == {
        "Annonce": NOW - timedelta(hours=2),
        "Rapport": datetime(2026, 3, 4, tzinfo=UTC),
    }
    assert outcome.updated == 1, "only the corrected written date"


def test_a_huge_date_text_is_read_from_its_start_only() -> None:
    """A selector matching a whole block of a hostile page: only the start is read (the date
    sits there), so the 100 kB of digits after it cost nothing."""
    text = "Publié le 3 mars 2026 " + "1 " * 50_000
    assert read_page_date(text, now=NOW) == datetime(2026, 3, 3, tzinfo=UTC)
    assert read_page_date("1 " * 50_000 + "3 mars 2026", now=NOW) is None


@pytest.mark.parametrize(
    ("lang", "dates", "expected"),
    [
        # a British site declaring plain "en": its 24/11 says days come first
        ("en", ["24/11/2026", "03/04/2026"], datetime(2026, 4, 3, tzinfo=UTC)),
        # a page declared French but written the US way: its 11/24 says months come first
        ("fr", ["11/24/2026", "03/04/2026"], datetime(2026, 3, 4, tzinfo=UTC)),
        # nothing on the page tells: the language decides
        ("en", ["01/02/2026", "03/04/2026"], datetime(2026, 3, 4, tzinfo=UTC)),
        ("fr", ["01/02/2026", "03/04/2026"], datetime(2026, 4, 3, tzinfo=UTC)),
        # dates that disagree tell nothing: the language decides
        ("fr", ["24/11/2026", "11/25/2026", "03/04/2026"], datetime(2026, 4, 3, tzinfo=UTC)),
    ],
)
def test_a_pages_unambiguous_dates_order_its_ambiguous_ones(
    lang: str, dates: list[str], expected: datetime
) -> None:
    blocks = "".join(
        f'<li><a href="/{i}">Item {i}</a> <span>{date}</span></li>' for i, date in enumerate(dates)
    )
    page = f'<html lang="{lang}"><body><ul>{blocks}</ul></body></html>'
    select = SelectConfig(item="li", title="a", link="a@href", date="span")
    feed = parse_page(page, url="https://site.example/news", select=select, now=NOW)
    assert feed.entries[-1].published == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LUNDI 3 MARS 2026 À 14H05 ET MIS À JOUR À 16H", datetime(2026, 3, 3, 14, 5, tzinfo=UTC)),
        ("3 MARS 2026, 14:05 ET 15:00", datetime(2026, 3, 3, 14, 5, tzinfo=UTC)),
        ("March 3, 2026 2:05 PM ET", datetime(2026, 3, 3, 19, 5, tzinfo=UTC)),
    ],
)
def test_capital_et_after_a_french_date_is_and_not_eastern_time(
    text: str, expected: datetime
) -> None:
    """Session 8: a French headline in capitals ("… À 14H05 ET MIS À JOUR") was read in
    US Eastern time, five hours off; after an English date "ET" stays Eastern."""
    assert read_page_date(text, now=datetime(2026, 11, 24, tzinfo=UTC)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("16.November 2026", datetime(2026, 11, 16, tzinfo=UTC)),
        ("Veröffentlicht am 16.Nov. 2026 um 10:00 Uhr", datetime(2026, 11, 16, 10, tzinfo=UTC)),
        ("am 3.Oktober", datetime(2026, 10, 3, tzinfo=UTC)),
        # as before: with a space, feed dates, numeric and ISO dates, English
        ("16. November 2026 10:00", datetime(2026, 11, 16, 10, tzinfo=UTC)),
        ("Mo, 16. Nov 2026 10:00:00 +0100", datetime(2026, 11, 16, 9, tzinfo=UTC)),
        ("16.11.2026", datetime(2026, 11, 16, tzinfo=UTC)),
        ("2026-11-16", datetime(2026, 11, 16, tzinfo=UTC)),
        ("Nov. 16, 2026", datetime(2026, 11, 16, tzinfo=UTC)),
    ],
)
def test_a_german_day_with_its_dot_against_the_month(text: str, expected: datetime) -> None:
    """Session 12: "16.November 2026" (no space after the ordinal's dot) gave no date."""
    assert read_page_date(text, language="de", now=NOW) == expected


def test_a_version_number_before_a_month_is_no_day() -> None:
    assert read_page_date("v2.Mai 2026", language="de", now=NOW) is None

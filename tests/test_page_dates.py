"""Dates as web pages write them (``kind: page``): English, French, numeric, relative, CJK."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from watch.parse.page_dates import read_page_date

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

"""Frequency advice: a source consulted too rarely (items missed) or far too often."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from tests.test_pipeline import make_config, rfc822, rss
from watch.cadence import advise
from watch.cli import main
from watch.config import SourceConfig, parse_config, resolve_settings
from watch.models import FetchLogEntry
from watch.pipeline import Pipeline
from watch.store import open_store
from watch.wording import describe_age

T0 = datetime(2026, 11, 1, 8, tzinfo=UTC)


def fetches(*counts: tuple[int, int], every: timedelta = timedelta(days=1)) -> list[FetchLogEntry]:
    """A fetch log (newest first) of (new, seen) items, one fetch per ``every``."""
    entries = [
        FetchLogEntry("s", T0 + i * every, "new" if new else "unchanged", 200, new, seen)
        for i, (new, seen) in enumerate(counts)
    ]
    return entries[::-1]


DAILY = SourceConfig(name="s", url="https://s.org/feed", every="1d")


def test_every_item_new_at_two_recent_fetches_means_items_are_missed() -> None:
    """Suggested: half a feed per period at the rate seen (40 a day, 20 kept: 6h), and at most
    half the current period (the rate seen is too low when items are missed)."""
    log = fetches((20, 20), (20, 20), (3, 20), (20, 20))
    advice = advise(DAILY, per_week=7 * 40, log=log)
    assert advice.missing_items and advice.every == "6h"
    assert advice.words == (
        "every item was new at 2 of the last 3 fetches: items are probably missed; consult every 6h"
    )
    assert advise(DAILY, per_week=7 * 5, log=log).every == "12h"


def test_a_single_full_feed_of_new_items_is_not_enough() -> None:
    """A site changing its item ids, or a scheduler stopped for a week, does that once."""
    advice = advise(DAILY, per_week=3, log=fetches((20, 20), (1, 20), (20, 20), (0, 20)))
    assert not advice.missing_items and advice.words == "matches the publishing rate"


def test_the_first_fetch_brings_the_backlog_and_is_not_counted() -> None:
    advice = advise(DAILY, per_week=3, log=fetches((20, 20), (20, 20), (1, 20)))
    assert not advice.missing_items


def test_a_rate_above_half_the_feed_per_period_will_miss_items() -> None:
    advice = advise(DAILY, per_week=7 * 30, log=fetches((20, 20), (15, 20), (14, 20)))
    assert advice.missing_items and advice.every == "6h"
    assert "its feed keeps 20 items: consult every 6h or items will be missed" in advice.words


def test_a_quiet_source_consulted_every_15_minutes_is_told_it_can_wait() -> None:
    quarter = SourceConfig(name="s", url="https://s.org/feed", every="15m")
    advice = advise(quarter, per_week=2)
    assert advice.every == "2d" and not advice.missing_items
    assert advice.words == "publishes every ~4 d: every 2d would do"


def test_a_cron_schedule_that_leaves_a_busy_feed_unread_over_the_weekend_misses_items() -> None:
    """Weekday mornings only: from Friday 8:00 to Monday 8:00 a feed publishing 40 items a day
    and keeping 20 pushes out most of them. Said before it happens (the fetch log would only
    tell after two such weekends); a quiet feed on the same schedule is compared by hand."""
    weekdays = SourceConfig(name="s", url="https://s.org/feed", every="0 8 * * 1-5")
    log = fetches((20, 20), (3, 20), (4, 20))
    advice = advise(weekdays, per_week=7 * 40, log=log)
    assert advice.missing_items and advice.every == "6h"
    assert advice.words == (
        "publishes every ~36 min and its feed keeps 20 items, but its cron schedule leaves up "
        "to ~3 d between fetches: consult every 6h or items will be missed"
    )
    assert advise(weekdays, per_week=2, log=log).words == "cron schedule: compare by hand"


@pytest.mark.parametrize("per_week", [0.0, 0])
def test_a_silent_source_is_named(per_week: float) -> None:
    assert advise(DAILY, per_week).words.startswith("no articles in 4 weeks")


def test_a_silent_source_consulted_hourly_is_told_a_weekly_look_does() -> None:
    """After 4 weeks without an article (the log: 304s only), "consult it less often" named no
    period, so `watch status` said nothing; it is the period `watch sources add` gives such a
    feed."""
    hourly = SourceConfig(name="s", url="https://s.org/feed", every="1h")
    not_modified = [
        FetchLogEntry("s", T0 + timedelta(hours=i), "not_modified", 304) for i in range(50)
    ]
    advice = advise(hourly, 0, not_modified[::-1])
    assert (advice.words, advice.every) == (
        "no articles in 4 weeks: check the source, or consult it every 1w",
        "1w",
    )
    weekly = SourceConfig(name="s", url="https://s.org/feed", every="1w")
    assert advise(weekly, 0, not_modified).every is None


def test_watch_status_says_when_a_fast_feed_loses_items(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A feed that keeps its last 5 items and publishes 5 a day, consulted daily for 4 days:
    every fetch finds only new items — `watch status` says items are missed and what to set
    (the rate is read over the 3 days its 20 items cover: half a feed in under 12 h → 6h)."""
    path = tmp_path / "sources.yaml"
    path.write_text(
        make_config(local_server, {"fast": "/fast"}).replace("every: 1h", "every: 1d"),
        encoding="utf-8",
    )
    config = parse_config(path.read_text(encoding="utf-8"))
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    store = open_store(db)
    now = datetime.now(UTC).replace(microsecond=0)
    for day in range(4):
        moment = now - timedelta(days=3 - day)
        items = [(f"d{day}-{i}", f"Story {day}-{i}", rfc822(moment)) for i in range(5)]
        local_server.route("/fast", rss(items), headers={"Content-Type": "application/rss+xml"})
        settings = resolve_settings(path, db, config, env={})
        pipeline = Pipeline(store, config, settings, clock=lambda m=moment: m)
        asyncio.run(pipeline.run_pass())
        pipeline.close()
    store.close()

    assert main(["status", "-c", str(path), "--db", db]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("fast "))
    assert line.endswith(
        "every item was new at 3 of the last 3 fetches: items are probably missed; consult every 6h"
    )
    assert main(["status", "-c", str(path), "--db", db, "--format", "json"]) == 0
    (row,) = [r for r in json.loads(capsys.readouterr().out) if r["name"] == "fast"]
    assert row["suggested_every"] == "6h"


def test_a_source_just_added_is_judged_on_the_days_its_items_cover(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A feed listing 12 items of the last 3 days (4 a day), consulted every 6h as `watch
    sources add` suggested: after its first fetch `watch status` agrees, instead of counting
    12 items over 4 weeks and advising "every 2d"."""
    now = datetime.now(UTC).replace(microsecond=0)
    items = [(f"i{n}", f"Story {n}", rfc822(now - timedelta(hours=6 * n + 1))) for n in range(12)]
    local_server.route("/busy", rss(items), headers={"Content-Type": "application/rss+xml"})
    path = tmp_path / "sources.yaml"
    path.write_text(
        make_config(local_server, {"busy": "/busy"}).replace("every: 1h", "every: 6h"),
        encoding="utf-8",
    )
    assert main(["fetch", "-c", str(path)]) == 0
    capsys.readouterr()
    assert main(["status", "-c", str(path), "--format", "json"]) == 0
    (row,) = [r for r in json.loads(capsys.readouterr().out) if r["name"] == "busy"]
    assert (row["advice"], row["suggested_every"]) == (None, None)


@pytest.mark.parametrize(
    ("items", "why"),
    [
        ([("u1", "Undated story", "")], "its items carry no dates"),
        ([("d1", "One story", rfc822(datetime.now(UTC) - timedelta(days=3)))], "one dated item"),
    ],
    ids=["undated", "one-dated"],
)
def test_one_item_seen_twice_a_minute_apart_gives_no_frequency_advice(
    local_server: LocalServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    items: list[tuple[str, str, str]],
    why: str,
) -> None:
    """Not "publishes every ~28 d: every 1w would do" on a source followed for a minute."""
    local_server.route("/one", rss(items).replace("<pubDate></pubDate>", ""))
    path = tmp_path / "sources.yaml"
    path.write_text(make_config(local_server, {"one": "/one"}), encoding="utf-8")
    for _ in range(2):
        assert main(["fetch", "-c", str(path)]) == 0
    capsys.readouterr()
    assert main(["status", "-c", str(path), "--format", "json"]) == 0
    (row,) = [r for r in json.loads(capsys.readouterr().out) if r["name"] == "one"]
    assert (row["advice"], row["suggested_every"]) == (None, None)
    from watch.cadence import advise_sources
    from watch.config import load_config

    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    advice = advise_sources(load_config(path), store, datetime.now(UTC))["one"]
    store.close()
    assert (
        advice.words == f"too soon to judge its frequency ({why}): advice after 4 weeks of fetches"
    )


@pytest.mark.parametrize(
    ("age", "words"),
    [
        (timedelta(minutes=3), "3 min"),
        (timedelta(hours=30), "30 h"),
        (timedelta(days=12), "12 days"),
        (timedelta(days=130), "4 months"),
        (timedelta(days=4077), "11 years"),
    ],
)
def test_ages_are_said_in_the_unit_a_person_would_use(age: timedelta, words: str) -> None:
    assert describe_age(age) == words


def test_a_quiet_feed_just_added_is_told_its_latest_date_not_no_articles_yet(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 10 (audit): atp (100 items, the latest of 2019) was told "no articles yet: too
    soon to judge its frequency".  "Too soon" stays for a source that brought nothing."""
    from watch.cadence import advise_sources
    from watch.config import load_config

    latest = datetime(2019, 1, 24, 15, tzinfo=UTC)
    items = [(f"o{n}", f"Old show {n}", rfc822(latest - timedelta(days=7 * n))) for n in range(30)]
    local_server.route("/quiet", rss(items))
    local_server.route("/empty", rss([]))
    path = tmp_path / "sources.yaml"
    path.write_text(
        make_config(local_server, {"quiet": "/quiet", "empty": "/empty"}), encoding="utf-8"
    )
    for _ in range(2):
        assert main(["fetch", "-c", str(path)]) == 0
    capsys.readouterr()
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    advice = advise_sources(load_config(path), store, datetime.now(UTC))
    store.close()
    assert (advice["quiet"].words, advice["quiet"].every) == (
        "no articles in 4 weeks (latest 2019-01-24): check the source, or consult it every 1w",
        "1w",
    )
    assert advice["empty"].words == "no articles yet: too soon to judge its frequency"


def test_a_quiet_source_says_when_it_last_published() -> None:
    latest = datetime(2019, 1, 24, tzinfo=UTC)
    weekly = SourceConfig(name="s", url="https://s.org/feed", every="1w")
    advice = advise(weekly, 0, fetches((0, 20), (0, 20)), stored=48, latest=latest)
    said = "no articles in 4 weeks (latest 2019-01-24): check the source"
    assert (advice.words, advice.every, advice.missing_items) == (said, None, False)
    assert advise(weekly, 0, fetches((0, 0), (0, 0))).words.startswith("no articles yet")


def test_the_advice_is_said_in_the_boards_language() -> None:
    """The board in French or German says the advice in its language, from the same figures
    as `watch status` (the `every:` values stay as sources.yaml writes them)."""
    from watch.advice_words import say
    from watch.digest_lang import FRENCH, GERMAN

    quarter = SourceConfig(name="s", url="https://s.org/feed", every="15m")
    quiet = advise(quarter, per_week=2)
    assert say(quiet.said, FRENCH) == "publie toutes les ~4 j\u202f: une fréquence de 2d suffirait"
    assert say(quiet.said, GERMAN) == "veröffentlicht alle ~4 Tage: ein Intervall von 2d genügt"
    missed = advise(DAILY, 7, fetches((20, 20), (20, 20), (20, 20)))
    assert say(missed.said, FRENCH) == (
        "tous les articles étaient nouveaux lors de 2 des 2 dernières consultations\u202f: des"
        " articles sont sans doute manqués\u202f; passer la fréquence à 12h"
    )
    latest = datetime(2019, 1, 24, tzinfo=UTC)
    silent = advise(DAILY, 0, fetches((0, 20), (0, 20)), stored=48, latest=latest)
    assert say(silent.said, GERMAN) == (
        "seit 4 Wochen keine Artikel (der letzte vom 2019-01-24): die Quelle prüfen oder das"
        " Intervall auf 1w setzen"
    )

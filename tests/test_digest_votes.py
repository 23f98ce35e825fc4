"""A story the team voted down is not worth reading: it is never mailed, posted or previewed.

Session 10 audit: after ``watch feedback 11 --down``, ``watch explain 11`` said "you down-voted
it" yet the week's digest still listed the story; the down-voted "Rançongiciel…" was the only
Sécurité story of the W47 digest.  Every digest (mail, chats, ``watch digest``, the board's
preview) is built by ``gather_digest`` from a real SQLite store, as here.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_digest import IN_WEEK, NOW, WEEK, article, make_config, seed, week_articles
from watch.chat import chat_payload
from watch.digest_job import gather_digest
from watch.digest_render import render_text
from watch.models import Feedback
from watch.store import Store, open_store


def store_of_the_week(tmp_path: Path) -> Store:
    store = open_store(f"sqlite:///{tmp_path / 'watch.db'}")
    seed(store, week_articles())
    return store


def test_a_down_voted_story_is_left_out_and_its_topic_is_no_top_topic(tmp_path: Path) -> None:
    store = store_of_the_week(tmp_path)
    store.add_feedback(Feedback(5, "down"))  # "CVE-2026-1234 in OpenSSL", the only Security story
    digest = gather_digest(store, make_config(), WEEK, NOW)
    text = render_text(digest)
    assert "CVE-2026-1234" not in text and "== Security ==" not in text
    assert [section.topic for section in digest.sections] == ["rust"]
    assert "6 articles collected (5 distinct stories)" in text, "still collected"
    assert "Top topics: Rust & systems (3)\n" in text, "the rust-tagged CVE story is left out too"
    assert "CVE-2026-1234" not in str(chat_payload(digest, "slack"))
    store.close()


def test_a_copy_that_joins_a_down_voted_story_later_does_not_bring_it_back(
    tmp_path: Path,
) -> None:
    store = store_of_the_week(tmp_path)
    store.add_feedback(Feedback(2, "down"))  # the copy: the vote goes to the whole story
    late_copy = article(8, "Rust 2.0 is out", source="gamma", score=99, cluster=7,
                        cluster_sources=["alpha", "beta", "gamma"])  # fmt: skip
    store.upsert_articles([late_copy])
    text = render_text(gather_digest(store, make_config(), WEEK, NOW))
    assert "Rust 2.0" not in text
    assert "* Async traits land" in text and "* Third rust story" in text
    store.close()


def test_a_team_pick_stays_even_when_someone_down_voted_it(tmp_path: Path) -> None:
    store = store_of_the_week(tmp_path)
    store.set_flags(5, starred=True, at=IN_WEEK)
    store.add_feedback(Feedback(5, "down"))
    digest = gather_digest(store, make_config(), WEEK, NOW)
    [picks] = [section for section in digest.sections if section.topic == "picks"]
    assert [story.article.id for story in picks.stories] == [5]
    assert "Top topics: Rust & systems (4), Security (1)\n" in render_text(digest)
    store.close()


def test_a_vote_taken_back_or_turned_up_brings_the_story_back(tmp_path: Path) -> None:
    store = store_of_the_week(tmp_path)
    store.add_feedback(Feedback(5, "down"))
    store.add_feedback(Feedback(5, "unvote"))
    store.add_feedback(Feedback(1, "down"))
    store.add_feedback(Feedback(2, "up"))  # the same story, liked from its copy
    text = render_text(gather_digest(store, make_config(), WEEK, NOW))
    assert "* CVE-2026-1234 in OpenSSL" in text and "* Rust 2.0 announced" in text
    store.close()

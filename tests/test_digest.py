"""The weekly digest: build, render (HTML/text/Markdown), message, and the once-a-week job.

Sending goes through a real aiosmtpd server (STARTTLS + AUTH, fixtures from test_mailer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from html import escape
from pathlib import Path

import pytest

from tests.support.smtp import SmtpServer, free_port
from watch.cli import main
from watch.config import WatchConfig, parse_config
from watch.digest import Digest, build_digest
from watch.digest_render import build_message, render_html, render_markdown, render_text
from watch.digest_words import summary_line, why_line
from watch.models import SourceState, StoredArticle, TermTrend, TopicMatch, TrendReport
from watch.store import DigestRecord, Store, open_store
from watch.wording import counted

WEEK = "2026-W47"  # Monday 16 to Sunday 22 November 2026
NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # Monday 10:30 in Paris, after "mon 08:00"
IN_WEEK = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)

CONFIG_YAML = """
name: Team watch
topics:
  - {name: rust, label: "Rust & systems", keywords: [rust]}
  - {name: security, label: Security, keywords: [cve]}
  - {name: quiet, label: Quiet topic, keywords: [nothing]}
sources:
  - {name: alpha, url: "https://alpha.example/feed", every: 1h}
  - {name: beta, url: "https://beta.example/feed", every: 1d}
  - name: gamma
    url: "https://gamma.example/news"
    kind: page
    every: 1d
    select: {item: article, title: h2, link: a@href}
  - {name: delta, url: "https://delta.example/feed", every: 1h}
  - {name: off, url: "https://off.example/feed", every: 1h, enabled: false}
digest:
  recipients: [team@example.org, lead@example.org]
  stories_per_topic: 2
  board_url: "https://board.example.org/"
  timezone: Europe/Paris
"""

HOSTILE_TITLES = {
    "script": "<script>alert(1)</script> in a title",
    "bcc": "Release notes\r\nBcc: evil@example.com",
    "md": "[click me](javascript:alert(1)) **bold**",
}


def make_config(text: str = CONFIG_YAML) -> WatchConfig:
    return parse_config(text)


def article(
    id: int,
    title: str,
    *,
    source: str = "alpha",
    score: float = 50.0,
    topics: Sequence[tuple[str, float]] = (("rust", 0.9),),
    cluster: int | None = None,
    cluster_sources: Sequence[str] = (),
    url: str | None = None,
    published: datetime = IN_WEEK,
    explanation: Sequence[str] = (),
) -> StoredArticle:
    link = url or f"https://{source}.example/post/{id}"
    return StoredArticle(
        source=source, guid=str(id), url=link, canonical_url=link, title=title,
        summary_html=f"<p>{title}</p>", summary_text=f"About {title}", author=None,
        published=published, fetched_at=published,
        topics=[TopicMatch(name, conf, [f"matched '{name}' in title"]) for name, conf in topics],
        score=score, explanation=list(explanation), cluster_id=cluster, id=id,
        cluster_size=max(1, len(cluster_sources)), cluster_sources=list(cluster_sources),
    )  # fmt: skip


def week_articles() -> list[StoredArticle]:
    return [
        article(1, "Rust 2.0 announced", score=95, cluster=7,
                cluster_sources=["alpha", "beta", "gamma"], explanation=["about rust: 'rust 2.0'"]),
        article(2, "Rust 2.0 is here (copy)", source="beta", score=80, cluster=7,
                cluster_sources=["alpha", "beta", "gamma"]),
        article(3, "Async traits land", score=70),
        article(4, "Third rust story", score=60),
        article(5, "CVE-2026-1234 in OpenSSL", source="delta", score=90,
                topics=[("security", 0.95), ("rust", 0.4)]),
        article(6, "Off-topic article", source="delta", score=99, topics=[]),
    ]  # fmt: skip


def hostile_articles() -> list[StoredArticle]:
    return [
        article(11, HOSTILE_TITLES["script"], score=99, topics=[("security", 0.9)]),
        article(12, HOSTILE_TITLES["bcc"], score=98, topics=[("security", 0.9)],
                url="https://alpha.example/release"),
        article(13, HOSTILE_TITLES["md"], score=97, topics=[("rust", 0.9)],
                url="javascript:alert(document.cookie)"),
    ]  # fmt: skip


def states(now: datetime = NOW) -> list[SourceState]:
    return [
        SourceState("alpha", status="error", last_error="HTTP 503\r\nService Unavailable",
                    error_count=3, last_attempt=now, last_success=now - timedelta(minutes=30)),
        SourceState("beta", status="ok", last_attempt=now, last_success=now - timedelta(days=5)),
        SourceState("gamma", status="ok", last_success=now - timedelta(hours=3), empty_selector=True),
        SourceState("off", status="disabled", last_success=now - timedelta(days=90)),
    ]  # fmt: skip


def trends() -> TrendReport:
    return TrendReport(
        week=WEEK, emerging=[TermTrend("rust 2.0", 5, 0.0), TermTrend("<b>tokio</b>", 4, 1.0)]
    )


def make_digest(
    articles: Sequence[StoredArticle] | None = None, config: WatchConfig | None = None
) -> Digest:
    return build_digest(
        config=config or make_config(), week=WEEK,
        articles=week_articles() if articles is None else articles,
        source_states=states(), trends=trends(), now=NOW,
    )  # fmt: skip


def story_ids(digest: Digest) -> dict[str, list[int]]:
    return {s.topic: [story.article.id for story in s.stories] for s in digest.sections}


# -- build -----------------------------------------------------------------------------------


def test_sections_rank_by_score_one_story_per_cluster_each_once() -> None:
    digest = make_digest()
    # cluster 7 appears once (its best article), stories_per_topic=2 cuts the third rust story,
    # the CVE article sits under its most confident topic only, the empty topic is left out.
    assert story_ids(digest) == {"rust": [1, 3], "security": [5]}
    assert [s.label for s in digest.sections] == ["Rust & systems", "Security"]
    top = digest.sections[0].stories[0]
    assert top.also_covered_by == ["beta", "gamma"]
    assert top.why == "Rust & systems: 'rust' in the title"
    assert digest.sections[0].stories[1].why == "Rust & systems: 'rust' in the title"


def test_a_full_topic_passes_its_next_stories_to_their_other_topic() -> None:
    """Kubernetes CVEs are about security and cloud alike: once 'rust' (their most confident
    topic here) is full, the next ones fill 'security' instead of leaving it out of the mail."""
    both = [("rust", 0.9), ("security", 0.8)]
    articles = [article(i, f"Story {i}", score=90 - i, topics=both) for i in range(1, 6)]
    assert story_ids(make_digest(articles=articles)) == {"rust": [1, 2], "security": [3, 4]}


def test_the_mail_lists_the_8_worst_sources_and_counts_the_others() -> None:
    """A consultant's 400 sources gave 49 lines of health in a mail of 104: the failing one
    first, 8 lines at most, the rest counted and left to the board."""
    quiet = "".join(
        f"  - {{name: q{i:02d}, url: 'https://q{i}.example/feed'}}\n" for i in range(12)
    )
    config = make_config(CONFIG_YAML.replace("digest:\n", quiet + "digest:\n"))
    digest = make_digest(config=config)
    assert [item.name for item in digest.health][:1] == ["alpha"], "the failing source first"
    assert len(digest.health) == 8 and digest.health_more == 8  # 13 never consulted, 3 others
    text = render_text(digest)
    assert "- …and 8 other sources to look at: the board's Sources page lists all\n" in text
    assert "8 other sources to look at" in render_html(digest) + render_markdown(digest)


@pytest.mark.parametrize(
    ("reasons", "why"),
    [
        (
            ["matched 'CVE' in title", "matched 'patch' in text", "matched 'TLS' in summary"],
            "Security: 'CVE' in the title; 'patch', 'TLS' in the text",
        ),
        (
            ["matched 'Go' in title (may be an ordinary word there: weak)", "model 0.71 (x)"],
            "Security: 'Go' in the title; worded like other articles on it",
        ),
        (
            ["model 0.64 (wording like other security articles)"],
            "Security: worded like other articles on it",
        ),
        (["source is tagged security"], "Security: a source that follows it"),
        (
            ["matched 'faille' in title", "your feedback: about security"],
            "Security: 'faille' in the title; according to your feedback",
        ),
        ([], "Security"),
    ],
)
def test_why_a_story_is_there_reads_for_someone_who_never_saw_sources_yaml(
    reasons: list[str], why: str
) -> None:
    story = article(9, "OpenSSL fixes a flaw", topics=(("security", 0.8),))
    story.topics[0].reasons[:] = reasons
    assert why_line(story, "security", "Security") == why


def test_a_story_says_what_it_is_about_in_a_line_and_counts_read_as_english() -> None:
    long_text = "Le correctif " + "corrige une faille importante du serveur " * 10
    story = article(9, "OpenSSL 3.5.1", topics=(("security", 0.8),))
    story.summary_text = long_text
    said = summary_line(story)
    assert said.startswith("Le correctif corrige") and said.endswith("serveur…")
    assert len(said) <= 220
    story.summary_text = "OpenSSL 3.5.1"
    assert summary_line(story) == "", "a text repeating the title says nothing more"
    assert (counted(1, "source"), counted(2, "distinct story")) == (
        "1 source",
        "2 distinct stories",
    )
    config = parse_config(CONFIG_YAML)
    one = [article(1, "Rust 2.0 announced", score=95)]
    digest = build_digest(
        config=config,
        week=WEEK,
        articles=one,
        source_states=[],
        trends=TrendReport(week=WEEK),
        now=NOW,
    )
    text = render_text(digest)
    assert "1 article collected (1 distinct story) from 1 source;" in text
    assert text.startswith("Team watch — weekly digest 16–22 Nov 2026 (2026-W47)")
    assert "\n  About Rust 2.0 announced\n  Why: Rust & systems: 'rust' in the title" in text
    html = render_html(digest)
    assert 'dir="auto"' in html and "16–22 Nov 2026" in html


def test_a_story_whose_feed_gave_no_summary_says_the_start_of_its_page() -> None:
    story = article(9, "Ce que nous avons appris cette semaine", topics=(("security", 0.8),))
    story.summary_text = ""
    assert summary_line(story) == ""
    story.text_lead = "Une faille dans OpenSSL 3.5 permet de lire la mémoire du serveur."
    assert summary_line(story) == story.text_lead
    story.summary_text = "Une faille dans OpenSSL 3.5…"
    assert summary_line(story) == story.text_lead, "a teaser gives way to the page it starts"


def test_overview_subject_board_and_emerging() -> None:
    digest = make_digest()
    assert digest.subject == "Team watch — weekly digest 16–22 Nov 2026 (2026-W47)"
    assert digest.overview["articles"] == 6
    assert digest.overview["stories"] == 5
    assert digest.overview["sources_publishing"] == 4  # gamma carries story 7 too
    assert digest.overview["sources_consulted"] == 3
    assert digest.overview["sources_enabled"] == 4
    assert digest.overview["top_topics"][0] == ("Rust & systems", 4)
    assert digest.board_url == "https://board.example.org/"
    assert [t.term for t in digest.emerging] == ["rust 2.0", "<b>tokio</b>"]


def test_top_topics_tied_in_count_follow_the_order_of_sources_yaml() -> None:
    """Same data, same line on every run and backend (ties went by hash or row order)."""
    names = ["a", "b", "c", "d", "e", "f"]
    topics = "\n".join(f"  - {{name: {n}, label: {n.upper()}, keywords: [{n}]}}" for n in names)
    config = make_config(
        CONFIG_YAML.replace(CONFIG_YAML.split("topics:\n")[1].split("sources:")[0], topics + "\n")
    )
    singles = [
        article(i, f"About {n}", score=90 - 10 * i, topics=[(n, 0.9)])
        for i, n in enumerate(reversed(names[:5]))
    ]
    pair = [article(10 + i, f"F story {i}", score=10, topics=[("f", 0.9)]) for i in range(2)]
    digest = make_digest(singles + pair, config)
    assert digest.overview["top_topics"] == [("F", 2), ("A", 1), ("B", 1)]  # fmt: skip


def test_source_health_lists_errors_stale_sources_and_broken_selectors() -> None:
    problems = {(item.name, item.problem) for item in make_digest().health}
    assert problems == {
        (
            "alpha",
            "the site has a server problem ('HTTP 503 Service Unavailable');"
            " 3 failed attempts in a row",
        ),
        ("beta", "not consulted since 5 days (every day)"),
        ("gamma", "selector matched nothing"),
        ("delta", "never consulted"),
    }


# -- render ----------------------------------------------------------------------------------


def test_three_renderings_carry_the_same_stories_and_sections() -> None:
    digest = make_digest()
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    for section in digest.sections:
        assert escape(section.label) in html and section.label in text
        assert "## Rust \\& systems" in markdown or section.label in markdown
        for story in section.stories:
            assert escape(story.title) in html and story.title in text
            assert (
                story.article.url in html
                and story.article.url in text
                and story.article.url in markdown
            )
    assert "Third rust story" not in html + text + markdown
    for rendering in (html, text, markdown):
        assert "Also covered by 2 sources" in rendering
        assert "selector matched nothing" in rendering
        assert "https://board.example.org/" in rendering
        assert "rust 2.0" in rendering


def test_stakeholders_read_source_labels_not_ids() -> None:
    """A story's source, "Also covered by" and source health name sources by their label:
    people who decide do not know ids like ``beta``."""
    labelled = (
        CONFIG_YAML.replace("{name: alpha,", "{name: alpha, label: Alpha Weekly,")
        .replace("{name: beta,", "{name: beta, label: 'Beta <News> & [co]',")
        .replace("  - name: gamma\n", "  - name: gamma\n    label: Gamma Journal\n")
    )
    digest = make_digest(config=make_config(labelled))
    top = digest.sections[0].stories[0]
    assert (top.source, top.also_covered_by) == (
        "Alpha Weekly",
        ["Beta <News> & [co]", "Gamma Journal"],
    )
    assert digest.sections[1].stories[0].source == "delta", "no label: the name"
    assert {item.name for item in digest.health} == {
        "Alpha Weekly",
        "Beta <News> & [co]",
        "Gamma Journal",
        "delta",
    }
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    also = "Also covered by 2 sources: {beta}, Gamma Journal"
    assert "Alpha Weekly · 2026-11-18" in html and "Alpha Weekly · 2026-11-18" in text
    assert also.format(beta="Beta &lt;News&gt; &amp; [co]") in html
    assert also.format(beta="Beta <News> & [co]") in text
    assert "— Alpha Weekly, 2026-11-18" in markdown
    assert also.format(beta="Beta \\<News\\> \\& \\[co\\]") in markdown
    assert "<strong>Gamma Journal</strong>: " in html and "- Gamma Journal: selector" in text
    for rendering in (html, text, markdown):
        words = re.sub(r"https://[^\s\"'>)]+", "", rendering)  # links keep their hosts
        assert not re.search(r"\b(alpha|beta|gamma)\b", words), "no id left"


def test_html_is_mail_ready_inlined_dark_mode_no_remote_content() -> None:
    html = render_html(make_digest())
    assert re.search(r"<h2 style=\"[^\"]*border-bottom", html)
    assert '<meta name="color-scheme" content="light dark">' in html
    assert "@media (prefers-color-scheme: dark)" in html
    assert not re.search(r"<(img|script|link|iframe)\b", html, re.I)
    assert "&lt;b&gt;tokio&lt;/b&gt;" in html


def test_hostile_titles_and_links_are_escaped_in_every_rendering() -> None:
    digest = make_digest(hostile_articles())
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "document.cookie" not in html + text + markdown  # the javascript: URL is dropped
    assert 'href="javascript' not in html.lower()
    assert (
        "Release notes Bcc: evil@example.com" in html
        and "Release notes Bcc: evil@example.com" in text
    )
    assert not any(line.startswith("Bcc") for line in (html + text + markdown).splitlines())
    assert "(no web link)" in text
    assert "\\[click me\\]\\(javascript:alert\\(1\\)\\) \\*\\*bold\\*\\*" in markdown
    assert "](javascript" not in markdown and "](<javascript" not in markdown


def test_markdown_link_targets_cannot_break_out() -> None:
    odd = article(21, "Odd link", url="https://x.example/a_(b)<c>?q=1")
    markdown = render_markdown(make_digest([odd]))
    assert "[Odd link](<https://x.example/a_%28b%29%3Cc%3E?q=1>)" in markdown


# -- message ---------------------------------------------------------------------------------


def test_message_is_multipart_alternative_with_clean_headers() -> None:
    config = make_config(
        CONFIG_YAML.replace("name: Team watch", 'name: "Team\\r\\nBcc: evil@example.com"')
    )
    message = build_message(
        make_digest(hostile_articles(), config), "watch@example.org", ["team@example.org"]
    )
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert (
        message["Subject"] == "Team Bcc: evil@example.com — weekly digest 16–22 Nov 2026 (2026-W47)"
    )
    assert "Bcc" not in message
    assert not re.search(rb"^Bcc:", message.as_bytes(), re.M)


# -- sending through the job, with a real SMTP server ----------------------------------------


StoreOpener = Callable[[], Store]


@pytest.fixture
def reopen(tmp_path: Path) -> Iterator[StoreOpener]:
    """Opens a fresh SQLite store object on the same database file at each call (a restart)."""
    opened: list[Store] = []
    url = f"sqlite:///{tmp_path / 'watch.db'}"

    def opener() -> Store:
        opened.append(open_store(url))
        return opened[-1]

    yield opener
    for store in opened:
        store.close()


def seed(store: Store, articles: Sequence[StoredArticle]) -> None:
    store.upsert_articles(articles)
    for state in states():
        store.save_source_state(state)


def received(server: SmtpServer) -> list[EmailMessage]:
    return server.recorder.messages()


def test_send_digest_delivers_a_clean_multipart_message(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    from watch.digest_job import send_digest

    store = reopen()
    seed(store, week_articles() + hostile_articles())
    record = send_digest(store, make_config(), smtp_server.settings, WEEK, now=NOW,
                         ssl_context=smtp_server.client_context)  # fmt: skip
    assert record.status == "sent" and record.attempts == 1 and record.sent_at == NOW
    [envelope] = smtp_server.recorder.envelopes
    assert sorted(envelope.rcpt_tos) == ["lead@example.org", "team@example.org"]
    [message] = received(smtp_server)
    assert "Bcc" not in message
    assert message["Subject"] == "Team watch — weekly digest 16–22 Nov 2026 (2026-W47)"
    assert message.get_content_type() == "multipart/alternative"
    text_part, html_part = message.iter_parts()
    text, html = text_part.get_content(), html_part.get_content()
    for title in ("Rust 2.0 announced", "Release notes Bcc: evil@example.com", "**bold**"):
        assert title in text and title in html
    assert "CVE-2026-1234" not in text + html  # pushed out by stories_per_topic=2
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert 'href="javascript' not in html.lower()
    assert "Rust &amp; systems" in html and "== Security ==" in text


def test_scheduled_digest_is_sent_once_per_week_across_restarts(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    from watch.digest_job import run_scheduled_digest

    config, context = make_config(), smtp_server.client_context
    first = reopen()
    seed(first, week_articles())
    before = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)  # 07:30 in Paris, before "mon 08:00"
    assert (
        run_scheduled_digest(first, config, smtp_server.settings, before, ssl_context=context)
        is None
    )
    record = run_scheduled_digest(first, config, smtp_server.settings, NOW, ssl_context=context)
    assert record is not None and record.week == WEEK and record.status == "sent"
    restarted = reopen()
    later = NOW + timedelta(days=2)
    assert (
        run_scheduled_digest(restarted, config, smtp_server.settings, later, ssl_context=context)
        is None
    )
    assert len(received(smtp_server)) == 1
    assert restarted.get_digest(WEEK) == record


def test_failed_send_is_retried_after_backoff(smtp_server: SmtpServer, reopen: StoreOpener) -> None:
    from watch.digest_job import run_scheduled_digest

    config, context = make_config(), smtp_server.client_context
    store = reopen()
    seed(store, week_articles())
    closed = replace(smtp_server.settings, port=free_port())
    failed = run_scheduled_digest(store, config, closed, NOW, ssl_context=context)
    assert failed is not None and failed.status == "failed" and failed.attempts == 1
    assert failed.error and "cannot send via 127.0.0.1" in failed.error
    assert failed.next_retry == NOW + timedelta(minutes=5)
    soon = NOW + timedelta(minutes=2)
    assert (
        run_scheduled_digest(store, config, smtp_server.settings, soon, ssl_context=context) is None
    )
    due = NOW + timedelta(minutes=6)
    sent = run_scheduled_digest(reopen(), config, smtp_server.settings, due, ssl_context=context)
    assert sent is not None and sent.status == "sent" and sent.attempts == 2 and sent.error is None
    assert len(received(smtp_server)) == 1


def test_force_resends_a_week_already_sent(smtp_server: SmtpServer, reopen: StoreOpener) -> None:
    from watch.digest_job import send_digest

    config, context = make_config(), smtp_server.client_context
    store = reopen()
    seed(store, week_articles())
    first = send_digest(store, config, smtp_server.settings, WEEK, now=NOW, ssl_context=context)
    again = send_digest(store, config, smtp_server.settings, WEEK, now=NOW + timedelta(hours=1),
                        ssl_context=context)  # fmt: skip
    assert again == first and len(received(smtp_server)) == 1
    later = NOW + timedelta(hours=2)
    forced = send_digest(store, config, smtp_server.settings, WEEK, force=True, now=later,
                         ssl_context=context)  # fmt: skip
    assert forced.status == "sent" and forced.sent_at == later and forced.attempts == 2
    assert len(received(smtp_server)) == 2


def test_nothing_is_sent_without_recipients(smtp_server: SmtpServer, reopen: StoreOpener) -> None:
    from watch.digest_job import run_scheduled_digest, send_digest

    config = make_config(
        CONFIG_YAML.replace("recipients: [team@example.org, lead@example.org]", "recipients: []")
    )
    store = reopen()
    assert run_scheduled_digest(store, config, smtp_server.settings, NOW) is None
    with pytest.raises(ValueError, match="recipients"):
        send_digest(store, config, smtp_server.settings, WEEK, now=NOW)
    assert received(smtp_server) == []


def test_weeks_and_backoff() -> None:
    from watch.digest_weeks import previous_week, retry_delay, scheduled_time

    assert previous_week(NOW) == WEEK
    assert previous_week(datetime(2027, 1, 4, 8, tzinfo=UTC)) == "2026-W53"
    paris = scheduled_time("mon 08:00", "Europe/Paris", NOW)
    assert paris == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (5, 10, 20)]
    assert retry_delay(30) == timedelta(hours=6)


def test_a_send_interrupted_midway_is_retried_after_the_grace_period(
    smtp_server: SmtpServer, reopen: StoreOpener
) -> None:
    """A crash between "pending" and the outcome leaves a pending record: no duplicate from a
    second scheduler right away, a resend once the grace period is over."""
    from watch.digest_job import run_scheduled_digest
    from watch.digest_weeks import SEND_GRACE

    config, context = make_config(), smtp_server.client_context
    store = reopen()
    seed(store, week_articles())
    store.save_digest(DigestRecord(WEEK, "pending", attempts=1, last_attempt=NOW,
                                   next_retry=NOW + SEND_GRACE))  # fmt: skip
    soon = NOW + timedelta(minutes=1)
    assert (
        run_scheduled_digest(store, config, smtp_server.settings, soon, ssl_context=context) is None
    )
    later = NOW + SEND_GRACE + timedelta(minutes=1)
    record = run_scheduled_digest(store, config, smtp_server.settings, later, ssl_context=context)
    assert record is not None and record.status == "sent" and record.attempts == 2
    assert len(received(smtp_server)) == 1


# -- as the reader gets it on Monday (issue 5 review) ----------------------------------------


def test_links_lose_their_tracking_parameters_and_keep_the_rest() -> None:
    """utm_*, fbclid… are the publisher's counters, not part of the link: a director forwards
    clean links. Every other parameter, its order and the fragment stay as published."""
    tracked = "https://news.example/p?utm_source=rss&id=7&Utm_Medium=feed&fbclid=Xy&q=a%20b#part-2"
    digest = make_digest([article(31, "Tracked link", url=tracked)])
    clean = "https://news.example/p?id=7&q=a%20b#part-2"
    assert digest.sections[0].stories[0].link == clean
    for rendering in (render_text(digest), render_html(digest), render_markdown(digest)):
        assert "utm_" not in rendering.lower() and "fbclid" not in rendering
    assert clean in render_text(digest)
    only_trackers = article(32, "Only trackers", url="https://news.example/q?utm_campaign=x")
    assert make_digest([only_trackers]).sections[0].stories[0].link == "https://news.example/q"


def test_subject_names_the_days_the_week_covers() -> None:
    """Readers do not count ISO weeks: the subject says which days (in the digest's time zone)."""
    assert make_digest().subject == "Team watch — weekly digest 16–22 Nov 2026 (2026-W47)"
    across_months = build_digest(config=make_config(), week="2026-W49", articles=[],
                                 source_states=[], trends=trends(), now=NOW)  # fmt: skip
    assert across_months.subject.endswith("30 Nov – 6 Dec 2026 (2026-W49)")
    across_years = build_digest(config=make_config(), week="2026-W53", articles=[],
                                source_states=[], trends=trends(), now=NOW)  # fmt: skip
    assert across_years.subject.endswith("28 Dec 2026 – 3 Jan 2027 (2026-W53)")


def test_story_dates_are_the_readers_dates() -> None:
    """23:30 UTC on Monday 16 is Tuesday 17 at 00:30 in Paris (digest.timezone)."""
    late = article(33, "Late evening news", published=datetime(2026, 11, 16, 23, 30, tzinfo=UTC))
    digest = make_digest([late])
    assert digest.sections[0].stories[0].date == "2026-11-17"
    assert "alpha · 2026-11-17" in render_text(digest)


def test_the_week_runs_from_monday_to_monday_in_the_digest_time_zone(
    reopen: StoreOpener,
) -> None:
    """An article of Monday 00:30 in Paris belongs to the week that starts that Monday."""
    from watch.digest_job import gather_digest

    store = reopen()
    monday_16_paris = datetime(2026, 11, 15, 23, 30, tzinfo=UTC)
    monday_23_paris = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    seed(store, [article(41, "First of the week", published=monday_16_paris),
                 article(42, "First of the next week", published=monday_23_paris)])  # fmt: skip
    digest = gather_digest(store, make_config(), WEEK, NOW)
    assert [story.title for section in digest.sections for story in section.stories] == [
        "First of the week"
    ]
    assert digest.overview["articles"] == 1


def test_sources_publishing_counts_every_source_of_a_story() -> None:
    """The store gives one article per cluster; the sources that carried the others count too."""
    best = article(51, "Shared story", cluster=9, cluster_sources=["beta", "gamma"])
    digest = build_digest(config=make_config(), week=WEEK, articles=[best], source_states=states(),
                          trends=trends(), now=NOW, article_count=3)  # fmt: skip
    assert digest.overview["sources_publishing"] == 3
    assert digest.sections[0].stories[0].also_covered_by == ["beta", "gamma"]


def test_date_header_is_in_utc_not_an_unknown_zone() -> None:
    """RFC 5322: "-0000" means "time zone unknown"; the digest knows it is UTC."""
    message = build_message(make_digest(), "watch@example.org", ["team@example.org"])
    assert message["Date"].endswith("+0000")


def test_out_of_office_replies_are_not_invited() -> None:
    message = build_message(make_digest(), "watch@example.org", ["team@example.org"])
    assert message["Auto-Submitted"] == "auto-generated"


def test_top_topics_are_those_the_digest_shows() -> None:
    only_security = make_config(CONFIG_YAML + "  topics: [security]\n")
    digest = make_digest(config=only_security)
    assert [s.topic for s in digest.sections] == ["security"]
    assert [label for label, _ in digest.overview["top_topics"]] == ["Security"]


def test_a_week_that_does_not_exist_is_refused_in_words(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["digest", "--week", "2026-W99"])
    assert stopped.value.code == 2
    assert "'2026-W99' is not an ISO week: 2026 has weeks 01 to 53" in capsys.readouterr().err


def test_trends_count_articles_in_the_readers_week_they_were_published(
    reopen: StoreOpener,
) -> None:
    """Session 7: the digest's trends use its weeks (Monday 00:30 in Paris opens a week) and
    publication dates: a new source's undated backlog is not this week's news, an undated
    article seen later is; an old article fetched this week stays in its own week."""
    from watch.digest_job import gather_digest, week_trends

    store = reopen()
    first_fetch, later_fetch = IN_WEEK, IN_WEEK + timedelta(days=1)
    backlog = [
        replace(
            article(60 + n, f"Archived rust note {n}", source="gamma", published=first_fetch),
            date_from_feed=False,
        )
        for n in range(5)
    ]
    seed(store, backlog)
    monday_0030_paris = datetime(2026, 11, 15, 23, 30, tzinfo=UTC)
    seed(store, [article(50 + n, f"Kyber lands in browser {n}", published=monday_0030_paris)
                 for n in range(3)])  # fmt: skip
    seen_later = replace(article(70, "Rust page update", source="gamma", published=later_fetch),
                         date_from_feed=False)  # fmt: skip
    old = replace(article(71, "Rust in 2019", published=datetime(2019, 5, 1, tzinfo=UTC)),
                  fetched_at=later_fetch)  # fmt: skip
    seed(store, [seen_later, old])
    report = week_trends(store, WEEK, "Europe/Paris")
    assert report.volumes["rust"] == {
        "2026-W47": 4, "2026-W46": 0, "2026-W45": 0, "2026-W44": 0, "2026-W43": 0,
    }  # fmt: skip
    digest = gather_digest(store, make_config(), WEEK, NOW)
    lines = [(trend.term, trend.count) for trend in digest.emerging]
    assert lines == [("browser, kyber lands", 3)]  # the same 3 stories: one line


def test_a_new_sources_undated_backlog_is_not_this_weeks_news(reopen: StoreOpener) -> None:
    """Session 8: a page source added on Wednesday brings 40 items without dates; they are
    dated by that first fetch, but they are not the week's news: neither listed nor counted.
    An undated item the same source shows on a later fetch is."""
    from watch.digest_job import gather_digest

    store = reopen()
    first_fetch = IN_WEEK
    backlog = [
        replace(article(100 + n, f"Changelog entry {n}", source="gamma", score=90.0,
                        published=first_fetch), date_from_feed=False)
        for n in range(40)
    ]  # fmt: skip
    seed(store, [*backlog, article(1, "Rust 1.90 released", score=60.0)])
    later = replace(
        article(200, "Changelog entry new", source="gamma", score=70.0,
                published=first_fetch + timedelta(days=1)), date_from_feed=False,
    )  # fmt: skip
    seed(store, [later])
    digest = gather_digest(store, make_config(), WEEK, NOW)
    listed = [story.title for section in digest.sections for story in section.stories]
    assert sorted(listed) == ["Changelog entry new", "Rust 1.90 released"]
    assert digest.overview["articles"] == 2


def test_starred_articles_open_the_digest_as_the_teams_picks(reopen: StoreOpener) -> None:
    """Session 8: the project lead stars what the stakeholders must read on the board; those
    open the digest whatever their score or topic, said why, and are not repeated below."""
    from watch.digest_job import gather_digest

    store = reopen()
    seed(store, [
        article(1, "Rust 1.90 released", score=90.0),
        article(2, "Rust survey results", score=40.0, cluster=7, cluster_sources=["alpha", "beta"]),
        article(3, "Rust survey: the numbers", source="beta", score=80.0, cluster=7,
                cluster_sources=["alpha", "beta"]),
        article(4, "Our client's competitor raises funds", score=5.0, topics=()),
    ])  # fmt: skip
    store.set_flags(2, starred=True, at=IN_WEEK)
    store.set_flags(4, starred=True, at=IN_WEEK)
    digest = gather_digest(store, make_config(), WEEK, NOW)
    assert story_ids(digest) == {"picks": [2, 4], "rust": [1]}
    picks = digest.sections[0]
    assert picks.label == "Picked by the team"
    assert [story.why for story in picks.stories] == [
        "starred on the board; Rust & systems: 'rust' in the title",
        "starred on the board",
    ]
    text = render_text(digest)
    assert text.index("== Picked by the team ==") < text.index("== Rust & systems ==")
    assert "Rust survey: the numbers" not in text  # its story is the pick above


def test_a_pick_belongs_to_the_week_it_was_starred_and_carries_the_teams_note(
    reopen: StoreOpener,
) -> None:
    """Session 8: Monday morning the lead stars Friday's article (last week's digest is
    gone): it opens THIS week's digest, with the note written for the readers (escaped)."""
    from watch.digest_job import gather_digest

    store = reopen()
    friday_before = IN_WEEK - timedelta(days=5)
    seed(store, [article(1, "Kyber everywhere", published=friday_before),
                 article(2, "Rust 1.90 released")])  # fmt: skip
    store.set_flags(1, starred=True, at=IN_WEEK)
    store.set_note(1, "Our client <b>must</b> plan the migration & budget it.")
    digest = gather_digest(store, make_config(), WEEK, NOW)
    assert story_ids(digest) == {"picks": [1], "rust": [2]}
    assert digest.sections[0].stories[0].note == (
        "Our client <b>must</b> plan the migration & budget it."
    )
    html, text = render_html(digest), render_text(digest)
    assert "Note: Our client &lt;b&gt;must&lt;/b&gt; plan the migration &amp; budget it." in html
    assert "  Note: Our client <b>must</b> plan the migration & budget it." in text
    assert r"**Note:** Our client \<b\>must\</b\>" in render_markdown(digest)
    last_week = gather_digest(store, make_config(), "2026-W46", NOW)
    assert "picks" not in story_ids(last_week), "published then, but picked this week"


# -- in French for French stakeholders (session 8) -------------------------------------------

NNBSP = "\u202f"  # French typesetting: before ":" ";" and inside « »
FRENCH_YAML = (
    CONFIG_YAML.replace("name: Team watch", 'name: "Veille techno — équipe web"').replace(
        "label: Security,", "label: Sécurité,"
    )
    + "  language: fr\n"
)
FRENCH_SUBJECT = (
    "Veille techno — équipe web — synthèse hebdomadaire du 16 au 22 nov. 2026 (semaine 47)"
)
ENGLISH_WORDS = (
    "Weekly", "weekly digest", "collected", "consulted", "Top topics", "Picked", "Note:",
    "Why", "Also covered", "No stories", "Emerging", "Source health", "All sources",
    "Open the board", "Sent by", "(new)", "a week before", "(untitled)", "(no web link)",
    "starred", "in the title", "error:", "not consulted", "never consulted", "selector",
)  # fmt: skip


def typeset(text: str) -> str:
    """An expectation written with plain spaces, typeset the French way: "Note :" → "Note\u202f:"."""
    for plain, narrow in ((" :", NNBSP + ":"), (" ;", NNBSP + ";"), ("« ", "«" + NNBSP),
                          (" »", NNBSP + "»")):  # fmt: skip
        text = text.replace(plain, narrow)
    return text


def french_digest(
    articles: Sequence[StoredArticle] | None = None,
    source_states: Sequence[SourceState] | None = None,
    **more: object,
) -> Digest:
    return build_digest(
        config=make_config(FRENCH_YAML), week=WEEK,
        articles=week_articles() if articles is None else articles,
        source_states=states() if source_states is None else source_states,
        trends=trends(), now=NOW, **more,  # type: ignore[arg-type]
    )  # fmt: skip


def healthy_states() -> list[SourceState]:
    return [SourceState(name, status="ok", last_attempt=NOW, last_success=NOW)
            for name in ("alpha", "beta", "gamma", "delta")]  # fmt: skip


def test_a_french_digest_says_everything_in_french_in_its_three_renderings() -> None:
    """Session 8: ``digest: language: fr`` for directors who read French on Monday."""
    digest = french_digest()
    assert digest.subject == FRENCH_SUBJECT
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    assert html.startswith('<!DOCTYPE html><html lang="fr">')
    assert f"<title>{FRENCH_SUBJECT}</title>" in html
    assert ">Synthèse hebdomadaire du 16 au 22 nov. 2026 (semaine 47)</p>" in html
    assert text.startswith(FRENCH_SUBJECT + "\n")
    assert markdown.startswith(f"# {FRENCH_SUBJECT}\n")
    overview = typeset(
        "6 articles collectés (5 actualités distinctes) provenant de 4 sources ;"
        " 3 sources consultées sur 4, dont 1 en erreur."
    )
    for rendering in (html, text, markdown):
        assert overview in rendering
        assert typeset("Thèmes principaux : Rust ") in rendering
        assert typeset("Pourquoi : Rust ") in rendering
        assert typeset("Aussi couvert par 2 sources : beta, gamma") in rendering
        assert "Tendances de la semaine" in rendering and "Santé des sources" in rendering
        assert "Ouvrir le tableau de bord" in rendering
        words = re.sub(r"https://[^\s\"'>)]+", "", rendering)
        assert not [word for word in ENGLISH_WORDS if word in words], "English left"
    assert typeset("\n- rust 2.0 : 5 sujets (nouveau)\n") in text
    assert typeset("- <b>tokio</b> : 4 sujets (environ 1,0 par semaine auparavant)") in text
    assert typeset("- **rust 2.0** : 5 sujets (nouveau)") in markdown
    assert typeset("<strong>rust 2.0</strong> : 5 sujets (nouveau)</li>") in html
    assert "alpha · mercredi 18 novembre" in html and "alpha · mercredi 18 novembre" in text
    assert "— alpha, mercredi 18 novembre" in markdown
    assert typeset("\nOuvrir le tableau de bord : https://board.example.org/\n") in text
    assert "[Ouvrir le tableau de bord](<https://board.example.org/>)" in markdown
    assert (
        ">Ouvrir le tableau de bord</a> pour tous les articles, les filtres et vos retours." in html
    )
    assert "Envoyé par watch pour Veille techno — équipe web.</p>" in html


def test_a_quiet_french_week_says_so_in_french() -> None:
    digest = french_digest([], healthy_states())
    for rendering in (render_html(digest), render_text(digest), render_markdown(digest)):
        assert "Aucune actualité sur les thèmes suivis cette semaine." in rendering
        assert "Toutes les sources ont été consultées à leur fréquence, sans erreur." in rendering
        assert typeset("0 article collecté (0 actualité distincte) provenant de 0 source ;") in (
            rendering
        )


@pytest.mark.parametrize(
    ("reasons", "why"),
    [
        (
            ["matched 'CVE' in title", "matched 'patch' in text", "matched 'TLS' in summary"],
            "Sécurité : « CVE » dans le titre ; « patch », « TLS » dans le texte",
        ),
        (
            ["matched 'Go' in title (may be an ordinary word there: weak)", "model 0.71 (x)"],
            "Sécurité : « Go » dans le titre ; rédigé comme d’autres articles sur ce thème",
        ),
        (["source is tagged security"], "Sécurité : une source qui suit ce thème"),
        (
            [
                "matched 'faille' in title",
                "matched 'CVE' in title",
                "your feedback: about security",
            ],
            "Sécurité : « faille », « CVE » dans le titre ; selon vos retours",
        ),
        ([], "Sécurité"),
    ],
)
def test_why_lines_in_french_quote_keywords_the_french_way(reasons: list[str], why: str) -> None:
    from watch.digest_lang import FRENCH

    story = article(9, "OpenSSL corrige une faille", topics=(("security", 0.8),))
    story.topics[0].reasons[:] = reasons
    assert why_line(story, "security", "Sécurité", FRENCH) == typeset(why)


def test_french_counts_take_the_singular_for_zero_and_one() -> None:
    from watch.digest_lang import ENGLISH, FRENCH

    assert [FRENCH.count(n, "article") for n in (0, 1, 2)] == [
        "0 article",
        "1 article",
        "2 articles",
    ]
    assert [ENGLISH.count(n, "article") for n in (0, 1, 2)] == [
        "0 articles",
        "1 article",
        "2 articles",
    ]
    one = article(1, "Rust 2.0 annoncé", score=95, cluster=7, cluster_sources=["alpha", "beta"])
    digest = build_digest(config=make_config(FRENCH_YAML), week=WEEK, articles=[one],
                          source_states=[], trends=TrendReport(week=WEEK, emerging=[
                              TermTrend("rust 2.0", 1, 0.0), TermTrend("tokio", 2, 3.5)]),
                          now=NOW)  # fmt: skip
    text = render_text(digest)
    assert (
        typeset(
            "1 article collecté (1 actualité distincte) provenant de 2 sources ; aucune source"
            " consultée pendant la semaine (ses articles ont été collectés ensuite)."
        )
        in text
    )
    assert typeset("Aussi couvert par 1 source : beta") in text
    assert typeset("- rust 2.0 : 1 sujet (nouveau)") in text
    assert typeset("- tokio : 2 sujets (environ 3,5 par semaine auparavant)") in text


def test_french_dates_name_the_days_and_months_in_french() -> None:
    from watch.digest_lang import FRENCH
    from watch.digest_words import week_period

    assert [week_period(week, FRENCH) for week in ("2026-W47", "2026-W49", "2026-W53")] == [
        "16–22 nov. 2026", "30 nov. – 6 déc. 2026", "28 déc. 2026 – 3 janv. 2027",
    ]  # fmt: skip
    assert [week_period(week, FRENCH, "span") for week in ("2026-W49", "2026-W53", "2027-W05")] == [
        "du 30 nov. au 6 déc. 2026", "du 28 déc. 2026 au 3 janv. 2027", "du 1er au 7 févr. 2027",
    ]  # fmt: skip
    monday_paris = article(1, "Lundi", published=datetime(2026, 11, 15, 23, 30, tzinfo=UTC))
    older = article(2, "Archive", published=datetime(2019, 5, 1, 8, tzinfo=UTC))
    dates = [story.date for story in french_digest([monday_paris, older]).sections[0].stories]
    assert dates == ["lundi 16 novembre", "mercredi 1er mai 2019"], "another year shows its year"
    across = build_digest(config=make_config(FRENCH_YAML), week="2026-W53", articles=[],
                          source_states=[], trends=trends(), now=NOW)  # fmt: skip
    assert across.subject.endswith(
        "synthèse hebdomadaire du 28 déc. 2026 au 3 janv. 2027 (semaine 53)"
    )


def test_french_picks_and_their_note() -> None:
    pick = article(2, "Rust survey results", score=40.0)
    pick.note = "Notre client <b>doit</b> planifier la migration & la budgéter."
    unclassified = article(4, "Un concurrent lève des fonds", score=5.0, topics=())
    digest = french_digest(week_articles()[2:3], picks=[pick, unclassified])
    picks = digest.sections[0]
    assert picks.label == "Choix de l’équipe"
    assert [story.why for story in picks.stories] == [
        typeset(
            "marqué d’une étoile sur le tableau de bord ; Rust & systems : « rust » dans le titre"
        ),
        "marqué d’une étoile sur le tableau de bord",
    ]
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    assert text.index("== Choix de l’équipe ==") < text.index("== Rust & systems ==")
    assert (
        typeset("\n  Note : Notre client <b>doit</b> planifier la migration & la budgéter.\n")
        in text
    )
    assert (
        typeset(
            ">Note : Notre client &lt;b&gt;doit&lt;/b&gt; planifier la migration &amp; la budgéter.<"
        )
        in html
    )
    assert (
        typeset(r"**Note :** Notre client \<b\>doit\</b\> planifier la migration \& la") in markdown
    )
    assert "<h2" in html and "Choix de l’équipe</h2>" in html


def test_french_source_health_lines_are_worded_from_the_rows() -> None:
    """The rows come from watch.health (its words are English); the digest words them in
    French from their fields, the server's own error text quoted as received."""
    french_states = [
        SourceState("alpha", status="error", last_error="HTTP 503\r\nService Unavailable",
                    error_count=3, last_attempt=NOW, last_success=NOW - timedelta(minutes=30)),
        SourceState("beta", status="ok", last_attempt=NOW, last_success=NOW - timedelta(days=70)),
        SourceState("gamma", status="gone", last_error="HTTP 410 Gone", error_count=1,
                    last_attempt=NOW, last_success=NOW - timedelta(days=1)),
    ]  # fmt: skip
    problems = {
        item.name: item.problem for item in french_digest(source_states=french_states).health
    }
    assert problems == {
        "alpha": typeset(
            "le site a un problème de serveur (« HTTP 503 Service Unavailable ») ;"
            " 3 tentatives échouées d’affilée"
        ),
        "beta": typeset("pas consultée depuis 2 mois (fréquence prévue : tous les jours)"),
        "gamma": typeset(
            "disparue (le serveur répond HTTP 410), plus consultée ; pour la rétablir, corriger"
            " son adresse dans sources.yaml ou essayer « watch fetch --source gamma »"
        ),
        "delta": "jamais consultée",
    }
    broken = {item.name: item.problem for item in french_digest().health}
    assert broken["gamma"] == "le sélecteur ne trouve plus rien sur la page"
    assert broken["beta"] == typeset(
        "pas consultée depuis 5 jours (fréquence prévue : tous les jours)"
    )
    one_failure = [replace(french_states[0], error_count=1)]
    [alpha, *_] = french_digest(source_states=one_failure).health
    assert alpha.problem.endswith(typeset(" ; 1 tentative échouée d’affilée"))
    text = render_text(french_digest(source_states=french_states))
    assert typeset("\n- alpha : le site a un problème de serveur (« HTTP 503 ") in text
    from watch.digest_lang import FRENCH
    from watch.digest_words import problem_words
    from watch.health import source_health

    [healthy, *_] = source_health(make_config(FRENCH_YAML), healthy_states(), {}, NOW)
    advised = replace(healthy, problem="every 1d misses items: try 6h")  # words it has none for
    assert problem_words(advised, FRENCH, NOW) == typeset(
        "à vérifier : « every 1d misses items: try 6h »"
    )


def test_a_failing_source_says_what_its_error_means_in_the_digest_language() -> None:
    """Session 9 audit: the French digest showed the stored English error ("« not a feed (HTML
    page without a feed link) »"); it says what the kind of failure means, the error quoted."""
    from watch.digest_lang import FRENCH
    from watch.fetch.failures import KINDS

    failing = [
        SourceState(name, status="error", last_error=error, error_count=count, last_attempt=NOW,
                    last_success=NOW - timedelta(hours=2))
        for name, error, count in (("alpha", "HTTP 404 Not Found", 1),
                                   ("beta", "not a feed (HTML page without a feed link)", 3))
    ]  # fmt: skip
    french = {item.name: item.problem for item in french_digest(source_states=failing).health}
    assert (french["alpha"], french["beta"]) == (
        typeset("l’adresse n’existe plus (« HTTP 404 Not Found ») ; 1 tentative échouée d’affilée"),
        typeset(
            "l’adresse n’est pas un flux (« not a feed (HTML page without a feed link) ») ;"
            " 3 tentatives échouées d’affilée"
        ),
    )
    english = {
        item.name: item.problem
        for item in build_digest(config=make_config(), week=WEEK, articles=[],
                                 source_states=failing, trends=trends(), now=NOW).health
    }  # fmt: skip
    assert english["alpha"] == (
        "the address no longer exists ('HTTP 404 Not Found'); 1 failed attempt in a row"
    )
    assert set(FRENCH.failure_means) == set(KINDS), "every kind of failure is said in French"


def test_the_overview_counts_failing_sources_as_consulted_and_says_they_fail() -> None:
    """Session 9 audit: "26 sources consultées sur 28" when all 28 were consulted and 2 failed."""
    failing = [
        replace(state, status="error", last_error="HTTP 404 Not Found", error_count=1,
                last_success=None if state.name == "delta" else state.last_success)
        if state.name in ("alpha", "delta") else state
        for state in healthy_states()
    ]  # fmt: skip
    french = french_digest([], failing)
    assert french.overview_line.endswith(typeset(" ; 4 sources consultées, dont 2 en erreur."))
    english = build_digest(config=make_config(), week=WEEK, articles=[], source_states=failing,
                           trends=trends(), now=NOW)  # fmt: skip
    assert english.overview_line.endswith("; 4 sources consulted, 2 failing.")
    assert french_digest([], healthy_states()).overview_line.endswith(
        typeset(" ; 4 sources consultées.")
    )
    never = french_digest([], healthy_states()[:3])
    assert never.overview_line.endswith(typeset(" ; 3 sources consultées sur 4."))


def test_a_french_mail_has_a_french_subject_and_standard_headers() -> None:
    from email import message_from_bytes
    from email.policy import default
    from email.utils import parsedate_to_datetime

    message = build_message(french_digest(), "veille@example.org", ["direction@example.org"])
    raw = message.as_bytes()
    headers = raw.split(b"\n\n", 1)[0]
    assert headers.isascii(), "non-ASCII subjects are RFC 2047-encoded"
    parsed = message_from_bytes(raw, policy=default)
    assert parsed["Subject"] == FRENCH_SUBJECT
    assert parsedate_to_datetime(parsed["Date"]).utcoffset() == timedelta(0), "RFC 5322 date"
    text_part, html_part = parsed.iter_parts()  # type: ignore[attr-defined]
    assert text_part.get_content().startswith(FRENCH_SUBJECT)
    assert '<html lang="fr">' in html_part.get_content()
    assert typeset("Pourquoi : ") in text_part.get_content()


def test_a_french_digest_escapes_hostile_titles_as_the_english_one() -> None:
    config = make_config(
        FRENCH_YAML.replace('name: "Veille techno — équipe web"', 'name: "Veille\\r\\nBcc: x@y.z"')
    )
    digest = build_digest(config=config, week=WEEK, articles=hostile_articles(),
                          source_states=states(), trends=trends(), now=NOW)  # fmt: skip
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert (
        'href="javascript' not in html.lower() and "document.cookie" not in html + text + markdown
    )
    assert "(pas de lien web)" in text
    assert "\\[click me\\]\\(javascript:alert\\(1\\)\\) \\*\\*bold\\*\\*" in markdown
    assert not any(line.startswith("Bcc") for line in (html + text + markdown).splitlines())
    message = build_message(digest, "veille@example.org", ["direction@example.org"])
    assert "Bcc" not in message and not re.search(rb"^Bcc:", message.as_bytes(), re.M)
    untitled = french_digest([article(5, "", topics=(("rust", 0.9),))])
    assert untitled.sections[0].stories[0].title == "(sans titre)"


def test_english_is_the_default_and_language_en_changes_nothing() -> None:
    explicit = make_digest(config=make_config(CONFIG_YAML + "  language: en\n"))
    default = make_digest()
    assert explicit.subject == default.subject
    for render in (render_html, render_text, render_markdown):
        assert render(explicit) == render(default)
    assert '<html lang="en">' in render_html(default)


def test_the_boards_preview_of_a_french_digest_is_french(
    tmp_path: Path, reopen: StoreOpener
) -> None:
    """The board's Digest page shows ``data.digest_preview_html``: the mail as it is sent."""
    import streamlit as st

    from dashboard import data
    from watch.config import resolve_settings

    seed(reopen(), week_articles())
    config = make_config(FRENCH_YAML)
    settings = resolve_settings(tmp_path / "sources.yaml", f"sqlite:///{tmp_path / 'watch.db'}",
                                config, env={})  # fmt: skip
    try:
        context = data.BoardContext(settings, config)
        html = data.digest_preview_html(data.week_digest(context, WEEK, datetime.now(UTC)))
    finally:
        st.cache_resource.clear()
    assert '<html lang="fr">' in html and f"<title>{FRENCH_SUBJECT}</title>" in html
    assert typeset("Pourquoi : Rust &amp; systems : « rust » dans le titre") in html


def test_a_french_digest_words_a_page_whose_selectors_broke_in_french() -> None:
    """Session 8: a page whose ``select.item`` reads nothing is the source's error; the French
    health line names the selector to change in French, not the parser's English words."""
    from watch.config import SelectConfig
    from watch.parse.page import parse_page

    page = "<html><body><h3>Un</h3><h3>Deux</h3></body></html>"
    select = SelectConfig(item="div.views-row", title="h3", link="a@href")
    [warning] = parse_page(page, url="https://gamma.example/news", select=select).warnings
    broken = SourceState("gamma", status="error", last_error=warning, error_count=2,
                         last_attempt=NOW, empty_selector=True)  # fmt: skip
    digest = french_digest(source_states=[*healthy_states()[:2], broken, healthy_states()[3]])
    [item] = digest.health
    assert item.problem == typeset(
        "le sélecteur select.item « div.views-row » ne trouve plus rien sur la page ;"
        " à corriger dans sources.yaml (2 tentatives échouées d’affilée)"
    )
    for rendering in (render_text(digest), render_markdown(digest), render_html(digest)):
        assert "matched nothing" not in rendering and "layout" not in rendering
    quoting = SelectConfig(item="div[class='row']", title="h3", link="a@href")
    [warning] = parse_page(page, url="https://gamma.example/news", select=quoting).warnings
    quoted = replace(broken, last_error=warning)
    [item] = [i for i in french_digest(source_states=[quoted]).health if i.name == "gamma"]
    assert typeset("select.item « div[class='row'] » ne trouve") in item.problem
    still_empty = replace(broken, status="ok", last_error=None, last_success=NOW)
    digest = french_digest(source_states=[*healthy_states()[:2], still_empty])
    [item] = [i for i in digest.health if i.name == "gamma"]
    assert item.problem == "le sélecteur ne trouve plus rien sur la page"


def lost_items_page(items: int, without_link: int, link: str = "<a href='/{n}'>lire</a>") -> str:
    """A page of ``items`` articles, the last ``without_link`` of them without a link."""
    linked = [f"<article><h2>Titre {n}</h2>{link.format(n=n)}</article>" for n in range(items)]
    bare = [f"<article><h2>Titre {n}</h2></article>" for n in range(without_link)]
    return "<html><body>" + "".join(linked[: items - without_link] + bare) + "</body></html>"


MIXED_LINKS_PAGE = (
    "<html><body><article><h2>A</h2><span>/p/1</span></article>"
    "<article><h2>B</h2><span>pas un lien</span></article><article><h2>C</h2></article></body></html>"
)


@pytest.mark.parametrize(
    ("page", "link", "french"),
    [
        (lost_items_page(14, 3), "a@href",
         "avertissement : select.link « a@href » ne trouve pas de lien dans 3 des 14 éléments que"
         " select.item « article » sélectionne (ces éléments ont été ignorés)"),
        (lost_items_page(14, 14), "a@href",
         "avertissement : select.link « a@href » ne trouve de lien dans aucun des 14 éléments que"
         " select.item « article » sélectionne"),
        (lost_items_page(1, 1), "a",
         "avertissement : select.link « a » ne trouve pas de lien dans le seul élément que"
         " select.item « article » sélectionne"),
        (MIXED_LINKS_PAGE, "span",
         "avertissement : select.link « span » ne trouve pas de lien dans 2 des 3 éléments que"
         " select.item « article » sélectionne (les éléments qu’il trouve n’ont pas de href et"
         " leur texte n’est pas une URL ; ces éléments ont été ignorés)"),
        (lost_items_page(14, 3).replace("<h2>Titre 3</h2>", ""), "a@href",
         "avertissement : select.title « h2 » ne trouve pas de titre dans 1 des 14 éléments que"
         " select.item « article » sélectionne (ces éléments ont été ignorés) ; select.link"
         " « a@href » ne trouve pas de lien dans 3 des 14 éléments"),
    ],
)  # fmt: skip
def test_a_french_digest_words_a_pages_lost_items_in_french(
    page: str, link: str, french: str
) -> None:
    """Session 8: a page whose selectors lost some items was quoted in the parser's English
    ("warning: select.link 'a@href' found no link in 3 of the 14 items…"); it is worded in
    French from the warning's parts, the selectors quoted the French way."""
    from watch.config import SelectConfig
    from watch.digest_lang import ENGLISH, FRENCH
    from watch.digest_words import problem_words
    from watch.health import source_health
    from watch.parse.page import parse_page

    select = SelectConfig(item="article", title="h2", link=link)
    warning = "; ".join(parse_page(page, url="https://gamma.example/news", select=select).warnings)
    rows = source_health(make_config(FRENCH_YAML), healthy_states(), {}, NOW, {},
                         {"gamma": warning})  # fmt: skip
    [gamma] = [row for row in rows if row.problem]
    assert gamma.problem == f"warning: {warning}", "watch.health's own words"
    said = problem_words(gamma, FRENCH, NOW)
    assert said is not None and said.startswith(typeset(french))
    assert not re.search(r"(?<!\.)\b(found|items?|matched|skipped|warning|any)\b", said)
    assert problem_words(gamma, ENGLISH, NOW) == gamma.problem, "English unchanged"
    from watch.digest_words import page_warning_words

    assert page_warning_words(warning, ENGLISH) == warning, "every part of the warning was read"


def test_a_french_digest_words_the_rest_of_a_pages_warnings_in_french() -> None:
    from watch.digest_lang import ENGLISH, FRENCH
    from watch.digest_words import page_warning_words, problem_words
    from watch.health import source_health

    no_href = (
        "select.link 'span' found no link in the one item select.item 'article' matched (the"
        " elements it found have no href, and their text is not a URL)"
    )
    assert page_warning_words(no_href, FRENCH) == (
        "select.link «\u202fspan\u202f» ne trouve pas de lien dans le seul élément que"
        " select.item «\u202farticle\u202f» sélectionne (les éléments qu’il trouve n’ont pas"
        " de href et leur texte n’est pas une URL)"
    )
    nothing = [
        "select.item 'div.row' matched nothing on the page (it has 12 <article> elements: was"
        " the layout changed?)",
        "select.item \"div[class='row']\" matched nothing on the page (it repeats no <article>,"
        " <section>, heading or list element: is it drawn by JavaScript, or was the layout"
        " changed?)",
    ]
    assert [page_warning_words(warning, FRENCH) for warning in nothing] == [
        typeset(
            "select.item « div.row » ne trouve rien sur la page (elle contient 12 éléments"
            " <article> : sa mise en page a-t-elle changé ?)".replace(" ?", "\u202f?")
        ),
        typeset(
            "select.item « div[class='row'] » ne trouve rien sur la page (elle ne répète aucun"
            " élément <article>, <section>, titre ni liste : est-elle construite en JavaScript,"
            " ou sa mise en page a-t-elle changé ?)".replace(" ?", "\u202f?")
        ),
    ]
    for warning in [no_href, nothing[0]]:
        assert page_warning_words(warning, ENGLISH) == warning
    unknown = "select.date 'time' gave no date"
    assert page_warning_words(unknown, FRENCH) is None
    rows = source_health(make_config(FRENCH_YAML), healthy_states(), {}, NOW, {},
                         {"gamma": unknown})  # fmt: skip
    [gamma] = [row for row in rows if row.problem]
    assert problem_words(gamma, FRENCH, NOW) == typeset(
        "avertissement : « select.date 'time' gave no date »"
    ), "a warning it cannot read is quoted as received, without the English 'warning:'"


@pytest.mark.parametrize(
    ("every", "english", "french", "german"),
    [
        ("5m", "every 5 minutes", "toutes les 5 minutes", "alle 5 Minuten"),
        ("1h", "every hour", "toutes les heures", "stündlich"),
        ("2h", "every 2 hours", "toutes les 2 heures", "alle 2 Stunden"),
        ("1d", "every day", "tous les jours", "täglich"),
        ("1w", "every week", "toutes les semaines", "wöchentlich"),
        (
            "'0 8 * * 1-5'",
            "on the cron schedule '0 8 * * 1-5'",
            "selon le planning cron « 0 8 * * 1-5 »",
            "nach dem Cron-Zeitplan „0 8 * * 1-5“",
        ),
    ],
)
def test_a_late_sources_frequency_is_said_in_the_digests_words(
    every: str, english: str, french: str, german: str
) -> None:
    """Session 13: "pas consultée depuis 2 mois (fréquence prévue : 5m)" put the sources.yaml
    value in a French sentence; each language now says how often in its own words."""
    from watch.digest_words import source_health

    late = SourceState("beta", status="ok", last_attempt=NOW, last_success=NOW - timedelta(days=70))
    source = f"sources:\n  - {{name: beta, url: 'https://b.example/f', every: {every}}}\n"
    said = {
        code: [item.problem for item in source_health(config, [late], NOW)]
        for code in ("en", "fr", "de")
        if (config := parse_config(f"digest: {{language: {code}}}\n{source}"))
    }
    assert said == {
        "en": [f"not consulted since 2 months ({english})"],
        "fr": [typeset(f"pas consultée depuis 2 mois (fréquence prévue : {french})")],
        "de": [f"Seit 2 Monaten nicht abgerufen (vorgesehenes Intervall: {german})"],
    }


def test_a_french_digest_words_frequency_advice_in_french() -> None:
    """Session 8: "publishes every ~1 h and its feed keeps 20 items: consult every 6h or items
    will be missed" was quoted in English; French says it from the advice's fields."""
    from watch.cadence import advise
    from watch.digest_lang import ENGLISH, FRENCH
    from watch.digest_words import problem_words
    from watch.health import source_health
    from watch.models import FetchLogEntry

    config = make_config(FRENCH_YAML)
    beta = next(source for source in config.sources if source.name == "beta")
    log = [FetchLogEntry("beta", NOW - timedelta(days=n), "new", 200, new, 20)
           for n, new in enumerate([5, 20, 20, 20, 5])]  # fmt: skip
    overflowing = advise(beta, 70.0, log)
    busy = advise(beta, 210.0, [replace(entry, new_items=5) for entry in log])
    for advice, every in ((overflowing, "12h"), (busy, "6h")):
        assert advice.missing_items and advice.every == every, advice
        rows = source_health(config, healthy_states(), {}, NOW, {"beta": advice})
        [row] = [row for row in rows if row.problem]
        assert row.problem == advice.words
        assert problem_words(row, FRENCH, NOW) == typeset(
            "des articles risquent d’être manqués à la fréquence prévue (tous les jours) : la passer à"
            f" {every} dans sources.yaml"
        )
        assert problem_words(row, ENGLISH, NOW) == advice.words, "English unchanged"


def test_french_why_lines_write_keywords_with_the_french_apostrophe() -> None:
    """Session 8: a keyword written "lecteur d'écran" in sources.yaml reads "lecteur d’écran"
    in a French why line; the English one keeps it as written."""
    from watch.digest_lang import ENGLISH, FRENCH

    story = article(9, "Un lecteur d'écran libre", topics=(("security", 0.8),))
    story.topics[0].reasons[:] = [
        "matched 'lecteur d'écran' in title",
        "matched 'l'a11y' in summary",
    ]
    assert why_line(story, "security", "Accessibilité", FRENCH) == typeset(
        "Accessibilité : « lecteur d’écran » dans le titre ; « l’a11y » dans le texte"
    )
    assert why_line(story, "security", "Accessibility", ENGLISH) == (
        "Accessibility: 'lecteur d'écran' in the title; 'l'a11y' in the text"
    )


def test_the_digests_source_health_has_the_pages_warning_as_watch_status_does(
    reopen: StoreOpener,
) -> None:
    """Session 8: `watch status` and the board showed a page's lost items; the digest built
    its source health without the fetch log and said nothing of it."""
    from watch.digest_job import gather_digest
    from watch.models import FetchLogEntry

    store = reopen()
    seed(store, week_articles())
    store.save_source_state(SourceState("gamma", status="ok", last_success=NOW))
    lost = "select.link 'a@href' found no link in 3 of the 14 items select.item 'article' matched"
    store.add_fetch_log(FetchLogEntry("gamma", NOW, "unchanged", 200, 0, 11, 0.1, lost))
    digest = gather_digest(store, make_config(), WEEK, NOW)
    (gamma,) = [item for item in digest.health if item.name == "gamma"]
    assert gamma.problem == f"warning: {lost}"


# -- French wording, as the team lead read it (session 9) -------------------------------------


@pytest.mark.parametrize(
    ("sources", "said"),
    [([], "de 0 source"), (["alpha"], "d’une source"), (["alpha", "beta"], "de 2 sources")],
)
def test_french_overview_says_d_une_source_not_de_1_source(sources: list[str], said: str) -> None:
    articles = [article(n, f"Rust {n}", source=name) for n, name in enumerate(sources, 1)]
    overview = french_digest(articles).overview_line
    assert f"provenant {said}{NNBSP};" in overview and "de 1 source" not in overview
    english = make_digest(articles).overview_line
    assert f"from {len(sources)} source{'' if len(sources) == 1 else 's'};" in english


def test_french_picks_heading_and_week_read_as_people_say_them() -> None:
    two = [article(2, "Rust survey"), article(4, "Rust jobs")]
    digest = french_digest(week_articles()[2:3], healthy_states(), picks=two)
    assert digest.sections[0].label == "Choix de l’équipe", "one heading over several picks"
    assert digest.subject.endswith("du 16 au 22 nov. 2026 (semaine 47)")
    assert digest.heading == "Synthèse hebdomadaire du 16 au 22 nov. 2026 (semaine 47)"
    assert "W47" not in render_text(digest) + render_html(digest) + render_markdown(digest)
    assert digest.week == WEEK, "the records keep the ISO week"
    assert make_digest().subject.endswith("(2026-W47)"), "English is unchanged"


def test_french_topic_labels_take_the_typographic_apostrophe() -> None:
    yaml = FRENCH_YAML.replace('label: "Rust & systems"', 'label: "Rust & l\'IA"')
    digest = build_digest(config=make_config(yaml), week=WEEK, articles=week_articles(),
                          source_states=states(), trends=trends(), now=NOW,
                          picks=[article(9, "Rust picked")])  # fmt: skip
    text = render_text(digest)
    assert "== Rust & l’IA ==" in text and typeset("Thèmes principaux : Rust & l’IA (4)") in text
    assert typeset("Rust & l’IA : « rust » dans le titre") in text
    assert "l'IA" not in text + render_html(digest) + render_markdown(digest)
    english = make_digest(config=make_config(CONFIG_YAML.replace("Rust & systems", "l'IA")))
    assert "== l'IA ==" in render_text(english)


def test_the_mail_says_the_language_it_is_written_in() -> None:
    french = build_message(french_digest(), "veille@example.org", ["direction@example.org"])
    english = build_message(make_digest(), "watch@example.org", ["team@example.org"])
    assert (french["Content-Language"], english["Content-Language"]) == ("fr", "en")


# -- each story on the board; the HTML for screen readers and dark mail clients (session 12) --

NO_BOARD_YAML = CONFIG_YAML.replace('  board_url: "https://board.example.org/"\n', "")


def test_article_address_is_the_board_url_asking_for_the_article() -> None:
    from watch.board_address import article_address

    assert (
        article_address("https://board.example.org/", 7) == "https://board.example.org/?article=7"
    )
    assert article_address("https://x.example/watch", 7) == "https://x.example/watch/?article=7"
    assert article_address("http://x.example:8501/?embed=true", 7) == (
        "http://x.example:8501/?embed=true&article=7"
    )
    for unset in (None, "", "javascript:alert(1)", "https://x.example/a b"):
        assert article_address(unset, 7) is None


def test_each_story_is_linked_on_the_board_in_every_rendering() -> None:
    from watch.chat import chat_text

    digest = make_digest()
    board = "https://board.example.org/?article=1"
    assert [s.board_link for s in digest.sections[0].stories] == [board, board[:-1] + "3"]
    html, text, markdown = render_html(digest), render_text(digest), render_markdown(digest)
    assert (
        f'alpha · 2026-11-18 · <a href="{board}" style="color: #1a5fb4;">On the board</a>' in html
    )
    assert f"  https://alpha.example/post/1\n  On the board: {board}\n  alpha · 2026-11-18" in text
    assert f"— alpha, 2026-11-18 · [On the board](<{board}>)  \n" in markdown
    assert f"— alpha · <{board}|On the board>" in chat_text(digest, "slack")
    assert f"— alpha · [On the board]({board})" in chat_text(digest, "mattermost")
    french = render_text(french_digest())
    assert f"  Sur le tableau de bord\u202f: {board}" in french


def test_without_a_board_url_no_story_is_linked_to_the_board() -> None:
    from watch.chat import chat_text

    digest = make_digest(config=make_config(NO_BOARD_YAML))
    assert all(story.board_link is None for s in digest.sections for story in s.stories)
    rendered = [render_html(digest), render_text(digest), render_markdown(digest)]
    rendered += [chat_text(digest, "slack"), chat_text(digest, "mattermost")]
    for rendering in rendered:
        assert "?article=" not in rendering and "On the board" not in rendering


def test_story_titles_are_headings_in_the_articles_own_language() -> None:
    """Finding 8 of the session 12 audit: a story was a <div>, an English article inside a
    French digest had no lang of its own (WCAG 3.1.2)."""
    english = replace(article(1, "Rust 2.0 announced"), language="en")
    french = replace(article(3, "Rust 2.0 est sorti"), language="fr")
    odd = replace(
        article(4, "CVE in rust", topics=[("security", 0.9)]), language='fr" onmouseover="x'
    )
    html = render_html(french_digest([english, french, odd]))
    titles = re.findall(r"<h3 class=\"title\"[^>]*>", html)
    assert len(titles) == 3 and all('dir="auto"' in title for title in titles)
    assert re.search(r'<h3 [^>]*lang="en"[^>]*><a [^>]*>Rust 2.0 announced', html)
    assert re.search(r'<div class="summary" [^>]*lang="en"[^>]*>About Rust 2.0 announced', html)
    assert sum("lang=" in tag for tag in titles) == 1, "French, or not a language tag: none"
    assert "onmouseover" not in html
    assert "<h2" in html and html.index("<h2") < html.index("<h3"), "stories under a section"


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


COLOUR = r"(?<![-\w])color:\s*(#[0-9a-f]{6})"
BACKGROUND = r"background(?:-color)?:\s*(#[0-9a-f]{6})"


@pytest.mark.parametrize("kind", ["digest", "alert"])
def test_the_mail_stays_readable_in_clients_that_darken_it_their_own_way(kind: str) -> None:
    """Finding 11: a client ignoring prefers-color-scheme that darkens backgrounds only left
    dark text on them; Outlook ignores max-width on a div.  Every element that sets a background
    sets its text colour, a presentation table holds the mail at 680 px, and every text colour
    keeps 4.5:1 on every background of its mode (light, and dark)."""
    html = render_html(make_digest()) if kind == "digest" else alert_html()
    body = html[html.index("<body") :]
    for style in re.findall(r'style="([^"]*)"', body):
        if re.search(BACKGROUND, style):
            assert re.search(COLOUR, style), f"a background without its colour: {style}"
    assert re.search(r'<table [^>]*role="presentation"[^>]*width="680"', body)
    assert "[data-ogsc] h1" in html, "Outlook's dark mode recolours the headings too"
    dark = html[html.index("@media (prefers-color-scheme: dark)") :]
    dark = dark[: dark.index("}\n  }") + 1]
    for mode, sheet in (("light", body), ("dark", dark)):
        colours = set(re.findall(COLOUR, sheet))
        backgrounds = set(re.findall(BACKGROUND, sheet)) | (
            {"#ffffff"} if mode == "light" else set()
        )
        assert colours and backgrounds, mode
        for colour in colours:
            for background in backgrounds:
                assert contrast(colour, background) >= 4.5, (mode, colour, background)


def alert_html() -> str:
    from watch import alert_message

    config = make_config(
        CONFIG_YAML + "alerts:\n  - {name: rust, topics: [rust], recipients: [a@example.org]}\n"
    )
    message = alert_message.alert_message(config, config.alerts[0], week_articles()[:2])
    return alert_message.render_html(message)


def test_the_first_collection_is_the_earliest_article_or_attempt_and_kept_once_found(
    reopen: StoreOpener,
) -> None:
    """Session 12 audit: a week that ended before it has no digest (``watch.digest_start``)."""
    from watch.digest_start import FIRST_COLLECTION, before_start, first_collection
    from watch.models import FetchLogEntry

    store = reopen()
    assert first_collection(store, remember=True) is None
    assert store.get_meta(FIRST_COLLECTION) is None, "nothing to remember yet"
    assert before_start(WEEK, "Europe/Paris", None, NOW), "no collection: the week before has none"
    attempt = IN_WEEK + timedelta(days=1)
    store.add_fetch_log(FetchLogEntry("alpha", attempt, "error"))  # a failing source, no article
    assert first_collection(store) == attempt
    store.upsert_articles(week_articles())  # first seen on IN_WEEK, the day before
    assert first_collection(store) == IN_WEEK and store.get_meta(FIRST_COLLECTION) is None
    assert first_collection(store, remember=True) == IN_WEEK
    assert store.get_meta(FIRST_COLLECTION) == IN_WEEK.isoformat()
    assert not before_start(WEEK, "Europe/Paris", IN_WEEK, NOW), "started inside W47: sent"
    assert before_start("2026-W46", "Europe/Paris", IN_WEEK, NOW)

"""Topics & trends page: volume per topic per week, emerging terms with examples, top stories
and emerging terms per topic.

Terms are counted in stories, not articles (watch.trends: the copies of one story from several
sources or feeds count once), and the terms that come from the same stories share one line.

Weeks are the readers' weeks (Monday 00:00 to Monday 00:00 in ``digest.timezone``, as in the
digest), topics are shown by their labels.  The week shown first is the last complete one (the
current week, marked "in progress", is compared pro rata by watch.trends); on a new install
with nothing before this week, the current one.  The volume chart's legend sits below it, its
labels in full; the articles without topic, a series ``watch.trends`` names "off-topic", are
named in the board's words (``view.topic_labels``), and so are the tooltips' fields.  Thin: the
report comes from ``data.trend_report`` (watch.trends, imported lazily: a placeholder shows
while that stage is missing), the top stories from ``data.top_articles``.  Every word is the
board's language (``context.words``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import data, view
from dashboard.words import BoardWords
from watch.models import TermTrend, TrendReport


def week_choices(now: datetime, timezone: str, count: int = 8) -> list[str]:
    weeks = (data.iso_week(now - timedelta(weeks=n), timezone) for n in range(count))
    return list(dict.fromkeys(weeks))


def default_week(context: data.BoardContext, weeks: list[str]) -> int:
    """Index of the last complete week, or of the current one when nothing came before it."""
    report = data.trend_report(context.db_url, weeks[1], context.config.digest.timezone)
    return 0 if report is not None and not report.volumes else 1


def in_progress(report: TrendReport, timezone: str, words: BoardWords) -> None:
    through = report.through
    if through is not None:
        local = through.astimezone(ZoneInfo(timezone))
        weekday, time = words.weekday(local.date()), f"{local:%H:%M}"
        st.caption(words.say("counted_up_to", weekday=weekday, time=time, zone=timezone))


def trend_words(trends: list[TermTrend], words: BoardWords) -> str:
    return " · ".join(
        f"**{view.escape_markdown(t.term)}** ("
        + (
            words.say("term_before", count=str(t.count), previous=t.previous)
            if t.previous
            else words.say("term_new", count=str(t.count))
        )
        + ")"
        for t in trends
    )


def volume_bars(frame: pd.DataFrame, words: BoardWords) -> alt.Chart:
    """Stacked bars of articles per week and topic, the legend BELOW the chart, in full: on
    the right, Vega-Lite cut the labels ("Web et front-") and hid the last ones at 1400 px."""
    long = frame.reset_index().melt("week", var_name="topic", value_name="articles")
    legend = alt.Legend(orient="bottom", direction="horizontal", columns=3, labelLimit=0)
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("week:N", title=words.say("axis_week")),
            y=alt.Y("articles:Q", stack=True, title=words.say("axis_articles")),
            color=alt.Color(
                "topic:N", title=words.say("axis_topic"), sort=list(frame.columns), legend=legend
            ),
            tooltip=[
                alt.Tooltip("week:N", title=words.say("axis_week")),
                alt.Tooltip("topic:N", title=words.say("axis_topic")),
                alt.Tooltip("articles:Q", title=words.say("axis_articles")),
            ],
        )
    )


def volume_chart(report: TrendReport, labels: dict[str, str], words: BoardWords) -> None:
    st.header(words.say("volume"), anchor=False)
    if not report.volumes:
        st.info(words.say("no_volume"))
        return
    frame = pd.DataFrame(
        {labels.get(topic, topic): weeks for topic, weeks in report.volumes.items()}
    ).fillna(0)
    frame = frame.sort_index()
    frame.index.name = "week"
    st.altair_chart(volume_bars(frame, words), width="stretch", alt=words.say("volume_alt"))
    volume_table(frame, words)
    for key, topics in (("growing", report.growing_topics), ("fading", report.fading_topics)):
        if topics:
            named = ", ".join(view.escape_markdown(labels.get(t, t)) for t in topics)
            st.markdown(words.say(key, topics=named))


def volume_table(frame: pd.DataFrame, words: BoardWords) -> None:
    """The chart's numbers as a table under an expander: the chart tells topics apart by colour
    only and gives its values on hover; a table reads by keyboard and screen reader."""
    with st.expander(words.say("volume_table")):
        table = frame.astype(int).rename(columns=view.escape_markdown)
        table.index.name = view.escape_markdown(words.say("axis_week"))
        st.table(table, alt=words.say("volume"))


def emerging_terms(context: data.BoardContext, report: TrendReport, labels: dict[str, str]) -> None:
    words = context.words
    st.header(words.say("emerging"), anchor=False)
    if not report.emerging:
        st.info(words.say("nothing_stands_out"))
        return
    for trend in report.emerging[:15]:
        previous = (
            words.say("expander_before", previous=trend.previous)
            if trend.previous
            else words.say("expander_new")
        )
        topic = (
            f" · {view.escape_markdown(labels.get(trend.topic, trend.topic))}"
            if trend.topic
            else ""
        )
        term = view.escape_markdown(trend.term)
        with st.expander(
            words.say("term_heading", term=term, count=trend.count, previous=previous)
        ):
            st.caption(f"{term}{topic}")
            examples = data.articles_by_id(context.db_url, tuple(trend.example_ids[:5]))
            for article in examples:
                st.markdown(
                    f"- {view.markdown_link(article.title, article.url, words)} · "
                    f"{view.escape_markdown(context.config.source_label(article.source))}"
                )


def top_per_topic(
    context: data.BoardContext, week: str, report: TrendReport, labels: dict[str, str]
) -> None:
    words = context.words
    st.header(words.say("top_stories"), anchor=False)
    start, end = data.week_bounds(week, context.config.digest.timezone)
    by_topic = report.by_topic
    tabs = st.tabs(
        [view.escape_markdown(labels[t.name]) for t in context.config.topics]
        or [words.say("no_topic")]
    )
    for tab, topic in zip(tabs, context.config.topics, strict=False):
        with tab:
            if by_topic.get(topic.name):
                terms = trend_words(by_topic[topic.name][:8], words)
                st.markdown(words.say("emerging_in_topic", terms=terms))
            articles = data.top_articles(context.db_url, topic.name, start, end)
            if not articles:
                st.caption(words.say("no_article_in_topic"))
            for article in articles:
                st.markdown(
                    f"**{article.score:.0f}** · "
                    f"{view.markdown_link(article.title, article.url, words)} · "
                    f"{view.escape_markdown(context.config.source_label(article.source))}"
                )


context = data.load_context()
words = context.words
st.title(words.say("trends_title"), anchor=False)
timezone = context.config.digest.timezone
weeks = week_choices(datetime.now(UTC), timezone)
week = st.selectbox(
    words.say("week"),
    weeks,
    index=default_week(context, weeks),
    format_func=lambda w: words.say("week_in_progress", week=w) if w == weeks[0] else w,
    key="trends_week",
    persist_state="session",
)
report = data.trend_report(context.db_url, week, timezone)
in_progress(report, timezone, words)
labels = view.topic_labels(context.config, words)
volume_chart(report, labels, words)
emerging_terms(context, report, labels)
top_per_topic(context, week, report, labels)

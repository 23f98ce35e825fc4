"""The board opened on one article: ``/?article=1234``, the address the digest and the alerts
give each story (``watch.board_address``).

``linked_article`` reads that parameter at the top of the board page.  When it names a stored
article, the page shows a "Show all articles" button (it clears the parameter), the article's
card (the board's own, ``dashboard.card``: every action, star, vote, note, mark read; its page
text for a ``full_text:`` source) and the other articles of its story, each with its source and
age; the list is not shown under it.  After a vote on the card the focus goes back to its
button here (``dashboard.focus``), not to the list's once "Show all articles" is clicked.
An id not stored (removed by ``store.keep`` since, or a link from another watch) and a value
that is not a number are said in a note, the parameter dropped, and the usual list follows.
Every word is the board's (``context.words``); the parameter's value is escaped before it is
shown.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard import card, data, focus, view
from watch.board_address import ARTICLE_PARAMETER
from watch.models import StoredArticle

MAX_SHOWN_VALUE = 40
"""Characters of a parameter that is not a number shown in the note."""


def linked_article(context: data.BoardContext) -> bool:
    """Show the article the URL names, with its story; True when it was shown (the page stops
    there), False when the URL names none (the usual list follows, after a note when the
    parameter was not a stored article's id)."""
    value = st.query_params.get(ARTICLE_PARAMETER)
    if value is None:
        return False
    words = context.words
    article_id = _article_id(value)
    story = data.story_of(context.db_url, article_id) if article_id is not None else []
    if not story:
        if article_id is None:
            shown = view.escape_markdown(value[:MAX_SHOWN_VALUE])
            st.info(words.say("linked_not_a_number", value=shown))
        else:
            st.warning(words.say("linked_not_stored", id=article_id))
        del st.query_params[ARTICLE_PARAMETER]
        return False
    st.button(
        words.say("linked_show_all"),
        icon=":material/arrow_back:",
        key="linked_show_all",
        on_click=show_all_articles,
    )
    now = datetime.now(UTC)
    texts = data.article_texts(context.db_url, (story[0].id,))
    labels = view.topic_labels(context.config, context.words)
    # no focus_when_read: the card stays here once read
    card.article_card(context, story[0], labels, now, text=texts.get(story[0].id))
    _other_copies(context, story[1:], now)
    focus.restore()  # a vote on the card: its button keeps the focus, here not in the list
    return True


def show_all_articles() -> None:
    """Back to the list: the URL no longer names an article."""
    st.query_params.pop(ARTICLE_PARAMETER, None)


def _article_id(value: str) -> int | None:
    """The article id a parameter names: a positive whole number, else None."""
    text = value.strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 2**63 else None


def _other_copies(context: data.BoardContext, others: list[StoredArticle], now: datetime) -> None:
    """The story's other articles: linked title, then source and age, best scored first."""
    if not others:
        return
    words, zone = context.words, context.config.digest.timezone
    sources = {article.source for article in others}
    st.subheader(words.say("linked_same_story", count=len(sources)), anchor=False)
    for article in others:
        label = context.config.source_label(article.source)
        when = view.published_words(article.published, now, zone, words)
        title = view.markdown_link(article.title, article.url, words)
        st.markdown(f"- {title} — {view.escape_markdown(label)} · {when}")

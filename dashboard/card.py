"""One article's card on the board, and the actions on it that teach the classifier.

The card: its linked title as a heading, the score in words, caption, topic chips, note, why
it is there and its summary, the text of its page (``full_text:`` sources; each paragraph
escaped, the stored HTML never rendered), then its actions.  Reading and unreading are by story
(``actions``); a vote or a topic correction says what it changed in a toast.  A click that moves
or removes the focused element hands the focus on to where the user was (``focus``).  Every word
is the board's language (``context.words``).  Shown by the board's list
(``app_pages/board.py``) and by an article's own address (``linked``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import streamlit as st

from dashboard import actions, data, focus, view
from dashboard.words import BoardWords
from watch.article_text import NO_MORE_THAN_SUMMARY
from watch.models import VOTES, ArticleText, StoredArticle
from watch.store.base import MAX_NOTE

# Each vote: its kind, the keys of its words (not given, given, help when not given and when
# given) and its icon.
VOTE_BUTTONS: tuple[tuple[Literal["up", "down"], tuple[str, str, str, str], str], ...] = (
    ("up", ("like", "liked", "like_help", "liked_help"), ":material/thumb_up:"),
    ("down", ("dislike", "disliked", "dislike_help", "disliked_help"), ":material/thumb_down:"),
)


def article_card(
    context: data.BoardContext,
    article: StoredArticle,
    labels: dict[str, str],
    now: datetime,
    focus_when_read: str | None = None,
    text: ArticleText | None = None,
) -> None:
    """One ranked article: its linked title as a heading (a screen reader's H key goes from
    card to card; what follows it, buttons included, is that article's), then the score in
    words, caption, chips, explanation, the page's text and actions.  ``labels``: the topics'
    labels (``view.topic_labels``, built once a run by the page).  ``focus_when_read``: the
    key of what takes the focus when "Mark read" takes the card off the list (None: the card
    stays).  ``text``: the article's page text or why its page was not read (``full_text:``
    sources; ``data.article_texts``), None when it has none."""
    words = context.words
    with st.container(border=True, key=f"article_{article.id}"):
        st.header(view.markdown_link(article.title, article.url, words), anchor=False)
        line = st.container(horizontal=True, gap="small", vertical_alignment="center")
        line.markdown(view.score_words(article, words), width="content")
        label = context.config.source_label(article.source)
        zone = context.config.digest.timezone
        line.caption(view.article_caption(article, now, label, zone, words))
        chips = view.topic_chips(article, labels)
        unsure = ":gray-badge[" in chips and "?]" in chips
        st.markdown(chips, help=words.say("unsure_help") if unsure else None)
        if article.note:
            st.markdown(f":material/edit_note: {view.note_markdown(article.note)}")
        with st.expander(words.say("why_summary")):
            lines = view.score_lines(article, labels, words)
            st.markdown("\n".join(f"- {line}" for line in lines))
            st.markdown(view.summary_markdown(article, text) or words.say("no_summary"))
        if text is not None:
            _page_text(article.id, text, words)
        _actions(context, article, labels, focus_when_read)


def _page_text(article_id: int, text: ArticleText, words: BoardWords) -> None:
    """The page's text in an expander, its length in its label, each paragraph escaped (the
    stored HTML is never rendered; a text kept from an earlier read when the last one failed is
    shown too); a page not read says why, the stored error as written (a page that gave no more
    than the feed's summary says nothing: the card has it all)."""
    if not text.text.strip():
        if text.error is not None and text.error != NO_MORE_THAN_SUMMARY:
            st.caption(words.say("page_not_read", error=view.escape_markdown(text.error)))
    else:
        length = view.reading_length(text.text, words)
        shown, left_out = view.text_shown(text.text)
        with st.expander(words.say("article_text", length=length), key=f"text_{article_id}"):
            st.markdown(view.paragraphs_markdown(shown))
            if left_out:
                st.markdown(words.say("text_rest", count=left_out))


def _actions(
    context: data.BoardContext,
    article: StoredArticle,
    labels: dict[str, str],
    focus_when_read: str | None,
) -> None:
    """The card's actions side by side, wrapping on a narrow screen (never one per row), then
    "Topics…" and "Note…" as expanders: their content follows them for the keyboard and a
    screen reader (a popover's is drawn at the end of the page).  A button keeps its type
    whatever its state (a new type is a new widget: the keyboard focus would jump to the top
    of the page); its label says the state ("Liked")."""
    url, key, words = context.db_url, article.id, context.words
    row = st.container(horizontal=True, gap="small")
    read = (
        ("mark_unread", ":material/mark_email_unread:")
        if article.read
        else ("mark_read", ":material/done:")
    )
    row.button(
        words.say(read[0]),
        icon=read[1],
        key=f"read_{key}",
        on_click=_set_read,
        args=(url, key, not article.read, focus_when_read),
    )
    row.button(
        words.say("unstar" if article.starred else "star"),
        icon=":material/star:",
        key=f"star_{key}",
        on_click=actions.set_starred,
        args=(url, key, not article.starred),
        help=words.say("star_help"),
    )
    for kind, (give, given_key, give_help, given_help), icon in VOTE_BUTTONS:
        given = article.vote == VOTES[kind]
        said = words.say("taken_back" if given else given_key)
        row.button(
            words.say(given_key if given else give),
            icon=icon,
            key=f"{kind}_{key}",
            on_click=_vote,
            args=(url, key, "unvote" if given else kind, said, words, f"{kind}_{key}"),
            help=words.say(given_help if given else give_help),
        )
    topics, note = st.columns(2)
    with topics.expander(words.say("topics_menu"), key=f"notabout_{key}"):
        _topic_corrections(url, article, labels, words)
    with note.expander(words.say("note_menu"), key=f"notepop_{key}"):
        st.text_area(
            words.say("note_label"),
            value=article.note,
            max_chars=MAX_NOTE,
            key=f"note_{key}",
            on_change=actions.save_note,
            args=(url, key, f"note_{key}"),
            placeholder=words.say("note_placeholder"),
        )


def _topic_corrections(
    url: str, article: StoredArticle, labels: dict[str, str], words: BoardWords
) -> None:
    """ "Not about" each topic the article has, "also about" each one it lacks."""
    has = {match.name for match in article.topics}
    for match in article.topics:
        st.button(
            words.say("not_about", label=labels.get(match.name, match.name)),
            icon=":material/block:",
            key=f"not_{match.name}_{article.id}",
            on_click=_correct,
            args=(url, article.id, match.name, labels, False, words),
        )
    for name, label in labels.items():
        if name not in has and name != view.OFF_TOPIC:
            st.button(
                words.say("also_about", label=label),
                icon=":material/add:",
                key=f"also_{name}_{article.id}",
                on_click=_correct,
                args=(url, article.id, name, labels, True, words),
            )


def _set_read(url: str, article_id: int, read: bool, focus_after: str | None) -> None:
    """Mark the article's story read (or unread); the focus goes to ``focus_after`` when
    given (the card leaves the list, and its button with it)."""
    if read and focus_after is not None:
        focus.remember(focus_after)
    actions.set_read(url, article_id, read)


def _vote(
    url: str,
    article_id: int,
    kind: Literal["up", "down", "unvote"],
    said: str,
    words: BoardWords,
    button: str,
) -> None:
    """Store the vote and say what it changed (as `watch feedback` does), in a toast; the
    focus goes back to the ``button`` clicked (its card may move down the list)."""
    focus.remember(button)
    judged = actions.vote(url, article_id, kind)
    if judged is not None:
        moved = judged.others_moved
        st.toast(view.judgement_words(said, judged.before, judged.after, moved, words=words))


def _correct(
    url: str, article_id: int, topic: str, labels: dict[str, str], also: bool, words: BoardWords
) -> None:
    """Store "not about" / "also about" the topic and say what it changed, in a toast."""
    label = labels.get(topic, topic)
    store = actions.also_about if also else actions.not_about
    judged = store(url, article_id, topic)
    if judged is not None:
        said = words.say("also_about" if also else "not_about", label=label)
        effect = "added" if also else "removed"
        st.toast(view.judgement_words(said, judged.before, judged.after, 0, effect, words))

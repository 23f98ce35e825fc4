"""The board's "Mark all N matching as read": its button over the list, and the dialog that asks
before anything is marked.

The button records the board's filters and the highest article id stored then
(``MARK_ALL_ASKED``).  While those are still the board's filters, the list opens the dialog:
it counts, and on "Yes" marks, only the articles stored up to that id (those collected since
stay unread).  The dialog is modal and takes the keyboard focus: after its ✕, "Yes" and
"Cancel" are the first controls the Tab key reaches; Escape, ✕ or a click beside it is "Cancel".  Its body
reruns on its own, like a fragment: once answered it calls ``st.rerun()`` (the page is drawn
again, without it), and a dismissal forgets the question (``on_dismiss``), else every rerun
would ask it again.  Afterwards the focus goes back to the button ("Cancel"), or to the list's
count line ("Yes": the articles and the button have gone), through ``dashboard.focus``.  How
many were marked is said in a toast by the list drawn after the dialog (``tell_marked``): a
toast from the dialog's own run is lost when it closes.
"""

from __future__ import annotations

import streamlit as st

from dashboard import actions, focus
from dashboard.data import BoardFilters
from dashboard.words import BoardWords

MARK_ALL_ASKED = "board_mark_all_asked"
"""Session key: the filters "Mark all N matching as read" was clicked for and the highest
article id then (what is counted and marked stops there), until "Yes" or "Cancel"."""
BUTTON = "mark_all_read"
"""Widget key of the "Mark all N matching as read" button."""
MARKED = "board_mark_all_marked"
"""Session key: how many articles "Yes" marked, to say once the dialog has closed."""


def offer(url: str, filters: BoardFilters, total: int, words: BoardWords) -> None:
    """The button for the ``total`` articles the list shows; the dialog when it was clicked
    for these filters (it stays drawn under the dialog: the focus comes back to it)."""
    st.button(
        words.say("mark_all", total=total),
        icon=":material/done_all:",
        key=BUTTON,
        on_click=_ask,
        args=(url, filters),
    )
    asked = st.session_state.get(MARK_ALL_ASKED)
    if isinstance(asked, tuple) and asked[0] == filters:
        ask = st.dialog(words.say("mark_all_title"), on_dismiss=_forget)(_confirm)
        ask(url, filters, asked[1], words)


def tell_marked(words: BoardWords) -> None:
    """Say how many articles the last "Yes" marked, once."""
    marked = st.session_state.pop(MARKED, None)
    if isinstance(marked, int):
        st.toast(words.say("marked_read", count=marked))


def _ask(url: str, filters: BoardFilters) -> None:
    st.session_state[MARK_ALL_ASKED] = (filters, actions.newest_article_id(url))


def _forget() -> None:
    """ "Cancel", Escape, ✕ or a click beside the dialog: nothing is marked."""
    st.session_state.pop(MARK_ALL_ASKED, None)
    focus.remember(BUTTON)


def _confirm(url: str, filters: BoardFilters, max_id: int | None, words: BoardWords) -> None:
    """The dialog's body: what "Yes" marks, then "Yes" and "Cancel"."""
    if MARK_ALL_ASKED not in st.session_state:  # answered: close the dialog, draw the list
        st.rerun()
    total = actions.count_matching(url, filters, max_id)
    key = "mark_all_stories" if filters.one_per_cluster else "mark_all_articles"
    st.warning(words.say(key, count=total))
    row = st.container(horizontal=True, gap="small")
    row.button(
        words.say("mark_all_yes", total=total),
        key="mark_all_confirm",
        type="primary",
        on_click=_mark_all_read,
        args=(url, filters, max_id),
    )
    row.button(words.say("cancel"), key="mark_all_cancel", on_click=_forget)


def _mark_all_read(url: str, filters: BoardFilters, max_id: int | None) -> None:
    st.session_state.pop(MARK_ALL_ASKED, None)
    st.session_state[MARKED] = actions.mark_matching_read(url, filters, max_id)
    focus.remember(focus.LIST_TOP)

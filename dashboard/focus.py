"""Where the keyboard focus goes after a click that moves or removes what had it.

A vote changes the article's score, and the list is ranked by score: a card that moves down
is moved in the page, and a moved element loses the keyboard focus (the browser sends it to
the top of the page, where a keyboard or screen-reader user has to find their way back).
"Mark read" in the unread list takes the card away with its button, and "Mark all N matching
as read" the whole list.  The click's callback ``remember``s a widget or container key: the
button clicked, the next card (its title link, or its first control), or ``LIST_TOP`` (the
list's count line, when nothing follows).  The list, once drawn, ``restore``s the focus there.
Streamlit has no API to move the focus: a few lines of JavaScript do it, built from the key
alone (checked: letters, digits, ``_``).
"""

from __future__ import annotations

import re

import streamlit as st

FOCUS_AFTER = "board_focus_after"
"""Session key: the key of the element to focus once the list is drawn again."""
LIST_TOP = "board_list_top"
"""Container key of the list's count line ("5 articles match · updated …"): focused when
what had the focus left the list and no card follows it."""

_WIDGET_KEY = re.compile(r"[a-z0-9_]+")


def remember(widget_key: str) -> None:
    """Focus the element keyed ``widget_key`` after this rerun (call it from a callback)."""
    if _WIDGET_KEY.fullmatch(widget_key):
        st.session_state[FOCUS_AFTER] = widget_key


def restore() -> None:
    """Give the focus to the remembered element, once (the next refresh leaves it)."""
    widget_key = st.session_state.pop(FOCUS_AFTER, None)
    if isinstance(widget_key, str) and _WIDGET_KEY.fullmatch(widget_key):
        st.html(focus_script(widget_key), unsafe_allow_javascript=True, width="content")


def focus_script(widget_key: str) -> str:
    """The script that focuses the first visible link, button or expander of the visible
    element keyed ``widget_key`` (a button with a tooltip is drawn twice, one copy hidden), or
    that element itself when it has none (a line of text: it takes the focus, not a Tab stop),
    when it does not have the focus already."""
    return (
        "<script>setTimeout(() => {"
        "const shown = (e) => e.offsetParent !== null;"
        f"const box = [...document.querySelectorAll('.st-key-{widget_key}')].find(shown);"
        "if (!box) return;"
        "const control = [...box.querySelectorAll('a[href], button, summary')].find(shown);"
        "const target = control || box;"
        "if (!control) target.tabIndex = -1;"
        "if (document.activeElement !== target) target.focus();"
        "}, 100);</script>"
    )

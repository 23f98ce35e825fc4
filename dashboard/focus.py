"""Where the keyboard focus goes after a click that reorders the board's list.

A vote changes the article's score, and the list is ranked by score: a card that moves down
is moved in the page, and a moved element loses the keyboard focus (the browser sends it to
the top of the page, where a keyboard or screen-reader user has to find their way back).
The click's callback ``remember``s the button's widget key; the list, once drawn, ``restore``s
the focus to that button wherever its card now is.  Streamlit has no API to move the focus:
a few lines of JavaScript do it, built from the key alone (checked: letters, digits, ``_``).
"""

from __future__ import annotations

import re

import streamlit as st

FOCUS_AFTER = "board_focus_after"
"""Session key: the widget key of the button to focus once the list is drawn again."""

_WIDGET_KEY = re.compile(r"[a-z0-9_]+")


def remember(widget_key: str) -> None:
    """Focus the button ``widget_key`` after this rerun (call it from its callback)."""
    if _WIDGET_KEY.fullmatch(widget_key):
        st.session_state[FOCUS_AFTER] = widget_key


def restore() -> None:
    """Give the focus back to the remembered button, once (the next refresh leaves it)."""
    widget_key = st.session_state.pop(FOCUS_AFTER, None)
    if isinstance(widget_key, str) and _WIDGET_KEY.fullmatch(widget_key):
        st.html(focus_script(widget_key), unsafe_allow_javascript=True, width="content")


def focus_script(widget_key: str) -> str:
    """The script that focuses the visible button of the element keyed ``widget_key`` (a
    button with a tooltip is drawn twice, one copy hidden) when it does not have it."""
    return (
        "<script>setTimeout(() => {"
        f"const b = [...document.querySelectorAll('.st-key-{widget_key} button')]"
        ".find((e) => e.offsetParent !== null);"
        "if (b && document.activeElement !== b) b.focus();"
        "}, 100);</script>"
    )

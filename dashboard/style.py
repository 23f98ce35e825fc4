"""The board's few CSS rules, for what Streamlit has no option for (``apply`` adds them to every
page; the theme's colours come from ``watch.board.board_command``).

- A keyboard focus ring anyone can see: 3 px, dark on the light theme and light on the dark
  one (Streamlit's is the theme colour at half opacity: 2.2:1 against white).
- A card's title is a level-2 heading (one per article, for a screen reader's heading list)
  drawn at the size of a title within a list, not of a page section.
- The card that has the keyboard focus (the current article of ``j``/``k``,
  ``dashboard.shortcuts``) has a bar down its left side, and scrolls into view clear of the
  page's top bar.
"""

from __future__ import annotations

import streamlit as st

CSS = """<style>
:focus-visible { outline: 3px solid #1f1f1f !important; outline-offset: 2px; }
@media (prefers-color-scheme: dark) {
  :focus-visible { outline-color: #f0f0f0 !important; }
}
[class*="st-key-article_"] h2 { font-size: 1.25rem; padding: 0.25rem 0 0 0; }
[class*="st-key-article_"] { scroll-margin: 4rem 0 1rem 0; }
[class*="st-key-article_"]:has(:focus-visible) { box-shadow: inset 4px 0 0 #1f1f1f; }
@media (prefers-color-scheme: dark) {
  [class*="st-key-article_"]:has(:focus-visible) { box-shadow: inset 4px 0 0 #f0f0f0; }
}
</style>"""


def apply() -> None:
    """Add the rules to the page (a style-only ``st.html`` takes no room)."""
    st.html(CSS)

"""The board's keyboard shortcuts, as in the feed readers people come from (Feedly, Inoreader,
Miniflux, FreshRSS, Google Reader): ``j``/``k`` next/previous article, ``o`` open it, ``m``
mark it read or unread, ``s`` star it, ``/`` search, ``?`` the list of keys.

``offer`` puts the list in the sidebar (an expander whose label is the one line that says the
keys exist) and the page's one keydown listener (``LISTENER``: installed once per browser tab,
whatever the reruns and page switches; it does nothing where the list is not shown, so on no
other page than the board).  The current article is the card that has the keyboard focus: ``j``
and ``k`` move the focus to a card's title link (its focus ring is the marker, and a screen
reader says the title), ``m`` and ``s`` click that card's own "Mark read" and "Star" buttons
(their callbacks, and ``dashboard.focus``'s handing on, stay the one path).  Keys typed in a
box, with Ctrl, Alt or Meta held, or while a dialog is open are left to the browser; ``/`` and
``?`` open a collapsed sidebar first.  The script is a constant: no feed text, no word of the
board in it.
"""

from __future__ import annotations

import streamlit as st

from dashboard.words import BoardWords

SHORTCUTS_KEY = "board_shortcuts"
"""Container key of the list and the listener: the listener acts only where it is shown."""
HELP_KEY = "board_shortcuts_help"
"""Key of the list's expander (``?`` opens and closes it)."""
SHORTCUT_LINES = (
    "shortcut_move",
    "shortcut_open",
    "shortcut_read",
    "shortcut_star",
    "shortcut_search",
    "shortcut_help",
)
"""The keys of the list's lines, each phrase naming its key first."""

LISTENER = """<script>
(() => {
  if (window.watchBoardShortcuts) return;
  window.watchBoardShortcuts = true;
  const shown = (e) => e.offsetParent !== null;
  const visible = (root, selector) => [...root.querySelectorAll(selector)].filter(shown);
  const typing = (e) => e instanceof Element && (e.isContentEditable
    || e.closest('input, textarea, select, [contenteditable="true"]') !== null);
  const cards = () => visible(document, '[class*="st-key-article_"]');
  const current = () => cards().find((card) => card.contains(document.activeElement));
  const idOf = (card) => (card.className.match(/st-key-article_(\\d+)/) || [])[1];
  const move = (step) => {
    const list = cards();
    if (!list.length) return;
    const at = Math.min(Math.max(list.indexOf(current()) + step, 0), list.length - 1);
    const card = list[at];
    const title = card.querySelector('h2 a[href]') || card.querySelector('h2') || card;
    if (!title.matches('a[href]')) title.tabIndex = -1;
    card.scrollIntoView({block: 'nearest'});
    title.focus({preventScroll: true});
  };
  const press = (name) => {
    const card = current();
    const id = card && idOf(card);
    const button = id && visible(card, `.st-key-${name}_${id} button`)[0];
    if (button) button.click();
  };
  const open = () => {
    const card = current();
    const link = card && card.querySelector('h2 a[href]');
    if (link) link.click();
  };
  const inSidebar = (selector) => {
    const element = visible(document, selector)[0];
    const sidebar = element && element.closest('[data-testid="stSidebar"]');
    if (sidebar && sidebar.dataset.collapsed === 'true') {
      const expand = document.querySelector('[data-testid="stExpandSidebarButton"]');
      if (expand) expand.click();
    }
    return element;
  };
  const search = () => { const box = inSidebar('.st-key-board_text input'); if (box) box.focus(); };
  const help = () => {
    const summary = inSidebar('.st-key-board_shortcuts_help summary');
    if (!summary) return;
    summary.click();
    summary.focus({preventScroll: true});
    summary.closest('details').scrollIntoView({block: 'nearest'});
  };
  const actions = {j: () => move(1), k: () => move(-1), o: open, m: () => press('read'),
    s: () => press('star'), '/': search, '?': help};
  document.addEventListener('keydown', (event) => {
    const act = actions[event.key];
    if (!act || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    if (event.defaultPrevented || typing(event.target)) return;
    if (!document.querySelector('.st-key-board_shortcuts')) return;
    if (document.querySelector('[role="dialog"]')) return;
    event.preventDefault();
    act();
  });
})();
</script>"""
"""The keydown listener.  Every run sends this same text; the browser runs it each time the
element is drawn anew (back from another page), and all but the first run stop at the mark the
first left on ``window``.  Its selectors name ``SHORTCUTS_KEY``, ``HELP_KEY``, the search box
(``board_text``) and the cards' keys as ``app_pages/board.py`` gives them."""


def help_lines(words: BoardWords) -> str:
    """The list of keys, a Markdown list, then when they do nothing."""
    keys = "\n".join(f"- {words.say(line)}" for line in SHORTCUT_LINES)
    return f"{keys}\n\n{words.say('shortcut_typing')}"


def offer(words: BoardWords) -> None:
    """Say in the sidebar that the keys exist (the list in an expander) and listen to them."""
    with st.sidebar.container(key=SHORTCUTS_KEY):
        with st.expander(words.say("shortcuts"), icon=":material/keyboard:", key=HELP_KEY):
            st.markdown(help_lines(words))
        st.html(LISTENER, unsafe_allow_javascript=True, width="content")

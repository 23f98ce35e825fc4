"""The board's address of one article: ``<board_url>/?article=1234``.

The board opens the article its URL names (``dashboard/linked.py`` reads ``ARTICLE_PARAMETER``):
its card first, with its story's other copies and every action (star, vote, note, mark read).
``article_address`` builds that address from ``digest.board_url`` for the digest
(``watch.digest``) and the alerts (``watch.alert_message``); without a board address it is None,
and they link nothing more than before.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from watch.digest_words import safe_url

ARTICLE_PARAMETER = "article"
"""The query parameter naming the article the board opens."""


def article_address(board_url: str | None, article_id: int) -> str | None:
    """The board's address of article ``article_id``; None when ``board_url`` is unset or not
    a safe http(s) URL.  The board's own query parameters are kept: ``…/?embed=true&article=12``."""
    board = safe_url(board_url)
    if board is None:
        return None
    parts = urlsplit(board)
    path = parts.path if parts.path.endswith("/") else f"{parts.path}/"
    asked = f"{ARTICLE_PARAMETER}={int(article_id)}"
    query = f"{parts.query}&{asked}" if parts.query else asked
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))

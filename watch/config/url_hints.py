"""What a ``url:`` that is not an http(s) URL probably meant, for the error's "did you mean":
a host without a scheme (``www.example.org/feed``), ``feed://`` and ``feed:https://``.  Nothing
is rewritten: the user reads the suggestion and fixes the file.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def url_meant(value: str) -> str | None:
    """The http(s) URL ``value`` probably meant (``www.example.org/feed``, ``feed://host/x``
    → ``https://…``; ``feed:https://…`` → ``https://…``), None when that is no URL either."""
    text = value.strip()
    if re.match(r"^feed:https?://", text, re.IGNORECASE):
        text = text[len("feed:") :]
    elif re.match(r"^feed://", text, re.IGNORECASE):
        text = "https://" + text[len("feed://") :]
    elif not re.match(r"^[a-z][a-z0-9+.-]*:(?!\d)", text, re.IGNORECASE):  # no scheme
        text = "https://" + text.removeprefix("//")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return None
    host = parts.hostname or ""
    named = re.fullmatch(
        r"[a-z0-9-]+(\.[a-z0-9-]+)+\.?|localhost|[\d.]+|[0-9a-f:]*:[0-9a-f:]*", host
    )
    usable = parts.scheme in ("http", "https") and named and not re.search(r"\s", text)
    return text if usable else None

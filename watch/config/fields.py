"""Checks of single sources.yaml fields: one-line texts (labels, folders), folders' nesting,
http(s) URLs, time zones, and the strict base every section's model derives from (``_Strict``).
Texts and URLs refuse control characters and bidirectional controls (``BIDI_CONTROLS``: they
show a label or a URL in another order than written, "Trojan Source").
``schema`` and ``outputs`` apply them; ``folder_path`` is also how OPML import and export and
the board read a ``folder:``.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, ConfigDict

from watch.config.url_hints import url_meant
from watch.text import BIDI_CONTROLS

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
"""What a topic's, a source's or a chat's ``name`` may be."""
ENV_NAME_PATTERN = r"^[A-Z][A-Z0-9_]*$"

MAX_LABEL = 80
"""The longest source ``label:``, in characters (it heads a digest story and a board row)."""
MAX_FOLDER = 100
"""The longest source ``folder:`` (nested folders of another reader: "Dev / Python")."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _check_timezone(value: str | None) -> str | None:
    """A tz database name (Europe/Paris, America/New_York…), as the digest's ``timezone``."""
    if value is None:
        return None
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(value)
    except Exception:
        raise ValueError(f"{value!r} is not a known time zone (e.g. Europe/Paris)") from None
    return value


def _one_line(value: str, longest: int) -> str:
    """One line of at most ``longest`` characters, trimmed."""
    value = value.strip()
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value):
        raise ValueError("should be one line of text, without line breaks or tabs")
    bidi = _bidi_control(value)
    if bidi is not None:
        raise ValueError(
            f"cannot hold a bidirectional control character ({bidi}): it shows the text in"
            " another order than written"
        )
    if len(value) > longest:
        raise ValueError(f"is too long: {len(value)} characters, at most {longest}")
    return value


def _bidi_control(value: str) -> str | None:
    """The first bidirectional control in ``value``, written "U+202E", or None."""
    found = next((char for char in value if char in BIDI_CONTROLS), None)
    return None if found is None else f"U+{ord(found):04X}"


def _check_label(value: str) -> str:
    """One line of at most MAX_LABEL characters, trimmed; "" (no label) when blank."""
    return _one_line(value, MAX_LABEL)


FOLDER_SEPARATOR = " / "
"""Between the names of nested folders in a ``folder:`` as kept ("Dev / Python")."""
_NESTED = re.compile(r"(?:^|\s)/(?=\s|$)")


def folder_path(folder: str | None) -> tuple[str, ...]:
    """The names of the nested folders a ``folder:`` names, outermost first: split at each "/"
    with a space (or the start or end) on either side ("Dev  /  Python" and "/ Dev / Python"
    are ("Dev", "Python"); "CI/CD" is one name), spaces in a name made single, blank names
    dropped.  The one reading of a folder: validation, OPML import and export, the board."""
    names = (" ".join(name.split()) for name in _NESTED.split(folder or ""))
    return tuple(name for name in names if name)


def _check_folder(value: str | None) -> str | None:
    """One line of at most MAX_FOLDER characters, kept as its ``folder_path`` joined by
    FOLDER_SEPARATOR ("Dev / Python" however spaced); None (no folder) when blank."""
    if value is None:
        return None
    return FOLDER_SEPARATOR.join(folder_path(_one_line(value, MAX_FOLDER))) or None


def _check_http_url(value: str, credentials: str) -> str:
    """An http(s) URL with a host, no user or password (``credentials``: what to do) and no
    control character (one would reach the terminal where ``watch status`` prints it)."""
    from urllib.parse import urlsplit

    control = next((char for char in value if unicodedata.category(char) == "Cc"), None)
    if control is not None:
        raise ValueError(
            f"{value!r} is refused: a URL cannot hold a control character ({control!r})"
        )
    bidi = _bidi_control(value)
    if bidi is not None:
        raise ValueError(
            f"{value!r} is refused: a URL cannot hold a bidirectional control character ({bidi})"
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        meant = url_meant(value)
        hint = f" (did you mean {meant!r}?)" if meant else ""
        raise ValueError(f"{value!r} is not an http(s) URL{hint}")
    if parts.username or parts.password:
        raise ValueError(f"credentials in the URL are refused; {credentials}")
    return value

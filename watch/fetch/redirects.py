"""Which redirects the fetcher follows: a redirect's target, checked before any byte goes there.

``redirect_target`` reads a ``Location`` header the way the ``Fetcher`` follows it and refuses,
in words naming the target, what it will not follow:

* an address the SSRF policy refuses (``0177.0.0.1`` is loopback, whatever httpx thinks of it);
* a Location that is not a valid URL, or one the parsers involved would read differently (a
  backslash: browsers read it as ``/``, urllib and httpx do not);
* a Location carrying a user name or password.  httpx turns such userinfo into
  ``Authorization: Basic …``, replacing the source's own credentials on that hop.  It is refused
  rather than followed without it: sources.yaml refuses credentials in URLs for the same reason,
  a server has no business choosing the credentials we send (logging us into its account
  somewhere), and following a stripped URL would fetch something the server did not mean.

httpx parses every redirect's Location itself, even when it does not follow redirects, and its
errors name neither the target nor the reason ("Invalid URL in location header"); the
``Fetcher`` therefore runs ``redirect_target`` as a response hook, before httpx does.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from watch.fetch.errors import FetchProblem
from watch.netguard import AddressPolicy, BlockedAddress

SHOWN_LOCATION_CHARS = 200
"""A hostile Location can be long: the message shows at most this much of it."""


class RefusedRedirect(FetchProblem):
    """A redirect the fetcher will not follow; the message names its target and the reason."""


def redirect_target(url: str, location: str, policy: AddressPolicy) -> str:
    """The absolute URL a redirect from ``url`` to ``location`` leads to, or RefusedRedirect."""
    shown = _shown(location)
    if "\\" in location.split("?", 1)[0].split("#", 1)[0]:
        reason = "a backslash, which browsers read as a slash and servers may not"
        raise RefusedRedirect(f"refused: redirect to {shown}, not a valid URL ({reason})")
    try:
        target = urljoin(url, location)
        parts = urlsplit(target)
        parts.port  # noqa: B018 - reading it validates it
    except ValueError as exc:
        raise RefusedRedirect(f"refused: redirect to {shown}, not a valid URL ({exc})") from None
    _refuse_userinfo(parts)
    try:
        policy.check_url(target)
    except BlockedAddress as exc:
        raise RefusedRedirect(str(redirect_refusal(exc, target))) from None
    problem = _unreadable_by_httpx(url, location, target)
    if problem:
        raise RefusedRedirect(f"refused: redirect to {shown}, not a valid URL ({problem})")
    return target


def redirect_refusal(exc: BlockedAddress, url: str) -> BlockedAddress:
    """The same refusal, worded as a redirect: ``refused: redirect to 127.0.0.1:9 (loopback…)``."""
    if not exc.kind:
        return BlockedAddress(f"refused: redirect to {url} ({str(exc).removeprefix('refused: ')})")
    host = (urlsplit(url).hostname or "").lower()
    named = "" if not host or host == exc.address else f"{host} = "
    message = f"refused: redirect to {named}{exc.target} ({exc.kind})"
    return BlockedAddress(message, address=exc.address, port=exc.port, kind=exc.kind)


def _unreadable_by_httpx(url: str, location: str, target: str) -> str | None:
    """Why httpx would fail on this redirect (reading the Location as it does, or requesting the
    target), or None when it reads both."""
    try:
        written = httpx.URL(location)
        if written.scheme and not written.host:  # httpx fills in the host of such a Location
            written.copy_with(host=httpx.URL(url).host)
        requested = httpx.URL(target)
    except httpx.InvalidURL as exc:
        return str(exc)
    return "a user name or password where urllib saw none" if requested.userinfo else None


def _refuse_userinfo(parts: SplitResult) -> None:
    if "@" in parts.netloc:
        host = parts.netloc.rpartition("@")[2]
        shown = _shown(parts._replace(netloc=f"***@{host}").geturl())
        raise RefusedRedirect(
            f"refused: redirect to {shown}, which carries a user name or password"
            " (credentials come only from credentials_env)"
        )


def _shown(text: str) -> str:
    if len(text) <= SHOWN_LOCATION_CHARS:
        return text
    return f"{text[:SHOWN_LOCATION_CHARS]}… ({len(text)} characters)"

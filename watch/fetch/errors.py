"""Fetch problems and their wording: every network or HTTP failure as a sentence a user can read
(what such a sentence means and what to do about it: ``watch.fetch.failures``)."""

from __future__ import annotations

import logging
import ssl

import httpx

from watch.config import FetchConfig
from watch.netguard import BlockedAddress, UnresolvableHost

log = logging.getLogger(__name__)


_UNKNOWN_ISSUER_CODES = frozenset({2, 18, 19, 20})
"""OpenSSL's "unable to get issuer", "self-signed (in chain)", "unable to get local issuer"."""
_PRIVATE_CA_HINT = (
    " — if it comes from a private certificate authority, name that authority's PEM file in"
    " fetch.ca_bundle"
)


class FetchProblem(Exception):
    """A failure whose message is already written for the user."""


class BodyTooLarge(FetchProblem):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {_size(limit)}")


class TooManyRedirects(FetchProblem):
    def __init__(self, limit: int) -> None:
        super().__init__(f"too many redirects (more than {limit})")


def describe_error(exc: BaseException, url: str, config: FetchConfig) -> str:
    """A sentence a user understands for any failure of one fetch."""
    if isinstance(exc, FetchProblem | BlockedAddress | UnresolvableHost):
        return str(exc)
    if isinstance(exc, TimeoutError):
        return f"timed out after {config.timeout:g} s"
    where = _where(exc, url)
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect to {where} within {config.connect_timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {config.timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        return _connect_error(exc, where)
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol):
        return f"invalid URL {url!r}: {exc}"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"{where} broke the HTTP protocol: {exc}"
    if isinstance(exc, httpx.HTTPError):
        return f"network error with {where}: {exc or type(exc).__name__}"
    log.exception("unexpected failure fetching %s", url)
    return f"unexpected error: {type(exc).__name__}: {exc}"


def _connect_error(exc: httpx.ConnectError, where: str) -> str:
    for cause in _chain(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            hint = _PRIVATE_CA_HINT if cause.verify_code in _UNKNOWN_ISSUER_CODES else ""
            return f"TLS error: {cause.verify_message or cause.reason} ({where}){hint}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS error: {cause.reason or cause} ({where})"
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == 111:
            return f"connection refused by {where}"
    return f"could not connect to {where}: {exc or type(exc).__name__}"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _where(exc: BaseException, url: str) -> str:
    """``host:port`` of the request that failed (the redirect hop, not always ``url``)."""
    try:
        failed = exc.request.url if isinstance(exc, httpx.RequestError) else httpx.URL(url)
    except (RuntimeError, httpx.InvalidURL):
        return url
    return f"{failed.host}:{failed.port or (443 if failed.scheme == 'https' else 80)}"


def _size(count: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if count >= scale:
            return f"{round(count / scale, 1):g} {unit}"
    return f"{count} bytes"

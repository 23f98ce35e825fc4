"""The ``Fetcher``: one polite, bounded, SSRF-safe HTTP GET per source, as a ``FetchResult``.

It owns the shared ``httpx.AsyncClient`` (one per ``Fetcher``), the global and per-host
concurrency limits, conditional GET (ETag / Last-Modified → 304), manual redirects (each hop
re-checked by ``watch.netguard``, each Location by ``redirects`` before httpx reads it), the
total deadline over the whole exchange, robots.txt for page sources (every hop checked against
its origin's rules, kept by ``robots``) and per-source credentials (a 401/403 to a source whose
credential variables are unset says which ones).  An error status
is the answer whatever its body does (a false Content-Length, a connection cut short): an error
page is only drained, best effort.  Bodies are read by ``body``; problems are worded by ``errors``.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import TracebackType
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from watch.config import Credentials, FetchConfig
from watch.fetch.body import DRAIN_BYTES, Cap, read_body
from watch.fetch.errors import FetchProblem, TooManyRedirects, describe_error
from watch.fetch.pool import connection_pool_class
from watch.fetch.redirects import redirect_refusal, redirect_target
from watch.fetch.robots import RobotsCache, RobotsRefusal
from watch.fetch.tls import tls_context
from watch.models import FetchResult
from watch.netguard import AddressPolicy, BlockedAddress, guarded_transport

log = logging.getLogger(__name__)

ACCEPT = (
    "application/atom+xml, application/rss+xml, application/feed+json;q=0.95, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, text/html;q=0.7, */*;q=0.5"
)
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_CAP = 24 * 3600.0
ROBOTS_MAX_BYTES = 512 * 1024
RETRY_AFTER_CODES = frozenset({429, 503})


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header (delay or HTTP date), capped at 24 h."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), RETRY_AFTER_CAP)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), RETRY_AFTER_CAP)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (token, password, basic-auth blob) replaced by ``***``."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


@dataclass
class _Answer:
    """The last response of an exchange (after redirects), body read only for 2xx."""

    url: str
    status_code: int
    headers: httpx.Headers
    body: bytes = b""

    @property
    def reason(self) -> str:
        try:
            return HTTPStatus(self.status_code).phrase
        except ValueError:
            return "(unknown status)"


class Fetcher:
    """Fetch sources over one guarded HTTP client, within global and per-host limits;
    ``clock`` (seconds, monotonic) dates the robots.txt rules kept."""

    def __init__(
        self,
        config: FetchConfig,
        credentials: Mapping[str, Mapping[str, str]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._config = config
        self._authorization = {
            name: header
            for name, values in (credentials or {}).items()
            if (header := _authorization_header(values))
        }
        self._secrets = _secrets_of(credentials or {}, self._authorization.values())
        self._missing = dict(credentials.missing) if isinstance(credentials, Credentials) else {}
        self._global = asyncio.Semaphore(config.concurrency)
        self._per_host: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(config.per_host)
        )
        self._robots = RobotsCache(self._load_robots, config.user_agent, clock)
        self._policy = AddressPolicy(config.allow_private)
        self._client = httpx.AsyncClient(
            transport=guarded_transport(
                self._policy,
                max_connections=config.concurrency,
                ssl_context=tls_context(config.ca_bundle),
                pool_class=connection_pool_class(),
            ),
            timeout=httpx.Timeout(config.timeout, connect=config.connect_timeout),
            follow_redirects=False,
            trust_env=False,
            event_hooks={"response": [self._refuse_bad_redirect]},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._client.aclose()

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        source_name: str | None = None,
        respect_robots: bool = False,
    ) -> FetchResult:
        """GET ``url`` (conditionally when given validators); never raises for network trouble.

        The per-host slot is taken first, then a global one (so a queue on one busy host holds
        no global slot); the total deadline starts once both are held.
        """
        started = time.monotonic()
        try:
            self._policy.check_url(url)
            host_slot = self._per_host[_host_of(url)]
            async with host_slot, self._global:
                started = time.monotonic()  # the time queued for a slot is not the source's
                async with asyncio.timeout(self._config.timeout):
                    result = await self._fetch_now(
                        url, etag, last_modified, source_name, respect_robots
                    )
        except Exception as exc:  # noqa: BLE001 - every failure becomes a FetchResult
            message = redact(describe_error(exc, url, self._config), self._secrets)
            log.info("fetch %s failed: %s", redact(url, self._secrets), message)
            result = FetchResult(url=url, status="error", error=message)
        result.elapsed = time.monotonic() - started
        return result

    async def _fetch_now(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        source_name: str | None,
        respect_robots: bool,
    ) -> FetchResult:
        headers = _request_headers(self._config.user_agent, etag, last_modified)
        authorization = self._authorization.get(source_name or "")
        cap = Cap(self._config.max_bytes)
        answer = await self._exchange(url, headers, authorization, cap, respect_robots)
        result = _result_from(url, answer, etag, last_modified)
        missing = self._missing.get(source_name or "")
        if missing and authorization is None and result.http_status in (401, 403):
            result.error = f"{result.error} (sent without credentials: {missing})"
        return result

    async def _exchange(
        self,
        url: str,
        headers: dict[str, str],
        authorization: str | None,
        cap: Cap,
        respect_robots: bool = False,
    ) -> _Answer:
        """GET with redirects followed by hand, every hop checked (and, with ``respect_robots``,
        refused by ``RobotsRefusal`` before it is requested when its origin's robots.txt
        disallows it); the body read under the cap.

        Credentials go to the origin they were configured for, and to its https upgrade when
        it redirects there (``is_https_upgrade``); never to another host, to http after https, nor
        to an upgrade suggested by an origin that did not have them.
        """
        current, trusted = url, {_origin_of(url)}
        for hop in range(self._config.max_redirects + 1):
            if respect_robots and not await self._robots.allows(_origin_of(current), current):
                raise RobotsRefusal()
            try:
                self._policy.check_url(current)
                hop_headers = dict(headers)
                if authorization and _origin_of(current) in trusted:
                    hop_headers["Authorization"] = authorization
                answer = await self._request(current, hop_headers, cap)
            except BlockedAddress as exc:
                raise (redirect_refusal(exc, current) if hop else exc) from None
            location = answer.headers.get("location", "").strip()
            if answer.status_code not in REDIRECT_CODES or not location:
                return answer
            target = redirect_target(answer.url, location, self._policy)
            if _origin_of(current) in trusted and is_https_upgrade(current, target):
                trusted.add(_origin_of(target))
            current = target
        raise TooManyRedirects(self._config.max_redirects)

    async def _refuse_bad_redirect(self, response: httpx.Response) -> None:
        """Response hook: refuse a redirect's Location in words before httpx reads it (it does
        even when not following redirects, and would turn userinfo into an Authorization)."""
        location = response.headers.get("location", "").strip()
        if response.status_code in REDIRECT_CODES and location:
            redirect_target(str(response.url), location, self._policy)

    async def _request(self, url: str, headers: dict[str, str], cap: Cap) -> _Answer:
        async with self._client.stream("GET", url, headers=headers) as response:
            answer = _Answer(str(response.url), response.status_code, response.headers)
            if 200 <= response.status_code < 300:
                answer.body = await read_body(response, cap)
            elif response.headers.get("content-length", "1") == "0" or response.status_code == 304:
                await response.aread()  # nothing to read: lets the connection be reused
            else:
                await _drain_error_page(response)
            return answer

    async def _load_robots(self, origin: str) -> RobotFileParser:
        """robots.txt through the same guard; 4xx means "no rules" (RFC 9309 §2.3.1.3), 5xx or
        no answer raises (``RobotsCache`` then disallows the origin a while, §2.3.1.4)."""
        headers = _request_headers(self._config.user_agent, None, None)
        cap = Cap(ROBOTS_MAX_BYTES, truncate=True)
        answer = await self._exchange(f"{origin}/robots.txt", headers, None, cap)
        parser = RobotFileParser(f"{origin}/robots.txt")
        if 200 <= answer.status_code < 300:
            parser.parse(answer.body.decode("utf-8", "replace").splitlines())
        elif 400 <= answer.status_code < 500:
            parser.parse([])
        else:
            reason = f"HTTP {answer.status_code} {answer.reason}"
            raise FetchProblem(f"could not read robots.txt: {reason}")
        return parser


def _host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{_host_of(url)}:{parts.port or default}"


def credentials_may_go(source: str, target: str) -> bool:
    """Whether the credentials of ``source`` may be sent to ``target``: its own origin, or its
    https upgrade (``is_https_upgrade``); never another host."""
    return _origin_of(target) == _origin_of(source) or is_https_upgrade(source, target)


def is_https_upgrade(source: str, target: str) -> bool:
    """Whether a redirect from ``source`` to ``target`` moves from http to https on the same host
    name, whatever the ports (``http://intranet:8080`` → ``https://intranet:8443`` is common).

    Credentials follow such a redirect when ``source`` had them: they already went in clear to
    that host, and only its server (or someone on the path, who saw them) sent us on, so an
    encrypted copy tells nobody anything new.  requests allows ports 80 → 443 only; checking
    ports would add no secrecy here.
    """
    before, after = urlsplit(source), urlsplit(target)
    return (
        (before.scheme, after.scheme) == ("http", "https")
        and bool(after.hostname)
        and _host_of(source) == _host_of(target)
    )


def _request_headers(user_agent: str, etag: str | None, last_modified: str | None) -> dict:
    headers = {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _authorization_header(values: Mapping[str, str]) -> str | None:
    if values.get("token"):
        return f"Bearer {values['token']}"
    if values.get("user") and values.get("password") is not None:
        blob = base64.b64encode(f"{values['user']}:{values['password']}".encode()).decode()
        return f"Basic {blob}"
    return None


def _secrets_of(credentials: Mapping[str, Mapping[str, str]], headers: Iterable[str]) -> list[str]:
    secrets = [v for values in credentials.values() for k, v in values.items() if k != "user"]
    return secrets + [header.split(" ", 1)[1] for header in headers]


async def _drain_error_page(response: httpx.Response) -> None:
    """Read and drop a small error or redirect page so its connection can be reused; a body that
    breaks (a false Content-Length, a bad encoding) is let go: the status is the answer."""
    with contextlib.suppress(httpx.HTTPError, FetchProblem):
        await read_body(response, Cap(DRAIN_BYTES, truncate=True))


def _result_from(
    url: str, answer: _Answer, etag: str | None, last_modified: str | None
) -> FetchResult:
    code, headers = answer.status_code, answer.headers
    result = FetchResult(
        url=url,
        status="error",
        http_status=code,
        content_type=headers.get("content-type", ""),
        etag=headers.get("etag") or (etag if code == 304 else None),
        last_modified=headers.get("last-modified") or (last_modified if code == 304 else None),
        final_url=answer.url,
    )
    if 200 <= code < 300:
        result.status, result.body = "ok", answer.body
    elif code == 304:
        result.status = "not_modified"
    elif code == 410:
        result.status, result.error = "gone", "HTTP 410 Gone"
    else:
        result.error = f"HTTP {code} {answer.reason}"
        if code in REDIRECT_CODES:
            result.error += " without a Location header"
        if code in RETRY_AFTER_CODES:
            result.retry_after = parse_retry_after(headers.get("retry-after"), datetime.now(UTC))
    return result

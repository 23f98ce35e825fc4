"""The fetch stage against real local servers: status mapping, bounds, redirects, SSRF
(robots.txt: ``test_fetch_robots``).

Every request goes to 127.0.0.1 (the test's own servers).  Only the server's own
``127.0.0.1:PORT`` is allowed; redirects elsewhere on this machine must be refused before any
byte reaches the other server.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import socket
import tracemalloc
import zlib
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest

from tests.support.servers import LocalServer, RequestHandler
from watch.config import FetchConfig, parse_config, resolve_settings
from watch.fetch import Fetcher, parse_retry_after, redact
from watch.models import FetchResult

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
MB = 1024 * 1024


def run_fetch(config: FetchConfig, url: str, **kwargs: Any) -> FetchResult:
    return run_fetches(config, [url], **kwargs)[0]


def run_fetches(
    config: FetchConfig,
    urls: list[str],
    credentials: Mapping[str, Mapping[str, str]] | None = None,
    **kwargs: Any,
) -> list[FetchResult]:
    async def go() -> list[FetchResult]:
        async with Fetcher(config, credentials) as fetcher:
            return [await fetcher.fetch(url, **kwargs) for url in urls]

    return asyncio.run(go())


def allowing(server: LocalServer, **settings: Any) -> FetchConfig:
    return FetchConfig(allow_private=(server.allow,), **settings)


def test_ok_returns_body_type_validators_and_polite_headers(local_server: LocalServer) -> None:
    local_server.route(
        "/feed.xml",
        RSS,
        headers={"Content-Type": "application/rss+xml; charset=utf-8"},
        etag='"v1"',
        last_modified="Mon, 01 Jan 2024 10:00:00 GMT",
    )
    result = run_fetch(allowing(local_server), local_server.url("/feed.xml"))
    assert (result.status, result.http_status, result.body) == ("ok", 200, RSS)
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.etag == '"v1"' and result.last_modified == "Mon, 01 Jan 2024 10:00:00 GMT"
    assert result.final_url == local_server.url("/feed.xml") and result.error is None
    assert 0 < result.elapsed < 5
    _, _, headers = local_server.requests[0]
    assert headers["User-Agent"].startswith("watch/") and "https://" in headers["User-Agent"]
    assert headers["Accept"].startswith("application/atom+xml, application/rss+xml")
    assert "If-None-Match" not in headers and "Authorization" not in headers


def test_etag_gives_not_modified_without_body(local_server: LocalServer) -> None:
    local_server.route("/feed.xml", RSS, etag='"v1"')
    config = allowing(local_server)
    result = run_fetch(config, local_server.url("/feed.xml"), etag='"v1"')
    assert (result.status, result.http_status, result.body) == ("not_modified", 304, b"")
    assert result.etag == '"v1"'
    assert local_server.requests[0][2]["If-None-Match"] == '"v1"'
    changed = run_fetch(config, local_server.url("/feed.xml"), etag='"v0"')
    assert (changed.status, changed.body) == ("ok", RSS)


def test_last_modified_gives_not_modified(local_server: LocalServer) -> None:
    stamp = "Mon, 01 Jan 2024 10:00:00 GMT"
    local_server.route("/feed.xml", RSS, last_modified=stamp)
    config = allowing(local_server)
    result = run_fetch(config, local_server.url("/feed.xml"), last_modified=stamp)
    assert (result.status, result.last_modified) == ("not_modified", stamp)
    assert local_server.requests[0][2]["If-Modified-Since"] == stamp
    older = run_fetch(
        config, local_server.url("/feed.xml"), last_modified="Sun, 31 Dec 2023 10:00:00 GMT"
    )
    assert older.status == "ok"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "HTTP 404 Not Found"),
        (500, "HTTP 500 Internal Server Error"),
        (401, "HTTP 401 Unauthorized"),
        (302, "HTTP 302 Found without a Location header"),
        (299, "HTTP 299 (unknown status)"),
    ],
)
def test_http_errors_become_clear_messages(
    local_server: LocalServer, status: int, message: str
) -> None:
    local_server.route("/x", b"oops", status=status)
    result = run_fetch(allowing(local_server), local_server.url("/x"))
    if status == 299:
        assert result.status == "ok"
        return
    assert (result.status, result.http_status, result.error) == ("error", status, message)
    assert result.body == b"" and result.retry_after is None


def test_503_and_429_carry_retry_after_capped(local_server: LocalServer) -> None:
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=600), usegmt=True)
    local_server.route("/busy", status=503, headers={"Retry-After": "120"})
    local_server.route("/slow-down", status=429, headers={"Retry-After": soon})
    local_server.route("/forever", status=503, headers={"Retry-After": "99999999"})
    config = allowing(local_server)
    busy, slow, forever = run_fetches(
        config, [local_server.url(p) for p in ("/busy", "/slow-down", "/forever")]
    )
    assert (busy.error, busy.retry_after) == ("HTTP 503 Service Unavailable", 120.0)
    assert slow.error == "HTTP 429 Too Many Requests"
    assert slow.retry_after is not None and 580 < slow.retry_after <= 600
    assert forever.retry_after == 24 * 3600


def test_410_means_gone(local_server: LocalServer) -> None:
    local_server.route("/old", status=410)
    result = run_fetch(allowing(local_server), local_server.url("/old"))
    assert (result.status, result.http_status) == ("gone", 410)


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compression_bombs_stop_at_the_cap(local_server: LocalServer, encoding: str) -> None:
    local_server.gzip_bomb("/bomb", inflated_size=16 * MB, encoding=encoding)
    result = run_fetch(allowing(local_server, max_bytes=256 * 1024), local_server.url("/bomb"))
    assert (result.status, result.error) == ("error", "body larger than 256 KB")
    assert result.elapsed < 2


def test_bomb_is_never_inflated_beyond_the_cap(local_server: LocalServer) -> None:
    """The 16 kB bomb arrives in one read: only a bounded inflate keeps memory under 16 MB."""
    local_server.gzip_bomb("/bomb", inflated_size=16 * MB)
    config = allowing(local_server, max_bytes=256 * 1024)
    run_fetch(config, local_server.url("/bomb"))  # warm imports and caches
    tracemalloc.start()
    try:
        result = run_fetch(config, local_server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error == "body larger than 256 KB"
    assert peak < 8 * MB


@pytest.mark.parametrize(
    ("encoding", "compress"), [("deflate", zlib.compress), ("gzip", gzip.compress), ("", bytes)]
)
def test_a_gzip_bomb_inside_the_transport_encoding_stops_at_the_cap(
    local_server: LocalServer, encoding: str, compress: Any
) -> None:
    """The cap counts the bytes the parser gets: a bomb wrapped in deflate (or gzip, or served
    as a plain .gz file) is inflated no further than the cap, not to the parser's own bound."""
    bomb = gzip.compress(bytes(16 * MB), 9)
    headers = {"Content-Encoding": encoding} if encoding else {}
    local_server.route("/nested", compress(bomb), headers=headers)
    config = allowing(local_server, max_bytes=256 * 1024)
    run_fetch(config, local_server.url("/nested"))  # warm imports and caches
    tracemalloc.start()
    try:
        result = run_fetch(config, local_server.url("/nested"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (result.status, result.error) == ("error", "body larger than 256 KB")
    assert peak < 8 * MB


def test_a_feed_compressed_twice_is_decoded_and_a_third_layer_refused(
    local_server: LocalServer,
) -> None:
    local_server.route(
        "/twice", gzip.compress(gzip.compress(RSS)), headers={"Content-Encoding": "gzip"}
    )
    thrice = gzip.compress(gzip.compress(gzip.compress(gzip.compress(RSS))))
    local_server.route("/thrice", thrice, headers={"Content-Encoding": "gzip"})
    twice, too_deep = run_fetches(
        allowing(local_server), [local_server.url("/twice"), local_server.url("/thrice")]
    )
    assert (twice.status, twice.body) == ("ok", RSS)
    assert too_deep.error == "body compressed more than 3 times (refused)"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),
    ],
)
def test_compressed_bodies_are_decoded(
    local_server: LocalServer, encoding: str, compress: Any
) -> None:
    local_server.route("/feed", compress(RSS * 100), headers={"Content-Encoding": encoding})
    result = run_fetch(allowing(local_server), local_server.url("/feed"))
    assert (result.status, result.body) == ("ok", RSS * 100)


def test_body_exactly_at_the_cap_is_accepted(local_server: LocalServer) -> None:
    local_server.route("/fits", b"a" * 1000)
    local_server.gzip_bomb("/fits.gz", inflated_size=1000)
    config = allowing(local_server, max_bytes=1000)
    plain, packed = run_fetches(config, [local_server.url("/fits"), local_server.url("/fits.gz")])
    assert (plain.status, len(plain.body)) == ("ok", 1000)
    assert (packed.status, packed.body) == ("ok", bytes(1000))


@pytest.mark.parametrize("declare_length", [True, False])
def test_huge_plain_body_stops_at_the_cap(local_server: LocalServer, declare_length: bool) -> None:
    local_server.huge("/huge", size=200 * MB, declare_length=declare_length)
    result = run_fetch(allowing(local_server, max_bytes=MB), local_server.url("/huge"))
    assert (result.status, result.error) == ("error", "body larger than 1 MB")
    assert result.elapsed < 2


def test_unknown_content_encoding_is_an_error(local_server: LocalServer) -> None:
    local_server.route("/br", b"\x1b\x00", headers={"Content-Encoding": "br"})
    result = run_fetch(allowing(local_server), local_server.url("/br"))
    assert result.error == "unsupported content encoding: br"


def test_trickling_server_is_cut_at_the_total_deadline(local_server: LocalServer) -> None:
    local_server.trickle("/drip", interval=0.3)
    result = run_fetch(allowing(local_server, timeout=1.5), local_server.url("/drip"))
    assert (result.status, result.error) == ("error", "timed out after 1.5 s")
    assert 1.4 < result.elapsed < 2.5


def test_redirects_are_followed_and_reported(local_server: LocalServer) -> None:
    local_server.route("/new.xml", RSS)
    local_server.redirect("/old.xml", "/new.xml", status=301)
    local_server.redirect("/older.xml", local_server.url("/old.xml"), status=308)
    result = run_fetch(allowing(local_server), local_server.url("/older.xml"))
    assert (result.status, result.body) == ("ok", RSS)
    assert result.url == local_server.url("/older.xml")
    assert result.final_url == local_server.url("/new.xml")


def test_redirect_loop_is_too_many_redirects(local_server: LocalServer) -> None:
    local_server.redirect_loop("/loop")
    result = run_fetch(allowing(local_server, max_redirects=2), local_server.url("/loop"))
    assert (result.status, result.error) == ("error", "too many redirects (more than 2)")
    assert len(local_server.requests) == 3


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://127.0.0.1:{other}/", "refused: redirect to 127.0.0.1:{other} (loopback address)"),
        ("http://localhost:{other}/", "refused: redirect to localhost = 127.0.0.1:{other}"),
        ("http://2130706433:{other}/", "refused: redirect to 2130706433 = 127.0.0.1:{other}"),
        ("http://0x7f000001:{other}/", "(loopback address)"),
        ("http://127.1:{other}/", "(loopback address)"),
        ("http://0177.0.0.1:{other}/", "refused: redirect to 0177.0.0.1 = 127.0.0.1:{other}"),
        ("http://[::ffff:127.0.0.1]:{other}/", "(loopback address)"),
        ("http://[::1]:{port}/", "refused: redirect to [::1]:{port} (loopback address)"),
        ("http://localhost:{port}/", "refused: redirect to localhost = 127.0.0.1:{port}"),
        ("http://2130706433:{port}/", "refused: redirect to 2130706433 = 127.0.0.1:{port}"),
        ("http://127.0.0.2:{port}/", "refused: redirect to 127.0.0.2:{port} (loopback address)"),
        ("ftp://127.0.0.1:{port}/", "refused: redirect to ftp://127.0.0.1:{port}/"),
    ],
)
def test_redirects_elsewhere_on_this_machine_are_refused(
    local_server: LocalServer, other_local_server: LocalServer, location: str, message: str
) -> None:
    ports = {"other": other_local_server.port, "port": local_server.port}
    other_local_server.route("/", RSS)
    local_server.redirect("/jump", location.format(**ports))
    result = run_fetch(allowing(local_server), local_server.url("/jump"))
    assert result.status == "error"
    assert message.format(**ports) in (result.error or "")
    assert other_local_server.requests == []


@pytest.mark.parametrize(
    ("location", "message"),
    [
        (
            "http://a\u00d7b.invalid/feed",
            "refused: redirect to http://a\u00d7b.invalid/feed, not a valid URL"
            " (Invalid IDNA hostname: 'a\u00d7b.invalid')",
        ),
        (
            "http:\\\\evil.example\\feed",
            "refused: redirect to http:\\\\evil.example\\feed, not a valid URL"
            " (a backslash, which browsers read as a slash and servers may not)",
        ),
        ("http://[::1/", "refused: redirect to http://[::1/, not a valid URL (Invalid IPv6 URL)"),
    ],
)
def test_an_unreadable_redirect_target_is_named_in_the_refusal(
    local_server: LocalServer, location: str, message: str
) -> None:
    """httpx's own words named the source URL, or said "broke the HTTP protocol"."""
    local_server.redirect("/jump", location)
    result = run_fetch(allowing(local_server), local_server.url("/jump"))
    assert (result.status, result.error) == ("error", message)
    assert [path for _, path, _ in local_server.requests] == ["/jump"]


@pytest.mark.parametrize(
    "location",
    [
        "http://user:hunter2@127.0.0.1:{port}/feed.xml",
        "//user:hunter2@127.0.0.1:{port}/feed.xml",
        "http://user@127.0.0.1:{port}/feed.xml",
    ],
)
def test_a_redirect_carrying_credentials_is_refused(
    local_server: LocalServer, location: str
) -> None:
    """httpx turned them into ``Authorization: Basic`` in place of the source's own token."""
    local_server.route("/feed.xml", RSS)
    local_server.redirect("/jump", location.format(port=local_server.port))
    credentials = {"intranet": {"token": "tok-3f9a7c1d2e"}}
    urls = [local_server.url("/jump")]
    (result,) = run_fetches(allowing(local_server), urls, credentials, source_name="intranet")
    assert result.error == (
        f"refused: redirect to http://***@127.0.0.1:{local_server.port}/feed.xml, which carries"
        " a user name or password (credentials come only from credentials_env)"
    )
    assert [path for _, path, _ in local_server.requests] == ["/jump"]


def test_an_error_status_wins_over_a_body_cut_short(local_server: LocalServer) -> None:
    """A 500 claiming 10 GB and sending 5 bytes was reported as "peer closed connection"."""

    def false_length(request: RequestHandler) -> None:
        request.send_response(500)
        request.send_header("Content-Length", str(10 * 1024 * MB))
        request.end_headers()
        request.wfile.write(b"short")
        request.close_connection = True

    local_server.handler("/broken", false_length)
    local_server.route("/feed.xml", RSS)
    config = allowing(local_server)
    broken, fine = run_fetches(config, [local_server.url("/broken"), local_server.url("/feed.xml")])
    assert (broken.status, broken.http_status) == ("error", 500)
    assert broken.error == "HTTP 500 Internal Server Error"
    assert (fine.status, fine.body) == ("ok", RSS)


def test_a_name_resolving_to_loopback_is_refused_at_connect_time_unless_allowed(
    local_server: LocalServer,
) -> None:
    local_server.route("/feed.xml", RSS)
    url = f"http://localhost:{local_server.port}/feed.xml"
    refused = run_fetch(FetchConfig(), url)
    assert refused.error is not None
    assert refused.error.startswith("refused: localhost resolves to")
    assert local_server.requests == []
    only_the_ip = run_fetch(allowing(local_server), url)
    assert (only_the_ip.error or "").startswith("refused: localhost resolves to")
    assert local_server.requests == []
    allowed = run_fetch(FetchConfig(allow_private=(f"localhost:{local_server.port}",)), url)
    assert (allowed.status, allowed.body) == ("ok", RSS)
    assert local_server.requests[0][2]["Host"] == f"localhost:{local_server.port}"


def test_credentials_are_sent_to_their_origin_only_and_never_shown(
    local_server: LocalServer, other_local_server: LocalServer
) -> None:
    token = "tok-3f9a7c1d2e"
    local_server.route("/private.xml", RSS)
    local_server.redirect("/moved.xml", other_local_server.url("/elsewhere.xml"))
    local_server.redirect("/leak", f"ftp://example.org/{token}")
    other_local_server.route("/elsewhere.xml", RSS)
    config = FetchConfig(allow_private=(local_server.allow, other_local_server.allow))
    urls = [local_server.url(p) for p in ("/private.xml", "/moved.xml", "/leak")]
    credentials = {"intranet": {"token": token}}
    ok, moved, leak = run_fetches(config, urls, credentials, source_name="intranet")
    assert ok.status == moved.status == "ok"
    assert local_server.requests[0][2]["Authorization"] == f"Bearer {token}"
    assert "Authorization" not in other_local_server.requests[0][2]
    assert (
        leak.error == "refused: redirect to ftp://example.org/*** (ftp scheme, only http and https)"
    )


def test_basic_auth_from_user_and_password(local_server: LocalServer) -> None:
    local_server.route("/private.xml", RSS)
    credentials = {"intranet": {"user": "alice", "password": "pa55:word"}}
    urls = [local_server.url("/private.xml")]
    run_fetches(allowing(local_server), urls, credentials, source_name="intranet")
    expected = base64.b64encode(b"alice:pa55:word").decode()
    assert local_server.requests[0][2]["Authorization"] == f"Basic {expected}"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "$PRIV_TOKEN (or $PRIV_USER and $PRIV_PASSWORD) is not set"),
        ({"PRIV_USER": "alice"}, "$PRIV_PASSWORD is not set ($PRIV_USER is)"),
    ],
)
def test_a_refusal_names_the_unset_credential_variables(
    local_server: LocalServer, env: dict[str, str], missing: str
) -> None:
    local_server.route("/private.xml", "no", status=403)
    local_server.route("/other.xml", "no", status=403)
    config = parse_config(
        f"sources:\n  - {{name: priv, url: '{local_server.url('/private.xml')}', "
        "credentials_env: PRIV}\n"
    )
    credentials = resolve_settings(config=config, env=env).credentials
    urls = [local_server.url("/private.xml")]
    (refused,) = run_fetches(allowing(local_server), urls, credentials, source_name="priv")
    assert refused.error == f"HTTP 403 Forbidden (sent without credentials: {missing})"
    assert "Authorization" not in local_server.requests[0][2]
    urls = [local_server.url("/other.xml")]
    (other,) = run_fetches(allowing(local_server), urls, credentials, source_name="other")
    assert other.error == "HTTP 403 Forbidden", "only a source with credentials_env gets the hint"


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses connections (bound, not listening)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_network_failures_become_clear_messages(
    local_server: LocalServer, closed_port: int
) -> None:
    config = FetchConfig(allow_private=(f"127.0.0.1:{closed_port}", local_server.allow))
    refused, unknown, tls = run_fetches(
        config,
        [
            f"http://127.0.0.1:{closed_port}/",
            "http://no-such-host.invalid/feed",
            f"https://127.0.0.1:{local_server.port}/",
        ],
    )
    assert refused.error == f"connection refused by 127.0.0.1:{closed_port}"
    assert unknown.error == "DNS lookup failed for no-such-host.invalid"
    assert tls.error is not None and tls.error.startswith("TLS error: ")


@pytest.mark.parametrize(
    ("per_host", "concurrency", "expected"), [(2, 16, 2), (4, 16, 4), (8, 3, 3)]
)
def test_concurrency_is_bounded_per_host_and_globally(
    local_server: LocalServer, per_host: int, concurrency: int, expected: int
) -> None:
    local_server.delay("/slow", seconds=0.15, body=RSS)
    config = allowing(local_server, per_host=per_host, concurrency=concurrency)

    async def go() -> list[FetchResult]:
        async with Fetcher(config) as fetcher:
            return await asyncio.gather(
                *(fetcher.fetch(local_server.url("/slow")) for _ in range(8))
            )

    results = asyncio.run(go())
    assert all(r.status == "ok" for r in results)
    assert local_server.max_concurrent == expected


def test_parse_retry_after() -> None:
    now = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(" 0 ", now) == 0.0
    assert parse_retry_after("Mon, 01 Jan 2024 12:05:00 GMT", now) == 300.0
    assert parse_retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("Wed, 01 Jan 2025 12:00:00 GMT", now) == 24 * 3600
    assert parse_retry_after("999999999", now) == 24 * 3600
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("-5", now) is None
    assert parse_retry_after("", now) is None
    assert parse_retry_after(None, now) is None


def test_redact_hides_every_secret_longest_first() -> None:
    text = "token abc123 and abc123456 in https://u:abc123456@host/"
    assert redact(text, ["abc123", "abc123456", ""]) == "token *** and *** in https://u:***@host/"

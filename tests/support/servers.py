"""Local HTTP servers for tests: real sockets on 127.0.0.1, routes set up by the test.

Fixtures ``local_server`` and ``other_local_server`` (two independent instances) give a
``LocalServer`` already listening (bound before the fixture yields, served from a background
thread, many requests at once).  Routes::

    server.route("/feed.xml", body, headers={"Content-Type": "application/rss+xml"},
                 etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")   # 304 when matched
    server.handler("/odd", lambda request: ...)   # fn(request handler) writes the response
    server.redirect("/old", "/new"); server.redirect_loop("/loop")
    server.gzip_bomb("/bomb", inflated_size=50 * 2**20)             # or encoding="deflate"
    server.huge("/big", size=20 * 2**20); server.trickle("/slow", interval=2.0)
    server.delay("/wait", seconds=0.2, body=b"...")                  # answers after a pause

Fixture ``tls_local_server`` is the same over HTTPS, with the certificate of the test CA
(``tests.support.tls``: a client trusts ``tls_files.cert``).
``server.url(path)``, ``server.port``, ``server.allow`` ("127.0.0.1:PORT" for
``FetchConfig.allow_private``), ``server.requests`` ((method, path, headers) received) and
``server.max_concurrent`` (most requests in progress at once) serve the assertions; a
custom handler finds the request body in ``request.body``.
Unknown paths answer 404.  Slow handlers wait on an event set at teardown, and every
connection is shut down then, so no handler thread outlives its test.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import socket
import ssl
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tests.support.tls import TlsFiles

Handler = Callable[["RequestHandler"], None]
CHUNK = 64 * 1024


class RequestHandler(BaseHTTPRequestHandler):
    """Dispatches every method to the route of the owning LocalServer."""

    protocol_version = "HTTP/1.1"
    body: bytes = b""
    """The request body (read before the route runs, so keep-alive stays in step)."""
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms stalls
    server: _Server

    def do_GET(self) -> None:
        self.server.owner._dispatch(self)

    do_HEAD = do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests assert on ``server.requests`` instead."""

    def send_body(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        """A complete response with Content-Length (the body is skipped for HEAD and 304)."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD" and status != 304:
            self.wfile.write(body)

    def stream(self, chunks: Iterator[bytes]) -> None:
        """Write chunks until done, the client goes away or the server stops."""
        try:
            for chunk in chunks:
                if self.server.owner.stopping.is_set():
                    break
                self.wfile.write(chunk)
                self.wfile.flush()
        except OSError:  # the client went away (broken pipe, reset)
            pass
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default backlog of 5 stalls bursts of connections by ~1 s
    owner: LocalServer

    def process_request(self, request: socket.socket, client_address: object) -> None:  # type: ignore[override]
        thread = threading.Thread(
            target=self.process_request_thread, args=(request, client_address), daemon=True
        )
        with self.owner._lock:
            self.owner._connections.add(request)
            self.owner._threads.append(thread)
        thread.start()

    def handle_error(self, request: object, client_address: object) -> None:  # type: ignore[override]
        """Stay quiet when a client simply went away (reset, broken pipe, refused our certificate);
        report the rest."""
        if not isinstance(sys.exc_info()[1], ConnectionError | ssl.SSLError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def shutdown_request(self, request: socket.socket) -> None:  # type: ignore[override]
        with self.owner._lock:
            self.owner._connections.discard(request)
        super().shutdown_request(request)


class LocalServer:
    """A real HTTP/1.1 server on 127.0.0.1:random port, configured route by route (HTTPS when
    given a server ``tls`` context; the handshake runs in the connection's handler thread)."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._in_flight = 0
        self.max_concurrent = 0
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), RequestHandler)
        self._httpd.owner = self
        self.scheme = "https" if tls else "http"
        if tls:
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def allow(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"

    # -- routes ---------------------------------------------------------------------------

    def handler(self, path: str, fn: Handler) -> None:
        """Serve ``path`` with ``fn(request_handler)``, which writes the whole response."""
        self._routes[path] = fn

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        status: int = 200,
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """A fixed response; with ``etag``/``last_modified``, matching conditionals get 304."""
        data = body.encode() if isinstance(body, str) else body
        sent = dict(headers or {})
        if etag:
            sent["ETag"] = etag
        if last_modified:
            sent["Last-Modified"] = last_modified

        def respond(request: RequestHandler) -> None:
            if _not_modified(request, etag, last_modified):
                request.send_body(304, b"", sent)
            else:
                request.send_body(status, data, sent)

        self.handler(path, respond)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.route(path, status=status, headers={"Location": location})

    def redirect_loop(self, path: str) -> None:
        """``path`` redirects to itself, forever."""
        self.redirect(path, self.url(path))

    def gzip_bomb(self, path: str, inflated_size: int, encoding: str = "gzip") -> None:
        """A small compressed body (gzip or deflate) that inflates to ``inflated_size`` zeros."""
        data = _bomb(inflated_size, encoding)
        headers = {"Content-Encoding": encoding, "Content-Type": "application/rss+xml"}
        self.route(path, data, headers=headers)

    def huge(self, path: str, size: int, declare_length: bool = True) -> None:
        """A plain body of ``size`` bytes, streamed in chunks (never held in memory whole).

        Without ``declare_length`` there is no Content-Length: the body ends when the server
        closes the connection, so only counting while reading can stop it.
        """

        def respond(request: RequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", "application/xml")
            if declare_length:
                request.send_header("Content-Length", str(size))
            else:
                request.send_header("Connection", "close")
            request.end_headers()
            full, rest = divmod(size, CHUNK)
            request.stream(iter([b"a" * CHUNK] * full + [b"a" * rest]))

        self.handler(path, respond)

    def trickle(self, path: str, interval: float = 2.0, length: int = 1000) -> None:
        """Headers at once, then one body byte every ``interval`` seconds."""

        def respond(request: RequestHandler) -> None:
            request.send_response(200)
            request.send_header("Content-Type", "application/xml")
            request.send_header("Content-Length", str(length))
            request.end_headers()
            request.stream(self._paced(b"<", length, interval))

        self.handler(path, respond)

    def delay(self, path: str, seconds: float, body: bytes | str = b"ok") -> None:
        """Answer 200 after ``seconds`` (or at once when the server stops)."""
        data = body.encode() if isinstance(body, str) else body

        def respond(request: RequestHandler) -> None:
            self.stopping.wait(seconds)
            request.send_body(200, data, {"Content-Type": "text/plain"})

        self.handler(path, respond)

    def _paced(self, byte: bytes, count: int, interval: float) -> Iterator[bytes]:
        for _ in range(count):
            yield byte
            if self.stopping.wait(interval):
                return

    # -- serving ----------------------------------------------------------------------------

    def _dispatch(self, request: RequestHandler) -> None:
        length = request.headers.get("Content-Length", "")
        request.body = request.rfile.read(int(length)) if length.isdigit() else b""
        with self._lock:
            self.requests.append((request.command, request.path, dict(request.headers)))
            self._in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self._in_flight)
        try:
            fn = self._routes.get(request.path) or self._routes.get(urlsplit(request.path).path)
            if fn is None:
                request.send_body(404, b"not found", {"Content-Type": "text/plain"})
            else:
                fn(request)
        finally:
            with self._lock:
                self._in_flight -= 1

    def close(self) -> None:
        """Stop serving, wake slow handlers, close open connections, join every thread."""
        self.stopping.set()
        self._httpd.shutdown()
        with self._lock:
            connections = list(self._connections)
            threads = list(self._threads)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        self._thread.join(timeout=5)
        for thread in threads:
            thread.join(timeout=5)
        stuck = [thread for thread in threads if thread.is_alive()]
        if stuck:
            raise RuntimeError(f"{len(stuck)} handler thread(s) still running after shutdown")


def _not_modified(request: RequestHandler, etag: str | None, last_modified: str | None) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if etag and if_none_match:
        tags = [tag.strip() for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags or etag.removeprefix("W/") in tags
    since = request.headers.get("If-Modified-Since")
    if last_modified and since:
        try:
            return email.utils.parsedate_to_datetime(
                last_modified
            ) <= email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return since == last_modified
    return False


@functools.lru_cache(maxsize=8)
def _bomb(inflated_size: int, encoding: str) -> bytes:
    """Zeros compressed as a gzip member or a zlib (HTTP "deflate") stream."""
    wbits = zlib.MAX_WBITS | 16 if encoding == "gzip" else zlib.MAX_WBITS
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = bytes(1024 * 1024)
    parts = []
    full, rest = divmod(inflated_size, len(block))
    for _ in range(full):
        parts.append(compressor.compress(block))
    parts.append(compressor.compress(bytes(rest)))
    parts.append(compressor.flush())
    return b"".join(parts)


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    """A fresh HTTP server on 127.0.0.1 (random port), closed after the test."""
    server = LocalServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def other_local_server() -> Iterator[LocalServer]:
    """A second, independent server (for "another port on this machine" cases)."""
    server = LocalServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def tls_local_server(tls_files: TlsFiles) -> Iterator[LocalServer]:
    """An HTTPS server on 127.0.0.1 (random port) with the test CA's certificate."""
    server = LocalServer(tls=tls_files.server_context())
    try:
        yield server
    finally:
        server.close()

"""Demo server: serves the rendered demo documents on 127.0.0.1 in a background thread.

Answers GET and HEAD, sends ETag and Last-Modified, and answers 304 to a conditional request
whose validators match, like a well-behaved feed host.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from watch.demo.render import Document, render_documents


def _is_fresh(document: Document, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """True when the client's validators say its copy is current (answer 304)."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or document.etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and document.last_modified <= since
    return False


def _handler_for(documents: dict[str, Document]) -> type[BaseHTTPRequestHandler]:
    class DemoHandler(BaseHTTPRequestHandler):
        server_version = "watch-demo/1.0"

        def do_GET(self) -> None:
            self._answer(with_body=True)

        def do_HEAD(self) -> None:
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            document = documents.get(urlsplit(self.path).path)
            if document is None:
                self.send_error(404, "No such demo document")
                return
            fresh = _is_fresh(
                document, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            )
            self.send_response(304 if fresh else 200)
            self.send_header("ETag", document.etag)
            self.send_header("Last-Modified", format_datetime(document.last_modified, usegmt=True))
            self.send_header("Cache-Control", "no-cache")
            if not fresh:
                self.send_header("Content-Type", document.content_type)
                self.send_header("Content-Length", str(len(document.body)))
            self.end_headers()
            if with_body and not fresh:
                self.wfile.write(document.body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the demo is not a log
            return

    return DemoHandler


class DemoServer:
    """Serves the demo sources on ``host`` (a free port unless given) in a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, now: datetime | None = None):
        self.host, self._requested_port, self.now = host, port, now
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("DemoServer is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> DemoServer:
        documents: dict[str, Document] = {}
        self._server = ThreadingHTTPServer(
            (self.host, self._requested_port), _handler_for(documents)
        )
        self._server.daemon_threads = True
        now = (self.now or datetime.now(UTC)).astimezone(UTC)
        documents.update(render_documents(self.base_url, now))
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="watch-demo", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

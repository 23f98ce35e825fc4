"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 with the test CA of ``tests.support.tls``,
STARTTLS, implicit TLS or none, and AUTH checking a real user/password; it records what it gets.

Fixtures: ``smtp_server`` (STARTTLS + AUTH), ``ssl_server``, ``plain_server``; helpers
``running_server``, ``starttls_server``, ``free_port``.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from tests.support.tls import TlsFiles
from watch.config import SmtpSettings

SMTP_USER = "digest-bot"
SMTP_PASSWORD = "correct horse battery staple"


@dataclass
class Recorder:
    """aiosmtpd handler keeping every accepted envelope."""

    envelopes: list[Envelope] = field(default_factory=list)
    authenticated: list[bool] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        self.authenticated.append(bool(session.authenticated))
        return "250 Message accepted"

    def messages(self) -> list[EmailMessage]:
        return [_parse(envelope) for envelope in self.envelopes]


@dataclass
class SmtpServer:
    settings: SmtpSettings
    client_context: ssl.SSLContext
    recorder: Recorder


def _parse(envelope: Envelope) -> EmailMessage:
    raw = envelope.original_content or envelope.content
    assert isinstance(raw, bytes)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_password(server, session, envelope, mechanism, auth_data) -> AuthResult:  # type: ignore[no-untyped-def]
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == SMTP_USER.encode()
        and auth_data.password == SMTP_PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@contextmanager
def running_server(security: str, tls: TlsFiles, **smtp_options: Any) -> Iterator[SmtpServer]:
    """An aiosmtpd server on a free 127.0.0.1 port and the SmtpSettings that reach it."""
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    auth = "authenticator" in smtp_options
    settings = SmtpSettings(
        host="127.0.0.1",
        port=port,
        security=security,  # type: ignore[arg-type]
        user=SMTP_USER if auth else None,
        password=SMTP_PASSWORD if auth else None,
        sender="watch@example.org",
    )
    try:
        yield SmtpServer(settings, tls.client_context(), recorder)
    finally:
        controller.stop()


def starttls_server(tls: TlsFiles) -> AbstractContextManager[SmtpServer]:
    """STARTTLS required, AUTH required and only over TLS, certificate from the test CA."""
    return running_server(
        "starttls",
        tls,
        tls_context=tls.server_context(),
        require_starttls=True,
        authenticator=check_password,
        auth_required=True,
        auth_require_tls=True,
    )


@pytest.fixture
def smtp_server(tls_files: TlsFiles) -> Iterator[SmtpServer]:
    with starttls_server(tls_files) as server:
        yield server


@pytest.fixture
def ssl_server(tls_files: TlsFiles) -> Iterator[SmtpServer]:
    """Implicit TLS (port-465 style).  aiosmtpd's auth_require_tls only knows STARTTLS, so it is
    off here: the whole connection is TLS already."""
    with running_server(
        "ssl",
        tls_files,
        ssl_context=tls_files.server_context(),
        authenticator=check_password,
        auth_required=True,
        auth_require_tls=False,
    ) as server:
        yield server


@pytest.fixture
def plain_server(tls_files: TlsFiles) -> Iterator[SmtpServer]:
    with running_server("none", tls_files) as server:
        yield server

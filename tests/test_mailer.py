"""watch.mailer against a real aiosmtpd server on 127.0.0.1: STARTTLS + AUTH, implicit TLS, none.

The server and its fixtures live in tests/support/smtp.py (shared with tests/test_digest.py).
"""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage

import pytest

from tests.support.smtp import SmtpServer, free_port
from watch.config import SmtpSettings
from watch.mailer import SendError, send_message


def simple_message(subject: str = "hello") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "watch@example.org"
    message["To"] = "team@example.org"
    message.set_content("body text")
    return message


def test_starttls_with_auth_delivers(smtp_server: SmtpServer) -> None:
    refused = send_message(simple_message("STARTTLS"), smtp_server.settings, timeout=5,
                           ssl_context=smtp_server.client_context)  # fmt: skip
    assert refused == {}
    [envelope] = smtp_server.recorder.envelopes
    assert envelope.rcpt_tos == ["team@example.org"]
    assert smtp_server.recorder.authenticated == [True]
    assert smtp_server.recorder.messages()[0]["Subject"] == "STARTTLS"


def test_wrong_password_is_a_send_error_without_the_password(smtp_server: SmtpServer) -> None:
    settings = replace(smtp_server.settings, password="wrong-password")
    with pytest.raises(SendError, match="authentication failed") as caught:
        send_message(simple_message(), settings, timeout=5, ssl_context=smtp_server.client_context)
    assert "wrong-password" not in str(caught.value)
    assert smtp_server.recorder.envelopes == []


def test_certificate_is_verified_by_default(smtp_server: SmtpServer) -> None:
    """Without the test CA, the system trust store rejects the self-signed certificate."""
    with pytest.raises(SendError, match="CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        send_message(simple_message(), smtp_server.settings, timeout=5)
    assert smtp_server.recorder.envelopes == []


def test_no_auth_without_credentials_is_refused(smtp_server: SmtpServer) -> None:
    settings = replace(smtp_server.settings, user=None, password=None)
    with pytest.raises(SendError, match="530|Authentication required"):
        send_message(simple_message(), settings, timeout=5, ssl_context=smtp_server.client_context)
    assert smtp_server.recorder.envelopes == []


def test_refused_connection_is_a_send_error() -> None:
    settings = SmtpSettings("127.0.0.1", free_port(), "starttls", None, None, "watch@example.org")
    with pytest.raises(SendError, match="cannot send via 127.0.0.1"):
        send_message(simple_message(), settings, timeout=5)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_delivers(ssl_server: SmtpServer) -> None:
    send_message(simple_message("SSL"), ssl_server.settings, timeout=5,
                 ssl_context=ssl_server.client_context)  # fmt: skip
    assert [m["Subject"] for m in ssl_server.recorder.messages()] == ["SSL"]
    assert ssl_server.recorder.authenticated == [True]


def test_plain_mode_delivers(plain_server: SmtpServer) -> None:
    send_message(simple_message("plain"), plain_server.settings, timeout=5)
    assert [m["Subject"] for m in plain_server.recorder.messages()] == ["plain"]


def test_starttls_mode_refuses_a_server_without_starttls(plain_server: SmtpServer) -> None:
    """Asking for STARTTLS never silently falls back to clear text."""
    settings = replace(plain_server.settings, security="starttls")
    with pytest.raises(SendError, match="STARTTLS"):
        send_message(simple_message(), settings, timeout=5)
    assert plain_server.recorder.envelopes == []

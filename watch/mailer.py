"""SMTP sending: one ``EmailMessage`` to one server, with TLS verified and errors made plain.

This module owns the SMTP conversation only (connect, STARTTLS or implicit TLS, AUTH, send):
what to send is ``watch.digest``'s business, when and how often is ``watch.digest_job``'s.
Every failure (refused connection, timeout, TLS, authentication, refused recipients) becomes a
``SendError`` whose message is safe to store and show (it never contains the password).

Certificates are always verified, against the system's CAs by default; a caller that trusts a
private CA (a company relay, a test server) passes its own ``ssl.SSLContext``.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from watch.config import SmtpSettings

log = logging.getLogger(__name__)

RefusedRecipients = dict[str, tuple[int, bytes]]


class SendError(Exception):
    """The message could not be handed to the SMTP server."""


def send_message(
    message: EmailMessage,
    smtp: SmtpSettings,
    timeout: float = 30,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> RefusedRecipients:
    """Send ``message`` through ``smtp``; return the recipients the server refused (if some were
    accepted).  Raise ``SendError`` when nothing was sent."""
    try:
        with _connect(smtp, timeout, ssl_context) as client:
            _login(client, smtp)
            refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(f"all recipients refused: {_describe_refused(exc.recipients)}") from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"authentication failed for {smtp.user!r}: {exc.smtp_code}") from exc
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"SMTP error {exc.smtp_code}: {_decode(exc.smtp_error)}") from exc
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise SendError(
            f"cannot send via {smtp.host}:{smtp.port} ({smtp.security}): {exc}"
        ) from exc
    if refused:
        log.warning("some recipients were refused: %s", _describe_refused(refused))
    return dict(refused)


def _connect(smtp: SmtpSettings, timeout: float, context: ssl.SSLContext | None) -> smtplib.SMTP:
    if smtp.security == "ssl":
        context = context or ssl.create_default_context()
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=timeout, context=context)
    client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    if smtp.security == "starttls":
        try:
            client.ehlo()
            client.starttls(context=context or ssl.create_default_context())
            client.ehlo()
        except BaseException:
            client.close()
            raise
    return client


def _login(client: smtplib.SMTP, smtp: SmtpSettings) -> None:
    if smtp.user and smtp.password is not None:
        client.login(smtp.user, smtp.password)


def _describe_refused(refused: RefusedRecipients) -> str:
    return ", ".join(f"{address} ({code})" for address, (code, _) in sorted(refused.items()))


def _decode(value: bytes | str) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return " ".join(text.split())

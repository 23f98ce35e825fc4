"""Rendering a ``Digest`` (``watch.digest``): ``render_html`` / ``render_text`` /
``render_markdown`` turn it into the three outputs (Jinja2 templates in ``watch/templates/``;
HTML autoescaped with its CSS inlined, Markdown escaped by ``markdown_escape``);
``build_message`` wraps text + HTML in a multipart/alternative ``EmailMessage`` whose headers
are built only from clean values (``mail_of``, an alert's mail too).  The words come from the digest's language, given to the
templates as ``w``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from pathlib import Path

import css_inline
import jinja2

from watch.digest import Digest
from watch.digest_words import clean_line, linkified_html, markdown_escape, markdown_url

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """The templates of ``watch/templates``, HTML ones autoescaped."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["line"] = clean_line
    env.filters["md"] = markdown_escape
    env.filters["md_url"] = markdown_url
    env.filters["linkify"] = linkified_html
    return env


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    # keep_at_rules keeps the dark-mode @media block in a <style> tag after inlining.
    return css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def _render(template: str, digest: Digest) -> str:
    return template_environment().get_template(template).render(digest=digest, w=digest.language)


def render_html(digest: Digest) -> str:
    """The digest as an e-mail-ready HTML document (escaped, CSS inlined, no remote images)."""
    return str(_inliner().inline(_render("digest.html.j2", digest)))


def render_text(digest: Digest) -> str:
    """The digest as plain text (the e-mail's text alternative), same content as the HTML."""
    return _render("digest.txt.j2", digest)


def render_markdown(digest: Digest) -> str:
    """The digest as Markdown, for wikis and chats."""
    return _render("digest.md.j2", digest)


def build_message(digest: Digest, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """A multipart/alternative message (text, then HTML); headers built only from clean values."""
    text, html = render_text(digest), render_html(digest)
    return mail_of(digest.subject, sender, recipients, (text, html), digest.language.code)


def mail_of(
    subject: str, sender: str, recipients: Sequence[str], bodies: tuple[str, str], language: str
) -> EmailMessage:
    """A multipart/alternative mail of ``bodies`` (text, then HTML) in ``language``: the
    digest's and an alert's headers, built only from clean values."""
    message = EmailMessage(policy=default_policy)
    message["Subject"] = clean_line(subject)
    message["From"] = clean_line(sender)
    message["To"] = ", ".join(clean_line(address) for address in recipients)
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=_domain_of(sender))
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(bodies[0], subtype="plain", charset="utf-8")
    message.add_alternative(bodies[1], subtype="html", charset="utf-8")
    message["Content-Language"] = language  # RFC 3282 (set_content clears it)
    return message


def _domain_of(address: str) -> str:
    """The domain of a sender address, for a Message-ID ("watch.localhost" when unusable)."""
    domain = clean_line(address).rpartition("@")[2].strip("<> ")
    return domain if re.fullmatch(r"[A-Za-z0-9.-]+", domain or "") else "watch.localhost"

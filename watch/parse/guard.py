"""Parse guard: turn fetched bytes into safe text before any parser sees them.

This module owns three things every parser relies on:

* ``decode_body``: bytes → str.  Order: gzip magic is undone (bounded), a BOM wins, then the HTTP
  charset from ``Content-Type``, then the XML declaration or HTML ``<meta charset>``, then UTF-8,
  then charset-normalizer's guess.  A declared single-byte charset (ISO-8859-1, windows-1252)
  over bytes that are valid, non-ASCII UTF-8 is treated as UTF-8 (the declaration is wrong far
  more often than such bytes occur by chance); ISO-8859-1 is read as windows-1252 as browsers do.
* ``strip_control_characters``: removes characters XML 1.0 forbids (C0 controls but tab/LF/CR,
  C1 controls, surrogates, U+FFFE/U+FFFF), which would otherwise make a whole feed ill-formed.
* ``refuse_entity_declarations``: a DOCTYPE with an internal subset or any ``<!ENTITY`` in the
  prolog is refused before parsing.  That is where billion-laughs, quadratic blow-up and external
  entity (XXE) attacks live; no legitimate feed needs them.  External DTD references (RSS 0.91's
  Netscape DTD) are allowed: no parser here loads them.  The prolog is read as a parser reads
  it: comments, processing instructions and the DOCTYPE's quoted identifiers are skipped whole,
  so a ``<a`` inside them does not end it early.
"""

from __future__ import annotations

import codecs
import re
import zlib

from charset_normalizer import from_bytes

MAX_INFLATED_BYTES = 50 * 1024 * 1024
CP1252_MARGIN = 0.05
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_XML_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_SINGLE_BYTE = {
    "iso-8859-1",
    "latin-1",
    "latin1",
    "iso8859-1",
    "windows-1252",
    "cp1252",
    "us-ascii",
    "ascii",
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PROLOG_ITEM = re.compile(
    r"""<!--.*?(?:-->|\Z)"""  # a comment
    r"""|<\?.*?(?:\?>|\Z)"""  # a processing instruction (the XML declaration too)
    r"""|(?P<doctype><!DOCTYPE(?:[^>\["']|"[^"]*"|'[^']*')*(?P<subset>\[)?)"""
    r"""|(?P<entity><!ENTITY)"""
    r"""|(?P<element><[A-Za-z_])""",
    re.I | re.S,
)


class UnsafeDocument(ValueError):
    """The document is refused as unsafe to parse: it declares entities (checked before any
    parser runs), or lxml found it beyond its limits (see ``fast.parse_tree``)."""


def inflate_if_gzipped(body: bytes) -> bytes:
    """Undo a gzip body served without Content-Encoding, bounded to MAX_INFLATED_BYTES."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_INFLATED_BYTES)
    except zlib.error as exc:
        raise ValueError(f"gzip body is corrupt ({exc})") from None
    if not inflater.eof and not inflater.unconsumed_tail:
        raise ValueError("gzip body is truncated")
    if inflater.unconsumed_tail:
        raise ValueError(f"gzip body inflates beyond {MAX_INFLATED_BYTES // 2**20} MB")
    return data


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1") else name


def _try_decode(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf8_over_single_byte(body: bytes, declared: str) -> str | None:
    """Text when a single-byte declaration hides real UTF-8 (non-ASCII and valid)."""
    if declared.lower() not in _SINGLE_BYTE:
        return None
    if body.isascii():
        return None
    return _try_decode(body, "utf-8")


def declared_encodings(body: bytes, content_type: str = "") -> list[str]:
    """Encodings the transport and the document claim, strongest first (BOM, HTTP, XML/meta)."""
    claims: list[str | None] = []
    for bom, name in _BOMS:
        if body.startswith(bom):
            claims.append(name)
            break
    http = _HTTP_CHARSET.search(content_type or "")
    claims.append(http.group(1) if http else None)
    head = body[:2048]
    inline = _XML_DECL_ENCODING.match(head) or _META_CHARSET.search(head)
    claims.append(inline.group(1).decode("ascii", "replace") if inline else None)
    return [name for name in (_known(c) for c in claims) if name]


def decode_body(body: bytes, content_type: str = "") -> str:
    """Decode a document to text, trusting claims only when the bytes agree with them."""
    for encoding in declared_encodings(body, content_type):
        utf8 = _utf8_over_single_byte(body, encoding)
        text = utf8 if utf8 is not None else _try_decode(body, encoding)
        if text is not None:
            return text.lstrip("\ufeff")
    for encoding in ("utf-8", *_bomless_utf16(body)):
        text = _try_decode(body, encoding)
        if text is not None:
            return text.lstrip("\ufeff")
    return body.decode(_guess_encoding(body), errors="replace")


def _guess_encoding(body: bytes) -> str:
    """charset-normalizer's guess, except that windows-1252 wins when it is nearly as clean
    (within ``CP1252_MARGIN`` of chaos): on short texts the detector cannot tell Western from
    Baltic or Central European code pages, and windows-1252 is by far the most common undeclared
    single-byte encoding on the web (and the one browsers assume)."""
    matches = list(from_bytes(body[:200_000]))
    if not matches:
        return "cp1252"
    cleanest = [m.encoding for m in matches if m.chaos <= matches[0].chaos + CP1252_MARGIN]
    if "cp1252" in cleanest:
        return "cp1252"
    return _known(matches[0].encoding) or "cp1252"


def _bomless_utf16(body: bytes) -> list[str]:
    if body[:2] == b"<\x00":
        return ["utf-16-le"]
    if body[:2] == b"\x00<":
        return ["utf-16-be"]
    return []


def strip_control_characters(text: str) -> str:
    """Remove characters that XML 1.0 forbids (and C1 controls, never meant as text)."""
    return _CONTROL.sub("", text)


def refuse_entity_declarations(text: str) -> None:
    """Raise UnsafeDocument when the prolog declares entities or has an internal DTD subset."""
    for item in _PROLOG_ITEM.finditer(text):
        if item.group("element"):
            return
        if item.group("entity") or item.group("subset"):
            raise UnsafeDocument("document declares entities (refused)")

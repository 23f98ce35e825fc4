"""Reading a response body under a cap counted on decoded bytes (compression bombs stop at the cap).

The cap holds for the bytes a parser finally gets: a body that is itself gzip data once its
Content-Encoding is undone (a gzip bomb inside a deflate or gzip layer, or a ``.gz`` file served
without Content-Encoding) is unwrapped here too, at most ``MAX_NESTED_GZIP`` layers deep, each
layer inflated no further than the cap.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import httpx

from watch.fetch.errors import BodyTooLarge, FetchProblem

DRAIN_BYTES = 64 * 1024
"""An error page up to this size is read (and dropped) so its connection can be reused."""
MAX_NESTED_GZIP = 2
"""gzip layers unwrapped inside the transport's own encoding; a body with more is refused."""
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Cap:
    """At most ``limit`` decoded bytes: an error past it, or the first ``limit`` bytes."""

    limit: int
    truncate: bool = False


class Inflater:
    """Streaming gzip/deflate decoder that never produces more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._inflate = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes, limit: int) -> bytes:
        """Up to ``limit`` decoded bytes (output shorter than ``limit`` means all input used)."""
        try:
            output = self._inflate.decompress(data, limit)
        except zlib.error:
            if self._started or self._encoding != "deflate":
                raise
            self._inflate = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, no zlib header
            output = self._inflate.decompress(data, limit)
        self._started = True
        return output

    def flush(self) -> bytes:
        return self._inflate.flush()


async def read_body(response: httpx.Response, cap: Cap) -> bytes:
    """The decoded body; past the cap raises BodyTooLarge (or, with ``cap.truncate``, cuts it)."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip", "deflate"):
        raise FetchProblem(f"unsupported content encoding: {encoding}")
    inflater = None if encoding in ("identity", "") else Inflater(encoding)
    declared = response.headers.get("content-length", "")
    if not cap.truncate and declared.isdigit() and int(declared) > cap.limit:
        raise BodyTooLarge(cap.limit)
    chunks: list[bytes] = []
    decoded = received = 0
    try:
        async for chunk in response.aiter_raw():
            received += len(chunk)
            data = inflater.feed(chunk, cap.limit - decoded + 1) if inflater else chunk
            decoded += len(data)
            chunks.append(data)
            if decoded > cap.limit or received > cap.limit:
                break
        else:
            chunks.append(inflater.flush() if inflater else b"")
    except zlib.error as exc:
        raise FetchProblem(f"could not decode the {encoding} body: {exc}") from None
    body = b"".join(chunks)
    if len(body) > cap.limit or received > cap.limit:
        if not cap.truncate:
            raise BodyTooLarge(cap.limit)
        body = body[: cap.limit]
    return unwrap_nested_gzip(body, cap)


def unwrap_nested_gzip(body: bytes, cap: Cap) -> bytes:
    """``body`` with the gzip layers found inside it undone, each inflated at most to the cap."""
    for _ in range(MAX_NESTED_GZIP):
        if not body.startswith(GZIP_MAGIC):
            return body
        body = _inflate_layer(body, cap)
    if body.startswith(GZIP_MAGIC):
        raise FetchProblem(f"body compressed more than {MAX_NESTED_GZIP + 1} times (refused)")
    return body


def _inflate_layer(data: bytes, cap: Cap) -> bytes:
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        inflated = inflater.decompress(data, cap.limit + 1)
    except zlib.error as exc:
        raise FetchProblem(f"could not decode the gzip data inside the body: {exc}") from None
    if len(inflated) > cap.limit:
        if not cap.truncate:
            raise BodyTooLarge(cap.limit)
        return inflated[: cap.limit]
    if not inflater.eof and not cap.truncate:
        raise FetchProblem("the gzip data inside the body is truncated")
    return inflated

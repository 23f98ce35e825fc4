"""The certificate authorities the fetcher trusts: the public ones (certifi), plus the user's
``fetch.ca_bundle`` (a PEM file, e.g. an intranet's private CA) when sources.yaml names one.

``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` are not read: the environment is ignored by the fetcher
(``trust_env=False``), and they would replace the public authorities instead of adding to them.
"""

from __future__ import annotations

import functools
import ssl

import httpx


def tls_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """A verifying TLS context trusting the public authorities and those of ``ca_bundle``.

    The public-only context is built once per process (loading certifi costs ~0.15 s); one with
    a ``ca_bundle`` is built for each call (once per ``Fetcher``), so the next one reads a
    renewed file.
    """
    if ca_bundle is None:
        return _public_context()
    context = httpx.create_ssl_context(trust_env=False)
    context.load_verify_locations(cafile=ca_bundle)
    return context


@functools.cache
def _public_context() -> ssl.SSLContext:
    return httpx.create_ssl_context(trust_env=False)

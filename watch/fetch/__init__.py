"""Fetch stage: one polite, bounded, SSRF-safe HTTP GET per source, as a ``FetchResult``.

    async with Fetcher(config.fetch, settings.credentials) as fetcher:
        result = await fetcher.fetch(url, etag=state.etag, last_modified=state.last_modified)

``client`` (the Fetcher: limits, conditional GET, redirects, deadline, robots, credentials),
``redirects`` (which redirect targets are followed), ``robots`` (robots.txt rules kept per
origin), ``body`` (decoded-size cap), ``errors`` (problems in words). ``fetch()`` never raises for a
network or HTTP problem: it becomes the result's ``error``.
"""

from watch.fetch.client import (
    Fetcher,
    credentials_may_go,
    is_https_upgrade,
    parse_retry_after,
    redact,
)
from watch.fetch.errors import BodyTooLarge, FetchProblem, TooManyRedirects, describe_error

__all__ = [
    "BodyTooLarge",
    "FetchProblem",
    "Fetcher",
    "TooManyRedirects",
    "describe_error",
    "credentials_may_go",
    "is_https_upgrade",
    "parse_retry_after",
    "redact",
]

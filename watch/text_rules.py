"""The fixed rules and words of the full-text stage, readable without loading page reading.

``watch.full_text`` (which pages, how often) and ``watch.article_text`` (what a page gave) use
them; ``watch.text_health`` and ``watch explain`` (``watch.model_commands``) tell them, and
import them from here, so that telling a source's health or an article's page loads neither
the fetcher nor the extractors.  No import but the standard library's.
"""

from __future__ import annotations

from datetime import timedelta

PER_PASS = 20
"""Article pages read per source and pass (a first pass on a long feed catches up over several)."""
WINDOW = timedelta(days=30)
"""Articles first seen longer ago are not read any more."""
MAX_ATTEMPTS = 3
"""Passes that may try one article's page before it is left with its feed's text."""
RETRY_AFTER = timedelta(hours=1)
"""A failed page is tried again at a pass this long after, not at the next one minutes later."""
ROBOTS_REFUSAL = "robots.txt disallows it"
"""The error of a page robots.txt disallows (final: not tried again)."""
NO_TEXT = "no article text found"
"""The error of a page in which nothing was found."""
NO_MORE_THAN_SUMMARY = "no more text than the feed's summary (a paywall or a teaser page?)"
"""The error of a page whose text brings no clear gain on the feed's summary."""
SELECTOR_MISSED = "matched nothing on the page"
"""The end of the error of a ``full_text:`` selector that matched nothing ("full_text
'div.post' matched nothing on the page")."""

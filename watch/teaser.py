"""A feed's summary beside the start of its article's page text: what the classifier reads once.

Feeds often give the article's first paragraph as its summary, cut and followed by a teaser's
tail: "[…]", "[...]", "...", "…", a "Read more" / "Continue reading" / "Lire la suite" link
text, WordPress's footer "The post X appeared first on Y." (``without_teaser_tail``, which
reuses ``watch.text_repair.strip_read_more`` for the link texts and footers).  Without its tail,
a summary whose words (whatever their case and punctuation; the last one may be cut inside a
word) are, for ``MOST`` of them, the first words of the page's lead is that lead's start: the
classifier reads the lead alone, not the first paragraph twice (``summary_and_lead``).
"""

from __future__ import annotations

import re

from watch.text_repair import strip_read_more

MOST = 0.8
"""Share of a summary's words, from its first, that must start the lead for it to be the lead's
start (what is left is a tail this module does not know: "(more…)", "Click here")."""
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*$")
_WORD = re.compile(r"\w+")


def without_teaser_tail(summary: str) -> str:
    """``summary`` without the ellipses, "read more" link texts and WordPress footer at its end
    ("Kernel notes […] The post Notes appeared first on Blog." is "Kernel notes")."""
    while True:
        shorter = _ELLIPSIS.sub("", strip_read_more(summary)).rstrip()
        if shorter == summary:
            return summary
        summary = shorter


def summary_and_lead(summary: str, text_lead: str) -> str:
    """What the classifier reads besides the title: ``summary``, then ``text_lead`` (the start
    of the page's text), once when one is the start of the other; a summary read before the lead
    loses its teaser's tail."""
    lead = " ".join(text_lead.split())
    if not lead:
        return summary
    flat = " ".join(summary.split())
    if lead in flat:
        return summary
    teaser = without_teaser_tail(flat)
    if teaser in lead or _starts_with_most_of(lead, teaser):
        return lead
    return f"{teaser} {lead}"


def _starts_with_most_of(lead: str, teaser: str) -> bool:
    """Whether the first words of ``lead`` are ``MOST`` of ``teaser``'s, from its first (the
    last one matched may be cut inside a word: "rele…" is "release")."""
    words = _WORD.findall(teaser.casefold())
    same = 0
    for mine, theirs in zip(words, _WORD.findall(lead.casefold()), strict=False):
        if mine != theirs:
            same += theirs.startswith(mine)
            break
        same += 1
    return same >= MOST * len(words)

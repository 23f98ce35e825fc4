"""Counts and ages in the words people use: "1 source", "3 stories", "5 h", "11 years",
and how counts moved ("security 111 → 24").

Shared by every command, log line and rendering that speaks to a person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta


def at_most(items: Sequence[str], limit: int) -> str:
    """The first ``limit`` items, then "and N more": "a, b, c and 42 more"."""
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


def counted(count: int, noun: str) -> str:
    """The count with its noun: "1 article", "3 articles", "2 stories" (``noun`` singular)."""
    if count == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"
    return f"{count} {plural}"


def describe_age(delta: timedelta) -> str:
    """'3 min', '5 h', '12 days', '4 months', '11 years' — a short human age."""
    seconds = max(delta.total_seconds(), 0)
    days = seconds / 86400
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if days < 2:
        return f"{int(seconds // 3600)} h"
    if days < 60:
        return f"{int(days)} days"
    if days < 730:
        return f"{int(days // 30.44)} months"
    return f"{int(days // 365.25)} years"


def moved_counts(before: Mapping[str, int], after: Mapping[str, int]) -> str:
    """The counts that changed, in ``after``'s order: "security 111 → 24, web 40 → 52"
    ("" when none did)."""
    return ", ".join(
        f"{name} {before.get(name, 0)} → {count}"
        for name, count in after.items()
        if before.get(name, 0) != count
    )


def per_topic_words(moved: str) -> str:
    """How many stored articles each topic tags before and after a new model, in words
    (``moved`` from ``retrain_and_compare``): a drop means fewer articles tagged, not lost."""
    if not moved:
        return "articles tagged per topic: unchanged"
    return f"articles tagged per topic, before → after the new model: {moved}"

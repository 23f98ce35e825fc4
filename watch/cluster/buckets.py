"""LSH buckets of the cluster index, per period of time: the indexed articles (by slot) whose
signature shares a band with a new article's, published near it.

Buckets are per period of two windows: a match lies in the article's period or the next or
previous one, whichever half of its period the article falls in.  A bucket holds one slot as
an int, more as a list (most buckets hold one article: no list for them).
"""

from __future__ import annotations

import numpy as np

_PERIOD_SALT = 2**64


class PeriodBuckets:
    """Band key (salted with its period) → the slots whose signature has that band."""

    def __init__(self, window_seconds: float) -> None:
        self.period_seconds = 2 * window_seconds
        self._buckets: dict[int, int | list[int]] = {}

    def add(self, slot: int, band_keys: list[int], published: float) -> None:
        """Put ``slot`` (its signature's ``band_keys``, published at that timestamp) in its
        buckets."""
        buckets = self._buckets
        salt = int(published // self.period_seconds) * _PERIOD_SALT
        for key in band_keys:
            key += salt
            members = buckets.get(key)
            if members is None:
                buckets[key] = slot
            elif isinstance(members, int):
                buckets[key] = [members, slot]
            else:
                members.append(slot)

    def near(self, band_keys: list[int], published: float) -> set[int]:
        """The slots sharing a bucket with ``band_keys`` in the period of ``published`` or the
        nearer one beside it."""
        found: set[int] = set()
        period = int(published // self.period_seconds)
        in_second_half = published / self.period_seconds - period >= 0.5
        buckets = self._buckets
        for near in (period, period + 1 if in_second_half else period - 1):
            salt = near * _PERIOD_SALT
            for key in band_keys:
                members = buckets.get(key + salt)
                if members is None:
                    continue
                if isinstance(members, int):
                    found.add(members)
                else:
                    found.update(members)
        return found

    def prune(self, published: np.ndarray, cutoff: float) -> None:
        """Forget the slots published (``published[slot]``) before ``cutoff``."""
        kept_buckets: dict[int, int | list[int]] = {}
        for key, members in self._buckets.items():
            slots = [members] if isinstance(members, int) else members
            kept = [slot for slot in slots if published[slot] >= cutoff]
            if kept:
                kept_buckets[key] = kept[0] if len(kept) == 1 else kept
        self._buckets = kept_buckets

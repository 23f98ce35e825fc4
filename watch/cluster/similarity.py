"""The decision "same story?" between two fingerprints, once the index has found the candidate.

``same_story`` compares the words of title and lead by exact Jaccard similarity (the MinHash
signature only ranked the candidates): the threshold, or a lower one when both titles carry the
same version, model name or CVE; a title-only pair must be near-identical, or have nearly the
same title; a cluster already holding the new article's publisher takes only a near-identical
repost.  Whatever the words, nothing may tell the two apart (``conflicts.distinct_stories``).
``strong_match`` says whether the words alone vouch for a match, as a merge of stories needs.
"""

from __future__ import annotations

import numpy as np

from watch.cluster.conflicts import distinct_stories
from watch.cluster.features import Fingerprint, anchors

DEFAULT_THRESHOLD = 0.45
ANCHORED_THRESHOLD = 0.25
"""Lower bar when both titles carry the same version, model name or CVE ("OpenSSL 3.4.1"):
two outlets writing the same story independently share fewer words."""
FEW_FEATURES = 8
"""Below this many words (a title and no text), only a near-identical article joins."""
TITLE_MATCH = 0.8
NEAR_IDENTICAL = 0.85


def same_story(
    new: Fingerprint, other: Fingerprint, similarity: float, threshold: float, same_publisher: bool
) -> bool:
    """Similar enough (words of title and lead, or the title alone) and nothing telling them
    apart; with ``same_publisher`` (the cluster holds the new article's own source and site),
    only a near-identical repost.  ``similarity``: their Jaccard similarity (``word_similarity``,
    computed once by the caller for this and ``strong_match``)."""
    fewest = min(new.feature_count, other.feature_count)
    if same_publisher:
        similar = similarity >= NEAR_IDENTICAL and fewest >= FEW_FEATURES
    else:
        similar = _similar(new, other, similarity, fewest, threshold)
    return similar and not distinct_stories(new, other)


def strong_match(new: Fingerprint, other: Fingerprint, similarity: float, threshold: float) -> bool:
    """Whether the words alone vouch for a match that ``same_story`` accepted, enough to merge
    two stories through it (``ClusterIndex.place``): ``threshold`` reached with FEW_FEATURES
    words or more; not the lower bar of a shared version or CVE, nor a title-only match (on the
    labeled pairs of benchmarks/bench_cluster.py, 97 of 97 such matches are right, against 6 of
    7 short near-identical ones and 1 of 2 title matches; 8 of 8 at the lower bar, too few to
    trust).  ``similarity``: their Jaccard similarity (``word_similarity``)."""
    fewest = min(new.feature_count, other.feature_count)
    return fewest >= FEW_FEATURES and similarity >= threshold


def word_similarity(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """Exact Jaccard similarity of the two word sets, and their overlap (shared words over the
    smaller set)."""
    shared = len(np.intersect1d(a.words, b.words, assume_unique=True))
    smaller = min(a.feature_count, b.feature_count)
    union = a.feature_count + b.feature_count - shared
    return (shared / union if union else 0.0), (shared / smaller if smaller else 0.0)


def _similar(
    new: Fingerprint, other: Fingerprint, similarity: float, fewest: int, threshold: float
) -> bool:
    """Words shared enough: the threshold (lower when both name the same version or CVE)
    with enough words, else near-identical, else titles nearly the same."""
    if anchors(new.marks) & anchors(other.marks):
        threshold = min(threshold, ANCHORED_THRESHOLD)
    if similarity >= threshold and (fewest >= FEW_FEATURES or similarity >= NEAR_IDENTICAL):
        return True
    long_titles = min(len(new.title_words), len(other.title_words)) >= 3
    return long_titles and _jaccard(new.title_words, other.title_words) >= TITLE_MATCH


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0

"""Story clusters: groups near-duplicate articles (same story, several sources) incrementally.

This package owns the decision "is this new article the same story as one already stored?".
``ClusterIndex`` keeps, for recent articles, a MinHash signature (numpy, word features of the
normalized title and lead, see ``features``), LSH buckets per time period (``buckets``) to find
candidates without comparing against everything, and the *distinguishing marks* of each article
(CVE, GHSA… ids, numbers and versions in the title, proper nouns). A candidate joins only when
it was published within ``window`` of the new article, the exact Jaccard similarity of their
words reaches the threshold (a lower one when both titles carry the same version or CVE), and
nothing tells them apart (``conflicts.distinct_stories``: "Firefox 130" vs "131", CVE-2024-1 vs
CVE-2024-2, "from Libsyn" vs "from Anchor", "Scaleway / OVHcloud opens a new region"), nor the
new article from any other article of the candidate's cluster.

A shared identifier is a strong signal: an article whose words match no candidate joins one
published within ``IDENTIFIER_WINDOW`` about the same CVE, GHSA… id (``subject_identifiers``),
named by at least one of the two titles, whatever the wording or language, unless something
tells them apart (other ids of that kind: a round-up, another flaw of one product) or the
cluster holds its own source.  A summary's id counts when it is the only one of its kind there
and the other title names it; two summaries do not suffice (an old, famous flaw is named in
passing: "exploited like Log4Shell").  Candidates are looked up by id (``_by_subject``).

Sources (optional: ``source=""`` means unknown) matter twice:

* the same canonical URL joins without comparing texts when it comes from another source within
  ``window`` (a syndicated copy, an aggregator's link).  Two items of one source with one link
  are two items (a podcast feed linking every episode to its home page), so the URL does not
  count between them; when a source is unknown, a shared URL joins only texts that overlap.
* an article joins a cluster already holding an article of its own source linking the same
  site only when it is a near-identical repost: one outlet rarely writes the same story twice in
  a week, while its template headlines ("Hameçonnage : une vague cible les mairies / les
  universités") look alike.  An aggregator's items linking other sites (two outlets' takes on
  one story in a news digest) are compared on their words as usual.

Clusters merge: a new article that joins several stories strongly (the same URL from another
source, a shared identifier, or words past the threshold: ``similarity.strong_match``) makes
them one story, the lowest cluster id, unless they share a publisher or something tells an
article of one from an article of another (``conflicts.groups_conflict``).  So a story told by
A and B, too unlike each other but both like C, is one cluster whichever comes last.

The pipeline rebuilds the index from the store at start (``build_index``), then calls ``place``
for each new article, ``merge`` for the stories it bridges, and ``add`` once it knows the
cluster id.  The comparison of two candidates is ``similarity.same_story``; which story each
indexed article is in is ``members.StoryMembers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import numpy as np

from watch.cluster.buckets import PeriodBuckets
from watch.cluster.conflicts import distinct_stories, groups_conflict, marks_conflict
from watch.cluster.features import NUM_PERM, Fingerprint, anchors, fingerprint, subject_identifiers
from watch.cluster.members import Placement, StoryMembers
from watch.cluster.similarity import DEFAULT_THRESHOLD, same_story, strong_match, word_similarity

__all__ = [
    "ClusterIndex",
    "Fingerprint",
    "Placement",
    "build_index",
    "distinct_stories",
    "fingerprint",
    "marks_conflict",
]

MIN_FEATURES = 3
DEFAULT_WINDOW = timedelta(days=7)
IDENTIFIER_WINDOW = timedelta(days=3)
"""How far apart two articles about one identifier may be published (within the window)."""
CANDIDATE_FLOOR = 0.15
URL_OVERLAP = 0.3
"""Same URL, a source unknown: the share of the shorter text's words the other has (a title-only
link to a full article overlaps fully; another item linking the same home page does not)."""


def _publisher(source: str, canonical_url: str) -> str:
    """Who wrote it, as far as the same-source rules go: the source and the linked host
    ("" when the source is unknown)."""
    if not source:
        return ""
    host = canonical_url.split("/", 3)[2] if "://" in canonical_url else ""
    return f"{source}\x00{host}"


def _timestamp(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


class ClusterIndex:
    """In-memory LSH index over recent articles; rebuilt from the store at start, then incremental."""

    def __init__(
        self, window: timedelta = DEFAULT_WINDOW, threshold: float = DEFAULT_THRESHOLD
    ) -> None:
        self.window_seconds = window.total_seconds()
        self.threshold = threshold
        self._signatures = np.zeros((1024, NUM_PERM), dtype=np.uint32)
        self._published = np.zeros(1024, dtype=np.float64)
        self._stories = StoryMembers()
        self._ids: list[int] = []
        self._fingerprints: list[Fingerprint | None] = []
        self._slot_of: dict[int, int] = {}
        self._by_url: dict[str, list[int]] = {}
        self._by_anchor: dict[str, list[int]] = {}
        self._by_subject: dict[str, list[int]] = {}
        """Slots by the identifiers their article is about (``subject_identifiers``)."""
        self.identifier_seconds = min(window, IDENTIFIER_WINDOW).total_seconds()
        self._buckets = PeriodBuckets(self.window_seconds)
        self._last: tuple[str, str, Fingerprint] | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def add(
        self,
        article_id: int,
        cluster_id: int,
        title: str,
        text: str,
        canonical_url: str,
        published: datetime,
        source: str = "",
    ) -> None:
        """Index an already-clustered stored article (re-adding one only moves its cluster);
        ``source``: the article's source name, "" when unknown (see the module docstring)."""
        if article_id in self._slot_of:
            self._stories.move(self._slot_of[article_id], cluster_id)
            return
        print_ = self._fingerprint(title, text)
        publisher = _publisher(source, canonical_url)
        self._store(article_id, cluster_id, print_, canonical_url, published, publisher)

    def assign(
        self,
        article_id: int,
        title: str,
        text: str,
        canonical_url: str,
        published: datetime,
        source: str = "",
    ) -> int | None:
        """Cluster id of the story the article tells, or None for a new story (``place``, for a
        caller that merges no stories: one pair)."""
        return self.place(article_id, title, text, canonical_url, published, source).cluster

    def place(
        self,
        article_id: int,
        title: str,
        text: str,
        canonical_url: str,
        published: datetime,
        source: str = "",
    ) -> Placement:
        """The story the article tells (None: a new one) and, when it joins several stories
        strongly and they may become one (``_may_merge``), the others, merged into the one of
        lowest cluster id.  It joins no story holding an article told apart from it.
        ``source``: the article's source name, "" when unknown (see the module docstring)."""
        slot = self._slot_of.get(article_id)
        if slot is not None:
            return Placement(self._stories.story_of[slot])
        print_ = self._fingerprint(title, text)
        publisher = _publisher(source, canonical_url)
        links = self._links(print_, canonical_url, _timestamp(published), publisher)
        story_of = self._stories.story_of
        prints = {story: self._prints_of(story) for story in {story_of[slot] for slot, _ in links}}
        told_apart = {
            story
            for story, of_story in prints.items()
            if any(distinct_stories(print_, p) for p in of_story)
        }
        links = [(slot, strong) for slot, strong in links if story_of[slot] not in told_apart]
        if not links:
            return Placement(None)
        strong = sorted({story_of[slot] for slot, is_strong in links if is_strong})
        if len(strong) > 1 and self._may_merge(strong, prints):
            return Placement(strong[0], tuple(strong[1:]))
        return Placement(story_of[links[0][0]])

    def merge(self, into: int, absorbed: Iterable[int]) -> None:
        """Make the stories ``absorbed`` part of story ``into`` (those ``place`` said an article
        bridges), before that article is added."""
        self._stories.merge(into, absorbed)

    def prime(self, title: str, text: str, print_: Fingerprint) -> None:
        """Give the fingerprint of (title, text), computed elsewhere (the parser worker), so the
        next ``assign`` or ``add`` of that article does not compute it again."""
        self._last = (title, text, print_)

    def cluster_of(self, article_id: int) -> int | None:
        """Cluster id an indexed article belongs to."""
        slot = self._slot_of.get(article_id)
        return None if slot is None else self._stories.story_of[slot]

    def members(self, story: int) -> list[int]:
        """The ids of the indexed articles of ``story`` (pruned ones too; none for an unknown
        story)."""
        ids = self._ids
        return [ids[slot] for slot in self._stories.slots(story)]

    def prune(self, before: datetime) -> int:
        """Forget articles published before ``before`` (they can no longer match); return count."""
        cutoff = _timestamp(before)
        old = [slot for slot in range(len(self._ids)) if self._published[slot] < cutoff]
        for slot in old:
            self._fingerprints[slot] = None
        self._by_url = _recent_only(self._by_url, self._published, cutoff)
        self._buckets.prune(self._published, cutoff)
        self._by_subject = _recent_only(self._by_subject, self._published, cutoff)
        self._by_anchor = _recent_only(self._by_anchor, self._published, cutoff)
        return len(old)

    # -- internals -----------------------------------------------------------------

    def _fingerprint(self, title: str, text: str) -> Fingerprint:
        """Fingerprint, reused when ``add`` follows ``assign`` for the same article."""
        if self._last is not None and self._last[0] == title and self._last[1] == text:
            return self._last[2]
        print_ = fingerprint(title, text)
        self._last = (title, text, print_)
        return print_

    def _store(
        self,
        article_id: int,
        cluster_id: int,
        print_: Fingerprint,
        canonical_url: str,
        published: datetime,
        publisher: str,
    ) -> None:
        slot = len(self._ids)
        if slot == len(self._published):
            self._signatures = np.concatenate([self._signatures, np.zeros_like(self._signatures)])
            self._published = np.concatenate([self._published, np.zeros_like(self._published)])
        self._signatures[slot] = print_.signature
        self._published[slot] = _timestamp(published)
        self._ids.append(article_id)
        self._stories.append(cluster_id, publisher)
        self._fingerprints.append(print_)
        self._slot_of[article_id] = slot
        if canonical_url:
            self._by_url.setdefault(canonical_url, []).append(slot)
        for anchor in anchors(print_.marks):
            self._by_anchor.setdefault(anchor, []).append(slot)
        for identifier in subject_identifiers(print_.marks):
            self._by_subject.setdefault(identifier, []).append(slot)
        if print_.feature_count >= MIN_FEATURES:
            self._buckets.add(slot, print_.band_keys, self._published[slot])

    def _candidates(self, print_: Fingerprint, published: float) -> set[int]:
        found = self._buckets.near(print_.band_keys, published)
        for anchor in anchors(print_.marks):
            found.update(self._by_anchor.get(anchor, ()))
        return found

    def _links(
        self, print_: Fingerprint, url: str, published: float, publisher: str
    ) -> list[tuple[int, bool]]:
        """The indexed articles the new one joins, at most one per story (two when its first
        match is weak and a later one strong), each with whether the match is strong, in the
        order of the routes: the same URL, the words (the most similar first), an identifier.
        The first is the story it joins when it merges none."""
        links = [(slot, True) for slot in self._same_url(print_, url, published, publisher)]
        settled = {self._stories.story_of[slot] for slot, _ in links}
        links += self._word_matches(print_, published, publisher, settled)
        identified = self._same_identifier(print_, published, publisher, settled)
        return links + [(slot, True) for slot in identified]

    def _same_url(
        self, print_: Fingerprint, url: str, published: float, publisher: str
    ) -> list[int]:
        """Indexed articles with the same canonical URL that tell the same story, one per story:
        within the window, of another source (else the text decides), nothing telling them
        apart, and, when a source is unknown, overlapping texts."""
        found: dict[int, int] = {}
        for slot in self._by_url.get(url, ()) if url else ():
            other = self._fingerprints[slot]
            if other is None or abs(self._published[slot] - published) > self.window_seconds:
                continue
            if self._stories.story_of[slot] in found:
                continue
            if publisher and self._stories.publisher_of[slot]:
                if self._holds(slot, publisher):
                    continue
            elif word_similarity(print_, other)[1] < URL_OVERLAP:
                continue
            if not distinct_stories(print_, other):
                found[self._stories.story_of[slot]] = slot
        return list(found.values())

    def _same_identifier(
        self, print_: Fingerprint, published: float, publisher: str, settled: set[int]
    ) -> list[int]:
        """The latest indexed article of each story about an identifier this one is about,
        whatever its words (see the module docstring), but of the ``settled`` stories, which
        it extends."""
        found = []
        subject = subject_identifiers(print_.marks) if print_.marks.identifiers else ()
        for identifier in sorted(subject):
            for slot in reversed(self._by_subject.get(identifier, ())):
                story = self._stories.story_of[slot]
                if story in settled:
                    continue
                if self._about_one_identifier(print_, slot, identifier, published, publisher):
                    settled.add(story)
                    found.append(slot)
        return found

    def _about_one_identifier(
        self, print_: Fingerprint, slot: int, identifier: str, published: float, publisher: str
    ) -> bool:
        other = self._fingerprints[slot]
        if other is None or abs(self._published[slot] - published) > self.identifier_seconds:
            return False
        named = identifier in print_.marks.title_identifiers or (
            identifier in other.marks.title_identifiers
        )
        return named and not self._holds(slot, publisher) and not distinct_stories(print_, other)

    def _holds(self, slot: int, publisher: str) -> bool:
        """Whether the cluster of ``slot`` has an article of ``publisher`` (if known)."""
        return self._stories.holds(self._stories.story_of[slot], publisher)

    def _word_matches(
        self, print_: Fingerprint, published: float, publisher: str, settled: set[int]
    ) -> list[tuple[int, bool]]:
        """Indexed articles whose words tell the same story (``same_story``), the most similar
        first, each with whether the match is strong (``strong_match``); per story its first
        match and its first strong one; none of the ``settled`` stories, which it extends with
        those strongly matched."""
        if print_.feature_count < MIN_FEATURES:
            return []
        slots = np.fromiter(self._candidates(print_, published), dtype=np.int64)
        slots = slots[np.abs(self._published[slots] - published) <= self.window_seconds]
        if not len(slots):
            return []
        similarity = (self._signatures[slots] == print_.signature).mean(axis=1)
        found: list[tuple[int, bool]] = []
        weak: set[int] = set()
        for index in np.argsort(-similarity, kind="stable").tolist():
            if similarity[index] < CANDIDATE_FLOOR:
                break
            slot = int(slots[index])
            story, other = self._stories.story_of[slot], self._fingerprints[slot]
            if story in settled or other is None:
                continue
            words = word_similarity(print_, other)[0]
            if not same_story(print_, other, words, self.threshold, self._holds(slot, publisher)):
                continue
            strong = strong_match(print_, other, words, self.threshold)
            if strong or story not in weak:
                found.append((slot, strong))
                (settled if strong else weak).add(story)
        return found

    def _may_merge(self, stories: list[int], prints: dict[int, list[Fingerprint]]) -> bool:
        """Whether the stories an article joins strongly may become one: no publisher has an
        article in two of them (the same-source rule), and nothing tells an article of one
        from an article of another (``groups_conflict``); ``prints``: each story's
        fingerprints (``_prints_of``)."""
        seen: set[str] = set()
        for story in stories:
            publishers = self._stories.publishers(story)
            if seen & publishers:
                return False
            seen |= publishers
        return not groups_conflict([prints[story] for story in stories])

    def _prints_of(self, story: int) -> list[Fingerprint]:
        """The fingerprints of the articles of ``story`` still in the window."""
        prints = (self._fingerprints[slot] for slot in self._stories.slots(story))
        return [p for p in prints if p is not None]


Row = tuple[int, int, str, str, str, datetime] | tuple[int, int, str, str, str, datetime, str]
"""A stored article: ``(id, cluster_id, title, text, canonical_url, published[, source])``."""


def build_index(
    rows: Iterable[Row],
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
) -> ClusterIndex:
    """An index over stored rows ``(id, cluster_id, title, text, canonical_url, published)``,
    each optionally followed by its source."""
    index = ClusterIndex(window=window, threshold=threshold)
    for row in rows:
        source = row[6] if len(row) == 7 else ""
        index.add(*row[:6], source=source)
    return index


def _recent_only(
    slots_by_key: dict[str, list[int]], published: np.ndarray, cutoff: float
) -> dict[str, list[int]]:
    """``slots_by_key`` without the slots published before ``cutoff`` (nor keys left empty)."""
    return {
        key: recent
        for key, slots in slots_by_key.items()
        if (recent := [slot for slot in slots if published[slot] >= cutoff])
    }

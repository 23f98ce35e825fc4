"""Story membership inside the cluster index: which story each indexed article is in, the
articles of each story, the publishers each story holds, and merging two stories into one;
where a new article goes (``Placement``: its story, the stories it merges into that one).

The index (``watch.cluster.ClusterIndex``) numbers its articles by slot; a story is its cluster
id.  A publisher is a source and the host its article links ("" when the source is unknown,
never counted): one story holding two articles of one publisher is what the same-source rule
of the index looks at (see ``watch.cluster``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Placement:
    """Where ``ClusterIndex.place`` puts a new article: the story it joins (None: a new one) and
    the other stories it bridges into that one (to ``merge`` before adding the article)."""

    cluster: int | None
    absorbed: tuple[int, ...] = ()


class StoryMembers:
    """Slot → story, story → slots, slot → publisher, story → publishers."""

    def __init__(self) -> None:
        self.story_of: list[int] = []
        """The story (cluster id) of each slot."""
        self.publisher_of: list[str] = []
        """The publisher of each slot, "" when unknown."""
        self._slots: dict[int, list[int]] = {}
        self._publishers: dict[int, set[str]] = {}

    def append(self, story: int, publisher: str) -> int:
        """A new slot in ``story``; returns it."""
        slot = len(self.story_of)
        self.story_of.append(story)
        self.publisher_of.append(publisher)
        self._join(slot, story)
        return slot

    def move(self, slot: int, story: int) -> None:
        """Put ``slot`` in ``story`` (an article stored again with another cluster id)."""
        old = self.story_of[slot]
        if old == story:
            return
        self._slots[old].remove(slot)
        if not self._slots[old]:
            del self._slots[old]
        self._publishers[old] = {self.publisher_of[s] for s in self.slots(old)} - {""}
        self.story_of[slot] = story
        self._join(slot, story)

    def merge(self, into: int, absorbed: Iterable[int]) -> None:
        """Make every slot of the stories ``absorbed`` a slot of ``into``."""
        for story in absorbed:
            if story == into:
                continue
            for slot in self._slots.pop(story, []):
                self.story_of[slot] = into
                self._slots.setdefault(into, []).append(slot)
            self._publishers.setdefault(into, set()).update(self._publishers.pop(story, ()))

    def slots(self, story: int) -> list[int]:
        """The slots of ``story`` (none for an unknown one)."""
        return self._slots.get(story, [])

    def publishers(self, story: int) -> set[str]:
        """The known publishers of ``story``."""
        return self._publishers.get(story, set())

    def holds(self, story: int, publisher: str) -> bool:
        """Whether ``story`` has an article of ``publisher`` (False when it is unknown)."""
        return bool(publisher) and publisher in self._publishers.get(story, ())

    def _join(self, slot: int, story: int) -> None:
        self._slots.setdefault(story, []).append(slot)
        publisher = self.publisher_of[slot]
        if publisher:
            self._publishers.setdefault(story, set()).add(publisher)

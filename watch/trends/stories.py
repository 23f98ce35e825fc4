"""Stories in trends: a term counts once per story, however many articles tell the story.

A story is an article's cluster (``TrendInput.cluster_id``: the copies of one piece of news from
several sources, or from the RSS and the JSON feed of one site), or the article alone when it
has none.  ``Stories`` gathers the terms of each clustered story of each week as the articles
stream in (an unclustered article is its own story, given back at once), then gives every story
back once, its terms in the title of any of its articles, or else in a lead.
``same_stories_merged`` makes one line of the emerging terms that come from exactly the same
stories, so that one story's vocabulary ("CVE-2026-1234", "faille", "OpenSSL", "code") does
not fill the list: "CVE-2026-1234, faille, OpenSSL".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from watch.models import TermTrend
from watch.trends.terms import ArticleTerms

MERGED_TERMS = 3
"""Terms named on the line of terms that come from the same stories; the others are left out."""

StoryKey = tuple[str, int]


def story_key(cluster_id: int | None, article_id: int) -> StoryKey:
    """The story an article tells: its cluster, else the article itself."""
    return ("cluster", cluster_id) if cluster_id is not None else ("article", article_id)


@dataclass
class StoryTerms:
    """The term keys of one story (title, lead only) and the topics of its articles."""

    title: set[str] = field(default_factory=set)
    lead: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)


class Stories:
    """The terms of the clustered stories, by week offset and cluster, as articles come."""

    def __init__(self) -> None:
        self._clustered: dict[tuple[int, int], StoryTerms] = {}

    def add(
        self, offset: int, cluster_id: int | None, topics: Iterable[str], found: ArticleTerms
    ) -> StoryTerms | None:
        """Add one article's terms; an unclustered article's story comes back at once."""
        if cluster_id is None:
            return StoryTerms(found.title, found.lead, set(topics))
        story = self._clustered.setdefault((offset, cluster_id), StoryTerms())
        story.title |= found.title
        story.lead |= found.lead
        story.topics.update(topics)
        return None

    def gathered(self) -> Iterator[tuple[int, StoryTerms]]:
        """Each clustered story once per week offset, a term of one title not in its lead."""
        for (offset, _), story in self._clustered.items():
            story.lead -= story.title
            yield offset, story


def same_stories_merged(
    ranked: list[tuple[str, TermTrend]], stories_of: dict[str, frozenset[StoryKey]]
) -> list[TermTrend]:
    """One line per set of stories, at the rank of its best term, naming its first
    ``MERGED_TERMS`` terms: ``stories_of`` gives the stories that mention each term key."""
    lines: dict[frozenset[StoryKey], tuple[TermTrend, list[str]]] = {}
    for key, trend in ranked:
        line = lines.setdefault(stories_of[key], (trend, []))
        line[1].append(trend.term)
    return [
        replace(trend, term=", ".join(names[:MERGED_TERMS]), terms=names)
        for trend, names in lines.values()
    ]

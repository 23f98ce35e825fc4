"""Taste: what the user's votes say about the stories they have not judged ("more like this").

A vote (👍/👎) judges a story's worth, not its topic (topic corrections teach the classifier).
Like the title-word training of NewsBlur, the words of the voted stories' titles are read: a
word in the titles of at least MIN_STORIES up-voted stories, and of fewer down-voted ones, is
a word the user likes; the other way round, one they dislike.  An unjudged article whose title
has liked words gets up to TASTE_POINTS of feedback (half for one word), disliked words take as
much away, and the explanation names them ("like stories you up-voted: 'helm', 'kubernetes'").
Each story counts once (a vote is on the story); stop words, numbers and the filler of tech
writing are not words here.  Pure and cheap: a set lookup per title word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from watch.models import StoredArticle
from watch.store.base import ArticleQuery, Store
from watch.text import as_written, is_content, split_words, terms, terms_of
from watch.trends.terms import FILLER

MIN_STORIES = 2
"""Voted stories a word must be in before it says anything of the user's taste."""
TASTE_POINTS = 5.0
"""The most a taste moves an unjudged article's score, up or down (two words or more)."""
_FILLER = {term.key for term in terms(FILLER)}


@dataclass(frozen=True)
class Taste:
    """Liked and disliked title words (folded stems → the word as first written)."""

    liked: dict[str, str] = field(default_factory=dict)
    disliked: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_votes(cls, stories: Iterable[tuple[str, int]]) -> Taste:
        """The taste of ``stories``: (title, vote) of each voted story, vote +1 or -1."""
        up: Counter[str] = Counter()
        down: Counter[str] = Counter()
        written: dict[str, str] = {}
        for title, vote in stories:
            words = _title_words(title)
            for key, word in words.items():
                written.setdefault(key, word)
            (up if vote > 0 else down).update(words.keys())
        liked = {k: written[k] for k, n in up.items() if n >= MIN_STORIES and n > down[k]}
        disliked = {k: written[k] for k, n in down.items() if n >= MIN_STORIES and n > up[k]}
        return cls(liked, disliked)

    def __bool__(self) -> bool:
        return bool(self.liked or self.disliked)

    def judge(self, title: str) -> tuple[list[str], list[str]]:
        """The liked and the disliked words of ``title``, as the voted titles wrote them."""
        if not self:
            return [], []
        keys = {term.key for term in terms_of(split_words(title))}
        liked = sorted(self.liked[k] for k in keys & self.liked.keys())
        disliked = sorted(self.disliked[k] for k in keys & self.disliked.keys())
        return liked, disliked


def taste_of(store: Store) -> Taste:
    """The taste of the stories voted in ``store``: the articles voted on, as they stand now (a
    vote taken back leaves them unjudged), a story (cluster) once."""
    stories = {a.cluster_id or -a.id: (a.title, a.vote) for a in voted_articles(store) if a.vote}
    return Taste.from_votes(stories.values())


def voted_articles(store: Store, kinds: tuple[str, ...] = ("up", "down")) -> list[StoredArticle]:
    """The articles given a vote of ``kinds``, as they stand now (a vote taken back since
    leaves one with ``vote`` 0)."""
    ids = sorted({f.article_id for f in store.list_feedback() if f.kind in kinds})
    return store.query_articles(ArticleQuery(ids=ids, limit=len(ids))) if ids else []


def taste_points(liked: list[str], disliked: list[str]) -> float:
    """Half of TASTE_POINTS per word, two words at most each way."""
    return TASTE_POINTS / 2 * (min(len(liked), 2) - min(len(disliked), 2))


def _title_words(title: str) -> dict[str, str]:
    """Folded stem → the word as the title wrote it, for the title's words that carry meaning."""
    words = split_words(title)
    return {
        term.key: as_written(word)
        for word, term in zip(words, terms_of(words), strict=True)
        if term.content and is_content(term.key) and term.key not in _FILLER
    }

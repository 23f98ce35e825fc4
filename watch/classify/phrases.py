"""Keywords ready to match, and the index that finds many of them in a text in one scan.

A keyword is a sequence of words (``watch.text`` folds their accents, case and plurals alike in
keywords and texts), matched as whole words: "CVE" never matches "cvent".  A keyword ending in
"*" is a *prefix*: its last word matches any word that starts with it, accents folded and case
as for other keywords ("Datenschutz*" matches "Datenschutzverletzung", "Sicherheitslücke*"
"Sicherheitslücken", "vulnerabilidad*" "vulnerabilidades"); the words before it match whole
("base de donnée*" matches "base de données").  That is how the compounds and inflections of
German, Spanish or Italian are caught, which the light FR/EN plural stemming does not (and must
not: the classification benchmark depends on it).  A "*" anywhere else, or a prefix shorter
than MIN_PREFIX letters, is refused by the configuration (``keyword_problem``); one that
reaches here anyway is matched as if the "*" were not written.

``Phrase`` is a keyword ready to match; ``PhraseIndex`` finds every keyword of every topic in a
text at once.  A match says where it starts and, for a prefix, what the text wrote there
("Datenschutzverletzung"), for the explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from watch.text import (
    MAX_CACHED_TERMS,
    Term,
    as_written,
    fold_accents,
    keyword_problem,
    split_words,
    terms,
    terms_of,
    word_term,
)

Match = tuple[Any, "Phrase", int, str]
"""(tag, phrase, index of its first word, what the text wrote there: "" but for a prefix)."""


@dataclass(frozen=True)
class Phrase:
    """A keyword as a sequence of terms; ``case_sensitive`` for acronyms such as "IA"."""

    text: str
    keys: tuple[str, ...]
    cased: tuple[str, ...]
    case_sensitive: bool
    prefix: bool = False
    """The keyword ended in "*": its last key and cased word are prefixes, accent-folded but not
    stemmed ("sicherheitslucke", "Sicherheitslucke")."""


def make_phrase(keyword: str) -> Phrase | None:
    """A keyword ready to match, or None when it has no word characters."""
    stripped = keyword.strip()
    prefix = stripped.endswith("*") and keyword_problem(stripped) is None
    written = stripped[:-1] if prefix else stripped
    parts = terms(written)
    if not parts:
        return None
    keys = tuple(p.key for p in parts)
    cased = tuple(p.cased for p in parts)
    case_sensitive = (  # "IA", "Go", "CVE*"; not "C#" (a symbol word is unambiguous)
        len(written) <= 3 and any(ch.isupper() for ch in written) and keys[0].isalnum()
    )
    if prefix:
        last = fold_accents(as_written(split_words(written)[-1]))
        keys, cased = (*keys[:-1], last.lower()), (*cased[:-1], last)
    return Phrase(stripped, keys, cased, case_sensitive, prefix)


class PhraseIndex:
    """Many phrases indexed by their first word (prefixes by their last), so a text is scanned
    once for all of them.

    Few words start a phrase: ``find_in`` takes a text's words (``split_words``), finds with set
    operations the few that start a phrase or begin with a prefix, and makes Terms only there;
    ``find_at`` takes the text's Terms.  Both give the same matches, in text order.
    """

    def __init__(self, phrases: Iterable[tuple[Any, Phrase]]):
        self._by_first: dict[str, list[tuple[Any, Phrase]]] = {}
        self._prefixed: list[tuple[Any, Phrase]] = []
        for tag, phrase in phrases:
            if phrase.prefix:
                self._prefixed.append((tag, phrase))
            else:
                self._by_first.setdefault(phrase.keys[0], []).append((tag, phrase))
        self._firsts = frozenset(self._by_first)
        self._prefixes = tuple({phrase.keys[-1] for _, phrase in self._prefixed})
        self._known: tuple[set[str], set[str], dict[str, list[tuple[Any, Phrase]]]] = (
            set(),
            set(),
            {},
        )
        """(words seen by ``find_in``, those of them whose key starts a phrase, those that begin
        with a prefix → its phrases), replaced together (thread safety) when MAX_CACHED_TERMS
        words were seen."""

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_known"] = (set(), set(), {})  # a cache: not pickled
        return state

    def find_at(self, words: Sequence[Term]) -> list[Match]:
        """(tag, phrase, index of its first word, written) for every occurrence in ``words``."""
        keys = [word.key for word in words]
        found: list[Match] = []
        if not self._firsts.isdisjoint(keys):
            lookup = self._by_first.get
            for start, key in enumerate(keys):
                for tag, phrase in lookup(key) or ():
                    if _matches_at(words, start, phrase):
                        found.append((tag, phrase, start, ""))
        if self._prefixed:
            ends = [(end, self._prefixed_by(word)) for end, word in enumerate(words)]
            found += self._prefix_matches(words, [(end, hit) for end, hit in ends if hit])
            found.sort(key=_start)
        return found

    def find_in(self, words: list[str]) -> list[Match]:
        """``find_at(terms_of(words))`` for ``words`` from ``split_words``, without a Python
        step per word: a set of the words, the few that start a phrase, ``list.index``."""
        distinct = set(words)
        seen, starting, ending = self._known
        unseen = distinct.difference(seen)
        if unseen:
            if len(seen) + len(unseen) > MAX_CACHED_TERMS:
                seen, starting, ending = self._known = (set(), set(), {})
                unseen = distinct
            firsts = self._firsts
            starting.update(word for word in unseen if word_term(word).key in firsts)
            if self._prefixed:
                for word in unseen:
                    hit = self._prefixed_by(word_term(word))
                    if hit:
                        ending[word] = hit
            seen.update(unseen)  # after the others: a word seen has its answers there
        found: list[Match] = []
        hits = starting.intersection(distinct)
        for start in _positions(words, hits):
            for tag, phrase in self._by_first[word_term(words[start]).key]:
                window = words[start : start + len(phrase.keys)]
                if _matches_at(terms_of(window), 0, phrase):
                    found.append((tag, phrase, start, ""))
        if ending:
            ends = _positions(words, distinct.intersection(ending))
            if ends:
                hits_at = [(end, ending[words[end]]) for end in ends]
                found += self._prefix_matches(terms_of(words), hits_at)
                found.sort(key=_start)
        return found

    def _prefixed_by(self, word: Term) -> list[tuple[Any, Phrase]]:
        """The prefix phrases whose last word ``word`` begins with (folded, or as its stem:
        "journal*" is also "journaux")."""
        folded = fold_accents(word.written).lower()
        prefixes = self._prefixes
        if not (folded.startswith(prefixes) or word.key.startswith(prefixes)):
            return []
        return [
            (tag, phrase)
            for tag, phrase in self._prefixed
            if folded.startswith(phrase.keys[-1]) or word.key.startswith(phrase.keys[-1])
        ]

    def _prefix_matches(
        self, words: Sequence[Term], ends: list[tuple[int, list[tuple[Any, Phrase]]]]
    ) -> list[Match]:
        """The prefix phrases whose last word is at one of ``ends`` and whose words before it
        are there too."""
        found: list[Match] = []
        for end, candidates in ends:
            for tag, phrase in candidates:
                start = end + 1 - len(phrase.keys)
                if start >= 0 and _prefix_matches_at(words, start, phrase):
                    written = " ".join(w.written for w in words[start : end + 1])
                    found.append((tag, phrase, start, written))
        return found


def _start(match: Match) -> int:
    return match[2]


def _positions(words: list[str], wanted: set[str]) -> list[int]:
    """The indexes of ``words`` that are in ``wanted``, in order (``list.index``: no Python
    step per word)."""
    positions = []
    for word in wanted:
        at = words.index(word)
        try:
            while True:
                positions.append(at)
                at = words.index(word, at + 1)
        except ValueError:
            pass
    positions.sort()
    return positions


def _matches_at(words: Sequence[Term], start: int, phrase: Phrase) -> bool:
    end = start + len(phrase.keys)
    if end > len(words):
        return False
    window = words[start:end]
    if any(w.key != k for w, k in zip(window, phrase.keys, strict=True)):
        return False
    if phrase.case_sensitive:
        return all(w.cased == c for w, c in zip(window, phrase.cased, strict=True))
    return True


def _prefix_matches_at(words: Sequence[Term], start: int, phrase: Phrase) -> bool:
    """Whether the words from ``start`` are ``phrase``, a prefix phrase whose last word begins
    with its prefix (checked already, but for case) and the words before it match whole."""
    before = len(phrase.keys) - 1
    window = words[start : start + before]
    if any(w.key != k for w, k in zip(window, phrase.keys, strict=False)):
        return False
    if not phrase.case_sensitive:
        return True
    last = fold_accents(words[start + before].written)
    return last.startswith(phrase.cased[-1]) and all(
        w.cased == c for w, c in zip(window, phrase.cased, strict=False)
    )

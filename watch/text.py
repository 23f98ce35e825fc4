"""Text normalization for classification: words, accents, stop words, plurals and phrases.

Owns how a title or summary becomes comparable terms, for French and English first and any
other language gracefully: lowercasing, accent folding ("sécurité" → "securite"), light
plural stemming ("vulnérabilités" → "vulnerabilite", "databases" → "database"), FR+EN stop
words, word boundaries (a keyword matches whole words only: "CVE" never matches "cvent"), and
multi-word phrases ("base de données").  Short keywords written with capitals ("IA", "AI",
"Go", "CVE") are acronyms or names: they match case-sensitively, so "IA" does not match "ia"
inside Italian text and "Go" does not match the verb "go".

``Term`` is one normalized word (folded stem, and the stem with its case kept); ``Phrase`` is a
keyword ready to match; ``find_phrases`` scans a text once for many phrases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TEXT_CHARS = 20_000
"""Longer texts are cut: the start of an article says what it is about."""

_STOP_WORDS_TEXT = """
    a an and are as at be been but by for from has have he her his how i if in into is it its
    me my no not of on or our she so than that the their them then there these they this to
    up us was we were what when where which who why will with you your about after all also
    can do does just more most new now one only out over some such very via
    au aux avec ce ces cet cette dans de des du elle en est et eux il ils je la le les leur
    leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa
    se ses son sur ta te tes toi ton tu un une vos votre vous y d l c j n s qu plus sans
    sont ete etre avoir fait comme tout tous aussi entre chez
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True)
class Term:
    """One word of a text: ``key`` is folded and stemmed, ``cased`` keeps the original case."""

    key: str
    cased: str
    content: bool = True
    """False for stop words, numbers and single letters (left out of model features)."""


@dataclass(frozen=True)
class Phrase:
    """A keyword as a sequence of terms; ``case_sensitive`` for acronyms such as "IA"."""

    text: str
    keys: tuple[str, ...]
    cased: tuple[str, ...]
    case_sensitive: bool


def fold_accents(text: str) -> str:
    """Remove diacritics from Latin letters ("Sécurité" → "Securite"); other scripts kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """Light FR/EN plural stemming: "vulnerabilites" → "vulnerabilite", "libraries" → "library"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + ("y" if word[-1].islower() else "Y")
    if lower.endswith("eaux"):
        return word[:-1]
    if lower.endswith("aux") and len(word) > 4:
        return word[:-3] + ("al" if word[-1].islower() else "AL")
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def _term(word: str) -> Term:
    folded = fold_accents(word)
    cased = stem(folded)
    key = cased.lower()
    return Term(key=key, cased=cased, content=is_content(key))


def terms(text: str) -> list[Term]:
    """Every word of ``text`` as a Term, in order (stop words included, for phrases)."""
    return [_term(word) for word in WORD.findall(text[:MAX_TEXT_CHARS])]


def is_content(key: str) -> bool:
    """Whether a folded stem carries meaning: not a stop word, a number or a single letter."""
    return len(key) > 1 and key not in STOP_WORDS and not key.isdigit()


def content_keys(text: str) -> list[str]:
    """Folded stems of ``text`` without stop words, numbers or 1-letter words."""
    return [term.key for term in terms(text) if is_content(term.key)]


def make_phrase(keyword: str) -> Phrase | None:
    """A keyword ready to match, or None when it has no word characters."""
    parts = terms(keyword)
    if not parts:
        return None
    stripped = keyword.strip()
    case_sensitive = len(stripped) <= 3 and any(ch.isupper() for ch in stripped)
    return Phrase(
        text=stripped,
        keys=tuple(p.key for p in parts),
        cased=tuple(p.cased for p in parts),
        case_sensitive=case_sensitive,
    )


class PhraseIndex:
    """Many phrases indexed by their first word, so a text is scanned once for all of them."""

    def __init__(self, phrases: Iterable[tuple[Any, Phrase]]):
        self._by_first: dict[str, list[tuple[Any, Phrase]]] = {}
        for tag, phrase in phrases:
            self._by_first.setdefault(phrase.keys[0], []).append((tag, phrase))

    def find(self, words: Sequence[Term]) -> list[tuple[Any, Phrase]]:
        """(tag, phrase) for every occurrence of an indexed phrase in ``words``."""
        return [(tag, phrase) for tag, phrase, _ in self.find_at(words)]

    def find_at(self, words: Sequence[Term]) -> list[tuple[Any, Phrase, int]]:
        """(tag, phrase, index of its first word) for every occurrence in ``words``."""
        found: list[tuple[Any, Phrase, int]] = []
        lookup = self._by_first.get
        for start, word in enumerate(words):
            candidates = lookup(word.key)
            if not candidates:
                continue
            for tag, phrase in candidates:
                if _matches_at(words, start, phrase):
                    found.append((tag, phrase, start))
        return found


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

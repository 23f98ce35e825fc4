"""What tells two similar-looking articles apart: ``distinct_stories`` is true when

* their marks conflict: other identifiers of one kind (CVE, GHSA…: see
  ``identifiers_conflict``), or numbers of one shape ("Firefox 130" / "131");
* each title names someone the other article never mentions ("Apple sues Samsung" / "Google");
* the titles are one headline with a slot filled differently: the same words around replaced
  runs, and each side has a replaced word (a name, a number of any size, a noun) that the other
  article never mentions ("Google / Amazon fined 50 million euros", "… de 29 / 9 millions
  d'euros", "Ransomware gang hits schools / manufacturers").  A reworded copy escapes this: its
  new title word is in the other copy's text, or its words moved.
* two German titles share most of their words, and each has a capitalized word of its own the
  other article never mentions ("Datenschutzverletzung bei der Krankenkasse Nordwest / beim
  Versandhändler Südhaus"), in whatever order: a capital marks every German noun, not a name.

``groups_conflict`` applies it across groups of articles: two stories that one article bridges
become one only when no article of one is told apart from an article of the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from watch.cluster.features import (
    _DIGITS,
    _DOTTED,
    _HAS_DIGIT,
    _VERSION_PREFIX,
    Fingerprint,
    Marks,
    identifier_kind,
)


def distinct_stories(a: Fingerprint, b: Fingerprint) -> bool:
    """True when marks or titles show two different stories, however similar the words."""
    return (
        marks_conflict(a.marks, b.marks)
        or names_conflict(a, b)
        or slot_conflict(a, b)
        or nouns_conflict(a, b)
    )


def groups_conflict(groups: Sequence[Sequence[Fingerprint]]) -> bool:
    """True when something tells an article of one group from an article of another
    (``distinct_stories``): stories that may not become one."""
    for i, group in enumerate(groups):
        for others in groups[i + 1 :]:
            if any(distinct_stories(a, b) for a in group for b in others):
                return True
    return False


def _shape(number: str) -> str:
    """Numbers that could replace each other: versions with as many digits in front (130 and
    131, 10.1 and 10), or the same letters around digits (M4 and M5, 16-23 and 9-16)."""
    if _DOTTED.match(number):
        return f"n{len(number.split('.')[0])}"
    return _DIGITS.sub("9", number)


def marks_conflict(a: Marks, b: Marks) -> bool:
    """True when two articles name different identifiers (``identifiers_conflict``), or numbers
    of the same shape in their titles (Firefox 130 / 131, M4 / M5, 2011 / 2005) that the other
    article never mentions."""
    if a.identifiers and b.identifiers and identifiers_conflict(a, b):
        return True
    for x in a.title_numbers - b.title_numbers:
        for y in b.title_numbers - a.title_numbers:
            if _shape(x) != _shape(y):
                continue
            if not _mentions_number(b, x) or not _mentions_number(a, y):
                return True
    return False


def identifiers_conflict(a: Marks, b: Marks) -> bool:
    """True when, for a kind of identifier (CVE, GHSA…) both articles name, they name none in
    common; or both titles name some, not the same ones (a round-up of ten CVEs, "CVE-1" and
    "CVE-2" in one product each mentioning the other); or one title names some and the other
    article, whose title names none, mentions one the first never does (a round-up's summary)."""
    for kind in {identifier_kind(i) for i in a.identifiers}:
        ids_a = _of_kind(a.identifiers, kind)
        ids_b = _of_kind(b.identifiers, kind)
        if not ids_b:
            continue
        if not ids_a & ids_b:
            return True
        title_a = _of_kind(a.title_identifiers, kind)
        title_b = _of_kind(b.title_identifiers, kind)
        if title_a and title_b:
            if title_a != title_b:
                return True
        elif (title_a and not ids_b <= ids_a) or (title_b and not ids_a <= ids_b):
            return True
    return False


def _of_kind(identifiers: frozenset[str], kind: str) -> frozenset[str]:
    return frozenset(i for i in identifiers if identifier_kind(i) == kind)


def _mentions_number(marks: Marks, number: str) -> bool:
    return number in marks.numbers


def names_conflict(a: Fingerprint, b: Fingerprint) -> bool:
    """Each title names someone or something the other article never mentions:
    "Apple sues Samsung" / "Apple sues Google", "Move from Libsyn" / "Move from Anchor"."""
    return any(not b.mentions(w) for w in a.marks.title_names) and any(
        not a.mentions(w) for w in b.marks.title_names
    )


def nouns_conflict(a: Fingerprint, b: Fingerprint) -> bool:
    """Two German titles sharing most of their words, each with a capitalized word of its own
    that the other article never mentions, in any form (words of German articles are stemmed:
    ``languages.german_stem``): "Datenleck bei der Krankenkasse Nordwest / beim Versandhändler
    Südhaus".  German capitalizes every noun, so a capital does not single out a name; the
    shared rest of the titles does (a rewording changes more)."""
    nouns_a, nouns_b = a.marks.title_nouns, b.marks.title_nouns
    if not nouns_a or not nouns_b:
        return False
    shared = a.title_words & b.title_words
    only_a, only_b = a.title_words - shared, b.title_words - shared
    if len(shared) < max(2, len(only_a), len(only_b)):
        return False
    return any(not b.mentions(w) for w in only_a & nouns_a) and any(
        not a.mentions(w) for w in only_b & nouns_b
    )


def slot_conflict(a: Fingerprint, b: Fingerprint) -> bool:
    """One headline template with its slots filled differently: in order, the titles' content
    words differ only by replaced runs of words the other title lacks (none added, dropped or
    moved), the same words are at least two and as many as either side's replaced words, and
    each side has a replaced word the other article never mentions ("Scaleway / OVHcloud opens
    a new region in France", "11 % … rédaction / 6 % … synthèse").  A rewording adds, drops or
    moves words."""
    seq_a, seq_b = a.title_sequence, b.title_sequence
    words_a, words_b = set(seq_a), set(seq_b)
    only_a, only_b = words_a - words_b, words_b - words_a
    if len(words_a) - len(only_a) < max(2, len(only_a), len(only_b)) or not only_b:
        return False  # cheap checks first: the order of the words is looked at last
    if all(_mentions_form(b, w) for w in only_a) or all(_mentions_form(a, w) for w in only_b):
        return False
    same = replaced_a = replaced_b = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, seq_a, seq_b, False).get_opcodes():
        if tag == "equal":
            same += i2 - i1
        elif tag == "replace" and only_a.issuperset(seq_a[i1:i2]):
            replaced_a, replaced_b = replaced_a + i2 - i1, replaced_b + j2 - j1
        else:
            return False  # a word added, dropped or moved
    return same >= max(2, replaced_a, replaced_b)


def _mentions_form(print_: Fingerprint, word: str) -> bool:
    """Mentions ``word``, the same number or version ("1.86" / "v1.86.0"), or its form with or
    without a final "s" (patch / patches)."""
    if print_.mentions(word):
        return True
    if _HAS_DIGIT.search(word):
        return _VERSION_PREFIX.sub("", word) in print_.marks.numbers
    other = word[:-1] if word.endswith("s") else word + "s"
    return print_.mentions(other) or (word.endswith("es") and print_.mentions(word[:-2]))

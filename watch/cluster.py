"""Story clusters: groups near-duplicate articles (same story, several sources) incrementally.

This module owns the decision "is this new article the same story as one already stored?".
``ClusterIndex`` keeps, for recent articles, a MinHash signature (numpy, word features of the
normalized title and lead), LSH buckets to find candidates without comparing against everything,
and the *distinguishing marks* of each article (CVE ids, numbers and versions in the title,
proper nouns).  A candidate joins only when it was published within ``window`` of the new
article, its estimated similarity is high enough, and no mark conflicts ("Firefox 130" vs
"Firefox 131", CVE-2024-1 vs CVE-2024-2).  The same canonical URL always means the same cluster.

The pipeline rebuilds the index from the store at start (``build_index``), then calls
``assign`` for each new article and ``add`` once it knows the cluster id.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

NUM_PERM = 64
BANDS = 32
ROWS = NUM_PERM // BANDS
LEAD_WORDS = 60
"""Only the title and the first words of the text count: syndicated copies share the lead,
while one copy may carry the full article and another an excerpt."""
MAX_CHARS = 1_500
MIN_FEATURES = 3
FEW_FEATURES = 8
"""Below this many words (a title and no text), only a near-identical article joins."""
DEFAULT_WINDOW = timedelta(days=7)
DEFAULT_THRESHOLD = 0.45
TITLE_MATCH = 0.8
TITLE_MATCH_FLOOR = 0.2

_WORD = re.compile(r"[^\W_]+(?:[.\-'’][^\W_]+)*")
_CVE = re.compile(r"^cve-\d{4}-\d{4,}$")
_VERSION_PREFIX = re.compile(r"^v(?=\d)|(?:\.0)+$")
_DIGITS = re.compile(r"\d+")
_HAS_DIGIT = re.compile(r"\d")
_CVE_PREFIXES = frozenset({"CVE-", "cve-", "Cve-"})
_DOTTED = re.compile(r"^\d+(?:\.\d+)*$")
_NO_SPACE_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_STOP_WORDS_TEXT = """a about after all also an and any are as at be been but by can could did do does for
    from had has have he her his how i if in into is it its just more most new no not now of on
    one or our out over says she so than that the their them then there these they this to up
    us was we were what when which who why will with would you your via get gets how's it's
    au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne nous ou par
    pas plus pour qu que qui sa se ses son sont sur un une vous été être cette comme fait"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_rng = np.random.default_rng(20_240_917)
_MUL = (_rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_ADD = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_BAND_MUL = _rng.integers(1, 2**63, ROWS, dtype=np.uint64) | np.uint64(1)
_PERIOD_SALT = 2**64


@dataclass(frozen=True)
class Marks:
    """What tells two similar-looking stories apart."""

    cves: frozenset[str]
    title_numbers: frozenset[str]
    numbers: frozenset[str]
    """Numbers and versions anywhere in the title and lead."""
    title_names: frozenset[str]
    """Proper nouns of the title, lowercased."""


@dataclass(frozen=True)
class Fingerprint:
    """An article reduced to what clustering compares."""

    signature: np.ndarray
    words: np.ndarray
    """Sorted crc32 of every feature word (title and lead), to ask "does it mention X?"."""
    title_words: frozenset[str]
    marks: Marks

    @property
    def feature_count(self) -> int:
        return len(self.words)

    def mentions(self, word: str) -> bool:
        key = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        position = int(np.searchsorted(self.words, key))
        return position < len(self.words) and int(self.words[position]) == key


def _split_no_space_scripts(token: str) -> list[str]:
    """Chinese/Japanese/Thai runs have no spaces: use character bigrams instead of one token."""
    if len(token) < 3 or not _NO_SPACE_SCRIPT.search(token):
        return [token]
    return [token[i : i + 2] for i in range(len(token) - 1)]


def raw_words(text: str) -> list[str]:
    """Words of ``text`` in their original case (NFKC), CJK runs as character bigrams."""
    text = text[:MAX_CHARS]
    tokens = _WORD.findall(text if text.isascii() else unicodedata.normalize("NFKC", text))
    words: list[str] = []
    for token in tokens:
        if "'" in token or "’" in token:
            token = token.rstrip("'’").removesuffix("'s").removesuffix("’s")
        if token.isascii():
            words.append(token)
        else:
            words.extend(_split_no_space_scripts(token))
    return words


def _content(words: Iterable[str]) -> list[str]:
    return [w for w in (word.casefold() for word in words) if w not in _STOP_WORDS]


def _numbers(words: list[str]) -> frozenset[str]:
    """Tokens with a digit (CVE ids apart), "v" prefix and trailing ".0" removed."""
    return frozenset(
        _VERSION_PREFIX.sub("", w.casefold())
        for w in words
        if not w.isalpha() and _HAS_DIGIT.search(w) and not _CVE.match(w.casefold())
    )


def _title_names(title_words: list[str], lead_words: list[str]) -> frozenset[str]:
    """Title words that are proper nouns: capitalized inside a sentence-case title, or written
    with a capital in the lead (a Title Case headline capitalizes everything)."""
    long_words = [w for w in title_words if len(w) > 3 and w.isalpha()]
    capitalized = [w for w in long_words if w[0].isupper()]
    title_case = bool(long_words) and len(capitalized) / len(long_words) > 0.6
    in_lead = {w.casefold() for w in lead_words[1:] if w[:1].isupper() and w.isalpha()}
    names = set() if title_case else {w.casefold() for w in title_words[1:] if w[:1].isupper()}
    names.update(w.casefold() for w in title_words if w.casefold() in in_lead)
    return frozenset(w for w in names if w.isalpha() and w not in _STOP_WORDS)


def extract_marks(title_words: list[str], lead_words: list[str]) -> Marks:
    """Distinguishing marks of an article from its title words and lead words."""
    every = title_words + lead_words
    return Marks(
        cves=frozenset(
            w.casefold() for w in every if w[:4] in _CVE_PREFIXES and _CVE.match(w.casefold())
        ),
        title_numbers=_numbers(title_words),
        numbers=_numbers(every),
        title_names=_title_names(title_words, lead_words),
    )


def _shape(number: str) -> str:
    """Numbers that could replace each other: versions with as many digits in front (130 and
    131, 10.1 and 10), or the same letters around digits (M4 and M5, 16-23 and 9-16)."""
    if _DOTTED.match(number):
        return f"n{len(number.split('.')[0])}"
    return _DIGITS.sub("9", number)


def marks_conflict(a: Marks, b: Marks) -> bool:
    """True when two articles name different CVEs, or numbers of the same shape in their titles
    (Firefox 130 / 131, M4 / M5, 2011 / 2005) that the other article never mentions."""
    if a.cves and b.cves and not (a.cves & b.cves):
        return True
    for x in a.title_numbers - b.title_numbers:
        for y in b.title_numbers - a.title_numbers:
            if _shape(x) != _shape(y):
                continue
            if not _mentions_number(b, x) or not _mentions_number(a, y):
                return True
    return False


def _mentions_number(marks: Marks, number: str) -> bool:
    return number in marks.numbers


def names_conflict(a: Fingerprint, b: Fingerprint) -> bool:
    """Each title names someone or something the other article never mentions:
    "Apple sues Samsung" / "Apple sues Google", "Move from Libsyn" / "Move from Anchor"."""
    return any(not b.mentions(w) for w in a.marks.title_names) and any(
        not a.mentions(w) for w in b.marks.title_names
    )


def distinct_stories(a: Fingerprint, b: Fingerprint) -> bool:
    """True when marks or titles show two different stories, however similar the words."""
    return marks_conflict(a.marks, b.marks) or names_conflict(a, b)


def hash_words(words: set[str]) -> np.ndarray:
    """Sorted crc32 of each word, uint32."""
    hashed = np.fromiter(
        (zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words),
        dtype=np.uint32,
        count=len(words),
    )
    hashed.sort()
    return hashed


def minhash(hashed_words: np.ndarray) -> np.ndarray:
    """64 minimum hashes (multiply-shift family over the words' crc32), uint32."""
    if not len(hashed_words):
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    hashed = hashed_words.astype(np.uint64)
    mixed = (_MUL[:, None] * hashed[None, :] + _ADD[:, None]) >> np.uint64(32)
    return mixed.min(axis=1).astype(np.uint32)


def fingerprint(title: str, text: str) -> Fingerprint:
    """Signature, title words and marks of one article."""
    title_raw = raw_words(title)
    lead_raw = raw_words(text)[: LEAD_WORDS * 2]
    title_content = _content(title_raw)
    lead_content = _content(lead_raw)[:LEAD_WORDS]
    words = hash_words(set(title_content) | set(lead_content))
    return Fingerprint(
        signature=minhash(words),
        words=words,
        title_words=frozenset(title_content),
        marks=extract_marks(title_raw, lead_raw),
    )


def _band_keys(signature: np.ndarray) -> list[int]:
    """One bucket key per LSH band, salted with the band number."""
    bands = signature.astype(np.uint64).reshape(BANDS, ROWS)
    keys = (bands * _BAND_MUL[None, :]).sum(axis=1, dtype=np.uint64)
    return [int(k) ^ band for band, k in enumerate(keys.tolist())]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


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
        self._clusters: list[int] = []
        self._ids: list[int] = []
        self._fingerprints: list[Fingerprint | None] = []
        self._slot_of: dict[int, int] = {}
        self._by_url: dict[str, int] = {}
        self._by_cve: dict[str, list[int]] = {}
        self._buckets: dict[int, int | list[int]] = {}
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
    ) -> None:
        """Index an already-clustered stored article (re-adding one only moves its cluster)."""
        if article_id in self._slot_of:
            self._clusters[self._slot_of[article_id]] = cluster_id
            return
        self._store(
            article_id, cluster_id, self._fingerprint(title, text), canonical_url, published
        )

    def assign(
        self, article_id: int, title: str, text: str, canonical_url: str, published: datetime
    ) -> int | None:
        """Cluster id of the best matching indexed article, or None for a new story."""
        if canonical_url and canonical_url in self._by_url:
            return self._clusters[self._by_url[canonical_url]]
        if article_id in self._slot_of:
            return self._clusters[self._slot_of[article_id]]
        best = self._best_match(self._fingerprint(title, text), _timestamp(published))
        return None if best is None else self._clusters[best]

    def cluster_of(self, article_id: int) -> int | None:
        """Cluster id an indexed article belongs to."""
        slot = self._slot_of.get(article_id)
        return None if slot is None else self._clusters[slot]

    def prune(self, before: datetime) -> int:
        """Forget articles published before ``before`` (they can no longer match); return count."""
        cutoff = _timestamp(before)
        old = [slot for slot in range(len(self._ids)) if self._published[slot] < cutoff]
        for slot in old:
            self._fingerprints[slot] = None
        self._buckets = {
            key: kept
            for key, members in self._buckets.items()
            if (kept := self._without_old(members, cutoff)) is not None
        }
        return len(old)

    # -- internals -----------------------------------------------------------------

    def _fingerprint(self, title: str, text: str) -> Fingerprint:
        """Fingerprint, reused when ``add`` follows ``assign`` for the same article."""
        if self._last is not None and self._last[0] == title and self._last[1] == text:
            return self._last[2]
        print_ = fingerprint(title, text)
        self._last = (title, text, print_)
        return print_

    def _without_old(self, members: int | list[int], cutoff: float) -> int | list[int] | None:
        slots = [members] if isinstance(members, int) else members
        kept = [slot for slot in slots if self._published[slot] >= cutoff]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else kept

    def _store(
        self,
        article_id: int,
        cluster_id: int,
        print_: Fingerprint,
        canonical_url: str,
        published: datetime,
    ) -> None:
        slot = len(self._ids)
        if slot == len(self._published):
            self._signatures = np.concatenate([self._signatures, np.zeros_like(self._signatures)])
            self._published = np.concatenate([self._published, np.zeros_like(self._published)])
        self._signatures[slot] = print_.signature
        self._published[slot] = _timestamp(published)
        self._ids.append(article_id)
        self._clusters.append(cluster_id)
        self._fingerprints.append(print_)
        self._slot_of[article_id] = slot
        if canonical_url:
            self._by_url.setdefault(canonical_url, slot)
        for cve in print_.marks.cves:
            self._by_cve.setdefault(cve, []).append(slot)
        if print_.feature_count >= MIN_FEATURES:
            self._add_to_buckets(slot, print_.signature, self._period(self._published[slot]))

    def _period(self, timestamp: float) -> int:
        """Buckets are per period of two windows: a match lies in this period or the next
        or previous one, whichever half of its period the article falls in."""
        return int(timestamp // (2 * self.window_seconds))

    def _add_to_buckets(self, slot: int, signature: np.ndarray, period: int) -> None:
        buckets = self._buckets
        salt = period * _PERIOD_SALT
        for key in _band_keys(signature):
            key += salt
            members = buckets.get(key)
            if members is None:
                buckets[key] = slot
            elif isinstance(members, int):
                buckets[key] = [members, slot]
            else:
                members.append(slot)

    def _candidates(self, print_: Fingerprint, published: float) -> set[int]:
        found: set[int] = set()
        period = self._period(published)
        in_second_half = published / (2 * self.window_seconds) - period >= 0.5
        buckets = self._buckets
        keys = _band_keys(print_.signature)
        for near in (period, period + 1 if in_second_half else period - 1):
            salt = near * _PERIOD_SALT
            for key in keys:
                members = buckets.get(key + salt)
                if members is None:
                    continue
                if isinstance(members, int):
                    found.add(members)
                else:
                    found.update(members)
        for cve in print_.marks.cves:
            found.update(self._by_cve.get(cve, ()))
        return found

    def _best_match(self, print_: Fingerprint, published: float) -> int | None:
        if print_.feature_count < MIN_FEATURES:
            return None
        slots = np.fromiter(self._candidates(print_, published), dtype=np.int64)
        if not len(slots):
            return None
        slots = slots[np.abs(self._published[slots] - published) <= self.window_seconds]
        if not len(slots):
            return None
        similarity = (self._signatures[slots] == print_.signature).mean(axis=1)
        for index in np.argsort(-similarity, kind="stable").tolist():
            if similarity[index] < TITLE_MATCH_FLOOR:
                break
            slot = int(slots[index])
            if self._same_story(print_, slot, float(similarity[index])):
                return slot
        return None

    def _same_story(self, print_: Fingerprint, slot: int, similarity: float) -> bool:
        """Similar enough (text, or title with some text) and no conflicting marks."""
        other = self._fingerprints[slot]
        if other is None or distinct_stories(print_, other):
            return False
        if similarity >= self.threshold and (
            min(print_.feature_count, other.feature_count) >= FEW_FEATURES
            or similarity >= TITLE_MATCH
        ):
            return True
        long_titles = min(len(print_.title_words), len(other.title_words)) >= 3
        return long_titles and _jaccard(print_.title_words, other.title_words) >= TITLE_MATCH


def build_index(
    rows: Iterable[tuple[int, int, str, str, str, datetime]],
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = DEFAULT_THRESHOLD,
) -> ClusterIndex:
    """An index over stored rows ``(id, cluster_id, title, text, canonical_url, published)``."""
    index = ClusterIndex(window=window, threshold=threshold)
    for article_id, cluster_id, title, text, canonical_url, published in rows:
        index.add(article_id, cluster_id, title, text, canonical_url, published)
    return index

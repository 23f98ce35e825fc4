"""Article fingerprints for story clustering: what an article reduces to.

A ``Fingerprint`` holds a MinHash signature (numpy, over the content words of the title and the
lead of the text, the stop words of English, French, German, Spanish, Italian, Dutch and
Portuguese removed (``languages``), the words of a German article stemmed, Chinese/Japanese/
Korean/Thai runs as character bigrams, a word of another script glued to them kept whole) with
its LSH band keys, the title's words (as a set, and in order), and its *marks*: identifiers
(CVE, GHSA, RUSTSEC, PYSEC, GO, DSA/DLA, USN, RHSA ids, found in the raw title and lead,
whatever script surrounds them), numbers and versions of the title, proper nouns (``names``: a
capitalized word inside a sentence-case title, a title word capitalized in the lead, a word
written like a name wherever it stands: OpenSSL, iOS, LightOn; in German, whose nouns all take
a capital, only the last, and the capitalized words apart). ``anchors`` are the marks specific
enough to look up candidates by; ``subject_identifiers`` the identifiers an article is about.
What tells two similar-looking articles apart is in ``conflicts``.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass
from itertools import filterfalse

import numpy as np

from watch.cluster.languages import article_language, german_stem, stop_words
from watch.cluster.names import german_title_marks, title_names

NUM_PERM = 96
BANDS = 32
ROWS = 3
"""LSH: 32 bands of 3 rows: a pair at similarity 0.45 shares a bucket 95% of the time, at 0.05
0.4%."""
LEAD_WORDS = 60
"""Only the title and the first words of the text count: syndicated copies share the lead,
while one copy may carry the full article and another an excerpt."""
MAX_CHARS = 1_500
LEAD_CHARS = 900
"""Enough characters for LEAD_WORDS content words in most languages."""

_WORD = re.compile(r"[^\W_]+(?:[./\-'’][^\W_]+)*")
_ASCII_WORD = re.compile(r"[^\W_]+(?:[./\-'’][^\W_]+)*", re.ASCII)
"""``_WORD`` for ASCII text (same matches there, faster)."""
_POSSESSIVE = re.compile(r"['’](?<=\w['’])s\b")
""""'s" after a word character (the quote first: the regex engine then skips to quotes)."""
_SEPARATOR = "\x00"
"""Never inside a word: joins words to casefold them all in one call."""
_HYPHEN = "[-\u2010\u2011\u2013]"
_IDENTIFIER = re.compile(
    rf"(?<![A-Za-z0-9])(?:CVE{_HYPHEN}\d{{4}}{_HYPHEN}\d{{4,}}"
    rf"|GHSA(?:{_HYPHEN}[0-9a-z]{{4}}){{3}}"
    rf"|(?:RUSTSEC|PYSEC|GO){_HYPHEN}\d{{4}}{_HYPHEN}\d{{1,}}"
    rf"|(?:DSA|DLA|USN){_HYPHEN}\d{{3,}}{_HYPHEN}\d+"
    rf"|RHSA{_HYPHEN}\d{{4}}:\d{{4,}})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
"""Identifiers of one flaw or advisory, a hyphen of any kind ("CVE‑2026‑1234", NFKC leaves
U+2010 and en dashes), glued to other scripts or not ("脆弱性CVE-2026-1234")."""
_IDENTIFIER_HINTS = (
    *("cve", "ghsa", "rustsec", "pysec", "dsa", "dla", "usn", "rhsa"),
    *("go-", "go\u2010", "go\u2011", "go\u2013"),
)
"""Looked for first in the lowercased text: much faster than the regex on text without ids."""
_IDENTIFIER_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-"})
_VERSION_PREFIX = re.compile(r"^v(?=\d+\.)|(?:\.0)+$")
_DIGITS = re.compile(r"\d+")
_HAS_DIGIT = re.compile(r"\d")
_SITE_SUFFIX = re.compile(r"\s\|\s[^|]{1,40}$")
"""A trailing " | Site name" (a dash may start the episode's topic: "Taverncast 62 - Temporal
Anomaly")."""
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DOTTED = re.compile(r"^\d+(?:\.\d+)*$")
_NO_SPACE_CHARS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f"
_NO_SPACE_SCRIPT = re.compile(f"[{_NO_SPACE_CHARS}]")
_SCRIPT_RUN = re.compile(f"[{_NO_SPACE_CHARS}]+|[^{_NO_SPACE_CHARS}]+")
_INNER_PUNCTUATION = "./-'’"
_rng = np.random.default_rng(20_240_917)
_MUL = (_rng.integers(1, 2**63, NUM_PERM, dtype=np.uint64) << np.uint64(1)) | np.uint64(1)
_ADD = _rng.integers(0, 2**63, NUM_PERM, dtype=np.uint64)
_band_rng = np.random.default_rng(20_240_918)
_BAND_MUL = _band_rng.integers(1, 2**63, ROWS, dtype=np.uint64) | np.uint64(1)
_MUL_ROW = _MUL[None, :]
_ADD_ROW = _ADD[None, :]
_SHIFT = np.uint64(32)
_BAND_SALT = np.arange(BANDS, dtype=np.uint64)


@dataclass(frozen=True)
class Marks:
    """What tells two similar-looking stories apart."""

    identifiers: frozenset[str]
    """CVE, GHSA… ids of the title and lead, casefolded ("cve-2026-1234")."""
    title_identifiers: frozenset[str]
    title_numbers: frozenset[str]
    numbers: frozenset[str]
    """Numbers and versions anywhere in the title and lead."""
    title_names: frozenset[str]
    """Proper nouns of the title, lowercased."""
    title_nouns: frozenset[str] = frozenset()
    """In a German title (``languages.reads_as_german``), its capitalized content words,
    casefolded: nouns and names alike."""


@dataclass(frozen=True)
class Fingerprint:
    """An article reduced to what clustering compares."""

    signature: np.ndarray
    words: np.ndarray
    """Sorted crc32 of every feature word (title and lead), to ask "does it mention X?"."""
    title_words: frozenset[str]
    title_sequence: tuple[str, ...]
    """The title's content words in order, without a trailing " | Site name"."""
    marks: Marks
    band_keys: list[int]
    """One LSH bucket key per band of the signature (see ``band_keys``)."""

    @property
    def feature_count(self) -> int:
        return len(self.words)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled with its arrays as bytes: the reader worker sends thousands per pass, and
        rebuilding numpy arrays from their pickled form cost the main process more."""
        return _restore, (
            self.signature.tobytes(),
            self.words.tobytes(),
            self.title_words,
            self.title_sequence,
            self.marks,
            self.band_keys,
        )

    def mentions(self, word: str) -> bool:
        key = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        position = int(np.searchsorted(self.words, key))
        return position < len(self.words) and int(self.words[position]) == key


def _restore(
    signature: bytes,
    words: bytes,
    title_words: frozenset[str],
    title_sequence: tuple[str, ...],
    marks: Marks,
    keys: list[int],
) -> Fingerprint:
    return Fingerprint(
        np.frombuffer(signature, np.uint32),
        np.frombuffer(words, np.uint32),
        title_words,
        title_sequence,
        marks,
        keys,
    )


def _split_no_space_scripts(token: str) -> list[str]:
    """Chinese/Japanese/Thai runs have no spaces: use character bigrams instead of one token;
    a word of another script glued to them stays whole ("OpenSSLに", "脆弱性CVE-2026-1234")."""
    if len(token) < 3 or not _NO_SPACE_SCRIPT.search(token):
        return [token]
    words = []
    for run in _SCRIPT_RUN.findall(token):
        if not _NO_SPACE_SCRIPT.match(run):
            words.append(run.strip(_INNER_PUNCTUATION))
        elif len(run) < 3:
            words.append(run)
        else:
            words.extend(run[i : i + 2] for i in range(len(run) - 1))
    return [word for word in words if word]


def raw_words(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Words of ``text`` in their original case (NFKC, hyphens made plain), CJK runs as
    character bigrams."""
    text = text[:max_chars]
    if "'" in text or "’" in text:
        text = _POSSESSIVE.sub("", text)
    if text.isascii():
        return _ASCII_WORD.findall(text)
    text = unicodedata.normalize("NFKC", text)
    if "\u2010" in text:  # NFKC's form of a non-breaking hyphen: "CVE‑2026‑1234"
        text = text.replace("\u2010", "-")
    if not _NO_SPACE_SCRIPT.search(text):
        return _WORD.findall(text)
    words: list[str] = []
    for token in _WORD.findall(text):
        if token.isascii():
            words.append(token)
        else:
            words.extend(_split_no_space_scripts(token))
    return words


def _casefold(words: list[str]) -> list[str]:
    """``[w.casefold() for w in words]`` in one casefold call (casefolding is per character)."""
    if not words:
        return []
    return _SEPARATOR.join(words).casefold().split(_SEPARATOR)


def _content(folded: list[str], stops: frozenset[str]) -> list[str]:
    """Casefolded words without stop words."""
    return list(filterfalse(stops.__contains__, folded))


def _numbers(words: list[str]) -> frozenset[str]:
    """Numbers of ``words``, casefolded: tokens with a digit that are not identifiers, "v"
    prefix and trailing ".0" removed."""
    numbers = set()
    for word in filter(_HAS_DIGIT.search, words):
        if not _IDENTIFIER.fullmatch(word):
            numbers.add(_VERSION_PREFIX.sub("", word.casefold()))
    return frozenset(numbers)


def find_identifiers(text: str) -> frozenset[str]:
    """CVE, GHSA… ids in ``text``, casefolded, hyphens made plain."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _IDENTIFIER_HINTS):
        return frozenset()
    return frozenset(
        found.casefold().translate(_IDENTIFIER_HYPHENS) for found in _IDENTIFIER.findall(text)
    )


def identifier_kind(identifier: str) -> str:
    """ "cve" for "cve-2026-1234": ids of one kind name one thing each."""
    return identifier.split("-", 1)[0]


def subject_identifiers(marks: Marks) -> frozenset[str]:
    """The identifiers the article is about: those of its title and, for a kind its title does
    not name, the lead's only id of that kind (a lead naming several is a round-up, or names
    related flaws in passing)."""
    subject = set(marks.title_identifiers)
    title_kinds = {identifier_kind(i) for i in marks.title_identifiers}
    lead_only = [i for i in marks.identifiers if identifier_kind(i) not in title_kinds]
    kinds = [identifier_kind(i) for i in lead_only]
    subject.update(i for i, kind in zip(lead_only, kinds, strict=True) if kinds.count(kind) == 1)
    return frozenset(subject)


def extract_marks(
    title: str,
    lead: str,
    words: tuple[list[str], list[str]],
    folded: tuple[list[str], list[str]],
    german: bool = False,
) -> Marks:
    """Distinguishing marks of an article from its title and lead, their ``words`` (title's,
    lead's) and the same words casefolded; ``german``: the article reads as German."""
    title_words, lead_words = words
    title_folded, lead_folded = folded
    title_identifiers = find_identifiers(title)
    title_numbers = _numbers(title_words)
    if german:
        names, nouns = german_title_marks(title_words, title_folded, stop_words("de"))
    else:
        names = title_names(title_words, lead_words, title_folded, lead_folded)
        nouns = frozenset()
    return Marks(
        identifiers=title_identifiers | find_identifiers(lead),
        title_identifiers=title_identifiers,
        title_numbers=title_numbers,
        numbers=title_numbers | _numbers(lead_words),
        title_names=names,
        title_nouns=nouns,
    )


def anchors(marks: Marks) -> frozenset[str]:
    """Marks specific enough that two articles sharing one likely tell the same story: CVE,
    GHSA… ids, versions ("3.4.1", "6.14"), model names ("M5", "GPT-4.5", "Arm64"); not years,
    "2" or the "07" of a date."""
    return marks.identifiers | {
        number
        for number in marks.title_numbers
        if ("." in number and _DOTTED.match(number))
        or (not number.isdigit() and any(ch.isalpha() for ch in number))
        or (number.isdigit() and len(number) >= 3 and not _YEAR.match(number))
    }


def hash_words(words: set[str]) -> np.ndarray:
    """Sorted crc32 of each word, uint32."""
    try:
        hashed = np.fromiter(map(zlib.crc32, map(str.encode, words)), np.uint32, len(words))
    except UnicodeEncodeError:  # lone surrogates from broken input
        encoded = (w.encode("utf-8", "surrogatepass") for w in words)
        hashed = np.fromiter(map(zlib.crc32, encoded), np.uint32, len(words))
    hashed.sort()
    return hashed


def minhash(hashed_words: np.ndarray) -> np.ndarray:
    """NUM_PERM minimum hashes (multiply-shift family over the words' crc32), as uint64 values
    that fit in 32 bits."""
    if not len(hashed_words):
        return np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint64)
    # One row per word, one column per permutation; the shift is monotonic, so it is applied
    # to the NUM_PERM minimums rather than to every mixed value.
    mixed = np.multiply(hashed_words[:, None], _MUL_ROW, dtype=np.uint64)
    mixed += _ADD_ROW
    minimums = mixed.min(axis=0)
    minimums >>= _SHIFT
    return minimums


def band_keys(signature: np.ndarray) -> list[int]:
    """One bucket key per LSH band of a uint64 signature, salted with the band number."""
    keys = np.matmul(signature.reshape(BANDS, ROWS), _BAND_MUL)  # uint64: wraps like a sum
    keys ^= _BAND_SALT
    return keys.tolist()  # type: ignore[no-any-return]


def _title_sequence(
    title: str, title_folded: list[str], content: list[str], stops: frozenset[str]
) -> tuple[str, ...]:
    """The title's content words in order for ``slot_conflict`` ("one" kept: "Day One / Two"),
    without a trailing " | Site name"; none for no-space scripts (their character bigrams
    straddle words).  ``content``: ``title_folded`` without ``stops``."""
    if " | " in title and _SITE_SUFFIX.search(title):
        title_folded = _casefold(raw_words(_SITE_SUFFIX.sub("", title)))
    elif "one" not in title_folded:
        return tuple(content) if title.isascii() else _no_bigrams(content)
    return _no_bigrams([w for w in title_folded if w == "one" or w not in stops])


def _no_bigrams(words: list[str]) -> tuple[str, ...]:
    """``words``, or none when a word is a bigram of a no-space script."""
    return () if any(map(_NO_SPACE_SCRIPT.search, words)) else tuple(words)


def _stems(words: list[str]) -> list[str]:
    return list(map(german_stem, words))


def fingerprint(title: str, text: str) -> Fingerprint:
    """Signature, title words and marks of one article."""
    title_raw = raw_words(title)
    lead_raw = raw_words(text, LEAD_CHARS)[: LEAD_WORDS * 2]
    title_folded = _casefold(title_raw)
    lead_folded = _casefold(lead_raw)
    language = article_language(title_folded, lead_folded)
    german = language == "de"
    stops = stop_words(language)
    title_content = _content(title_folded, stops)
    lead_content = _content(lead_folded, stops)[:LEAD_WORDS]
    sequence = _title_sequence(title, title_folded, title_content, stops)
    if german:  # two wordings of one story inflect its words differently
        title_content, lead_content = _stems(title_content), _stems(lead_content)
        sequence = tuple(_stems(list(sequence)))
    words = hash_words(set(title_content).union(lead_content))
    signature = minhash(words)
    return Fingerprint(
        signature=signature.astype(np.uint32),
        words=words,
        title_words=frozenset(title_content),
        title_sequence=sequence,
        marks=extract_marks(
            title[:MAX_CHARS],
            text[:LEAD_CHARS],
            (title_raw, lead_raw),
            (title_folded, lead_folded),
            german,
        ),
        band_keys=band_keys(signature),
    )

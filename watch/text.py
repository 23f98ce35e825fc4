"""Text normalization for classification: words, accents, stop words, plurals and phrases.

Owns how a title or summary becomes comparable terms, for French and English first and any
other language gracefully: lowercasing, accent and ligature folding ("sécurité" → "securite",
"œuvre" → "oeuvre"), light plural stemming, FR+EN stop words, word boundaries (a keyword
matches whole words only: "CVE" never matches "cvent"), and multi-word phrases ("base de
données"), matched by ``watch.classify.phrases``.  Short keywords written with capitals ("IA", "AI", "Go", "CVE") are acronyms or
names: they match case-sensitively, so "IA" does not match "ia" inside Italian text and "Go"
does not match the verb "go".

Stemming is one function applied alike to keywords and texts, so it only has to map a word and
its plural to the same key, not to a dictionary form: a final plural "s" goes ("games" →
"game", "données" → "donnee", "libraries" → "library"), "-ie" becomes "-y" ("cookie",
"cookies" → "cooky"), a final "e" after a hissing sound goes ("patch", "patches" → "patch";
"cache", "caches" → "cach"; "process", "processes" → "process"; "virus", "viruses" →
"virus"), and French "-aux", "-eaux", "-eux", "-oux" plurals lose their "x" or become "-al".
An "-ings" noun keeps its "s": its singular is mostly a verb ("embeddings" are vectors,
"embedding" a video is not; "settings", "findings", "earnings"), but "strings" and "things",
whose "-ing" is no suffix, are plurals like any other.

A few symbol words are kept whole in keywords and texts alike: "C++", "C#", "F#" (any letter
followed by "++" or "#") and ".NET" ("ASP.NET" is "ASP" ".NET").  A French elided letter ("C'est",
"l'IA", "d'œuvre") is its own non-content word ("c'"), so a one-letter keyword such as "C" never
matches it.

Stored text is cleaned here too: ``demoronize`` reads C1 control characters as the
windows-1252 characters a feed meant, and ``drop_hidden_characters`` removes what must never
reach a reader (control characters, bidirectional overrides, invisible separators: see there).

``Term`` is one normalized word (folded stem, the stem with its case kept, the word as
written), computed once per distinct word and cached.  Keywords are matched with these Terms by
``watch.classify.phrases``; ``keyword_problem`` says what is wrong with a keyword's "*" (a
prefix keyword, "Datenschutz*"), here so that the configuration can check it without importing
the classifier.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WORD = re.compile(r"\w+", re.UNICODE)
_ASCII_SPACES = bytes(
    b if b >= 128 or chr(b).isalnum() or b == ord("_") else ord(" ") for b in range(256)
)
"""UTF-8 with every ASCII non-word byte made a space: ``split()`` then cuts a text into
``WORD``'s matches (ASCII text) or into runs that ``WORD`` splits further only when they are not
ASCII.  Faster than ``WORD`` on the whole text."""
MAX_CACHED_TERMS = 200_000
"""Distinct words whose Term is kept; the cache is emptied when full."""
MIN_PREFIX = 3
"""The fewest letters a prefix keyword ("Datenschutz*") has before its "*"."""
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
    c' d' j' l' m' n' s' t'
"""
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})
_SYMBOLS = re.compile(
    r"(?<![\w+#])([A-Za-z])(\+\+|#)(?![A-Za-z_+#])"  # C++, C#, F#, C++20
    r"|(?:(?<![\w.])\.([Nn][Ee][Tt])|(?<=[A-Z])\.(NET))\b"  # .NET, ASP.NET, not example.net
)
_ELISION = re.compile(r"(?<![\w'’ʼ])([cdjlmnstCDJLMNST])['’ʼ](?=\w)(?![sS]\b)")
"""A French elided article or pronoun ("l'IA", "C’est"), not an English "X's"."""
_MARKED = re.compile(r"([A-Za-z])__(pp|sharp|el)|__dot([Nn][Ee][Tt])")
"""How ``split_words`` writes symbol words and elisions as ``\\w+`` words ("C__pp" is "C++");
``_make_term`` reads them back."""
_MARKS = {"++": "__pp", "#": "__sharp"}
_UNMARKS = {"pp": "++", "sharp": "#", "el": "'"}


_C1 = re.compile("[\x80-\x9f]")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""The bidirectional embeddings, overrides and isolates (and their ends, PDF and PDI): they
reorder the text around them ("Trojan Source"); LRM/RLM marks are not among them."""
_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # control characters but tab and line breaks
    "\u202a-\u202e\u2066-\u2069"  # BIDI_CONTROLS
    "\u00ad\u180e\u200b\u2060-\u2064\ufeff]"  # invisible separators and operators
)


def drop_hidden_characters(text: str) -> str:
    """``text`` without what a reader must never get: control characters but tab and line
    breaks (``&#x1b;`` in a feed reaches a terminal as an escape sequence), bidirectional
    embeddings, overrides and isolates (U+202E shows "invoice\u202egnp.exe" as
    "invoiceexe.png" and reverses the page around it), invisible separators and operators
    (zero-width space, word joiner, soft hyphen, BOM: they hide inside keywords).  The marks
    LRM/RLM and the joiners ZWJ/ZWNJ, which scripts and emoji need, stay."""
    return _HIDDEN.sub("", text)


def _windows_1252_for_c1() -> dict[int, str]:
    table = {}
    for code in range(0x80, 0xA0):
        try:
            table[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


_C1_AS_CP1252 = _windows_1252_for_c1()


def demoronize(text: str) -> str:
    """C1 control characters (``&#146;`` in a feed) read as the windows-1252 characters meant."""
    return text.translate(_C1_AS_CP1252) if _C1.search(text) else text


@dataclass(frozen=True)
class Term:
    """One word of a text: ``key`` is folded and stemmed, ``cased`` keeps the original case."""

    key: str
    cased: str
    content: bool = True
    """False for stop words, numbers and single letters (left out of model features)."""
    written: str = ""
    """The word as the text wrote it ("Sicherheitslücken", "C++")."""


def fold_accents(text: str) -> str:
    """Remove diacritics from Latin letters ("Sécurité" → "Securite") and unfold ligatures
    ("œuvre" → "oeuvre", "Straße" → "Strasse"); other scripts kept."""
    if text.isascii():  # ASCII has no decompositions and no combining marks
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """Light FR/EN plural stemming, the same for keywords and texts: a word and its plural get
    one key ("patches", "patch" → "patch"; "vulnerabilites" → "vulnerabilite"; "jeux" → "jeu";
    "libraries" → "library"), not always a dictionary form ("caches" → "cach")."""
    if len(word) <= 3 or not word.isalpha():
        return word
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return _cased(word[:-3], "y")
    if lower.endswith("ie") and len(word) > 4:
        return _cased(word[:-2], "y")
    if lower.endswith(("eaux", "eux", "oux")):
        return word[:-1]
    if lower.endswith("aux") and len(word) > 4:
        return _cased(word[:-3], "al")
    if lower.endswith("ings") and _has_vowel(lower[:-4]):
        return word  # "embeddings" (vectors) is not "embedding" (a video): its own word
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        word, lower = word[:-1], lower[:-1]
    if len(word) >= 4 and lower.endswith(_HISSING_E):
        return word[:-1]
    return word


def _has_vowel(letters: str) -> bool:
    return any(ch in "aeiouy" for ch in letters)


_HISSING_E = ("che", "she", "sse", "xe", "ze", "use")
"""Endings whose "e" goes, so that "-es" plurals and singulars meet: "patch(es)", "cache(s)",
"process(es)", "box(es)", "size(s)", "virus(es)", "house(s)"."""
STOP_WORDS = frozenset(
    key for word in _STOP_WORDS_TEXT.split() for key in (word, stem(word).lower())
)
OTHER_STOP_WORDS = """der die das den dem des ein eine einer eines einem einen und ist sind
    nicht von mit für auf im zu zum zur vom ins sich auch wird werden wurde wurden bei aus nach
    oder wie über noch nur vor durch kann wir sie er ich es dass hat haben hatte mehr beim ihr
    ihre unser gibt jetzt diese dieser dieses keine kein schon doch seit gegen unter soll
    neu neue neuen neuer neues bereits zwei drei erst erste ersten ab am um als bis wenn aber
    alle allen allerdings dafür damit dabei dann denn derzeit etwa geben habe hatten immer
    können konnte könnte künftig mal müssen nun oft sagt sein seine seiner seinen sehr sollen
    sowie viel viele weiter weitere wieder will wohl wollen zumindest zusammen zwischen was
    macht machen dritte dritten
    el los las del al por con una uno para es como más pero sus lo su este esta estos hay ser
    fue sobre sin también ya muy y cuando desde hasta otro están ha han nuevo nueva nuevos
    nuevas tras según entre ahora puede pueden hace cómo qué porque aunque donde cada otra
    otros esto ese esa tiene tienen sido
    o e da na em um uma não com ao aos pelo pela pelos pelas seu sua seus suas foi mais são do
    no nos às é ele ela isso essa num numa tem têm muito já foram está estão até desta deste
    depois mesmo menos vai diz dois três das nas novo nova onde ainda também
    il di che per non sono della delle degli dei gli nel nella alla anche questo più hanno
    uno del al sul dal tra fra dopo ancora nuovo nuova nuovi nuove stato stata due tre essere
    può perché quando molto tutti tutto ogni dove questa
    het een van op voor met zijn niet dat ook aan er maar om bij nog wordt worden naar nu dan
    kan meer uit heeft hebben wel deze dit hoe veel nieuwe twee wat
    de la le les que a se en un in"""
"""Stop words of the languages feeds mix in most (German, Spanish, Portuguese, Italian, Dutch),
as written, for callers that must tell them from content (trends count these languages'
content words, not their function words); the last line is shared with English or French.
Not "war", "man", "era", "os", "dos", "come", "todo", "fast", "plant" or "stand", which mean
something in English (trends drop them only from a text that reads as another language)."""


def _cased(stemmed: str, suffix: str) -> str:
    return stemmed + (suffix if stemmed[-1:].islower() else suffix.upper())


_TERMS: dict[str, Term] = {}
"""Word → its Term (at most MAX_CACHED_TERMS words)."""


def _make_term(word: str) -> Term:
    marked = _MARKED.fullmatch(word) if "__" in word else None
    if marked:
        letter, mark, net = marked.groups()
        cased = f"{letter}{_UNMARKS[mark]}" if letter else f".{net}"
        return Term(key=cased.lower(), cased=cased, content=mark != "el", written=cased)
    cased = stem(fold_accents(word))
    key = cased.lower()
    return Term(key=key, cased=cased, content=is_content(key), written=word)


def word_term(word: str) -> Term:
    """The Term of one word of ``split_words`` (cached)."""
    term = _TERMS.get(word)
    if term is None:
        if len(_TERMS) >= MAX_CACHED_TERMS:
            _TERMS.clear()
        term = _TERMS[word] = _make_term(word)
    return term


def split_words(text: str) -> list[str]:
    """The words (``\\w+``) of the first MAX_TEXT_CHARS characters of ``text``: what ``terms``
    makes Terms of.  Symbol words and elisions come marked ("C__pp": see ``as_written``)."""
    text = _mark_symbols(text[:MAX_TEXT_CHARS])
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_SPACES).decode("ascii").split()
    spaced = text.encode("utf-8", "surrogatepass").translate(_ASCII_SPACES)
    found: list[str] = []
    for run in spaced.decode("utf-8", "surrogatepass").split():  # Unicode spaces are \W
        if run.isascii():
            found.append(run)
        else:
            found.extend(WORD.findall(run))
    return found


def _mark_symbols(text: str) -> str:
    """``text`` with symbol words and elisions written as ``\\w+`` words (``_MARKED``)."""
    if "+" in text or "#" in text or ".net" in text or ".NET" in text or ".Net" in text:
        text = _SYMBOLS.sub(_mark_symbol, text)
    if "'" in text or "’" in text or "ʼ" in text:
        text = _ELISION.sub(r" \1__el ", text)
    return text


def _mark_symbol(match: re.Match[str]) -> str:
    letter, operator, net, asp_net = match.groups()
    if letter:
        return f" {letter}{_MARKS[operator]} "
    return f" __dot{net or asp_net} "


def as_written(word: str) -> str:
    """A word of ``split_words`` as the text wrote it ("C__pp" → "C++", "l__el" → "l'")."""
    if "__" not in word:
        return word
    return _MARKED.sub(lambda m: _make_term(m.group()).cased, word)


def terms(text: str) -> list[Term]:
    """Every word of ``text`` as a Term, in order (stop words included, for phrases)."""
    return terms_of(split_words(text))


def terms_of(words: list[str]) -> list[Term]:
    """The Term of each word (from ``split_words``)."""
    cache = _TERMS
    try:  # usually every word was seen before: no Python code per word
        return list(map(cache.__getitem__, words))
    except KeyError:
        pass
    missing = set(words).difference(cache)
    if len(cache) + len(missing) > MAX_CACHED_TERMS:
        cache.clear()
        missing = set(words)
    for word in missing:
        cache[word] = _make_term(word)
    try:
        return list(map(cache.__getitem__, words))
    except KeyError:  # emptied meanwhile by another thread
        return [word_term(word) for word in words]


def is_content(key: str) -> bool:
    """Whether a folded stem carries meaning: not a stop word, a number or a single letter."""
    return len(key) > 1 and key not in STOP_WORDS and not key.isdigit()


def content_keys(text: str) -> list[str]:
    """Folded stems of ``text`` without stop words, numbers or 1-letter words."""
    return [term.key for term in terms(text) if is_content(term.key)]


def keyword_problem(keyword: str) -> str | None:
    """What is wrong with a keyword's "*", in words, or None: "*" may only end a keyword,
    right after a word of at least MIN_PREFIX letters ("Datenschutz*" is a prefix keyword,
    matched by ``watch.classify.phrases``)."""
    stripped = keyword.strip()
    if "*" not in stripped or (stripped[:1] == "*" and stripped[1:] and "*" not in stripped[1:]):
        return None  # a leading "*" ("*nix") is punctuation, as it always was
    written = stripped.removesuffix("*")
    example = "as in 'Datenschutz*', which matches 'Datenschutzverletzung'"
    if "*" in written:
        return f"{stripped!r}: '*' can only end a keyword ({example})"
    last = _LAST_WORD.search(written)
    if not last:
        whole = written.rstrip("-")
        hint = f"; '{whole}' already matches '{whole}-…' words" if whole != written else ""
        return f"{stripped!r}: '*' must come right after a word ({example}){hint}"
    if len(last.group()) < MIN_PREFIX:
        return (
            f"{stripped!r}: the word before '*' is too short: write at least {MIN_PREFIX} "
            f"letters, or the keyword matches too many words ({example})"
        )
    return None


_LAST_WORD = re.compile(r"\w+$")

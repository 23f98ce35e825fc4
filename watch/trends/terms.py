"""Trend terms of one article: the words and names that can "emerge", and which articles give them.

Owns the word lists (English and French stop words, ``CALENDAR``, ``BOILERPLATE``, the
``FILLER`` of tech writing; other languages' stop words come from ``watch.text``), how a title
and its lead become term keys (unigrams, title bigrams within a segment, hyphenated compounds as
one term, keys folded as the classifier folds them, each shown in its most frequent written
form; entities escaped twice, markup, web addresses and feed footers are not words), the
entities (CVE ids, product names with a version, capitalized multi-word names) and
``counts_terms``: articles in English, French, German, Spanish, Italian, Dutch, Portuguese or an
unknown language in Latin script give terms (their content words, not their function words).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from watch.text import (
    OTHER_STOP_WORDS,
    STOP_WORDS,
    as_written,
    fold_accents,
    split_words,
    terms,
    terms_of,
)

LEAD_CHARS = 200
TERM_LANGUAGES = frozenset({"en", "fr", "de", "es", "it", "nl", "pt"})
"""Declared languages whose words count: those whose stop words are known."""
MAX_CACHED_WORDS = 200_000

EN_FR = """a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can cannot could did do does doing down during
    each even ever every few for from further get gets got had has have having he her here hers
    him his how however i if in into is isn't it it's its itself just last like made make makes
    many may me more most much must my new next no nor not now of off on once one only or other
    our ours out over own per really said same says see she should since so some still such
    than that that's the their theirs them then there these they this those through to too two
    under until up upon us use used using very via want was way we week well were what when
    where which while who whom why will with within without would year years yet you your yours
    means aren couldn didn doesn don hadn hasn haven isn ll re shouldn ve wasn weren won wouldn
    à afin ai aie alors au aucun aussi autre aux avec avoir avant bien c ça car ce ceci cela
    celle celles celui ces cet cette ceux chaque chez ci comme comment d dans de depuis des deux
    doit donc dont du elle elles en encore entre est et été être eu fait faire faut il ils j je
    jusqu l la le les leur leurs lors lui m ma mais me même mes moins mon n ne ni nos notre nous
    on ont ou où par parce pas peu peut plus pour pourquoi qu quand que quel quelle quelles
    quels qui s sa sans se selon ses si sien son sont sous sur t ta tandis te tes toi ton tous
    tout toute toutes très tu un une vers via vos votre vous y"""
CALENDAR = """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs
    fri sat sun january february march april june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec lundi mardi mercredi jeudi
    vendredi samedi dimanche janvier février mars avril mai juin juillet août septembre octobre
    novembre décembre montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar
    märz juni juli oktober dezember segunda terça quarta quinta sexta sábado domingo feira
    janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
    lunes martes miércoles jueves viernes enero febrero marzo mayo junio julio septiembre
    octubre noviembre diciembre today yesterday tomorrow aujourd hui hier demain day days hour
    hours minute minutes month months time times semaine semaines mois jour jours année années
    an ans heure heures fois"""
BOILERPLATE = """untitled author authors description contact info information available click
    here read more share comment comments reply subscribe newsletter posted updated continue
    reading full story appeared first news lire suite voir partager commentaire commentaires
    abonnez disponible submitted link permalink publié publiée publiés publiées mis"""
FILLER = """release released releases releasing update updates updated updating version
    newer latest based support supports supported introducing introduces introduced introduce
    announcing announces announced type list action feature improved improvement changes
    better ways guide tips nouveau nouvelle nouveaux nouvelles nouveauté sortie sorti mise
    liste fonctionnalité utiliser utilisant utilisation basé basée prise annonce
    annoncé présente découvrez arrive propose"""
"""The filler of tech writing, English and French: words every week's news uses ("Rust 1.90
released", "nouvelle version", "mise à jour", "type", "lists", "actions") and no reader
takes for a trend.  Product names keep them ("GitHub Actions", "Firefox 131" are entities)."""
_CVE = re.compile(r"\bCVE-\d{4}-\d{4,7}\b", re.IGNORECASE)
_VERSION = re.compile(r"^\d+(?:\.\d+){0,3}$")
_PUNCTUATION = "\"'“”‘’«»()[]{}<>.,;:!?…|/\\*_~`"
_BREAKS = ',;:!?.…)]}"”»|'
_SEGMENTS = re.compile(r"[,;:!?.…)\]}\"”»|]+(?:\s+|$)|\s[-–—|/]\s")
"""Where a title's bigrams stop: punctuation before a space, a spaced dash or bar."""
_COMPOUND = re.compile(r"(\w+(?:-\w+)+)")
_MARKUP = re.compile(r"<!--.*?(?:-->|$)|<[^>]*(?:>|$)", re.DOTALL)
"""Tags left in a text (HTML escaped twice), maybe cut at the end of a lead."""
_TLDS = (".com", ".org", ".net", ".io", ".dev", ".fr", ".eu", ".gouv")
_ADDRESS = re.compile(
    r"\S*(?:://|www\.)\S*|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*"
    r"|[\w-]+(?:\.[\w-]+)*\.(?:" + "|".join(tld[1:] for tld in _TLDS) + ")"
)
"""Web addresses, with or without a scheme ("github.com/a/b", "cert.ssi.gouv.fr")."""
_FOOTER = re.compile(
    r"\bThe post .{0,300}? appeared first on [^.]*"
    r"|\bL[’']article .{0,300}? est apparu en premier sur [^.]*",
    re.DOTALL,
)
"""WordPress's footer, in English and French."""


def _keys(*texts: str) -> frozenset[str]:
    return frozenset(term.key for text in texts for term in terms(text))


_EN_FR_KEYS = _keys(EN_FR) | STOP_WORDS
_OTHER_KEYS = _keys(OTHER_STOP_WORDS)
_STOP_KEYS = _EN_FR_KEYS | _OTHER_KEYS | _keys(CALENDAR, BOILERPLATE, FILLER)
_ONLY_EN_FR = _EN_FR_KEYS.union(EN_FR.split()) - _OTHER_KEYS - set(OTHER_STOP_WORDS.split())
_ONLY_OTHER = _OTHER_KEYS.union(OTHER_STOP_WORDS.split()) - _EN_FR_KEYS - set(EN_FR.split())
"""Stop words, as written or as keys, that tell English or French from other languages ("the",
"dans"; "und", "für"): where "war" is a German word (``_FALSE_FRIENDS``)."""
_FALSE_FRIENDS = frozenset(
    {"war", "man", "fast", "plant", "stand", "os", "dos", "era", "todo"} | {"come"}
)
"""Function words of German ("war", "man", "fast", "plant"), Portuguese or Spanish ("os",
"dos", "era", "todo") and Italian ("come") that are words in English ("OS", "DoS"): no term in
a text that reads as one of those languages (``_reads_other``), a term elsewhere."""
_ENTITY_STOP = frozenset(EN_FR.split())
"""Words that end a capitalized name ("The", "Le"): English and French only ("Red Hat")."""

# -- terms of one article ---------------------------------------------------------------------

_WORD_KEYS: dict[str, str] = {}
"""Word -> its trend key, "" when it is not a term (at most MAX_CACHED_WORDS words)."""


def _keys_of(words: list[str]) -> list[str]:
    """The trend key of each word: its ``watch.text`` key, or "" for stop words, numbers,
    single letters and elisions."""
    cache = _WORD_KEYS
    try:  # usually every word was seen before
        return list(map(cache.__getitem__, words))
    except KeyError:
        pass
    if len(cache) > MAX_CACHED_WORDS:
        cache.clear()
    for word, term in zip(words, terms_of(words), strict=True):
        key = term.key
        usable = term.content and (key[0].isalpha() or key[0] == ".")
        cache[word] = key if usable and key not in _STOP_KEYS else ""
    return [cache.get(word) or "" for word in words]


def _written(word: str) -> str:
    """How a term is shown: lowercase, but acronyms and symbol words as written."""
    word = as_written(word)
    return word if word.isupper() and len(word) > 1 else word.casefold()


def _items(text: str) -> tuple[list[str], list[str]]:
    """Keys and words of a text, in order ("" key: not a term); a hyphenated compound
    ("post-quantum", "zero-day") is one word, keyed like the phrase ("post quantum")."""
    if "-" not in text:
        plain = split_words(text)
        return _keys_of(plain), plain
    keys: list[str] = []
    words: list[str] = []
    for n, chunk in enumerate(_COMPOUND.split(text)):
        parts = split_words(chunk)
        if n % 2 == 0:
            keys += _keys_of(parts)
            words += parts
        elif parts:
            keys.append(" ".join(t.key for t in terms_of(parts)) if any(_keys_of(parts)) else "")
            words.append(chunk)
    return keys, words


def _tokens(text: str) -> list[str]:
    """Whitespace tokens with surrounding punctuation removed (a trailing one is kept as a
    break marker: ``"Rust,"`` -> ``"Rust"`` then ``""``)."""
    tokens: list[str] = []
    for raw in text.split():
        token = raw.strip(_PUNCTUATION)
        if token:
            tokens.append(token.removesuffix("'s").removesuffix("’s"))
        if not token or raw[-1] in _BREAKS:
            tokens.append("")
    return tokens


def _title_entities(tokens: list[str]) -> list[str]:
    """Product names with a version ("Firefox 131") and multi-word capitalized names."""
    found: list[str] = []
    capitals = [t[:1].isupper() for t in tokens]
    if not any(capitals):
        return found
    title_case = sum(capitals) > 0.6 * len(tokens)
    run: list[str] = []
    for token, capital in zip([*tokens, ""], [*capitals, False], strict=True):
        if run and token[:1].isdigit() and _VERSION.match(token):
            found.append(f"{' '.join(run[-2:])} {token}")
        if (
            capital
            and token[0].isalpha()
            and not token.isupper()
            and token.casefold() not in _ENTITY_STOP
        ):
            run.append(token)
            continue
        if len(run) >= 2 and not title_case:
            found.append(" ".join(run))
        run = [token] if capital and len(token) > 1 and token.isupper() else []
    return found


def _cves(text: str) -> dict[str, str]:
    if "cve-" not in text.casefold():
        return {}
    return {_phrase_key(cve): cve.upper() for cve in _CVE.findall(text)}


def _phrase_key(text: str) -> str:
    return " ".join(term.key for term in terms(text))


@dataclass
class ArticleTerms:
    """Term keys of one article: in its title, in its lead only, and how terms are shown."""

    title: set[str]
    lead: set[str]
    display: dict[str, str]
    """Entity key -> display form ("firefox 131" -> "Firefox 131")."""
    words: dict[str, str] = field(default_factory=dict)
    """Word key -> the word it was found as ("vulnerabilite" -> "vulnérabilités")."""

    def written(self, key: str) -> str | None:
        """How this article writes a term key (a word or a bigram), if it has it."""
        if key in self.words:
            return _written(self.words[key])
        parts = key.split(" ")
        for cut in range(1, len(parts)):  # a bigram, maybe of compounds ("post quantum", "tls")
            first, second = " ".join(parts[:cut]), " ".join(parts[cut:])
            if first in self.words and second in self.words:
                return f"{_written(self.words[first])} {_written(self.words[second])}"
        return None


def _readable(text: str) -> str:
    """The text as a reader sees it: entities left escaped ("&amp;", "&#8230;") decoded,
    markup, web addresses and feed footers ("The post … appeared first on …") removed."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _MARKUP.sub(" ", text)
    if "appeared first" in text or "apparu en premier" in text:
        text = _FOOTER.sub(" ", text)
    if "/" in text or "www." in text or any(tld in text for tld in _TLDS):
        text = " ".join(word for word in text.split(" ") if not _is_address(word))
    return text


def _is_address(word: str) -> bool:
    return ("." in word or "/" in word) and bool(_ADDRESS.fullmatch(word.strip(_PUNCTUATION)))


def article_terms(title: str, text: str) -> ArticleTerms:
    """Terms of one article's title, and of its lead (those not already in the title), read as
    ``_readable`` gives them."""
    title, text = _readable(title), _readable(text[: LEAD_CHARS * 2])[:LEAD_CHARS]
    display = {_phrase_key(name): name for name in _title_entities(_tokens(title))}
    display.update(_cves(title))
    found = ArticleTerms(set(display), set(), display)
    lead_keys, lead_words = _items(text[:LEAD_CHARS])
    segments = [_items(segment) for segment in _SEGMENTS.split(title)]
    title_keys = [key for keys, _ in segments for key in keys]
    if not _FALSE_FRIENDS.isdisjoint([*lead_keys, *title_keys]) and _reads_other(title, text):
        lead_keys = _without_false_friends(lead_keys)
        segments = [(_without_false_friends(keys), words) for keys, words in segments]
    found.words.update(zip(lead_keys, lead_words, strict=True))
    for keys, words in segments:
        found.words.update(zip(keys, words, strict=True))
        found.title.update(keys)
        found.title.update(f"{a} {b}" for a, b in zip(keys, keys[1:], strict=False) if a and b)
    found.title.discard("")
    lead_cves = _cves(text[:LEAD_CHARS])
    found.lead.update(lead_keys, lead_cves)
    found.lead.discard("")
    found.lead -= found.title
    display.update(lead_cves)
    return found


def _reads_other(title: str, text: str) -> bool:
    """Whether a text has more German, Spanish, Portuguese, Italian or Dutch stop words than
    English and French ones (at least two)."""
    words = split_words(f"{title} {text}".casefold())
    other = sum(map(_ONLY_OTHER.__contains__, words))
    return other >= 2 and other > sum(map(_ONLY_EN_FR.__contains__, words))


def _without_false_friends(keys: list[str]) -> list[str]:
    return ["" if key in _FALSE_FRIENDS else key for key in keys]


def counts_terms(title: str, text: str, language: str | None) -> bool:
    """Whether an article's words count as terms: its language is one whose stop words are
    known (TERM_LANGUAGES: English, French, German, Spanish, Italian, Dutch, Portuguese), or
    unknown and the text is not mostly in another script (Cyrillic, Arabic, CJK…)."""
    if language:
        return re.split(r"[-_]", language.strip().lower())[0] in TERM_LANGUAGES
    sample = f"{title} {text[:LEAD_CHARS]}"
    if sample.isascii():
        return True
    folded = fold_accents(sample)
    return 2 * (len(folded) - len(folded.encode("ascii", "ignore"))) <= len(folded)


# -- counting ---------------------------------------------------------------------------------

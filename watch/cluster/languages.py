"""Languages for story clustering: the function words that do not count, and German.

``STOP_WORDS`` are the function words of English, French, German, Spanish, Italian, Dutch and
Portuguese, as written (casefolded): "bei", "der", "von", "haben", "een", "niet", "não" must not
make two headlines look alike any more than "of" and "the" make two English ones.  Some of
those languages' function words are English words too ("die", "hat" of Red Hat, "war", "man";
Dutch "van", "door", "met"; Portuguese "os", "com", "era"): they count as stop words only in an
article that reads as that language (``stop_words``), and no such word, nor one written like an
English acronym ("mit", "den"), is evidence that it does.

``article_language`` tells an article written in German, Dutch or Portuguese from its function
words.  German capitalizes every noun, so a capital there does not mark a name the way it does
in an English or French sentence-case title; ``conflicts`` compares the capitalized words of
two German titles instead (``Marks.title_nouns``).
"""

from __future__ import annotations

_ENGLISH = """a about after all also an and any are as at be been but by can could did do does
    for from had has have he her his how i if in into is it its just more most new no not now of
    on one or our out over says she so than that the their them then there these they this to up
    us was we were what when which who why will with would you your via get gets how's it's"""
_FRENCH = """au aux avec ce ces dans de des du elle en est et il ils la le les leur mais ne nous
    ou par pas plus pour qu que qui sa se ses son sont sur un une vous été être cette comme fait"""
_GERMAN = """der das den dem des ein eine einer eines einem einen und ist sind nicht von vom mit
    für auf im zu zum zur ins sich auch wird werden wurde wurden bei beim aus nach oder wie über
    noch nur vor durch kann können wir sie er ich es dass hatte haben mehr ihr ihre ihren ihrem
    unser gibt jetzt diese dieser dieses diesen keine kein schon doch seit gegen unter soll
    sollen sollte sollten bis um am als wenn aber zwischen sein seine seiner seinen ohne neu
    neue neuen neuer neues alle allen da dann denn damit hier sehr viele vielen wieder bereits
    rund etwa sowie laut"""
_SPANISH = """el los las del al por con una uno unos unas para es como más pero sus lo su este
    esta estos estas hay ser fue sobre sin también ya muy y cuando desde hasta otro otra están
    está ha han entre según nuevo nueva nuevos nuevas tras ante donde cómo qué porque nos e o ni"""
_ITALIAN = """il di che per non sono della delle degli dei gli nel nella nelle nei alla alle
    allo dalla dal dai dalle anche questo questa più hanno è lo i da tra fra sul sulla sui ma
    si ci nuovo nuovi nuove dopo ancora essere stato stata viene sempre perché ogni tutti tutte
    molto"""
_DUTCH = """het een voor zijn niet dat dit ook aan maar bij nog wordt worden naar nu kan
    meer uit heeft hebben wel deze hoe veel nieuwe nieuw twee wat zich tegen onder zal zou werd
    waren geen moet kunnen gaat gaan omdat wanneer tussen sinds volgens tijdens zonder hij zij
    wij ze ik je jullie haar hun ons daar er om te"""
_PORTUGUESE = """não uma umas uns pelo pela pelos pelas seu sua seus suas foi foram mais são ao aos
    às ele ela eles elas isso essa esse isto numa tem têm muito muitos já estão até desta
    deste depois mesmo menos vai diz dois três nas novos novas onde ainda também pode podem ter
    mas"""
_ONLY_IN_ITS_LANGUAGE = {
    "de": "die hat war man will bin fast bald",
    "nl": "van die door want men met toe tot hoe net ben hem heel dan op",
    "pt": "os dos com na em era nova novo num sem",
}
"""Function words that are English words too ("man", "war", a "van", "os" of macOS): stop words
only in an article that reads as that language, and no evidence that it does."""
_NOT_EVIDENCE = frozenset(["den", "dem", "mit", "ins", "im", "aus", "am", "um", "er", "je", "te"])
"""Function words of those languages written like an English word or acronym ("den", "MIT") or
like a word of another language ("je", "te")."""

STOP_WORDS = frozenset(
    f"{_ENGLISH} {_FRENCH} {_GERMAN} {_SPANISH} {_ITALIAN} {_DUTCH} {_PORTUGUESE}".split()
)
_LANGUAGE_STOP_WORDS = {
    language: STOP_WORDS.union(words.split()) for language, words in _ONLY_IN_ITS_LANGUAGE.items()
}

_OWN_WORDS = {"de": _GERMAN, "nl": _DUTCH, "pt": _PORTUGUESE}
_OTHER_MARKERS = frozenset(f"{_ENGLISH} {_FRENCH} {_SPANISH} {_ITALIAN}".split())


def _markers(language: str) -> frozenset[str]:
    """Words that only ``language`` writes: not "des" (French), "es" (Spanish), "da" (Italian),
    "das" (German and Portuguese), nor an English word (``_NOT_EVIDENCE``,
    ``_ONLY_IN_ITS_LANGUAGE``)."""
    others = _OTHER_MARKERS.union(
        *(words.split() for other, words in _OWN_WORDS.items() if other != language)
    )
    english_too = _NOT_EVIDENCE.union(*map(str.split, _ONLY_IN_ITS_LANGUAGE.values()))
    return frozenset(_OWN_WORDS[language].split()) - others - english_too


_MARKERS = {language: _markers(language) for language in _OWN_WORDS}


def article_language(title_folded: list[str], lead_folded: list[str]) -> str | None:
    """ "de", "nl" or "pt" for an article (its title's and lead's casefolded words) written in
    German, Dutch or Portuguese: more distinct function words of that language than of any
    other (English, French, Spanish, Italian and those three), two at least, or one in a
    title-only article; else None."""
    words = set(title_folded).union(lead_folded)
    counts = {language: len(words.intersection(markers)) for language, markers in _MARKERS.items()}
    best = max(counts, key=counts.__getitem__)
    found = counts[best]
    if not found:
        return None
    rivals = [len(words.intersection(_OTHER_MARKERS))]
    rivals.extend(count for language, count in counts.items() if language != best)
    return best if found > max(rivals) and (found >= 2 or not lead_folded) else None


def reads_as_german(title_folded: list[str], lead_folded: list[str]) -> bool:
    """Whether an article (its title's and lead's casefolded words) is written in German
    (``article_language``)."""
    return article_language(title_folded, lead_folded) == "de"


def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of an article in ``language`` (``article_language``)."""
    return _LANGUAGE_STOP_WORDS.get(language or "", STOP_WORDS)


_GERMAN_ENDINGS = ("ern", "em", "en", "er", "es", "e", "n", "s")
_MIN_STEM = 4


def german_stem(word: str) -> str:
    """A casefolded German word without its inflection, so that two wordings of one story
    share it ("kritische" / "kritischen" / "kritischer", "Lücke" / "Lücken", "Server" /
    "Servers"): up to two endings off, a stem of four letters at least; words with digits or
    other signs stay whole."""
    if len(word) <= _MIN_STEM or not word.isalpha():
        return word
    for _ in range(2):
        for ending in _GERMAN_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
                word = word[: -len(ending)]
                break
        else:
            break
    return word

"""Languages for story clustering: the function words that do not count, and German.

``STOP_WORDS`` are the function words of English, French, German, Spanish and Italian, as
written (casefolded): "bei", "der", "von", "haben" must not make two German headlines look alike
any more than "of" and "the" make two English ones.  A few German ones are English words too
("die", "hat" of Red Hat, "war", "man"): they count as stop words only in an article that reads
as German (``stop_words``).

``reads_as_german`` tells an article written in German from its function words.  German
capitalizes every noun, so a capital there does not mark a name the way it does in an English
or French sentence-case title; ``conflicts`` compares the capitalized words of two German titles
instead (``Marks.title_nouns``).
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
_GERMAN_ONLY = frozenset(["die", "hat", "war", "man"])
"""German function words that are English words too: stop words only in German text."""

STOP_WORDS = frozenset(f"{_ENGLISH} {_FRENCH} {_GERMAN} {_SPANISH} {_ITALIAN}".split())
GERMAN_STOP_WORDS = STOP_WORDS | _GERMAN_ONLY

_OTHER_MARKERS = frozenset(f"{_ENGLISH} {_FRENCH} {_SPANISH} {_ITALIAN}".split())
_GERMAN_MARKERS = (frozenset(_GERMAN.split()) - _OTHER_MARKERS | _GERMAN_ONLY) - {"um", "am", "er"}
"""German only: not "des" (French), "es" (Spanish), "da" (Italian), "am" or "er" (English)."""
_OTHER_MARKERS -= _GERMAN_MARKERS


def reads_as_german(title_folded: list[str], lead_folded: list[str]) -> bool:
    """Whether an article (its title's and lead's casefolded words) is written in German: more
    distinct German function words than English, French, Spanish or Italian ones, two at least,
    or one in a title-only article."""
    words = set(title_folded).union(lead_folded)
    german = len(words.intersection(_GERMAN_MARKERS))
    if not german:
        return False
    other = len(words.intersection(_OTHER_MARKERS))
    return german > other and (german >= 2 or not lead_folded)


def stop_words(german: bool) -> frozenset[str]:
    """The stop words of an article, German (``reads_as_german``) or not."""
    return GERMAN_STOP_WORDS if german else STOP_WORDS


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

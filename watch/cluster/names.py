"""Names in a title, for story clustering: who or what a headline is about.

``title_names`` finds the proper nouns of a title: capitalized inside a sentence-case title,
written with a capital in the lead, or written like a name wherever they stand (OpenSSL, iOS,
LightOn).  In German, which capitalizes every noun, only the last kind marks a name;
``german_title_marks`` gives the title's capitalized words apart, as nouns, for
``conflicts.nouns_conflict``.
"""

from __future__ import annotations

from watch.cluster.languages import STOP_WORDS, german_stem


def title_names(
    title_words: list[str], lead_words: list[str], title_folded: list[str], lead_folded: list[str]
) -> frozenset[str]:
    """Title words that are proper nouns: capitalized inside a sentence-case title, or written
    with a capital in the lead (a Title Case headline capitalizes everything).  ``*_folded``:
    the same words casefolded."""
    long_words = [w for w in title_words if len(w) > 3 and w.isalpha()]
    capitalized = [w for w in long_words if w[0].isupper()]
    title_case = bool(long_words) and len(capitalized) / len(long_words) > 0.6
    names = (
        set()
        if title_case
        else {f for w, f in zip(title_words[1:], title_folded[1:], strict=True) if w[:1].isupper()}
    )
    # Written like a name wherever it stands, the first word included: OpenSSL, iOS, LightOn.
    names.update(
        f
        for w, f in zip(title_words, title_folded, strict=True)
        if w[1:] != f[1:] and name_shaped(w)
    )
    # Title words written with a capital in the lead: only lead words the title has are looked at.
    shared = set(title_folded).intersection(lead_folded[1:])
    if shared:
        names.update(
            f
            for w, f in zip(lead_words[1:], lead_folded[1:], strict=True)
            if f in shared and w[:1].isupper() and w.isalpha()
        )
    names.difference_update(STOP_WORDS)
    return frozenset(w for w in names if w.isalpha())


def german_title_marks(
    title_words: list[str], title_folded: list[str], stops: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """A German title's names (written like one: OpenSSL, iPhone) and nouns (every capitalized
    content word: German capitalizes nouns, so a capital alone does not make a name), stemmed
    as the German article's words are (``languages.german_stem``)."""
    names, nouns = set(), set()
    for word, folded in zip(title_words, title_folded, strict=True):
        if word[:1].isupper() and word.isalpha() and folded not in stops:
            nouns.add(german_stem(folded))
        if word[1:] != folded[1:] and name_shaped(word):
            names.add(german_stem(folded))
    return frozenset(names), frozenset(nouns)


def name_shaped(word: str) -> bool:
    """Mixed case past the first letter: OpenSSL, GitLab, iOS, LightOn (not AWS or API: an
    acronym may be a common noun)."""
    return any(map(str.isupper, word[1:])) and not word.isupper() and word.isalpha()

"""What a reader sees of a feed's text: repairs for what publishers get wrong, and its language.

Used by ``watch.normalize`` on every entry, so each function returns at once on ordinary text.

* ``repair_mojibake``: UTF-8 text that was read as windows-1252 or Latin-1 and encoded again
  ("Grupo FÃ³rmula", "Itâ€™s", "Â¿Pensando", "â€¦") becomes what was written ("Grupo Fórmula",
  "It’s", "¿Pensando", "…").  Conservative: the whole text is decoded back when every character
  maps to one windows-1252/Latin-1 byte and those bytes are valid UTF-8; otherwise only the
  unmistakable sequences (``Ã`` or ``Â`` followed by a character that stands for a UTF-8
  continuation byte, ``â€`` + one, ``â„¢``) are, unless the rest of the text holds an accented
  letter written right ("le mot Ã©tat est mal décodé" is about mojibake: kept).  Either way the
  result must hold fewer mojibake markers than the text.  Correct text in any language is left
  alone: "l'été à Paris", "Größe", "¿Qué?", "日本語", "SÃO PAULO" cannot be read as UTF-8
  bytes; all-caps Portuguese before a quote, dash or guillemet ("“AMANHÃ”", "ALEMÃ»") can, so
  such a pair is repaired only beside another marker.  Run it before hidden
  characters are dropped: "í" double-encoded ends in a soft hyphen ("Ã\\xad").
* ``strip_read_more``: the link text a CMS appends to a summary ("Continue reading on Medium »",
  "Read more", "[read more]", "Lire la suite", "Weiterlesen") and WordPress's footer "The post X
  appeared first on Y." (and its French, German, Spanish, Italian, Portuguese, Dutch forms), at
  the END of the plain text only; a sentence such as "You can read more about it" is kept.
* ``looks_like_markup``: whether a summary's plain text is still HTML, escaped twice by the
  publisher (reddit's ``&lt;!-- SC_OFF --&gt;&lt;div class="md"&gt;…``): normalize then
  unescapes and sanitizes it once more.  A text that only mentions tags ("Web developers turned
  their backs on <i>, <b> and <u>") is not markup.
* ``without_trackers``: a link as the feed wrote it, less the parameters that only ever track
  the reader (``is_link_tracker``: utm_*, fbclid…, heise's wt_mc); ``ref``, ``cmp``, ``source``…
  may be the page's own ("?ref=v2.1" names a git branch) and stay.  ``is_tracking_param``, wider,
  is ``canonical_url``'s list (identity only).
* ``guess_language``: fr, en, de, es, it, nl or pt from stop-word counts (one dictionary look-up
  per word of the first 2,000 characters) when one language clearly dominates, else None.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import unquote_plus

_CP1252_BYTE = {
    chr(b).encode("latin-1").decode("cp1252", "ignore") or chr(b): b for b in range(256)
}
"""Character → the byte that windows-1252 (or Latin-1, for its five undefined bytes) reads as it."""
_CP1252_BYTE.update({chr(b): b for b in range(0x80, 0xA0)})  # C1 controls: Latin-1's reading
_CONTINUATION = "".join(ch for ch, b in _CP1252_BYTE.items() if 0x80 <= b <= 0xBF)
_CLASS = re.escape(_CONTINUATION)
_MARKER = re.compile(
    f"[ÂÃâãäåæçèé](?:(?<=[ÂÃ])[{_CLASS}]|(?<=â)[€„\x80\x84][{_CLASS}]"
    f"|(?<=[ãäåæçèé])[{_CLASS}]{{2}}|(?<=Â)(?=\\s|$))"
)
"""A character pair (or triple) that is almost only ever UTF-8 read as windows-1252 (its
first character alone is matched first: three times faster on long texts)."""
_BEFORE_PUNCTUATION = re.compile("[ÂÃ][‚„…†‡‹›‘’“”•–—«»](?![^\\W\\d_])")
"""A marker that correct text also writes: all-caps Portuguese before a quote, a dash or a
guillemet ("“AMANHÃ”", "ALEMÃ»"); with a letter after it, it is one ("Ã–sterreich")."""
_SEQUENCE = re.compile(f"(?:[ÂÃ][{_CLASS}]|â[€\x80][{_CLASS}]|â[„\x84][¢\xa2])+")
_LATIN_LETTER = re.compile("[ÀÁÄ-ÖØ-öø-ÿ]")
"""An accented Latin letter (but "Â" and "Ã", which start mojibake)."""
_NBSP_HALF = re.compile(r"(?<=[a-z0-9.,;:!?])Â(?=\s|$)")
"""A lone "Â" after a lowercase word or a stop, before a space or the end: a non-breaking space
read as windows-1252 whose second half was trimmed as whitespace."""

# fmt: off
TRACKING_PARAMS = frozenset(
    (
        "fbclid", "gclid", "dclid", "gclsrc", "msclkid", "yclid", "mc_cid", "mc_eid", "ref",
        "ref_src", "ref_url", "igshid", "_hsenc", "_hsmi", "_ga", "_gl", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "rb_clickid", "s_cid", "vero_id", "wickedid", "__twitter_impression", "cmpid",
        "icid", "ncid", "sr_share", "xtor", "at_medium", "at_campaign", "cmp",
    )
)
# fmt: on
TRACKING_PREFIXES = ("utm_", "mtm_", "pk_", "hmb_")
PAGE_OWN_PARAMS = frozenset(
    ("ref", "ref_src", "ref_url", "cmp", "cmpid", "icid", "ncid", "sr_share", "at_medium",
     "at_campaign")
)  # fmt: skip
"""Names in TRACKING_PARAMS that may be the page's own (a git ``ref``…): kept in links."""
LINK_TRACKERS = (TRACKING_PARAMS - PAGE_OWN_PARAMS) | {
    "wt_mc", "wt_zmc", "pk_campaign", "pk_kwd", "pk_keyword", "pk_source", "pk_medium",
    "pk_content", "pk_cid",
}  # fmt: skip
LINK_TRACKER_PREFIXES = ("utm_", "mtm_", "hmb_")
"""The parameters dropped from the link a reader opens: only names that are never the page's
own.  ``ref`` (a git branch), ``cmp``, ``icid``, ``source``… may be content: kept, though
``canonical_url`` (the identity of stored articles) leaves them out.  Webtrekk's ``wt_mc``
(heise) is dropped here and kept by ``canonical_url``, as before."""
AT_INTERNET_MARKERS = frozenset(("at_medium", "at_campaign"))
"""Every AT Internet campaign tag has them; then all ``at_*`` parameters are tags (at_platform,
at_send_date…).  Without them an ``at_*`` parameter may be the page's own: kept."""
_READ_MORE_WORDS = (
    "Continue reading|Read more|Read the rest|Keep reading|Lire la suite|Weiterlesen|"
    "Mehr lesen|Leer más|Sigue leyendo|Continua a leggere|Leggi tutto|Lees meer|Leia mais"
)
_SITE_NAME = r"[^\s.»→›…]{1,30}(?:[\s.][^\s.»→›…]{1,30}){0,3}"
"""Where a read-more link leads: up to four words or a host ("Medium", "The Verge", "Le
Monde.fr"); bounded, so the pattern stays linear on long texts."""
_READ_MORE = re.compile(
    r"(?:[\[(]\s*(?i:" + _READ_MORE_WORDS + r")[^\])]{0,40}[\])]"
    r"|(?:^|(?<=[\s.!?…»”\"')\]]))(?:" + _READ_MORE_WORDS + r")"
    r"(?:\s+(?:on|at|auf|sur)(?:\s+" + _SITE_NAME + r")?)?\s*(?:\.\.\.|…|»|→|›|\.)?)\s*$"
)
_FOOTER_OPENING = r"(?:The post|L[’']article|Der Beitrag|La entrada|Il post|O post|Het bericht) "
_FOOTER_START = re.compile(_FOOTER_OPENING)
_FOOTER = re.compile(
    _FOOTER_OPENING + r".{1,400}? "
    r"(?:appeared first on|est apparu en premier sur|erschien zuerst auf|apareció primero en|"
    r"se publicó primero en|è apparso per la prima volta su|apareceu primeiro em|"
    r"verscheen eerst op) [^.]{1,200}(?:\.[^.\s]{1,20}){0,3}\.?\s*",
    re.DOTALL,
)
_FOOTER_WINDOW = 800
_READ_MORE_WINDOW = 120

_TAG = re.compile(r"<(?:!--|/?[a-zA-Z][a-zA-Z0-9]*[\s>/])")
_MARKUP_START = re.compile(r"\s*<(?:!--|[a-zA-Z][a-zA-Z0-9]*[\s>/])")

_WORD = re.compile(r"[a-zß-öø-ÿœ']+")
# fmt: off
_STOP_WORDS = {
    "fr": (
        "le la les des est une et pour dans que qui sur pas du au aux avec ce ces sont par plus "
        "nous vous mais ou leur été être cette"
    ),
    "en": (
        "the and of to is in that for with on are this it as be by was from an at have has not "
        "but which you they their been"
    ),
    "de": (
        "der die das und ist nicht mit den dem ein eine einer eines einem einen zu von auf für "
        "sich auch im sind wird werden wie bei nach aus oder noch über hat"
    ),
    "es": "el los las más pero sus también fue muy y ya hay lo al cuando sin han puede según",
    "it": "gli della delle dei degli nel nella alla sono anche più questo questa che è di per non",
    "nl": "het een van dat op zijn met voor niet aan ook bij maar door naar wordt worden deze heeft",
    "pt": "os não em um uma ao pelo pela seu sua foi são também você isso ele ela na às",
}
# fmt: on
_LANGUAGE_OF = {word: lang for lang, words in _STOP_WORDS.items() for word in words.split()}
"""Each stop word names one language (the lists share no word: a test checks it)."""


def repair_mojibake(text: str) -> str:
    """``text`` with UTF-8 that was decoded as windows-1252/Latin-1 decoded right (see the
    module docstring); unchanged when nothing in it is clearly mojibake."""
    if text.isascii():
        return text
    found = [match.start() for match in _MARKER.finditer(text)]
    if not found or all(_BEFORE_PUNCTUATION.match(text, start) for start in found):
        return text  # no marker, or only "AMANHÃ”"-like pairs (repaired beside another marker)
    markers = len(found)
    whole = _utf8_behind(text)
    if whole is not None and len(_MARKER.findall(whole)) < markers:
        return whole
    if _LATIN_LETTER.search(_SEQUENCE.sub("", text)):
        return text  # "é" written right beside "Ã©": the "Ã©" is meant (a text about mojibake)
    repaired = _SEQUENCE.sub(lambda found: _utf8_behind(found[0]) or found[0], text)
    repaired = _NBSP_HALF.sub(" ", repaired)
    return repaired if len(_MARKER.findall(repaired)) < markers else text


def _utf8_behind(text: str) -> str | None:
    """What ``text`` says when its characters are the windows-1252 reading of UTF-8 bytes."""
    try:
        raw = bytes(_CP1252_BYTE[ch] for ch in text)
        return raw.decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None


def strip_read_more(text: str) -> str:
    """``text`` without the "read more" link text or WordPress footer at its end."""
    tail_start = max(0, len(text) - _FOOTER_WINDOW)
    for start in reversed([m.start() for m in _FOOTER_START.finditer(text, tail_start)]):
        if _FOOTER.fullmatch(text, start):
            text = text[:start].rstrip()
            break
    found = _READ_MORE.search(text, max(0, len(text) - _READ_MORE_WINDOW))
    return text[: found.start()].rstrip() if found else text


def looks_like_markup(text: str) -> bool:
    """Whether a summary's plain text is still HTML (escaped twice by the publisher): it starts
    with a tag or comment and holds at least three tags, one of them a closing tag."""
    if not _MARKUP_START.match(text):
        return False
    tags = _TAG.findall(text, 0, 5_000)
    return len(tags) >= 3 and any(tag.startswith("</") for tag in tags)


def guess_language(text: str) -> str | None:
    """A language code from stop-word counts when one language has at least 3 and twice as many
    as any other, else None."""
    counts = Counter(map(_LANGUAGE_OF.get, _WORD.findall(text[:2000].lower())))
    counts.pop(None, None)
    if not counts:
        return None
    ranked = counts.most_common(2)
    best, count = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best if count >= 3 and count >= 2 * runner_up else None


def is_tracking_param(key: str, at_internet: bool = False) -> bool:
    """Whether a query parameter only tracks the reader (utm_*, fbclid…; at_* too when the URL
    carries AT Internet's markers, ``at_internet``)."""
    return _tracks(key.lower(), TRACKING_PARAMS, TRACKING_PREFIXES, at_internet)


def is_link_tracker(key: str, at_internet: bool = False) -> bool:
    """Whether a query parameter is one that only ever tracks the reader (``LINK_TRACKERS``,
    utm_*…; at_* too when the URL carries AT Internet's markers, ``at_internet``)."""
    return _tracks(key.lower(), LINK_TRACKERS, LINK_TRACKER_PREFIXES, at_internet)


def _tracks(key: str, names: frozenset[str], prefixes: tuple[str, ...], at_internet: bool) -> bool:
    return key in names or key.startswith((*prefixes, "at_") if at_internet else prefixes)


def without_trackers(url: str) -> str:
    """``url`` as the feed wrote it, less the parameters that only track (``is_link_tracker``);
    its fragment is kept (some sites name their posts with one)."""
    before_fragment, hash_mark, fragment = url.partition("#")
    path, question_mark, query = before_fragment.partition("?")
    if not query:
        return url
    pairs = query.split("&")
    keys = [unquote_plus(pair.partition("=")[0]).lower() for pair in pairs]
    tagged = bool(AT_INTERNET_MARKERS.intersection(keys))
    kept = [pair for pair, key in zip(pairs, keys, strict=True) if not is_link_tracker(key, tagged)]
    if len(kept) == len(pairs):
        return url
    return path + ("?" + "&".join(kept) if kept else "") + hash_mark + fragment

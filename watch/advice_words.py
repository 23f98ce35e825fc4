"""The advice a source gets, as a value (``Said``), and its words in each language.

``watch.cadence`` (how often to consult a source), ``watch.fetch.failures`` (what to do about a
kind of failure), ``watch.health`` (when a failing source is retried, how to revive a gone
one) and ``watch.text_health`` (a source whose article pages mostly fail) decide what to advise and return it as a ``Said``: a phrase key and the values it names.
``say`` puts it into the words of a language (a ``watch.digest_lang.DigestLanguage``: its
counts, decimal mark and ages), so the board says it in its own language; ``english`` is what
``watch status``, ``watch fetch`` and ``watch run``'s log write (their words never change: the
status JSON is a contract); ``map_values`` rewrites the values a ``Said`` names, nested too.

A value is written as the phrase says (``{count:noun}`` counts, as in the digest), and:
another ``Said`` in its words; a ``timedelta`` as an age in the language ("8 h", "5 jours",
"5 Tagen"); a date as ISO (2026-11-03).  ``roughly`` says the time between two publications
("~6 h", "~3 j", "~3 Tage").  An ``every:`` value ("6h", "1w") and the commands,
keys and addresses of sources.yaml stay as written in every language (in French and German
its keys are put in backticks: ``select:``, ``enabled: false``).  The French and German tables
have exactly the English keys and placeholders; French is typeset as the digest does it (a
narrow no-break space before ":" ";" "?" "!" and inside « »), German quotes „…“.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from watch.digest_lang import ENGLISH as ENGLISH_LANGUAGE
from watch.digest_lang import LANGUAGES, DigestLanguage


@dataclass(frozen=True)
class Said:
    """A piece of advice before it is put into words: its phrase ``key`` and ``values``."""

    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


_CHECK_URL = "check the url in sources.yaml (open it in a browser: the feed may have moved)"

ENGLISH_PHRASES = {
    # -- how often to consult a source (``watch.cadence.advise``)
    "missed": "every item was new at {overflows} of the last {fetches} fetches: items are"
    " probably missed; consult every {every}",
    "will_miss": "publishes every {interval} and its feed keeps {kept:g} items: consult every"
    " {every} or items will be missed",
    "will_miss_cron": "publishes every {interval} and its feed keeps {kept:g} items, but its"
    " cron schedule leaves up to {gap} between fetches: consult every {every} or items will be"
    " missed",
    "cron": "cron schedule: compare by hand",
    "stay_current": "publishes every {interval}: consult every {every} to stay current",
    "would_do": "publishes every {interval}: every {every} would do",
    "matches": "matches the publishing rate",
    "no_articles_yet": "no articles yet: too soon to judge its frequency",
    "silent": "no articles in 4 weeks{latest}: check the source",
    "silent_every": "no articles in 4 weeks{latest}: check the source, or consult it every {every}",
    "latest": " (latest {date})",
    "too_soon": "too soon to judge its frequency ({why}): advice after 4 weeks of fetches",
    "undated": "its items carry no dates",
    "one_dated": "one dated item",
    "interval_min": "~{count} min",
    "interval_h": "~{count} h",
    "interval_d": "~{count} d",
    # -- what to do about a kind of failure (``watch.fetch.failures.failure_steps``)
    "failure_selector": "open the page and update its select: block (`watch sources add {url}"
    " --dry-run` proposes one)",
    "failure_moved": "the feed may have moved: open the site {site}, or `watch sources add"
    " {site}` finds its feed",
    "failure_moved_no_site": "the feed may have moved: open the site, or `watch sources add"
    " <site URL>` finds its feed",
    "failure_gone": "remove the source or set enabled: false",
    "failure_refused": "the server refuses us: a feed behind a login needs credentials_env"
    " (README), else it blocks bots",
    "failure_slow_down": "if it keeps asking, consult it less often (a longer every:)",
    "failure_server": "if it lasts, tell the site",
    "failure_tls": "if the server uses a private certificate authority, name its PEM file in"
    " fetch.ca_bundle",
    "failure_private": "add '{target}' to fetch.allow_private if it is on your own network",
    "failure_timeout": "if it keeps failing, raise fetch.timeout",
    "failure_down": "if it keeps failing, " + _CHECK_URL,
    "failure_dns": _CHECK_URL,
    "check_url": _CHECK_URL,  # any other failure, when the board knows no more
    "failure_too_large": "raise fetch.max_bytes",
    "failure_not_a_feed": "`watch sources add {url}` finds its feed or proposes a kind: page entry",
    "failure_unreadable": "the url must give RSS, Atom or JSON Feed",
    # -- when a failing source is retried, how a gone one comes back (``watch.health``)
    "retried": "retried automatically: {retry}",
    "retried_then": "retried automatically: {retry}; {advice}",
    "retry": "retry {when}",
    "retry_after": "retry {when} (the server's Retry-After)",
    "retry_backoff": "retry {when} (backing off after {failures} failures)",
    "retry_next_pass": "retry at the next pass",
    "in": "in {wait}",
    "now": "now",
    "revive": "To revive it, fix its url: in sources.yaml (or disable and re-enable it), or try"
    " it now with 'watch fetch --source {name}'",
    # -- a ``full_text:`` source whose article pages mostly fail (``watch.text_health``)
    "pages_refused": "its site refuses page reads (HTTP {status}): give full_text a try later or"
    " turn it off",
    "pages_robots": "its robots.txt disallows reading its pages: turn full_text off",
    "pages_selector": "full_text's selector matches nothing on its pages: the site may have"
    " changed; check it",
    "pages_no_text": 'no article text found on its pages: try a CSS selector (full_text: "article")',
    "pages_no_more": "its pages give no more text than its feed: turn full_text off",
}

_VERIFY_URL = (
    "vérifier l’url dans sources.yaml (l’ouvrir dans un navigateur\u202f: le flux a peut-être"
    " changé d’adresse)"
)

FRENCH_PHRASES = {
    "missed": "tous les articles étaient nouveaux lors de {overflows} des {fetches} dernières"
    " consultations\u202f: des articles sont sans doute manqués\u202f; passer la fréquence à {every}",
    "will_miss": "publie toutes les {interval} et son flux garde {kept:g} articles\u202f: passer la"
    " fréquence à {every}, sinon des articles seront manqués",
    "will_miss_cron": "publie toutes les {interval} et son flux garde {kept:g} articles, mais son"
    " planning cron laisse jusqu’à {gap} entre deux consultations\u202f: passer la fréquence à"
    " {every}, sinon des articles seront manqués",
    "cron": "planning cron\u202f: à comparer à la main",
    "stay_current": "publie toutes les {interval}\u202f: passer la fréquence à {every} pour rester"
    " à jour",
    "would_do": "publie toutes les {interval}\u202f: une fréquence de {every} suffirait",
    "matches": "fréquence adaptée au rythme de publication",
    "no_articles_yet": "aucun article pour l’instant\u202f: trop tôt pour juger de sa fréquence",
    "silent": "aucun article depuis 4 semaines{latest}\u202f: vérifier la source",
    "silent_every": "aucun article depuis 4 semaines{latest}\u202f: vérifier la source, ou passer"
    " sa fréquence à {every}",
    "latest": " (le dernier du {date})",
    "too_soon": "trop tôt pour juger de sa fréquence ({why})\u202f: conseil après 4 semaines de"
    " consultations",
    "undated": "ses articles ne sont pas datés",
    "one_dated": "un seul article daté",
    "interval_min": "~{count} min",
    "interval_h": "~{count} h",
    "interval_d": "~{count} j",
    "failure_selector": "ouvrir la page et mettre à jour son bloc `select:` (`watch sources add"
    " {url} --dry-run` en propose un)",
    "failure_moved": "le flux a peut-être changé d’adresse\u202f: ouvrir le site {site}, ou"
    " `watch sources add {site}` trouve son flux",
    "failure_moved_no_site": "le flux a peut-être changé d’adresse\u202f: ouvrir le site, ou"
    " `watch sources add <URL du site>` trouve son flux",
    "failure_gone": "retirer la source ou mettre `enabled: false`",
    "failure_refused": "le serveur nous refuse l’accès\u202f: un flux derrière une connexion"
    " demande credentials_env (README), sinon il bloque les robots",
    "failure_slow_down": "s’il continue à le demander, la consulter moins souvent (un `every:`"
    " plus long)",
    "failure_server": "si cela dure, prévenir le site",
    "failure_tls": "si le serveur utilise une autorité de certification privée, indiquer son"
    " fichier PEM dans fetch.ca_bundle",
    "failure_private": "ajouter «\u202f{target}\u202f» à fetch.allow_private si l’adresse est sur"
    " votre propre réseau",
    "failure_timeout": "si l’échec persiste, augmenter fetch.timeout",
    "failure_down": "si l’échec persiste, " + _VERIFY_URL,
    "failure_dns": _VERIFY_URL,
    "check_url": _VERIFY_URL,
    "failure_too_large": "augmenter fetch.max_bytes",
    "failure_not_a_feed": "`watch sources add {url}` trouve son flux ou propose une entrée"
    " `kind: page`",
    "failure_unreadable": "l’url doit donner du RSS, de l’Atom ou du JSON Feed",
    "retried": "réessayée automatiquement\u202f: {retry}",
    "retried_then": "réessayée automatiquement\u202f: {retry}\u202f; {advice}",
    "retry": "nouvel essai {when}",
    "retry_after": "nouvel essai {when} (le délai Retry-After demandé par le serveur)",
    "retry_backoff": "nouvel essai {when} (essais espacés après {failures} échecs)",
    "retry_next_pass": "nouvel essai au prochain passage",
    "in": "dans {wait}",
    "now": "dès maintenant",
    "revive": "Pour la rétablir, corriger son `url:` dans sources.yaml (ou la désactiver puis la"
    " réactiver), ou l’essayer tout de suite avec «\u202fwatch fetch --source {name}\u202f»",
    "pages_refused": "son site refuse la lecture de ses pages (HTTP {status})\u202f: réessayer"
    " `full_text:` plus tard ou le retirer",
    "pages_robots": "son robots.txt interdit de lire ses pages\u202f: retirer `full_text:`",
    "pages_selector": "le sélecteur de `full_text:` ne trouve rien sur ses pages\u202f: le site a"
    " peut-être changé\u202f; le vérifier",
    "pages_no_text": "aucun texte d’article trouvé sur ses pages\u202f: essayer un sélecteur CSS"
    ' (`full_text: "article"`)',
    "pages_no_more": "ses pages ne donnent pas plus de texte que son flux\u202f: retirer"
    " `full_text:`",
}

_CHECK_URL_DE = (
    "die URL in sources.yaml prüfen (im Browser öffnen: Der Feed ist vielleicht umgezogen)"
)

GERMAN_PHRASES = {
    "missed": "bei {overflows} der letzten {fetches} Abrufe waren alle Einträge neu: Vermutlich"
    " gehen Artikel verloren; das Intervall auf {every} setzen",
    "will_miss": "veröffentlicht alle {interval} und der Feed behält {kept:g} Einträge: das"
    " Intervall auf {every} setzen, sonst gehen Artikel verloren",
    "will_miss_cron": "veröffentlicht alle {interval} und der Feed behält {kept:g} Einträge, aber"
    " der Cron-Zeitplan lässt bis zu {gap} zwischen zwei Abrufen: das Intervall auf {every}"
    " setzen, sonst gehen Artikel verloren",
    "cron": "Cron-Zeitplan: von Hand vergleichen",
    "stay_current": "veröffentlicht alle {interval}: das Intervall auf {every} setzen, um"
    " aktuell zu bleiben",
    "would_do": "veröffentlicht alle {interval}: ein Intervall von {every} genügt",
    "matches": "passt zur Veröffentlichungsrate",
    "no_articles_yet": "noch keine Artikel: zu früh, um das Intervall zu beurteilen",
    "silent": "seit 4 Wochen keine Artikel{latest}: die Quelle prüfen",
    "silent_every": "seit 4 Wochen keine Artikel{latest}: die Quelle prüfen oder das Intervall"
    " auf {every} setzen",
    "latest": " (der letzte vom {date})",
    "too_soon": "zu früh, um das Intervall zu beurteilen ({why}): eine Empfehlung folgt nach 4"
    " Wochen Abrufen",
    "undated": "die Einträge tragen kein Datum",
    "one_dated": "nur ein datierter Eintrag",
    "interval_min": "~{count} Min.",
    "interval_h": "~{count} Std.",
    "interval_d": "~{count} Tage",
    "failure_selector": "die Seite öffnen und ihren `select:`-Block anpassen (`watch sources add"
    " {url} --dry-run` schlägt einen vor)",
    "failure_moved": "der Feed ist vielleicht umgezogen: die Website {site} öffnen oder"
    " `watch sources add {site}` findet ihren Feed",
    "failure_moved_no_site": "der Feed ist vielleicht umgezogen: die Website öffnen oder"
    " `watch sources add <URL der Website>` findet ihren Feed",
    "failure_gone": "die Quelle entfernen oder `enabled: false` setzen",
    "failure_refused": "der Server verweigert uns den Zugriff: Ein Feed hinter einer Anmeldung"
    " braucht credentials_env (README), sonst sperrt er Bots",
    "failure_slow_down": "wenn sie weiter darum bittet, seltener abrufen (ein längeres `every:`)",
    "failure_server": "wenn es anhält, der Website Bescheid geben",
    "failure_tls": "wenn der Server eine private Zertifizierungsstelle nutzt, ihre PEM-Datei in"
    " fetch.ca_bundle angeben",
    "failure_private": "„{target}“ zu fetch.allow_private hinzufügen, wenn die Adresse im"
    " eigenen Netz liegt",
    "failure_timeout": "wenn es weiter fehlschlägt, fetch.timeout erhöhen",
    "failure_down": "wenn es weiter fehlschlägt, " + _CHECK_URL_DE,
    "failure_dns": _CHECK_URL_DE,
    "check_url": _CHECK_URL_DE,
    "failure_too_large": "fetch.max_bytes erhöhen",
    "failure_not_a_feed": "`watch sources add {url}` findet ihren Feed oder schlägt einen"
    " Eintrag mit `kind: page` vor",
    "failure_unreadable": "die URL muss RSS, Atom oder JSON Feed liefern",
    "retried": "wird automatisch erneut versucht: {retry}",
    "retried_then": "wird automatisch erneut versucht: {retry}; {advice}",
    "retry": "nächster Versuch {when}",
    "retry_after": "nächster Versuch {when} (Retry-After des Servers)",
    "retry_backoff": "nächster Versuch {when} (längere Abstände nach {failures} Fehlversuchen)",
    "retry_next_pass": "nächster Versuch beim nächsten Durchlauf",
    "in": "in {wait}",
    "now": "jetzt",
    "revive": "Zum Wiederherstellen `url:` in sources.yaml korrigieren (oder die Quelle"
    " deaktivieren und wieder aktivieren) oder sie sofort mit „watch fetch --source {name}“"
    " versuchen",
    "pages_refused": "ihre Website verweigert das Lesen ihrer Seiten (HTTP {status}): `full_text:`"
    " später erneut versuchen oder entfernen",
    "pages_robots": "ihre robots.txt verbietet das Lesen ihrer Seiten: `full_text:` entfernen",
    "pages_selector": "der Selektor von `full_text:` findet auf ihren Seiten nichts: Die Website"
    " hat sich vielleicht geändert; ihn prüfen",
    "pages_no_text": "auf ihren Seiten wurde kein Artikeltext gefunden: einen CSS-Selektor"
    ' versuchen (`full_text: "article"`)',
    "pages_no_more": "ihre Seiten bieten nicht mehr Text als ihr Feed: `full_text:` entfernen",
}

PHRASES: dict[str, Mapping[str, str]] = {
    "en": ENGLISH_PHRASES,
    "fr": FRENCH_PHRASES,
    "de": GERMAN_PHRASES,
}
"""The advice's phrases by language code (those of ``watch.digest_lang.LANGUAGES``)."""

_LANGUAGES = {code: replace(LANGUAGES[code], phrases=PHRASES[code]) for code in PHRASES}


def say(said: Said, language: DigestLanguage = ENGLISH_LANGUAGE) -> str:
    """``said`` in the words of ``language`` (see the module docstring)."""
    table = _LANGUAGES[language.code]
    values = {name: _written(value, table) for name, value in said.values.items()}
    return table.say(said.key, **values)


def english(said: Said | None) -> str | None:
    """``said`` in English, as the terminal commands write it (None stays None)."""
    return say(said) if said is not None else None


def map_values(said: Said, change: Callable[[str, Any], Any]) -> Said:
    """``said`` with each value that is not itself a ``Said`` replaced by ``change(name,
    value)``, those of nested ones too (in order, depth first)."""
    return Said(
        said.key,
        {
            name: map_values(value, change) if isinstance(value, Said) else change(name, value)
            for name, value in said.values.items()
        },
    )


def roughly(length: timedelta) -> Said:
    """A time between two publications, said roughly: "~20 min", "~6 h", "~3 d"."""
    hours = length.total_seconds() / 3600
    if hours < 1:
        return Said("interval_min", {"count": max(int(hours * 60), 1)})
    if hours < 48:
        return Said("interval_h", {"count": int(round(hours))})
    return Said("interval_d", {"count": int(round(hours / 24))})


def _written(value: Any, language: DigestLanguage) -> Any:
    if isinstance(value, Said):
        return say(value, language)
    if isinstance(value, timedelta):
        return language.age(value)
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return value.isoformat()
    return value

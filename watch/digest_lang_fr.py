"""The digest's words in French (``digest: language: fr``): the data of ``watch.digest_lang``'s
``FRENCH`` table, kept here so that module stays short (what each phrase takes is told there).

French follows French typesetting: a narrow no-break space (U+202F, ``NNBSP``) before ":" ";"
"?" "!" and inside « » quotes, abbreviated months with their period ("nov.", "janv."), "1er" for
the first of a month, the singular for 0 and 1, a decimal comma, the apostrophe ’ in keywords and
topic labels written "d'écran" or "l'IA" in sources.yaml (``apostrophe``), the week as people say
it ("semaine 47": the ISO "2026-W47" stays in the records).  Its source-health lines are worded
from the row's fields (``watch.digest_words.problem_words``), the technical error text quoted as
it was received (a page's warnings are worded from their parts, with the ``page_*`` phrases; in
English those phrases are the parser's own words), after what the kind of failure means
(``FAILURE_MEANS``: "l’adresse n’existe plus (« HTTP 404 Not Found »)").
"""

from __future__ import annotations

NNBSP = "\u202f"
"""The narrow no-break space French puts before ":" ";" "?" "!" and inside « »."""

MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
"""Month names as written in a day ("16 nov.", "1er déc."), January first."""

MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""Month names in full ("novembre"), for story dates written in words."""

DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

PLURALS = {
    "article collecté": "articles collectés",
    "actualité distincte": "actualités distinctes",
    "source consultée": "sources consultées",
    "tentative échouée": "tentatives échouées",
    "autre actualité": "autres actualités",
    "autre source": "autres sources",
    "nouvelle actualité": "nouvelles actualités",
}
"""Singular → plural, where the English rule of ``watch.wording.counted`` would be wrong."""

DAY_NUMBERS = {1: "1er"}
"""The first of a month, written "1er"; the other days as numbers."""

AGE_UNITS = {"min": "min", "h": "h", "days": "jours", "months": "mois", "years": "ans"}
"""``watch.wording.describe_age`` units in French ("5 jours")."""

PHRASES = {
    "subject": "{name} — synthèse hebdomadaire {span} (semaine {week_number})",
    "heading": "Synthèse hebdomadaire {span} (semaine {week_number})",
    "period_in_month": "{first}–{last}",
    "period_across": "{first} – {last}",
    "span_in_month": "du {first} au {last}",
    "span_across": "du {first} au {last}",
    "story_date": "{weekday} {day} {month}",
    "story_date_other_year": "{weekday} {day} {month} {year}",
    "overview": "{articles:article collecté} ({stories:actualité distincte}) provenant"
    f" {{origin}}{NNBSP}; {{consulted}}.",
    "consulted_all": "{sources_consulted:source consultée}",
    "consulted_some": "{sources_consulted:source consultée} sur {sources_enabled}",
    "consulted_failing": "{consulted}, dont {sources_failing} en erreur",
    "consulted_later": "aucune source consultée pendant la semaine (ses articles ont été "
    "collectés ensuite)",
    "from_sources": "de {count:source}",
    "from_one_source": "d’une source",
    "top_topics": f"Thèmes principaux{NNBSP}:",
    "picks": "Choix de l’équipe",
    "untitled": "(sans titre)",
    "no_link": "(pas de lien web)",
    "note": f"Note{NNBSP}:",
    "why": f"Pourquoi{NNBSP}:",
    "also_covered": f"Aussi couvert par {{sources:source}}{NNBSP}:",
    "no_stories": "Aucune actualité sur les thèmes suivis cette semaine.",
    "emerging": "Tendances de la semaine",
    "term_count": "{count:sujet}",
    "term_before": "(environ {previous:.1f} par semaine auparavant)",
    "term_new": "(nouveau)",
    "health": "Santé des sources",
    "all_healthy": "Toutes les sources ont été consultées à leur fréquence, sans erreur.",
    "health_more": "… et {count:autre source} à examiner : la page Sources du tableau de bord "
    "les liste toutes",
    "open_board": "Ouvrir le tableau de bord",
    "board_for": "pour tous les articles, les filtres et vos retours.",
    "on_board": "Sur le tableau de bord",
    "sent_by": "Envoyé par watch pour",
    "colon": f"{NNBSP}: ",
    "semicolon": f"{NNBSP}; ",
    "quote": f"«{NNBSP}{{text}}{NNBSP}»",
    "why_line": f"{{label}}{NNBSP}: {{reasons}}",
    "in_title": "{keywords} dans le titre",
    "in_text": "{keywords} dans le texte",
    "by_source": "une source qui suit ce thème",
    "by_model": "rédigé comme d’autres articles sur ce thème",
    "by_feedback": "selon vos retours",
    "starred": "marqué d’une étoile sur le tableau de bord",
    "chat_more": "…et {count:autre actualité} sur le tableau de bord",
    "alert_subject": f"[watch] {{label}}{NNBSP}: {{count:nouvelle actualité}}",
    "alert_intro": f"{{count:nouvelle actualité}} pour cette alerte, les mieux notées"
    f" d’abord{NNBSP}:",
    "alert_intro_one": f"{{count:nouvelle actualité}} pour cette alerte{NNBSP}:",
    "alert_score": "score {score}",
    "alert_sent_by": "Envoyé par watch pour {watch}, alerte {name}.",
    "apostrophe": "’",
    "page_title": "titre",
    "page_link": "lien",
    "page_lost_some": "{selector} ne trouve pas de {field} dans {lost} des {total} éléments"
    " que {item} sélectionne",
    "page_lost_all": "{selector} ne trouve de {field} dans aucun des {total} éléments que"
    " {item} sélectionne",
    "page_lost_one": "{selector} ne trouve pas de {field} dans le seul élément que {item}"
    " sélectionne",
    "page_no_href": "les éléments qu’il trouve n’ont pas de href et leur texte n’est pas une URL",
    "page_skipped": "ces éléments ont été ignorés",
    "page_nothing": "{selector} ne trouve rien sur la page ({clue})",
    "page_clue_tags": f"elle contient {{count}} éléments <{{tag}}>{NNBSP}: sa mise en page"
    f" a-t-elle changé{NNBSP}?",
    "page_clue_none": "elle ne répète aucun élément <article>, <section>, titre ni liste"
    f"{NNBSP}: est-elle construite en JavaScript, ou sa mise en page a-t-elle"
    f" changé{NNBSP}?",
    "every_minutes": "toutes les {count} minutes",
    "every_hour": "toutes les heures",
    "every_hours": "toutes les {count} heures",
    "every_day": "tous les jours",
    "every_days": "tous les {count} jours",
    "every_week": "toutes les semaines",
    "every_weeks": "toutes les {count} semaines",
    "every_cron": "selon le planning cron {schedule}",
}

PROBLEMS = {
    "never": "jamais consultée",
    "never_ok": "jamais consultée avec succès",
    "gone": f"disparue (le serveur répond HTTP 410), plus consultée{NNBSP}; pour la"
    " rétablir, corriger son adresse dans sources.yaml ou essayer"
    f" «{NNBSP}watch fetch --source {{name}}{NNBSP}»",
    "error": f"{{means}} ({{error}}){NNBSP}; {{attempts:tentative échouée}} d’affilée",
    "broken": "le sélecteur ne trouve plus rien sur la page",
    "broken_named": f"le sélecteur {{selector}} ne trouve plus rien sur la page{NNBSP}; à"
    " corriger dans sources.yaml ({attempts:tentative échouée} d’affilée)",
    "stale": f"pas consultée depuis {{age}} (fréquence prévue{NNBSP}: {{every}})",
    "warning": f"avertissement{NNBSP}: {{warning}}",
    "frequency": "des articles risquent d’être manqués à la fréquence prévue ({every})"
    f"{NNBSP}: la passer à {{suggested}} dans sources.yaml",
    "other": f"à vérifier{NNBSP}: «{NNBSP}{{problem}}{NNBSP}»",
}
"""A source's problem by kind (``watch.digest_words.problem_kind``)."""

FAILURE_MEANS = {
    "selector": "la page ne correspond plus aux sélecteurs de la source",
    "moved": "l’adresse n’existe plus",
    "gone": "la source a disparu pour de bon",
    "refused": "le site nous refuse l’accès",
    "slow_down": "le site nous demande de ralentir",
    "server": "le site a un problème de serveur",
    "tls": "la connexion sécurisée a échoué",
    "private": "l’adresse est privée",
    "timeout": "le site n’a pas répondu à temps",
    "down": "le site est hors service",
    "dns": "le nom du site est introuvable",
    "network": "la connexion a été interrompue",
    "too_large": "le document dépasse la taille maximale (fetch.max_bytes)",
    "not_a_feed": "l’adresse n’est pas un flux",
    "unreadable": "le document est illisible",
    "other": "la récupération a échoué",
}
"""What a kind of fetch failure means (``watch.fetch.failures.KINDS``)."""

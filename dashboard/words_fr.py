"""The board's words in French (``board: language: fr``): the keys of ``dashboard.words_en``.

French typesetting as the digest does it (``watch.digest_lang``): a narrow no-break space
(U+202F, written ``\\u202f``) before ":" ";" "?" "!" and inside « », before "%" and between
thousands ("1 234"), a decimal comma, the singular for 0 and 1 ("0 article"), the apostrophe ’.
A story (a cluster of articles) is a "sujet", as in the digest.
"""

from __future__ import annotations

PLURALS = {
    "autre article": "autres articles",
    "article marqué lu": "articles marqués lus",
    "destinataire": "destinataires",
    "article étoilé": "articles étoilés",
}
"""Singular → plural where the English rule of ``watch.wording.counted`` would be wrong."""

THOUSANDS = "\u202f"

PHRASES = {
    # -- pages and the sidebar's settings
    "page_board": "Articles",
    "page_trends": "Thèmes et tendances",
    "page_sources": "Sources",
    "page_digest": "Synthèse",
    "database": "Base de données\u202f: {kind}",
    "db_cannot_open": "Impossible d’ouvrir la base de données ({error})\u202f; définir WATCH_DB,"
    " ou lancer d’abord `watch fetch`.",
    "db_schema": "La base de données est à la révision de schéma {schema}, ce tableau de bord"
    " lit la {head}\u202f: lancer une fois `watch status` (toute commande watch la met à jour\u202f;"
    " une révision plus récente que celle du tableau de bord vient d’un watch plus récent).",
    # -- board: filters
    "filters": "Filtres",
    "search": "Rechercher",
    "search_placeholder": 'mots, "phrase exacte", -sans, ceci OR cela',
    "search_help": "Chaque mot est requis (le dernier peut être le début d’un mot)."
    ' "apple store"\u202f: la phrase exacte. -iphone\u202f: sans le mot (-"apple store"\u202f: sans'
    " la phrase). iphone OR ipad\u202f: l’un ou l’autre (OR en majuscules). La casse et les"
    " accents sont ignorés.",
    "show": "Afficher",
    "state_unread": "Non lus",
    "state_starred": "Étoilés ou annotés",
    "state_all": "Tous",
    "topics": "Thèmes",
    "unread_count_help": "Entre parenthèses\u202f: le nombre d’articles non lus.",
    "folders": "Dossiers",
    "sources": "Sources",
    "sources_help": "Avec des dossiers choisis aussi\u202f: leurs sources et celles-ci.",
    "published_between": "Publiés entre",
    "choose": "Choisir…",
    "date_format": "DD/MM/YYYY",
    "min_score": "Score minimum",
    "sort": "Trier",
    "order_score": "Meilleurs d’abord",
    "order_published": "Plus récents d’abord",
    "one_per_cluster": "Un article par sujet",
    # -- board: the list and its cards
    "list_count_one": "{count:article} correspond · mis à jour à {time}",
    "list_count": "{count:article} correspondent · mis à jour à {time}",
    "no_match": "Aucun article ne correspond à ces filtres.",
    "nothing_yet": "Aucun article collecté pour l’instant\u202f: lancer une fois `watch fetch` (ou"
    " `watch run` pour collecter selon le planning)\u202f; les articles s’affichent ensuite ici"
    " d’eux-mêmes.",
    "score": "Score {score}",
    "why_summary": "Pourquoi ce score · résumé",
    "no_summary": "_Pas de résumé._",
    "article_text": "Texte de l’article · {length}",
    "text_minutes": "{count} min de lecture",
    "text_words": "{count:mot}",
    "page_not_read": "Page non lue\u202f: {error}",
    "text_rest": "_… encore {count:mot} sur la page de l’article._",
    "unsure_help": "Un thème gris suivi de «\u202f?\u202f» est une supposition du modèle\u202f: y répondre"
    " par «\u202fPas dans le thème…\u202f» (Thèmes…) quand l’article n’en parle pas",
    "off_topic": "hors thème",
    "also_covered": "également couvert par {count:autre source}",
    "date_first_seen": "date\u202f: celle de la collecte",
    "no_reason": "aucune raison enregistrée",
    "no_explanation": "Aucune explication enregistrée pour ce score.",
    "part_line": "{name}\u202f: {points}",
    "part_topic": "thème",
    "part_source": "source",
    "part_freshness": "fraîcheur",
    "part_coverage": "couverture",
    "part_feedback": "vos retours",
    "topic_line": "{label} {percent}\u202f%",
    # -- board: actions
    "mark_read": "Marquer lu",
    "mark_unread": "Marquer non lu",
    "star": "Étoile",
    "unstar": "Retirer l’étoile",
    "star_help": "Étoilé cette semaine, il ouvre la synthèse de la semaine sous «\u202fChoix de"
    " l’équipe\u202f», avec votre note si vous en écrivez une",
    "like": "J’aime",
    "liked": "Aimé",
    "dislike": "Je n’aime pas",
    "disliked": "Pas aimé",
    "like_help": "Ce sujet et ceux qui lui ressemblent remontent",
    "dislike_help": "Ce sujet et ceux qui lui ressemblent descendent",
    "liked_help": "Vous avez aimé cet article\u202f: cliquer pour annuler",
    "disliked_help": "Vous n’avez pas aimé cet article\u202f: cliquer pour annuler",
    "taken_back": "Vote annulé",
    "topics_menu": "Thèmes…",
    "note_menu": "Note…",
    "note_label": "Une note pour l’équipe (affichée sous l’article dans la synthèse quand il est"
    " étoilé)",
    "note_placeholder": "Pourquoi c’est important pour nous",
    "not_about": "Pas dans le thème {label}",
    "also_about": "Aussi dans le thème {label}",
    "judged": "{said}\u202f: {change}{others}",
    "judged_added": "{said}\u202f: ajouté, {change}{others}",
    "judged_removed": "{said}\u202f: retiré, {change}{others}",
    "score_moved": "score {before} → {after}",
    "score_unchanged": "score inchangé",
    "others_moved": " (et {count:autre article} de ce sujet)",
    "mark_all": "Marquer les {total} résultats comme lus",
    "mark_all_title": "Tout marquer comme lu\u202f?",
    "mark_all_stories": "Marquer comme lus les {count:sujet} correspondant à ces filtres, sur"
    " toutes les pages\u202f? Leurs copies venant d’autres sources sont aussi marquées lues.",
    "mark_all_articles": "Marquer comme lus les {count:article} correspondant à ces filtres, sur"
    " toutes les pages\u202f?",
    "mark_all_yes": "Oui, marquer les {total} comme lus",
    "cancel": "Annuler",
    "marked_read": "{count:article marqué lu}",
    "mark_page_read": "Marquer la page comme lue",
    # -- board: keyboard shortcuts (dashboard.shortcuts)
    "shortcuts": "Clavier\u202f: `j`/`k`, `o`, `m`, `s`, `/` — `?`",
    "shortcut_move": "`j` / `k`\u202f: article suivant / précédent",
    "shortcut_open": "`o`\u202f: ouvrir l’article dans un nouvel onglet (ou Entrée sur son titre)",
    "shortcut_read": "`m`\u202f: marquer lu / non lu",
    "shortcut_star": "`s`\u202f: ajouter / retirer l’étoile",
    "shortcut_search": "`/`\u202f: aller à la recherche",
    "shortcut_help": "`?`\u202f: afficher ou masquer cette liste",
    "shortcut_typing": "Les touches ne font rien pendant la saisie dans un champ, ni avec Ctrl,"
    " Alt ou Cmd enfoncée.",
    # -- board: one article, linked from the digest or an alert (?article=1234)
    "linked_show_all": "Afficher tous les articles",
    "linked_same_story": "Également couvert par {count:autre source}",
    "linked_not_stored": "Pas d’article {id} sur le tableau de bord\u202f: il a pu être supprimé"
    " depuis (`store: keep:` dans sources.yaml), ou le lien vient d’une autre installation de"
    " watch. Tous les articles sont affichés.",
    "linked_not_a_number": "Le lien demande l’article «\u202f{value}\u202f», qui n’est pas un"
    " numéro d’article\u202f: tous les articles sont affichés.",
    # -- ages and dates
    "never": "jamais",
    "just_now": "à l’instant",
    "now": "maintenant",
    "ago": "il y a {amount}",
    "in": "dans {amount}",
    "minutes": "{count} min",
    "hours": "{count} h",
    "days": "{count} j",
    "date": "{day} {year}",
    # -- sources page
    "sources_title": "Sources",
    "no_source": "Aucune source dans sources.yaml pour l’instant.",
    "health_alt": "Chaque source : son état, ce qu’il faut changer et ses chiffres",
    "col_label": "Source",
    "col_name": "Nom",
    "col_status": "État",
    "col_suggestion": "Suggestion",
    "col_every": "Consultée",
    "col_per_week": "Articles / semaine",
    "col_on_topic": "Dans les thèmes",
    "col_last_success": "Dernier succès",
    "col_next_due": "Prochaine",
    "col_kind": "Type",
    "col_last_error": "Dernière erreur",
    "every_minutes": "toutes les {count} min",
    "every_hour": "toutes les heures",
    "every_hours": "toutes les {count} h",
    "every_day": "tous les jours",
    "every_days": "tous les {count} jours",
    "every_week": "toutes les semaines",
    "every_weeks": "toutes les {count} semaines",
    "every_cron": "selon le planning cron {schedule}",
    "every_value": "«\u202fevery: {every}\u202f»",
    "kind_feed": "flux",
    "kind_page": "page",
    "status_ok": "ok",
    "status_overdue": "en retard",
    "status_failing": "en erreur",
    "status_gone": "disparue",
    "status_broken_selector": "sélecteur cassé",
    "status_never_fetched": "jamais consultée",
    "status_disabled": "désactivée",
    "percent": "{value}\u202f%",
    "not_fetched_yet": "pas encore consultée",
    "at_next_pass": "au prochain passage",
    "failures_in_a_row": " ({count:échec} d’affilée)",
    "error_means": "{means}\u202f: {error}{repeat}",
    "selectors_matched_nothing": "Sources de type page dont les sélecteurs ne trouvent rien (la"
    " mise en page a sans doute changé\u202f; mettre à jour leur bloc `select:` dans"
    " sources.yaml)\u202f: {sources}",
    "source_says": "**{label}**\u202f: {text}",
    "what_to_do": "Que faire\u202f: {advice}",
    "col_pages": "Pages des articles",
    "pages_counts": "{read:lue}, {failed} en échec",
    "pages_waiting": "{counts}, {waiting} en attente",
    "pages_why": "{counts} ({error})",
    "pages_box": "pages des articles des {days} derniers jours\u202f: {counts}",
    "page_failed_robots": "robots.txt l’interdit",
    "page_failed_selector": "le sélecteur full_text ne trouve rien",
    "page_failed_no_text": "aucun texte d’article trouvé",
    "page_failed_no_more": "pas plus de texte que le résumé du flux",
    "fetch_now": "Consulter maintenant",
    "sources_to_fetch": "Sources à consulter",
    "fetch_requested": "Demandé\u202f; le planificateur s’en charge à son prochain"
    " passage\u202f: {sources}",
    "fetch_pending": "Demande en attente\u202f: {sources} (depuis {since})",
    "from_a_terminal": "Ou depuis un terminal (toutes les sources, ou celles choisies"
    " ci-dessus)\u202f:",
    # -- topics & trends page
    "trends_title": "Thèmes et tendances",
    "week": "Semaine",
    "week_in_progress": "{week} (en cours)",
    "counted_up_to": "Semaine en cours\u202f: comptée jusqu’à {weekday} {time} ({zone}) et"
    " comparée au prorata aux 4 semaines précédentes.",
    "term_before": "{count}, {previous:.1f}/semaine avant",
    "term_new": "{count}, nouveau",
    "expander_before": "{previous:.1f}/semaine avant",
    "expander_new": "nouveau",
    "term_heading": "{term} — {count:sujet} ({previous})",
    "axis_week": "Semaine",
    "axis_articles": "Articles",
    "axis_topic": "Thème",
    "volume": "Volume par thème et par semaine",
    "volume_alt": "Barres empilées des articles par thème et par semaine ; les mêmes nombres sont dans le tableau ci-dessous.",
    "volume_table": "Volumes sous forme de tableau",
    "no_volume": "Aucun article sur ces semaines pour l’instant.",
    "growing": "**En hausse\u202f:** {topics}",
    "fading": "**En baisse\u202f:** {topics}",
    "emerging": "Termes émergents",
    "nothing_stands_out": "Rien ne se détache cette semaine par rapport aux précédentes.",
    "top_stories": "Meilleurs sujets par thème",
    "no_topic": "(aucun thème)",
    "emerging_in_topic": "Émergents\u202f: {terms}",
    "no_article_in_topic": "Aucun article sur ce thème cette semaine.",
    # -- digest page
    "digest_title": "Synthèse hebdomadaire",
    "preview_of": "Aperçu de {week}",
    "send_history": "Historique des envois",
    "no_digest_sent": "Aucune synthèse envoyée pour l’instant.",
    "hist_week": "Semaine",
    "hist_sent_to": "Envoyée à",
    "hist_status": "État",
    "hist_sent": "Envoyée",
    "hist_attempts": "Tentatives",
    "hist_recipients": "Destinataires",
    "hist_error": "Erreur",
    "hist_next_retry": "Prochain essai",
    "hist_status_sent": "envoyée",
    "hist_status_failed": "échec",
    "hist_status_pending": "en cours d’envoi",
    "hist_status_skipped": "non envoyée",
    "sent_to_mail": "courriel",
    "sent_to_edition": "courriel, édition {edition}",
    "edition": "Édition",
    "edition_team": "la synthèse (digest.recipients)",
    "sent_to_chat": "messagerie {kind} {chat}",
    "week_ends": "{week} se termine le {last} et part le {send} à {time} ({zone}).",
    "day_in_words": "{weekday} {day} {month}",
    "weekdays_short": "lun. mar. mer. jeu. ven. sam. dim.",
    "moment": "{weekday} {day} {month} à {time} ({zone})",
    "smtp_off": "L’envoi est désactivé\u202f: définir WATCH_SMTP_HOST (et WATCH_SMTP_*) pour"
    " envoyer d’ici.",
    "no_recipients": "L’envoi est désactivé\u202f: ajouter `digest.recipients` à sources.yaml.",
    "send_now": "Envoyer {week} maintenant à {count:destinataire}",
    "send_again": "Envoyer {week} de nouveau à {count:destinataire}",
    "mailed_already": "{week} a déjà été envoyée\u202f: l’envoyer de nouveau l’envoie deux fois"
    " à chaque destinataire.",
    "due_since": "{week} est due depuis {time}\u202f: `watch run` l’envoie à sa prochaine"
    " vérification (toutes les 5 minutes tant qu’il tourne)\u202f; ce bouton l’envoie tout de"
    " suite.",
    "skipped_week": "{week} n’a pas été envoyée\u202f: la veille a commencé après cette"
    " semaine-là. `{command}` l’envoie quand même.",
    "empty_week": "{week} n’a aucun article\u202f: il n’y a rien à envoyer d’ici."
    " `{command}` l’envoie quand même.",
    "skipped_why": "la veille a commencé après cette semaine-là",
    "sent_ok": "Envoyée à {recipients}.",
    "not_sent": "Non envoyée\u202f: {error}",
    "send_edition_now": "Envoyer l’édition {edition} de {week} maintenant",
    "edition_due_since": "L’édition {edition} de {week} est due depuis {time}\u202f: `watch run`"
    " l’envoie à sa prochaine vérification (toutes les 5 minutes tant qu’il tourne)\u202f; ce"
    " bouton l’envoie tout de suite.",
    "edition_sent_already": "L’édition {edition} de {week} a été envoyée le {time}\u202f: `watch"
    " digest --edition {edition} --week {week} --send --force` l’envoie de nouveau.",
    "edition_sent_ok": "Édition {edition} de {week} envoyée à {recipients}.",
    "posted_everywhere": "{week} a été publiée sur chaque messagerie ({count}).",
    "post_now": "Publier {week} maintenant sur {count} messagerie(s) pas encore servie(s)",
    "post_help": "Publie sur {chats}.",
    "posted_ok": "Publiée sur la messagerie {chat}.",
    "not_posted": "Non publiée sur la messagerie {chat}\u202f: {error}",
    "picks_one": "{count:article étoilé} cette semaine ouvre la synthèse de {week}, pas"
    " celle-ci\u202f: choisir cette semaine pour voir les choix de l’équipe.",
    "picks_many": "{count:article étoilé} cette semaine ouvrent la synthèse de {week}, pas"
    " celle-ci\u202f: choisir cette semaine pour voir les choix de l’équipe.",
}
"""Every phrase the board writes itself, by key."""

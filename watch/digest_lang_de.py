"""The digest's words in German (``digest: language: de``): the data of ``watch.digest_lang``'s
``GERMAN`` table, kept here so that module stays short (what each phrase takes is told there).

German as a German product writes it: no space before ":" ";" "?" "!" (the French narrow
no-break space is not used), quotes „…“, a decimal comma ("3,5"), days with their period and
months in full ("16.–22. November 2026", "Mittwoch, 18. November"), the week as people say it
("KW 47": the ISO "2026-W47" stays in the records), nouns in their own plural ("Quellen",
"Meldungen"; "Artikel" stays "Artikel") with the singular for 1 only, ages in the dative "seit"
takes ("seit 5 Tagen", "seit 1 Monat"), a source's problem capitalised as the start of a line,
and the typographic apostrophe ’ in keywords and topic labels.  The board's pages are named as
the German board names them ("Quellen", ``dashboard/words_de.py``): a team reading its digest in
German reads its board in German unless ``board: language:`` says otherwise.
"""

from __future__ import annotations

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
"""Months in full, January first, in a day too ("16. November")."""
DAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
DAY_NUMBERS = {day: f"{day}." for day in range(1, 32)}
"""A day of the month with its period: "16." as in "16. November"."""

PLURALS = {
    "Artikel": "Artikel",
    "unterschiedliche Meldung": "unterschiedliche Meldungen",
    "Quelle": "Quellen",
    "Meldung": "Meldungen",
    "weitere Meldung": "weitere Meldungen",
    "neue Meldung": "neue Meldungen",
    "weitere Quelle": "weitere Quellen",
    "Fehlversuch": "Fehlversuche",
    "Tag": "Tagen",
    "Monat": "Monaten",
    "Jahr": "Jahren",
}
"""Singular → plural; the age units in the dative of "seit 5 Tagen" (``AGE_UNITS``)."""

AGE_UNITS = {"min": "Min.", "h": "Std.", "days": "Tag", "months": "Monat", "years": "Jahr"}
"""``watch.wording.describe_age`` units, counted with ``PLURALS``: "1 Monat", "2 Monaten"."""

PHRASES = {
    "subject": "{name} — Wöchentliche Übersicht, {period} (KW {week_number})",
    "heading": "Wöchentliche Übersicht — {period} (KW {week_number})",
    "period_in_month": "{first}–{last}",
    "period_across": "{first} – {last}",
    "span_in_month": "vom {first} bis {last}",
    "span_across": "vom {first} bis {last}",
    "story_date": "{weekday}, {day} {month}",
    "story_date_other_year": "{weekday}, {day} {month} {year}",
    "overview": "{articles:Artikel} gesammelt ({stories:unterschiedliche Meldung}) {origin};"
    " {consulted}.",
    "consulted_all": "{sources_consulted:Quelle} abgerufen",
    "consulted_some": "{sources_consulted} von {sources_enabled:Quelle} abgerufen",
    "consulted_failing": "{consulted}, davon {sources_failing} fehlerhaft",
    "consulted_later": "in der Woche keine Quelle abgerufen (ihre Artikel wurden später gesammelt)",
    "from_sources": "aus {count:Quelle}",
    "from_one_source": "aus einer Quelle",
    "top_topics": "Wichtigste Themen:",
    "picks": "Auswahl des Teams",
    "untitled": "(ohne Titel)",
    "no_link": "(kein Weblink)",
    "note": "Notiz:",
    "why": "Warum:",
    "also_covered": "Auch berichtet von {sources:Quelle}:",
    "no_stories": "Diese Woche keine Meldungen zu den verfolgten Themen.",
    "emerging": "Trends der Woche",
    "term_count": "{count:Meldung}",
    "term_before": "(zuvor etwa {previous:.1f} pro Woche)",
    "term_new": "(neu)",
    "health": "Quellenstatus",
    "all_healthy": "Alle Quellen wurden in ihrem Intervall fehlerfrei abgerufen.",
    "health_more": "…und {count:weitere Quelle} zu prüfen: Die Seite „Quellen“ im Dashboard"
    " zeigt alle",
    "open_board": "Dashboard öffnen",
    "board_for": "für alle Artikel, Filter und Rückmeldungen.",
    "on_board": "Im Dashboard",
    "sent_by": "Gesendet von watch für",
    "colon": ": ",
    "semicolon": "; ",
    "quote": "„{text}“",
    "why_line": "{label}: {reasons}",
    "in_title": "{keywords} im Titel",
    "in_text": "{keywords} im Text",
    "by_source": "eine Quelle, die das Thema verfolgt",
    "by_model": "ähnlich formuliert wie andere Artikel zum Thema",
    "by_feedback": "laut Rückmeldungen des Teams",
    "starred": "im Dashboard mit Stern markiert",
    "chat_more": "…und {count:weitere Meldung} im Dashboard",
    "alert_subject": "[watch] {label}: {count:neue Meldung}",
    "alert_intro": "{count:neue Meldung} zu diesem Alarm, die am besten bewerteten zuerst:",
    "alert_intro_one": "{count:neue Meldung} zu diesem Alarm:",
    "alert_score": "Bewertung {score}",
    "alert_sent_by": "Gesendet von watch für {watch}, Alarm {name}.",
    "apostrophe": "’",
    "page_title": "Titel",
    "page_link": "Link",
    "page_lost_some": "{selector} findet keinen {field} in {lost} der {total} Elemente, die"
    " {item} auswählt",
    "page_lost_all": "{selector} findet in keinem der {total} Elemente, die {item} auswählt,"
    " einen {field}",
    "page_lost_one": "{selector} findet keinen {field} im einzigen Element, das {item} auswählt",
    "page_no_href": "die gefundenen Elemente haben kein href, und ihr Text ist keine URL",
    "page_skipped": "diese Elemente wurden übersprungen",
    "page_nothing": "{selector} findet nichts auf der Seite ({clue})",
    "page_clue_tags": "sie enthält {count} <{tag}>-Elemente: Wurde das Layout geändert?",
    "page_clue_none": "sie wiederholt kein <article>-, <section>-, Überschriften- oder"
    " Listenelement: Wird sie per JavaScript erzeugt, oder wurde das Layout geändert?",
    "every_minutes": "alle {count} Minuten",
    "every_hour": "stündlich",
    "every_hours": "alle {count} Stunden",
    "every_day": "täglich",
    "every_days": "alle {count} Tage",
    "every_week": "wöchentlich",
    "every_weeks": "alle {count} Wochen",
    "every_cron": "nach dem Cron-Zeitplan {schedule}",
}

PROBLEMS = {
    "never": "Noch nie abgerufen",
    "never_ok": "Noch nie erfolgreich abgerufen",
    "gone": "Verschwunden (der Server antwortet HTTP 410), wird nicht mehr abgerufen; zum"
    " Wiederherstellen die Adresse in sources.yaml korrigieren oder"
    " „watch fetch --source {name}“ versuchen",
    "error": "{means} ({error}); {attempts:Fehlversuch} in Folge",
    "broken": "Der Selektor findet auf der Seite nichts mehr",
    "broken_named": "Der Selektor {selector} findet auf der Seite nichts mehr; in sources.yaml"
    " zu korrigieren ({attempts:Fehlversuch} in Folge)",
    "stale": "Seit {age} nicht abgerufen (vorgesehenes Intervall: {every})",
    "warning": "Warnung: {warning}",
    "frequency": "Beim vorgesehenen Intervall ({every}) können Artikel verloren gehen: in"
    " sources.yaml auf {suggested} setzen",
    "other": "Zu prüfen: „{problem}“",
}
"""A source's problem by kind (``watch.digest_words.problem_kind``)."""

FAILURE_MEANS = {
    "selector": "Die Seite passt nicht mehr zu den Selektoren der Quelle",
    "moved": "Die Adresse existiert nicht mehr",
    "gone": "Die Quelle ist endgültig verschwunden",
    "refused": "Die Website verweigert uns den Zugriff",
    "slow_down": "Die Website bittet uns, seltener abzurufen",
    "server": "Die Website hat ein Serverproblem",
    "tls": "Die sichere Verbindung ist fehlgeschlagen",
    "private": "Die Adresse ist privat",
    "timeout": "Die Website hat nicht rechtzeitig geantwortet",
    "down": "Die Website ist nicht erreichbar",
    "dns": "Der Name der Website lässt sich nicht auflösen",
    "network": "Die Verbindung wurde unterbrochen",
    "too_large": "Das Dokument überschreitet die Höchstgröße (fetch.max_bytes)",
    "not_a_feed": "Die Adresse ist kein Feed",
    "unreadable": "Das Dokument ist unlesbar",
    "other": "Der Abruf ist fehlgeschlagen",
}
"""What a kind of fetch failure means (``watch.fetch.failures.KINDS``), the start of a line."""

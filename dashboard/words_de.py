"""The board's words in German (``board: language: de``): the keys of ``dashboard.words_en``.

Written as the German digest is (``watch.digest_lang_de``): no space before ":" ";" "?" "!",
quotes „…“, a decimal comma, a period between thousands ("1.234"), a space before "%", ages in
the dative of "vor" ("vor 3 Std.", "vor 2 Tagen"); a story (a cluster) is a "Meldung".
"""

from __future__ import annotations

PLURALS = {
    "weiterer Artikel": "weitere Artikel",
    "Empfänger": "Empfänger",
    "weiteren Quelle": "weiteren Quellen",
    "Wort": "Wörter",
}
"""Singular → plural, added to the digest's (``watch.digest_lang_de.PLURALS``)."""

THOUSANDS = "."

PHRASES = {
    # -- pages and the sidebar's settings
    "page_board": "Artikel",
    "page_trends": "Themen & Trends",
    "page_sources": "Quellen",
    "page_digest": "Übersicht",
    "database": "Datenbank: {kind}",
    "db_cannot_open": "Die Datenbank lässt sich nicht öffnen ({error}); WATCH_DB setzen oder"
    " zuerst `watch fetch` ausführen.",
    "db_schema": "Die Datenbank hat die Schema-Revision {schema}, dieses Dashboard liest"
    " {head}: einmal `watch status` ausführen (jeder watch-Befehl bringt sie auf den neuesten"
    " Stand; eine neuere Revision als die des Dashboards stammt von einem neueren watch).",
    # -- board: filters
    "filters": "Filter",
    "search": "Suche",
    "search_placeholder": 'Wörter, "genaue Phrase", -ohne, dies OR das',
    "search_help": "Jedes Wort ist erforderlich (das letzte darf ein Wortanfang sein)."
    ' "apple store": die genaue Phrase. -iphone: ohne das Wort (-"apple store": ohne die'
    " Phrase). iphone OR ipad: eines von beiden (OR in Großbuchstaben). Groß- und"
    " Kleinschreibung sowie Akzente werden ignoriert.",
    "show": "Anzeigen",
    "state_unread": "Ungelesen",
    "state_starred": "Mit Stern oder Notiz",
    "state_all": "Alle",
    "topics": "Themen",
    "unread_count_help": "In Klammern: wie viele Artikel ungelesen sind.",
    "folders": "Ordner",
    "sources": "Quellen",
    "sources_help": "Zusammen mit gewählten Ordnern: deren Quellen und diese.",
    "published_between": "Veröffentlicht zwischen",
    "choose": "Auswählen…",
    "date_format": "DD.MM.YYYY",
    "min_score": "Mindest-Score",
    "sort": "Sortierung",
    "order_score": "Beste zuerst",
    "order_published": "Neueste zuerst",
    "one_per_cluster": "Ein Artikel pro Meldung",
    # -- board: the list and its cards
    "list_count_one": "{count:Artikel} passt · aktualisiert {time}",
    "list_count": "{count:Artikel} passen · aktualisiert {time}",
    "no_match": "Kein Artikel passt zu diesen Filtern.",
    "nothing_yet": "Noch keine Artikel gesammelt: einmal `watch fetch` ausführen (oder `watch"
    " run`, um planmäßig zu sammeln); die Artikel erscheinen dann von selbst hier.",
    "score": "Score {score}",
    "why_summary": "Warum dieser Score · Zusammenfassung",
    "no_summary": "_Keine Zusammenfassung._",
    "article_text": "Artikeltext · {length}",
    "text_minutes": "{count} Min. Lesezeit",
    "text_words": "{count:Wort}",
    "page_not_read": "Seite nicht gelesen: {error}",
    "unsure_help": "Ein graues Thema mit ? ist eine Vermutung des Modells: mit „Nicht zum Thema …“"
    " (Themen…) beantworten, wenn der Artikel nicht davon handelt",
    "off_topic": "ohne Thema",
    "also_covered": "auch berichtet von {count:weiteren Quelle}",
    "date_first_seen": "Datum: erstmals gesehen",
    "no_reason": "kein Grund gespeichert",
    "no_explanation": "Für diesen Score ist keine Erklärung gespeichert.",
    "part_line": "{name}: {points}",
    "part_topic": "Thema",
    "part_source": "Quelle",
    "part_freshness": "Aktualität",
    "part_coverage": "Verbreitung",
    "part_feedback": "Rückmeldung",
    "topic_line": "{label} {percent} %",
    # -- board: actions
    "mark_read": "Als gelesen markieren",
    "mark_unread": "Als ungelesen markieren",
    "star": "Stern",
    "unstar": "Stern entfernen",
    "star_help": "Diese Woche mit Stern markiert, eröffnet er die Übersicht der Woche unter"
    " „Auswahl des Teams“, mit Ihrer Notiz, falls Sie eine schreiben",
    "like": "Mag ich",
    "liked": "Gemocht",
    "dislike": "Mag ich nicht",
    "disliked": "Nicht gemocht",
    "like_help": "Diese Meldung und ähnliche rücken nach oben",
    "dislike_help": "Diese Meldung und ähnliche rücken nach unten",
    "liked_help": "Sie mögen diesen Artikel: klicken, um es zurückzunehmen",
    "disliked_help": "Sie mögen diesen Artikel nicht: klicken, um es zurückzunehmen",
    "taken_back": "Bewertung zurückgenommen",
    "topics_menu": "Themen…",
    "note_menu": "Notiz…",
    "note_label": "Eine Notiz für das Team (in der Übersicht unter dem Artikel, wenn er einen"
    " Stern hat)",
    "note_placeholder": "Warum es für uns wichtig ist",
    "not_about": "Nicht zum Thema {label}",
    "also_about": "Auch zum Thema {label}",
    "judged": "{said}: {change}{others}",
    "judged_added": "{said}: hinzugefügt, {change}{others}",
    "judged_removed": "{said}: entfernt, {change}{others}",
    "score_moved": "Score {before} → {after}",
    "score_unchanged": "Score unverändert",
    "others_moved": " (und {count:weiterer Artikel} dieser Meldung)",
    "mark_all": "Alle {total} Treffer als gelesen markieren",
    "mark_all_title": "Alle als gelesen markieren?",
    "mark_all_stories": "Die {count:Meldung}, die zu diesen Filtern passen, auf allen Seiten als"
    " gelesen markieren? Ihre Kopien aus anderen Quellen werden ebenfalls als gelesen markiert.",
    "mark_all_articles": "Die {count:Artikel}, die zu diesen Filtern passen, auf allen Seiten"
    " als gelesen markieren?",
    "mark_all_yes": "Ja, {total} als gelesen markieren",
    "cancel": "Abbrechen",
    "marked_read": "{count:Artikel} als gelesen markiert",
    "mark_page_read": "Seite als gelesen markieren",
    # -- board: keyboard shortcuts (dashboard.shortcuts)
    "shortcuts": "Tastatur: `j`/`k`, `o`, `m`, `s`, `/` — `?`",
    "shortcut_move": "`j` / `k`: nächster / vorheriger Artikel",
    "shortcut_open": "`o`: den Artikel in einem neuen Tab öffnen (oder die Eingabetaste auf"
    " seinem Titel)",
    "shortcut_read": "`m`: als gelesen / ungelesen markieren",
    "shortcut_star": "`s`: Stern setzen / entfernen",
    "shortcut_search": "`/`: zum Suchfeld",
    "shortcut_help": "`?`: diese Liste ein- oder ausblenden",
    "shortcut_typing": "Beim Tippen in einem Feld und mit gedrückter Strg-, Alt- oder Cmd-Taste"
    " tun die Tasten nichts.",
    # -- board: one article, linked from the digest or an alert (?article=1234)
    "linked_show_all": "Alle Artikel anzeigen",
    "linked_same_story": "Auch berichtet von {count:weiteren Quelle}",
    "linked_not_stored": "Kein Artikel {id} im Dashboard: Er wurde vielleicht inzwischen gelöscht"
    " (`store: keep:` in sources.yaml), oder der Link stammt von einer anderen watch-Installation."
    " Alle Artikel werden angezeigt.",
    "linked_not_a_number": "Der Link verlangt den Artikel „{value}“, das ist keine Artikelnummer:"
    " Alle Artikel werden angezeigt.",
    # -- ages and dates
    "never": "nie",
    "just_now": "gerade eben",
    "now": "jetzt",
    "ago": "vor {amount}",
    "in": "in {amount}",
    "minutes": "{count} Min.",
    "hours": "{count} Std.",
    "days": "{count:Tag}",
    "date": "{day} {year}",
    # -- sources page
    "sources_title": "Quellen",
    "no_source": "Noch keine Quelle in sources.yaml.",
    "health_alt": "Jede Quelle: ihr Status, was zu ändern ist, und ihre Zahlen",
    "col_label": "Quelle",
    "col_name": "Name",
    "col_status": "Status",
    "col_suggestion": "Vorschlag",
    "col_every": "Abgerufen",
    "col_per_week": "Artikel / Woche",
    "col_on_topic": "Themenbezug",
    "col_last_success": "Letzter Erfolg",
    "col_next_due": "Nächster Abruf",
    "col_kind": "Art",
    "col_last_error": "Letzter Fehler",
    "every_minutes": "alle {count} Min.",
    "every_hour": "stündlich",
    "every_hours": "alle {count} Std.",
    "every_day": "täglich",
    "every_days": "alle {count} Tage",
    "every_week": "wöchentlich",
    "every_weeks": "alle {count} Wochen",
    "every_cron": "nach dem Cron-Zeitplan {schedule}",
    "every_value": "„every: {every}“",
    "kind_feed": "Feed",
    "kind_page": "Seite",
    "status_ok": "ok",
    "status_overdue": "überfällig",
    "status_failing": "fehlerhaft",
    "status_gone": "verschwunden",
    "status_broken_selector": "Selektor defekt",
    "status_never_fetched": "nie abgerufen",
    "status_disabled": "deaktiviert",
    "percent": "{value} %",
    "not_fetched_yet": "noch nicht abgerufen",
    "at_next_pass": "beim nächsten Durchlauf",
    "failures_in_a_row": " ({count:Fehlversuch} in Folge)",
    "error_means": "{means}: {error}{repeat}",
    "selectors_matched_nothing": "Seitenquellen, deren Selektoren nichts gefunden haben (das"
    " Layout der Seite hat sich wohl geändert; ihren `select:`-Block in sources.yaml"
    " anpassen): {sources}",
    "source_says": "**{label}**: {text}",
    "what_to_do": "Was tun: {advice}",
    "fetch_now": "Jetzt abrufen",
    "sources_to_fetch": "Abzurufende Quellen",
    "fetch_requested": "Angefordert; der Scheduler übernimmt es beim nächsten Durchlauf: {sources}",
    "fetch_pending": "Offene Anforderung: {sources} (seit {since})",
    "from_a_terminal": "Oder im Terminal (alle Quellen oder die oben gewählten):",
    # -- topics & trends page
    "trends_title": "Themen & Trends",
    "week": "Woche",
    "week_in_progress": "{week} (läuft)",
    "counted_up_to": "Laufende Woche: gezählt bis {weekday} {time} ({zone}) und anteilig mit"
    " den 4 Wochen davor verglichen.",
    "term_before": "{count}, zuvor {previous:.1f}/Woche",
    "term_new": "{count}, neu",
    "expander_before": "zuvor {previous:.1f}/Woche",
    "expander_new": "neu",
    "term_heading": "{term} — {count:Meldung} ({previous})",
    "axis_week": "Woche",
    "axis_articles": "Artikel",
    "axis_topic": "Thema",
    "volume": "Volumen pro Thema und Woche",
    "volume_alt": "Gestapelte Balken der Artikel pro Thema und Woche; dieselben Zahlen stehen in der Tabelle darunter.",
    "volume_table": "Volumen als Tabelle",
    "no_volume": "Noch keine Artikel in diesen Wochen.",
    "growing": "**Wachsend:** {topics}",
    "fading": "**Abnehmend:** {topics}",
    "emerging": "Aufkommende Begriffe",
    "nothing_stands_out": "Diese Woche sticht im Vergleich zu den Vorwochen nichts hervor.",
    "top_stories": "Top-Meldungen pro Thema",
    "no_topic": "(kein Thema)",
    "emerging_in_topic": "Aufkommend: {terms}",
    "no_article_in_topic": "Kein Artikel zu diesem Thema in dieser Woche.",
    # -- digest page
    "digest_title": "Wöchentliche Übersicht",
    "preview_of": "Vorschau auf {week}",
    "send_history": "Versandverlauf",
    "no_digest_sent": "Noch keine Übersicht versandt.",
    "hist_week": "Woche",
    "hist_sent_to": "Gesendet an",
    "hist_status": "Status",
    "hist_sent": "Gesendet",
    "hist_attempts": "Versuche",
    "hist_recipients": "Empfänger",
    "hist_error": "Fehler",
    "hist_next_retry": "Nächster Versuch",
    "hist_status_sent": "gesendet",
    "hist_status_failed": "fehlgeschlagen",
    "hist_status_pending": "wird gesendet",
    "hist_status_skipped": "übersprungen",
    "sent_to_mail": "E-Mail",
    "sent_to_edition": "E-Mail, Ausgabe {edition}",
    "edition": "Ausgabe",
    "edition_team": "die Übersicht (digest.recipients)",
    "sent_to_chat": "{kind}-Chat {chat}",
    "week_ends": "{week} endet am {last} und wird am {send} um {time} ({zone}) versandt.",
    "day_in_words": "{weekday}, {day} {month}",
    "weekdays_short": "Mo. Di. Mi. Do. Fr. Sa. So.",
    "moment": "{weekday}, {day} {month}, {time} ({zone})",
    "smtp_off": "Der Versand ist aus: WATCH_SMTP_HOST (und WATCH_SMTP_*) setzen, um von hier zu"
    " senden.",
    "no_recipients": "Der Versand ist aus: `digest.recipients` in sources.yaml ergänzen.",
    "send_now": "{week} jetzt an {count:Empfänger} senden",
    "send_again": "{week} erneut an {count:Empfänger} senden",
    "mailed_already": "{week} wurde bereits versandt: Erneutes Senden schickt sie jedem"
    " Empfänger zweimal.",
    "due_since": "{week} ist fällig seit {time}: `watch run` sendet sie bei der nächsten Prüfung"
    " (alle 5 Minuten, solange es läuft); diese Schaltfläche sendet sie sofort.",
    "skipped_week": "{week} wurde nicht versandt: die Beobachtung begann nach dieser Woche."
    " `{command}` sendet sie trotzdem.",
    "empty_week": "{week} hat keinen Artikel: von hier gibt es nichts zu senden."
    " `{command}` sendet sie trotzdem.",
    "skipped_why": "die Beobachtung begann nach dieser Woche",
    "sent_ok": "Gesendet an {recipients}.",
    "not_sent": "Nicht gesendet: {error}",
    "send_edition_now": "Ausgabe {edition} von {week} jetzt senden",
    "edition_due_since": "Die Ausgabe {edition} von {week} ist fällig seit {time}: `watch run`"
    " sendet sie bei der nächsten Prüfung (alle 5 Minuten, solange es läuft); diese Schaltfläche"
    " sendet sie sofort.",
    "edition_sent_already": "Die Ausgabe {edition} von {week} wurde am {time} versandt: `watch"
    " digest --edition {edition} --week {week} --send --force` sendet sie erneut.",
    "edition_sent_ok": "Ausgabe {edition} von {week} gesendet an {recipients}.",
    "posted_everywhere": "{week} wurde in jedem Chat gepostet ({count}).",
    "post_now": "{week} jetzt in {count} noch nicht bediente(n) Chat(s) posten",
    "post_help": "Postet in {chats}.",
    "posted_ok": "Im Chat {chat} gepostet.",
    "not_posted": "Nicht im Chat {chat} gepostet: {error}",
    "picks_one": "{count:Artikel} mit Stern aus dieser Woche eröffnet die Übersicht {week},"
    " nicht diese: Diese Woche wählen, um die Auswahl zu sehen.",
    "picks_many": "{count:Artikel} mit Stern aus dieser Woche eröffnen die Übersicht {week},"
    " nicht diese: Diese Woche wählen, um die Auswahl zu sehen.",
}
"""Every phrase the board writes itself, by key."""

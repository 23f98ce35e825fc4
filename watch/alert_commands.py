"""``watch alerts``: what each alert of sources.yaml would send now (nothing sent, nothing
recorded), or with ``--send`` send it now, one line per alert and destination (the parser is in
cli.py; matching, sending and the bookkeeping are ``watch.alerts``'s).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from watch.cli import CommandError, load, open_db
from watch.schedule import utcnow
from watch.wording import counted

if TYPE_CHECKING:
    from watch.alerts import AlertOutcome
    from watch.config.alerts import AlertConfig


def cmd_alerts(args: argparse.Namespace) -> int:
    """Exit 1 when a send failed or was refused, 2 for an unknown ``--name``."""
    from watch.alerts import Channels, run_alerts

    config, settings = load(args)
    if not config.alerts:
        print("no alert in sources.yaml: add an 'alerts:' section (see the README)")
        return 0
    alerts = {alert.name: alert for alert in config.alerts}
    unknown = [name for name in args.name if name not in alerts]
    if unknown:
        raise CommandError(f"no alert {unknown[0]!r} in sources.yaml ({', '.join(alerts)})", 2)
    store = open_db(settings, existing=True)
    try:
        channels = Channels(settings.smtp, settings.chats)
        names = args.name or None
        outcomes = run_alerts(store, config, channels, utcnow(), names=names, send=args.send)
    finally:
        store.close()
    for outcome in outcomes:
        print(outcome_lines(outcome, alerts[outcome.alert]))
    return 1 if any(outcome.status in ("failed", "refused") for outcome in outcomes) else 0


def outcome_lines(outcome: AlertOutcome, alert: AlertConfig) -> str:
    """What one alert did (or would do) for one destination, then the stories it would send."""
    from watch.alerts import STARTED, destination_words

    head = f"alert {alert.name} {destination_words(alert, outcome.destination)}: "
    count = counted(outcome.message.count, "new story") if outcome.message else ""
    said = {
        "not started": "not started: its first run ('watch run', or --send) records where it "
        "starts, and only articles stored after that are sent",
        "started": STARTED,
        "nothing new": "nothing new",
        "would send": f"would send {count} (--send sends them now)",
        "sent": f"sent {count}",
        "failed": f"not sent ({outcome.error}); sent again at the next run",
        "refused": f"not sent ({outcome.error}); the chat refuses it, so {count} will not be "
        "sent there again (the next new story is tried again)",
    }[outcome.status]
    if outcome.waiting:
        said += "; " + waiting_words(outcome.waiting)
    lines = [head + said]
    if outcome.status == "would send" and outcome.message:
        words = outcome.message.language
        for item in outcome.message.items:
            facts = [item.source, words.say("alert_score", score=item.score), *item.topics]
            lines.append(f"  - {item.title} — {' · '.join(facts)}")
        if outcome.message.more:
            lines.append(f"  - and {outcome.message.more} more")
    return "\n".join(lines)


def waiting_words(count: int) -> str:
    """Why articles are held back: "2 articles wait for their page text (…)"."""
    from watch.alerts import TEXT_GRACE

    minutes = int(TEXT_GRACE.total_seconds() // 60)
    verb, pronoun = ("waits for its", "it") if count == 1 else ("wait for their", "them")
    return (
        f"{counted(count, 'article')} {verb} page text ({minutes} minutes at most after being "
        f"collected); the articles stored after wait with {pronoun}"
    )

"""The one rule for an empty week: a digest without any article is not sent unless allowed.

``send_digest`` and ``send_chats`` (``watch.digest_job``) take ``allow_empty`` (False by default)
and raise ``EmptyWeek`` for such a week, saying why it is empty and what was probably meant.
Every sender goes through them: ``watch digest --send`` (``--allow-empty`` allows it), the
board (it draws no button for an empty week, asking ``is_empty`` first, and says the command)
and the scheduler, which allows it for a week of the running watch: a week with no article
while the watch runs means its sources fail, and the team must learn it.  A week that ended
before the watch's first collection is not sent by the scheduler at all (``watch.digest_start``).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from watch.config import WatchConfig
from watch.digest import Digest
from watch.digest_start import before_start, first_collection
from watch.digest_weeks import current_week, has_ended
from watch.store.base import Store


class EmptyWeek(ValueError):
    """A send of a week whose digest has no article, refused (its message says why)."""


def is_empty(digest: Digest) -> bool:
    """Whether ``digest`` has nothing to tell: no article collected that week, no pick."""
    return not digest.overview["articles"] and not digest.story_count


def refuse_empty(store: Store, config: WatchConfig, digest: Digest, now: datetime) -> None:
    """Raise ``EmptyWeek`` when ``digest`` is empty (the rule; ``allow_empty`` skips it)."""
    if is_empty(digest):
        raise EmptyWeek(no_article(store, config, digest.week, now))


def no_article(store: Store, config: WatchConfig, week: str, now: datetime) -> str:
    """Why a send of a week without any article is refused, and what was probably meant:
    "2026-W47 has no article (the watch started on 2026-11-25); to send this week so far: …"."""
    zone = config.digest.timezone
    started, this_week = first_collection(store), current_week(now.astimezone(ZoneInfo(zone)))
    before = started is not None and before_start(week, zone, started, now)
    if started is None:
        why = "the watch has collected nothing yet"
    elif before:
        why = f"the watch started on {started.astimezone(ZoneInfo(zone)):%Y-%m-%d}"
    elif not has_ended(week, zone, now):
        why = "nothing collected yet this week"
    else:
        why = "no source gave one that week: 'watch status' says which fail"
    said = f"{week} has no article ({why})"
    if before:  # a week before the watch: this week is what was meant
        said += f"; to send this week so far: watch digest --send --force --week {this_week}"
    return f"{said}; --allow-empty sends {week} as it is"

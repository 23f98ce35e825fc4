"""The ``watch`` command line: parses arguments, resolves settings once, calls the right module.

Each command is a short function; the work lives in pipeline, scheduler, ranking, export, digest
and opml.  Exit codes: 0 done, 1 failure (``check`` errors, ``fetch --strict``, a file that
cannot be written, another ``watch run`` active), 2 invalid configuration or usage (a bad
argument, an unreadable input file, a database that cannot be opened or does not exist for a
command that only reads), 141 when the reader of standard output went away (``| head``).
A problem the user can fix is a message on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from watch.config import ConfigError, Settings, WatchConfig, load_config, resolve_settings

if TYPE_CHECKING:
    from watch.store import Store

Handler = Callable[[argparse.Namespace], int]
SIGPIPE_EXIT = 141
ARTICLE_ID_HELP = "the article's id: the first field of each record of 'watch export'"
CONFIG_HELP = "sources.yaml (default: $WATCH_CONFIG, else ./sources.yaml)"
DB_HELP = "database URL (default: $WATCH_DB, else sqlite watch.db beside sources.yaml)"


class CommandError(Exception):
    """A command cannot do what was asked; ``str()`` says why, ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


class NoDatabase(CommandError):
    """A command that only reads was pointed at a SQLite file that does not exist."""


DAEMONS = ("cmd_run", "cmd_up")
CHATTY_LOGGERS = ("apscheduler", "httpx", "httpcore", "alembic")
"""Quiet below WARNING: a line per job run, per HTTP request (ours says what the fetch gave),
and alembic's "Context impl SQLiteImpl" at every start."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``watch`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    daemon = handler.__name__ in DAEMONS  # a long-running process says what it does
    logging.basicConfig(
        level=logging.INFO if args.verbose or daemon else logging.WARNING,
        format=("%(asctime)s " if daemon else "") + "%(levelname)s %(name)s: %(message)s",
    )
    for chatty in CHATTY_LOGGERS:
        logging.getLogger(chatty).setLevel(logging.WARNING)
    try:
        return handler(args)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except CommandError as exc:
        print(f"watch {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        # Nobody reads any more: silence the final flush of standard output and stop.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return SIGPIPE_EXIT
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    from watch import alert_commands, digest_commands, source_commands
    from watch import commands as c
    from watch import model_commands as m

    parser = argparse.ArgumentParser(
        prog="watch", description="Technology watch: collect, rank, show, report."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    # -c and --db before the command too (watch -c f.yaml check); the command's own, given after
    # it, win (SUPPRESS: not given there leaves the value given before)
    parser.add_argument("-c", "--config", help=CONFIG_HELP)
    parser.add_argument("--db", help=DB_HELP)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(
        name: str, handler: Handler, help_text: str, db: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(command=name)
        p.add_argument("-c", "--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
        if db:
            p.add_argument("--db", default=argparse.SUPPRESS, help=DB_HELP)
        p.set_defaults(handler=handler)
        return p

    command("check", c.cmd_check, "validate sources.yaml and print a summary", db=False)
    p = command("fetch", c.cmd_fetch, "one pass over all (or named) sources now")
    p.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="only this source (repeatable)",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 if any source failed")
    command("run", c.cmd_run, "the scheduler daemon: every source at its own frequency")
    p = command("status", c.cmd_status, "per-source health")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.add_argument(
        "--problems",
        action="store_true",
        help="only the sources that need attention, the most urgent first",
    )
    p.add_argument(
        "--source", action="append", default=[], metavar="NAME", help="only this source (repeat)"
    )
    p = command("export", c.cmd_export, "every stored article, one record per line")
    p.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    p.add_argument(
        "--since",
        type=parse_since,
        help="only articles fetched since this date (YYYY-MM-DD or ISO 8601)",
    )
    p.add_argument("--out", help="file to write (default: standard output)")
    p.add_argument(
        "--delimiter",
        choices=[",", ";", "tab"],
        default=",",
        help="CSV field separator: ';' for a spreadsheet set to French (default ',')",
    )
    p = command("explain", m.cmd_explain, "why an article has its score")
    p.add_argument("id", type=int, help=ARTICLE_ID_HELP)
    command(
        "train", m.cmd_train, "retrain the classifier from stored articles and feedback, rescore"
    )
    p = command(
        "feedback",
        m.cmd_feedback,
        "judge an article: a vote moves its story's score, --not/--also teach the topics",
    )
    p.add_argument("id", type=int, help=ARTICLE_ID_HELP)
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--up", action="store_true", help="worth reading: +10 on its story's score")
    group.add_argument(
        "--down", action="store_true", help="not worth reading: its story's score 5 at most"
    )
    group.add_argument("--unvote", action="store_true", help="take back its story's vote")
    group.add_argument(
        "--not",
        dest="not_topic",
        metavar="TOPIC",
        help="it is not about this topic (its name or label)",
    )
    group.add_argument(
        "--also",
        dest="also_topic",
        metavar="TOPIC",
        help="it is about this topic too (its name or label)",
    )
    p = command("prune", c.cmd_prune, "delete the articles store.keep no longer keeps")
    p.add_argument("--dry-run", action="store_true", help="say what would go, delete nothing")
    p.add_argument("--keep", type=retention, help="instead of store.keep: 12 months, 90d, 2y…")
    p.add_argument(
        "--vacuum", action="store_true", help="shrink the SQLite file (writers wait meanwhile)"
    )
    p = command("read", c.cmd_read, "mark articles read: by source, topic or age, or --all")
    p.add_argument("--source", action="append", default=[], metavar="NAME", help="repeatable")
    p.add_argument(
        "--topic", action="append", default=[], metavar="NAME", help="name or label; repeatable"
    )
    age = p.add_mutually_exclusive_group()
    age.add_argument("--before", type=parse_since, metavar="DATE", help="published before")
    age.add_argument("--older-than", type=older_than, metavar="AGE", help="7d, 12h, 2w…")
    p.add_argument("--all", action="store_true", help="every article (needed without a filter)")
    p = command("digest", digest_commands.cmd_digest, "render (and send) the weekly digest")
    p.add_argument(
        "--week", type=iso_week, help="ISO week like 2026-W47 (default: the last complete week)"
    )
    p.add_argument("--out", help="write to FILE.html, FILE.md or FILE.txt")
    p.add_argument(
        "--edition",
        metavar="NAME",
        help="that edition of digest.editions instead (its language, topics, recipients): "
        "previewed, written or sent, by mail only",
    )
    p.add_argument(
        "--send",
        action="store_true",
        help="send it by mail and post it to the chats of digest.chats, each once per week "
        "(the mail or a chat already sent is skipped; a week that has not ended is refused)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="with --send: mail it again even if sent, post it again to every chat even those "
        "already posted; a week that has not ended is sent now as an extra, which does not "
        "count as the weekly send",
    )
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="with --send: send a week that has no article (refused otherwise)",
    )
    p = command("alerts", alert_commands.cmd_alerts, "what each alert would send now, or --send")
    p.add_argument("--send", action="store_true", help="send now what is new (each story once)")
    p.add_argument("--name", action="append", default=[], help="only this alert (repeatable)")
    p = command("dashboard", c.cmd_dashboard, "open the Streamlit board")
    p.add_argument("--port", type=int, default=8501)
    p = command("up", c.cmd_up, "scheduler and board together")
    p.add_argument("--port", type=int, default=8501)
    p = command(
        "demo",
        c.cmd_demo,
        "serve the bundled sample feeds, collect them and open the board",
        db=False,
    )
    p.add_argument(
        "--dir", default="watch-demo", help="where the demo keeps its sources.yaml and database"
    )
    p.add_argument("--port", type=int, default=8501)
    p.add_argument(
        "--no-board", action="store_true", help="collect and print, do not open the board"
    )
    p = command(
        "sources",
        source_commands.cmd_sources,
        "add a site or feed; import or export sources as OPML",
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, help_text: str, target: str, metavar: str) -> argparse.ArgumentParser:
        # its own parser, so options may come before or after the URL or file; -c/--db given
        # after the action too (SUPPRESS: not given here leaves the value given before it)
        a = actions.add_parser(name, help=help_text, description=help_text)
        a.add_argument("-c", "--config", default=argparse.SUPPRESS, help="sources.yaml")
        a.add_argument("--db", default=argparse.SUPPRESS, help="database URL")
        a.add_argument("file", nargs="?", metavar=metavar, help=target)
        return a

    a = action(
        "add", "find a site's feed, suggest every: and topics, append", "site or feed URL", "URL"
    )
    a.add_argument("--name", help="the source's name (default: from the feed's title)")
    a.add_argument("--every", help="how often to consult it (default: suggested)")
    a.add_argument("--topics", help="topic hints, comma-separated (default: suggested)")
    a.add_argument("--dry-run", action="store_true", help="show what would be added, write nothing")
    a = action("import-opml", "append the feeds of another reader's OPML", "the OPML file", "FILE")
    a.add_argument(
        "--every",
        help="how often to consult the imported feeds, our own export's included (default: "
        f"{source_commands.IMPORT_EVERY}, or the frequency our own export gives)",
    )
    action(
        "export-opml",
        "write the sources as OPML",
        "file to write (default: standard output)",
        "FILE",
    )
    return parser


# -- shared helpers for commands ---------------------------------------------------------


def settings_for(args: argparse.Namespace, config: WatchConfig | None = None) -> Settings:
    return resolve_settings(getattr(args, "config", None), getattr(args, "db", None), config)


def load(args: argparse.Namespace) -> tuple[WatchConfig, Settings]:
    """Validate sources.yaml (ConfigError → exit 2) and resolve settings with its credentials."""
    path = settings_for(args).config_path
    config = load_config(path)
    return config, settings_for(args, config)


def parse_since(text: str) -> datetime:
    """``--since``: a date or an ISO 8601 time (UTC unless it says otherwise)."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD or ISO 8601 like 2026-11-01T08:00:00Z)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def older_than(text: str) -> timedelta:
    """``--older-than``: an age like 7d, 12h or 2w."""
    from watch.config.durations import parse_duration

    try:
        return parse_duration(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an age like 7d, 12h or 2w") from None


def iso_week(text: str) -> str:
    """``--week``: an ISO week name that exists, like 2026-W47 (2026-W99 does not)."""
    from watch.trends import week_bounds

    try:
        week_bounds(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def retention(text: str) -> str:
    """``--keep``: a retention as sources.yaml's ``store.keep`` takes it."""
    from pydantic import ValidationError

    from watch.config.schema import StoreConfig

    try:
        StoreConfig(keep=text)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise argparse.ArgumentTypeError(message) from None
    return text


def open_db(settings: Settings, *, existing: bool = False) -> Store:
    """The store at ``settings.db_url``; a URL that cannot be opened is a CommandError (exit 2)
    naming it without its password.  ``existing``: a command that only reads refuses a SQLite
    file that does not exist rather than creating an empty database."""
    import sqlalchemy as sa
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from watch.store import open_store
    from watch.store.sql_migrate import NewerSchema

    url = settings.db_url
    try:
        parsed = sa.make_url(url)
        shown = parsed.render_as_string(hide_password=True)
        if existing and parsed.get_backend_name() == "sqlite":
            _require_file(parsed.database)
        return open_store(url)
    except ArgumentError:
        raise CommandError(
            f"--db {url!r} is not a database URL (sqlite:///path/watch.db or "
            "postgresql://user@host/db)",
            2,
        ) from None
    except NewerSchema as exc:
        raise CommandError(f"{shown}: {exc}", 2) from None
    except (SQLAlchemyError, ImportError) as exc:
        reason = _first_line(getattr(exc, "orig", None) or exc)
        if parsed.password:
            reason = reason.replace(str(parsed.password), "***")
        raise CommandError(f"cannot open the database {shown}: {reason}", 2) from None


def _require_file(database: str | None) -> None:
    if database in (None, "", ":memory:") or Path(str(database)).exists():
        return
    raise NoDatabase(
        f"no database at {database}: nothing collected there yet. Run 'watch fetch' or "
        "'watch run' first, or point --db (or $WATCH_DB) at your database",
        2,
    )


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    raise SystemExit(main())

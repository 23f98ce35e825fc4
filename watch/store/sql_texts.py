"""Article texts on SQL: which pages are still to be read, which were never tried yet (alerts
wait for them), saving what they gave, reading it back, and how each source's pages went.

``article_texts`` has one row per article whose page was tried (``watch.full_text``): its text,
or the last failure and how many passes tried.  Saving a text also writes its start beside the
article (``articles.text_lead``, cut at a word), which classification reads with the article;
the topics and score that text gave are written in the same transaction (alerts, which wait
for the text rows, never judge an article on its feed's text once its page is read).
A row goes with its article: the foreign key's ``ON DELETE CASCADE`` (SQLite's
``foreign_keys`` is on) removes it when retention deletes the article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from watch.models import ArticleText
from watch.store.base_texts import TextCounts, WantedText
from watch.store.schema import article_texts, articles
from watch.store.sql_upsert import chunks, write_classification

if TYPE_CHECKING:
    from watch.store.base import ClassificationUpdate


class TextMethods:
    """The article-text methods of ``Store`` for ``SqlStore``, which provides the transactions."""

    if TYPE_CHECKING:
        _dialect: str

        def _read(self) -> AbstractContextManager[Connection]: ...
        def _write(self) -> AbstractContextManager[Connection]: ...

    def articles_wanting_text(
        self,
        sources: Sequence[str],
        *,
        fetched_since: datetime,
        retry_before: datetime,
        per_source: int,
        max_attempts: int,
        made_with: Mapping[str, str] | None = None,
    ) -> list[WantedText]:
        a, t = articles.c, article_texts.c
        to_retry = sa.and_(
            t.error.is_not(None),
            t.final.is_(False),
            t.attempts < max_attempts,
            t.fetched_at < retry_before,
        )
        wanting = [t.article_id.is_(None), to_retry]
        other_setting = sa.and_(
            sa.bindparam("check", type_=sa.Boolean), t.made_with != sa.bindparam("setting")
        )
        stmt = (
            sa.select(a.id, a.source, a.url, a.summary_text, a.title)
            .select_from(articles.outerjoin(article_texts, t.article_id == a.id))
            .where(
                a.source == sa.bindparam("source"),
                a.fetched_at >= fetched_since,
                a.url != "",
                sa.or_(*wanting, other_setting),
            )
            .order_by(a.published.desc(), a.id.desc())
            .limit(per_source)
        )
        settings = made_with or {}
        wanted: list[WantedText] = []
        with self._read() as conn:
            for source in dict.fromkeys(sources):
                setting = settings.get(source)
                values = {"source": source, "check": setting is not None, "setting": setting or ""}
                rows = conn.execute(stmt, values)
                wanted += [WantedText(*row) for row in rows]
        return wanted

    def articles_waiting_for_text(
        self, sources: Sequence[str], *, fetched_since: datetime
    ) -> list[int]:
        a, t = articles.c, article_texts.c
        stmt = (
            sa.select(a.id)
            .select_from(articles.outerjoin(article_texts, t.article_id == a.id))
            .where(
                a.source.in_(sorted(set(sources))),
                a.fetched_at >= fetched_since,
                a.url != "",
                t.article_id.is_(None),
            )
            .order_by(a.id)
        )
        with self._read() as conn:
            return list(conn.execute(stmt).scalars())

    def save_article_texts(
        self, texts: Sequence[ArticleText], classified: Sequence[ClassificationUpdate] = ()
    ) -> None:
        if not texts:
            return
        with self._write() as conn:
            present = _existing_ids(conn, [t.article_id for t in texts])
            kept = [t for t in texts if t.article_id in present]
            if not kept:
                return
            leads = [{"_id": t.article_id, "text_lead": t.lead} for t in kept if t.error is None]
            if leads:
                stmt = articles.update().where(articles.c.id == sa.bindparam("_id"))
                conn.execute(stmt.values(text_lead=sa.bindparam("text_lead")), leads)
            write_classification(conn, [u for u in classified if u.article_id in present])
            conn.execute(self._upsert_text_statement(), [_text_row(t) for t in kept])

    def article_texts(self, ids: Sequence[int], *, html: bool = True) -> dict[int, ArticleText]:
        columns = [c for c in article_texts.c if html or c.name != "html"]
        found: dict[int, ArticleText] = {}
        with self._read() as conn:
            for chunk in chunks(sorted(set(ids))):
                stmt = sa.select(*columns).where(article_texts.c.article_id.in_(chunk))
                for row in conn.execute(stmt).mappings():
                    found[row["article_id"]] = ArticleText(**row)
        return found

    def article_text_counts(
        self, sources: Sequence[str], *, fetched_since: datetime
    ) -> dict[str, TextCounts]:
        a, t = articles.c, article_texts.c
        recent = (
            sa.select(a.source)
            .select_from(articles.outerjoin(article_texts, t.article_id == a.id))
            .where(a.source.in_(sorted(set(sources))), a.fetched_at >= fetched_since, a.url != "")
        )
        read = sa.func.count(sa.case((sa.and_(t.article_id.is_not(None), t.error.is_(None)), 1)))
        waiting = sa.func.count(sa.case((t.article_id.is_(None), 1)))
        counts = recent.add_columns(read, sa.func.count(t.error), waiting).group_by(a.source)
        errors = (
            recent.add_columns(t.error, sa.func.count(), sa.func.max(t.fetched_at))
            .where(t.error.is_not(None))
            .group_by(a.source, t.error)
        )
        found = {name: TextCounts() for name in sources}
        with self._read() as conn:
            for name, *figures in conn.execute(counts):
                found[name] = TextCounts(*figures)
            for name, error, *_ in sorted(conn.execute(errors), key=_error_rank):
                found[name].error = error  # the most frequent (the latest among equals) comes last
        return found

    def _upsert_text_statement(self) -> Any:
        """INSERT a text row, or replace the stored one counting one more attempt (the first
        made with a new ``full_text`` setting counts 1).  A failed read keeps the text an earlier
        read gave (a re-read after a setting change, a page down for an hour): the row then has
        both, the text and why the last read failed."""
        if self._dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
        stmt = insert(article_texts)
        columns = ("fetched_at", "error", "final", "made_with")
        replaced: dict[str, Any] = {name: stmt.excluded[name] for name in columns}
        for name in ("html", "text"):  # a failure ("") never replaces a text read before
            stored = article_texts.c[name]
            replaced[name] = sa.case(
                (stmt.excluded.error.is_(None), stmt.excluded[name]), else_=stored
            )
        same_setting = article_texts.c.made_with == stmt.excluded.made_with
        attempts = sa.case((same_setting, article_texts.c.attempts + 1), else_=1)
        return stmt.on_conflict_do_update(
            index_elements=[article_texts.c.article_id], set_={**replaced, "attempts": attempts}
        )


def _existing_ids(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Those of ``ids`` still stored (retention may have deleted one while its page was read)."""
    found: set[int] = set()
    for chunk in chunks(sorted(set(ids))):
        stmt = sa.select(articles.c.id).where(articles.c.id.in_(chunk))
        found.update(conn.execute(stmt).scalars())
    return found


def _error_rank(row: Any) -> tuple[int, datetime, str]:
    """An error of a source (source, error, pages, latest): by pages, then latest, then words."""
    return row[2], row[3], row[1]


def _text_row(text: ArticleText) -> dict[str, Any]:
    return {
        "article_id": text.article_id,
        "html": text.html if text.error is None else "",
        "text": text.text if text.error is None else "",
        "fetched_at": text.fetched_at,
        "error": text.error,
        "attempts": 1,
        "final": text.final and text.error is not None,
        "made_with": text.made_with,
    }

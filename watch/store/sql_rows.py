"""Conversions between the store's rows and the data types of ``watch.models`` / ``base``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from watch.models import Article, FetchLogEntry, SourceState, StoredArticle, TopicMatch
from watch.store.base import ClassificationUpdate, DigestRecord

ARTICLE_CONTENT_FIELDS = (
    "guid",
    "url",
    "canonical_url",
    "title",
    "summary_html",
    "summary_text",
    "author",
    "language",
)
"""Fields a re-fetch may change (published and date_from_feed follow their own rule)."""

CLASSIFICATION_FIELDS = ("topics", "score", "score_parts", "explanation", "cluster_id")

SOURCE_STATE_FIELDS = (
    "name",
    "status",
    "etag",
    "last_modified",
    "last_attempt",
    "last_success",
    "last_error",
    "error_count",
    "next_due",
    "items_seen",
    "last_new",
    "url",
    "empty_selector",
    "title",
    "home_url",
)


def topics_to_json(topics: list[TopicMatch]) -> list[dict[str, Any]]:
    return [
        {"name": t.name, "confidence": t.confidence, "reasons": list(t.reasons)} for t in topics
    ]


def topics_from_json(data: Any) -> list[TopicMatch]:
    return [
        TopicMatch(
            name=t["name"], confidence=float(t["confidence"]), reasons=list(t.get("reasons") or [])
        )
        for t in data or []
    ]


def classification_row(article: Article | ClassificationUpdate) -> dict[str, Any]:
    return {
        "topics": topics_to_json(article.topics),
        "score": float(article.score),
        "score_parts": dict(article.score_parts),
        "explanation": list(article.explanation),
        "cluster_id": article.cluster_id,
    }


def article_to_row(article: Article) -> dict[str, Any]:
    """A new row: content, first-seen time, classification, and unset user flags."""
    row = {name: getattr(article, name) for name in ARTICLE_CONTENT_FIELDS}
    row.update(
        source=article.source,
        published=article.published,
        fetched_at=article.fetched_at,
        date_from_feed=bool(article.date_from_feed),
        read=False,
        starred=False,
        vote=0,
    )
    row.update(classification_row(article))
    return row


def row_to_article(row: Mapping[Any, Any]) -> StoredArticle:
    return StoredArticle(
        id=row["id"],
        source=row["source"],
        guid=row["guid"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        title=row["title"],
        summary_html=row["summary_html"],
        summary_text=row["summary_text"],
        author=row["author"],
        published=row["published"],
        fetched_at=row["fetched_at"],
        language=row["language"],
        date_from_feed=bool(row["date_from_feed"]),
        topics=topics_from_json(row["topics"]),
        score=float(row["score"]),
        score_parts={k: float(v) for k, v in (row["score_parts"] or {}).items()},
        explanation=list(row["explanation"] or []),
        cluster_id=row["cluster_id"],
        read=bool(row["read"]),
        starred=bool(row["starred"]),
        starred_at=row["starred_at"],
        note=row["note"] or "",
        vote=int(row["vote"]),
        text_lead=row["text_lead"] or "",
    )


def source_state_to_row(state: SourceState) -> dict[str, Any]:
    return {name: getattr(state, name) for name in SOURCE_STATE_FIELDS}


def row_to_source_state(row: Mapping[Any, Any]) -> SourceState:
    values = {name: row[name] for name in SOURCE_STATE_FIELDS}
    values["empty_selector"] = bool(values["empty_selector"])
    return SourceState(**values)


def row_to_fetch_log(row: Mapping[Any, Any]) -> FetchLogEntry:
    return FetchLogEntry(
        source=row["source"],
        at=row["at"],
        outcome=row["outcome"],
        http_status=row["http_status"],
        new_items=row["new_items"],
        seen_items=row["seen_items"],
        duration=row["duration"],
        error=row["error"],
    )


def digest_to_row(record: DigestRecord) -> dict[str, Any]:
    return {
        "week": record.week,
        "status": record.status,
        "attempts": record.attempts,
        "last_attempt": record.last_attempt,
        "sent_at": record.sent_at,
        "error": record.error,
        "recipients": list(record.recipients),
        "next_retry": record.next_retry,
    }


def row_to_digest(row: Mapping[Any, Any]) -> DigestRecord:
    return DigestRecord(
        week=row["week"],
        status=row["status"],
        attempts=row["attempts"],
        last_attempt=row["last_attempt"],
        sent_at=row["sent_at"],
        error=row["error"],
        recipients=list(row["recipients"] or []),
        next_retry=row["next_retry"],
    )


def pair_values(size: int) -> str:
    """``(:s0, :k0), (:s1, :k1)…``: a VALUES list of ``size`` (source, key) pairs, whose
    parameters ``pair_params`` gives (both lookups by (source, key) join such a list)."""
    return ", ".join(f"(:s{i}, :k{i})" for i in range(size))


def pair_params(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The parameters of ``pair_values(len(pairs))``."""
    params: dict[str, str] = {}
    for i, (source, key) in enumerate(pairs):
        params[f"s{i}"], params[f"k{i}"] = source, key
    return params

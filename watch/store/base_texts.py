"""The article-text part of the storage interface (``full_text:`` sources), mixed into
``watch.store.base.Store``: which pages are still to be read, saving what they gave, reading it
back, and how each source's pages went lately (``article_text_counts``, its health).

``watch.store.sql_texts`` implements it; the contract tests are ``tests/test_store_texts.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from watch.models import ArticleText

if TYPE_CHECKING:
    from watch.store.base import ClassificationUpdate


@dataclass
class WantedText:
    """An article whose page is to be read for its text (``Store.articles_wanting_text``)."""

    id: int
    source: str
    url: str
    summary_text: str
    """The feed's text: a page that gives no more is no improvement."""
    title: str = ""
    """The article's title: a page's first paragraph saying it is dropped."""


@dataclass
class TextCounts:
    """How one source's article pages went (``Store.article_text_counts``)."""

    read: int = 0
    """Articles whose page gave a text."""
    failed: int = 0
    """Articles whose page failed (at its last attempt; it may be tried again)."""
    waiting: int = 0
    """Articles whose page was never tried yet."""
    error: str | None = None
    """The failure most of the failed pages gave (the latest one among equals)."""


class TextStore(ABC):
    """The article-text methods of ``Store``."""

    @abstractmethod
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
        """The articles of ``sources`` first seen since ``fetched_since`` whose page is still
        to be read: never tried, or failed (not ``final``) fewer than ``max_attempts`` times and
        last tried before ``retry_before``, or (read or failed) with another ``full_text``
        setting than the source's in ``made_with`` (by source name: "auto" or its selector);
        the newest published first, at most ``per_source`` of each source; articles without a
        link are left out."""

    @abstractmethod
    def articles_waiting_for_text(
        self, sources: Sequence[str], *, fetched_since: datetime
    ) -> list[int]:
        """The ids (lowest first) of the articles of ``sources`` first seen since ``fetched_since``
        whose page was never tried (no text, no failure), articles without a link left out."""

    @abstractmethod
    def save_article_texts(
        self, texts: Sequence[ArticleText], classified: Sequence[ClassificationUpdate] = ()
    ) -> None:
        """Insert or replace the text of each article (one more attempt each), in one write;
        an article given a text (no ``error``) also keeps its start as its ``text_lead``, and
        the ``classified`` updates (the topics and score its text gave) are written in the same
        write: the text rows, which alerts wait for, never show without them.  Texts and
        updates of articles deleted meanwhile are dropped."""

    @abstractmethod
    def article_texts(self, ids: Sequence[int], *, html: bool = True) -> dict[int, ArticleText]:
        """The stored text (or last failure) of each article of ``ids`` that has one; without
        its ``html`` (""), not even read, when ``html`` is False (for a reader of the plain text
        alone: an export)."""

    @abstractmethod
    def article_text_counts(
        self, sources: Sequence[str], *, fetched_since: datetime
    ) -> dict[str, TextCounts]:
        """For each of ``sources`` (all of them, zeros when it has nothing), over its articles
        first seen since ``fetched_since`` that have a link: how many pages were read, failed
        and never tried yet, and the error most failed pages gave; one read for all."""

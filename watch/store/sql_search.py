"""Full-text search: the board's search syntax, read from the user's text and matched in SQL.

The syntax (as FreshRSS and most web search boxes write it)::

    apple sto          every word; the last, written plain, also as the start of a longer
                       one ("sto" finds "store"; not an excluded word nor a closed phrase),
                       as the board searches while one types; ``whole_words`` (an alert,
                       sent at once: "rust" must not find "Rustic") leaves it a word
    "apple store"      the exact phrase: these words, in this order, next to each other
    -iphone            without this word; -"apple store" without this phrase (a "-" inside
                       a word is punctuation: "wi-fi" is the phrase "wi fi")
    iphone OR ipad     either term (uppercase OR; a lowercase "or" is a word to find);
                       OR joins the two terms around it: apple iphone OR ipad = apple and
                       (iphone or ipad)

A word written with inner punctuation ("3.12", "apple.com") is its parts in a row, as the index
splits it.  Stray syntax is left out, never an error: an OR at either end, a lone "-", an empty
"" (an unclosed quote runs to the end of the text, its last word a prefix); only exclusions
("-iphone") list every article without the word.  Typographic quotes (“ ” „, which phones type
for ") are quotes too.

One code path over two dialects, and user text never reaches the match syntax: each term is
reduced to its words (runs of letters and digits: "_" splits words, as both indexes do),
quoted.  A term is found in an article's title, its summary or the text read from its page
(``article_texts``, a source's ``full_text:``), each term on its own: "apple store" finds
"Apple" in a title with "store" in the page text.  Two indexes: SQLite's FTS5 tables
``articles_fts`` and ``article_texts_fts`` (a phrase is one quoted string), PostgreSQL's
``search_vector`` columns of ``articles`` and ``article_texts`` (``<->`` between a phrase's
words; each word goes through the same unaccent-then-split as the stored text, migrations 0004
and 0013).  Both fold case and accents and split words at every ASCII punctuation mark.  The
required terms share one match of the articles' index (as before page texts were searched, and
as fast), to which come the articles whose page text holds one of them, each of the others in
that text or in the title and summary; an OR of plain terms is one match of each index; each
exclusion leaves out what its term finds (FTS5 has no NOT without a left operand).  A phrase is
found within one text, never from a summary into the page text.  One difference remains: a
phrase spanning the end of a title and the start of its summary ("… Apple" / "Store hours …")
is found on PostgreSQL, whose vector runs title and summary together, and not on SQLite, whose
two columns a phrase never crosses.
A word written with symbols the index drops ("C++", "C#", ".NET") must also appear as written
in the title, the summary or the page text, wherever it is in the syntax.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import ColumnElement

from watch.store.schema import article_texts, articles

_WORD = re.compile(r"[^\W_]+")
_SYMBOL_WORD = re.compile(r"(?:(?<![\w.])\.\w+|\b\w+(?:\+\+|#))(?![\w+#])")
_PIECE = re.compile(r'(-?)(?:"([^"]*)("?)|([^\s"]+))')
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"'})
SEARCH_PUNCTUATION = string.punctuation
"""ASCII punctuation, turned into spaces in PostgreSQL's search text (as in migration 0004's
``search_vector``)."""


@dataclass(frozen=True)
class SearchTerm:
    """One term of a search: a word, or words in a row (a phrase)."""

    words: tuple[str, ...]
    """Lower-cased, in order: several words must follow each other."""
    symbols: tuple[str, ...] = ()
    """Words written with symbols ("c++"), which must also appear as written."""
    excluded: bool = False
    prefix: bool = False
    """The last word may be the start of a longer one."""


Clause = tuple[SearchTerm, ...]
"""Terms joined by OR (one term without OR); a search needs every clause."""


def search_tokens(text: str) -> list[str]:
    """The words of a text, lower-cased; punctuation and operators dropped."""
    return [word.lower() for word in _WORD.findall(text)]


def symbol_words(text: str) -> list[str]:
    """The words of a search written with symbols the index drops ("C++", "C#", ".NET"),
    lower-cased: they must appear as written, not as their letters alone."""
    return [word.lower() for word in _SYMBOL_WORD.findall(text)]


def parse_search(text: str, *, whole_words: bool = False) -> list[Clause]:
    """The clauses of a user's search; empty when it has no word to look for.  The last word
    written plain is also a prefix unless ``whole_words``."""
    clauses: list[list[SearchTerm]] = []
    joins_previous = False
    last: tuple[int, int, str] | None = None
    """Where the last term the user wrote (not an exclusion) is, when it may be a prefix."""
    for piece in _PIECE.finditer(text.translate(_QUOTES)):
        negated, quoted, closing, bare = piece.groups()
        if bare == "OR" and not negated:
            joins_previous = bool(clauses)
            continue
        written = quoted if bare is None else bare
        term = _term(written, excluded=bool(negated))
        if term is None:
            continue
        if joins_previous:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        joins_previous = False
        if not negated:  # an exclusion after it leaves the last word a prefix: "apple sto -iphone"
            open_ended = bare is not None or not closing
            last = (len(clauses) - 1, len(clauses[-1]) - 1, written) if open_ended else None
    if last is not None and not whole_words:
        clause, index, written = last
        clauses[clause][index] = _as_prefix(clauses[clause][index], written)
    return [tuple(clause) for clause in clauses]


def _term(written: str, excluded: bool) -> SearchTerm | None:
    words = tuple(search_tokens(written))
    if not words:
        return None
    return SearchTerm(words, tuple(symbol_words(written)), excluded)


def _as_prefix(term: SearchTerm, written: str) -> SearchTerm:
    """The last term of a search, its last word a prefix unless written with a symbol at the
    end ("C++" is not the start of a longer word)."""
    if term.symbols and written.lower().endswith(term.symbols[-1]):
        return term
    return replace(term, prefix=True)


def searches_words(text: str) -> bool:
    """Whether the search requires some word (not only exclusions)."""
    return any(not term.excluded for clause in parse_search(text) for term in clause)


def requires_a_word(text: str) -> bool:
    """Whether every article the search finds holds one of its words: not so when it only
    excludes ("-drupal", "ipad OR -apple" finds the articles without "apple")."""
    return any(not any(term.excluded for term in clause) for clause in parse_search(text))


def search_filter(
    text: str, dialect: str, table: Any, *, whole_words: bool = False
) -> ColumnElement[bool] | None:
    """The articles of ``table`` the search finds, or None when the text has no word; the last
    plain word is also a prefix unless ``whole_words``."""
    clauses = parse_search(text, whole_words=whole_words)
    if not clauses:
        return None
    required = [clause[0] for clause in clauses if len(clause) == 1 and not clause[0].excluded]
    conditions = [_all_of(required, dialect, table)] if required else []
    for clause in clauses:
        if len(clause) > 1:
            conditions.append(_any_of(clause, dialect, table))
        elif clause[0].excluded:
            conditions.append(sa.not_(_all_of(clause, dialect, table, by_row=True)))
    return sa.and_(*conditions)


def _all_of(
    terms: Sequence[SearchTerm], dialect: str, table: Any, *, by_row: bool = False
) -> ColumnElement[bool]:
    """Every term present (``excluded`` ignored), each in the title, summary or page text;
    ``by_row`` when no index can find the rows (under a NOT), see ``_found``."""
    as_written = [_as_written(word, table) for term in terms for word in term.symbols]
    return sa.and_(_found(terms, "AND", dialect, table, by_row=by_row), *as_written)


def _any_of(terms: Sequence[SearchTerm], dialect: str, table: Any) -> ColumnElement[bool]:
    """At least one term true: one match of each index when the terms are plain words or
    phrases."""
    if not any(term.excluded or term.symbols for term in terms):
        return _found(terms, "OR", dialect, table)
    by_row = any(term.excluded for term in terms)
    found = [_all_of([term], dialect, table, by_row=by_row) for term in terms]
    return sa.or_(
        *(
            sa.not_(match) if term.excluded else match
            for term, match in zip(terms, found, strict=True)
        )
    )


def _as_written(word: str, table: Any) -> ColumnElement[bool]:
    """``word`` in the title, the summary or the page text (looked at for the articles the
    index found: correlated, never a scan of every text)."""
    in_text = sa.exists().where(
        article_texts.c.article_id == table.c.id,
        sa.func.lower(article_texts.c.text).contains(word, autoescape=True),
    )
    return sa.or_(
        sa.func.lower(table.c.title).contains(word, autoescape=True),
        sa.func.lower(table.c.summary_text).contains(word, autoescape=True),
        in_text,
    )


def _found(
    terms: Sequence[SearchTerm], operator: str, dialect: str, table: Any, *, by_row: bool = False
) -> ColumnElement[bool]:
    """The terms joined by ``operator`` ("AND" or "OR"), each in the title and summary or in
    the page text: the articles the articles' index matches, as before page texts were
    searched (and as fast), and those with a page text holding a term (``_text_ids``).

    On PostgreSQL the second set is an array (``= ANY``), which the primary key looks up: a
    bitmap scan ORs it with the GIN index (an IN there, not indexable, would scan every article
    for a rare word); ``by_row`` (under a NOT, tested on each row) it is an IN, a hashed set
    (``= ANY`` reads the whole array at each row: seconds over thousands of texts)."""
    every = operator == "AND" and len(terms) > 1
    text_ids = _text_ids(terms, dialect, every=every)
    if dialect == "sqlite":
        expression = f" {operator} ".join(_fts5_string(term) for term in terms)
        return table.c.id.in_(sa.union_all(_fts5_ids(_ARTICLES_FTS, expression), text_ids))
    in_articles = _vector(table).op("@@")(_tsquery(terms, operator))
    if by_row:
        return sa.or_(in_articles, table.c.id.in_(sa.select(text_ids.c.article_id)))
    found = sa.select(sa.func.array_agg(text_ids.c.article_id)).scalar_subquery()
    return sa.or_(in_articles, table.c.id == sa.any_(sa.func.coalesce(found, sa.text("'{}'"))))


def _text_ids(terms: Sequence[SearchTerm], dialect: str, *, every: bool) -> Any:
    """The ids of the articles whose page text holds one of the terms; with ``every``, also
    each term in that text or in the article's title and summary."""
    if dialect == "sqlite":
        expression = " OR ".join(_fts5_string(term) for term in terms)
        stmt = _fts5_ids(_TEXTS_FTS, expression)
        # each term checked on the texts the match found (never none): "rowid + 0" keeps the
        # lists out of the FTS5 lookup; a UNION, as an OR of two INs hides the MATCH from FTS5
        for term in terms if every else ():
            single = _fts5_string(term)
            either = sa.union_all(_fts5_ids(_TEXTS_FTS, single), _fts5_ids(_ARTICLES_FTS, single))
            stmt = stmt.where((_TEXTS_FTS.c.rowid + 0).in_(either))
        return stmt
    texts = article_texts.alias("texts")
    stmt = sa.select(texts.c.article_id).where(_vector(texts).op("@@")(_tsquery(terms, "OR")))
    if every:
        searched = articles.alias("searched")
        stmt = stmt.join(searched, searched.c.id == texts.c.article_id)
        for term in terms:
            query = _tsquery([term], "AND")
            stmt = stmt.where(
                sa.or_(_vector(texts).op("@@")(query), _vector(searched).op("@@")(query))
            )
    return stmt.correlate(None).subquery()


_ARTICLES_FTS = sa.table("articles_fts", sa.column("rowid"))
_TEXTS_FTS = sa.table("article_texts_fts", sa.column("rowid"))


def _fts5_ids(fts: Any, expression: str) -> Any:
    """The rowids (article ids) FTS5 table ``fts`` matches for ``expression``."""
    match = sa.literal_column(fts.name).op("MATCH")(
        sa.bindparam("fts_query", expression, unique=True)
    )
    return sa.select(fts.c.rowid).where(match).correlate(None)


def _tsquery(terms: Sequence[SearchTerm], operator: str) -> ColumnElement[Any]:
    joiner = " & " if operator == "AND" else " | "
    tsquery = sa.func.concat_ws(joiner, *(_pg_term(term) for term in terms))
    return sa.func.to_tsquery(sa.literal_column("'simple'"), tsquery)


def _vector(table: Any) -> ColumnElement[Any]:
    """The ``search_vector`` of a PostgreSQL table or alias (a generated column only the
    migrations declare)."""
    return sa.literal_column(f"{table.name}.search_vector")


def _fts5_string(term: SearchTerm) -> str:
    """One FTS5 string: its words are a phrase; ``*`` after it makes the last one a prefix.
    The words are ``\\w`` runs: no quote can end the string early."""
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def _pg_term(term: SearchTerm) -> ColumnElement[Any]:
    """The term as tsquery text: its words in a row (``<->``), each unaccented and split as
    the stored text is (a word that unaccent turns into punctuation, "½" → "1/2", becomes the
    phrase '1 2'); ASCII punctuation, quotes included, cannot survive that split."""
    spaces = " " * len(SEARCH_PUNCTUATION)
    quoted = [
        sa.func.concat(
            "'", sa.func.translate(sa.func.watch_unaccent(word), SEARCH_PUNCTUATION, spaces), "'"
        )
        for word in term.words
    ]
    if term.prefix:
        quoted[-1] = sa.func.concat(quoted[-1], ":*")
    return sa.func.concat("(", sa.func.concat_ws(" <-> ", *quoted), ")")

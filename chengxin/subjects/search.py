"""Name search over organisations: substring semantics, in rank order, an index for every length.

Rank order (`ranked`): the names the query covers most first — an exact name, then ever longer
names holding it — then by id (the order of registration). Natural persons are never found by
name.

- SQLite: each organisation's name is indexed as its characters, one token each ("枣 庄 市 …"), in
  a contentless FTS5 table kept by triggers, under a rowid that is the rank key (length × 2^32 +
  id); a query is a phrase of adjacent characters, read in rowid order, so a page stops early.
- PostgreSQL: each name is stored as the array of its distinct overlapping two-character pieces
  tagged with the name's length ("8:宏达", "8:达商", … for an eight-character name) in a
  generated column with a GIN index; a query of n >= 2 characters at length L is "contains all of
  its tagged bigrams", a short posting list, probed length by length upwards until the page is
  full (`_postgresql_page`).

Either index finds a superset; the exact substring test on those candidates makes the result
exactly what a full scan would return. See docs/adr/0005-name-search.md.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Length

from chengxin.subjects.choices import SubjectCategory

FTS_TABLE = "subjects_subject_name_fts"
NATURAL_PERSON = SubjectCategory.NATURAL_PERSON.value
# PostgreSQL (migration 0007): the generated text[] of a name's length-tagged bigrams.
LENGTH_BIGRAMS_COLUMN = "name_length_bigrams"


def spaced(text: str | None) -> str:
    """The characters of `text` separated by spaces: one full-text token per character."""
    return " ".join(text or "")


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The index's triggers call chengxin_spaced(); every SQLite connection gets it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("chengxin_spaced", 1, spaced, deterministic=True)


def phrase_tokens(query: str) -> list[str]:
    """The query's characters that the SQLite full-text index keeps (letters and digits)."""
    return [char for char in query if char.isalnum()]


def bigrams(query: str) -> list[str]:
    """The distinct overlapping two-character pieces of `query`, as the PostgreSQL column holds
    them (exact: no case folding, punctuation kept); none for a query shorter than two."""
    return sorted({query[i : i + 2] for i in range(len(query) - 1)})


def _like_pattern(query: str) -> str:
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _phrase(query: str) -> str | None:
    """The SQLite full-text phrase of `query`'s letters and digits, adjacent; None if none."""
    tokens = phrase_tokens(query)
    return '"' + " ".join(tokens) + '"' if tokens else None


# The order of a name search: the names the query covers most first (an exact name, then ever
# longer names holding it), then by id (the order of registration) so that paging is stable.
RANK_SQL = "length(name), id"


def ranked(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` in the order of a name search (RANK_SQL)."""
    return queryset.order_by(Length("name"), "id")


# SQLite (migration 0007): the full-text table's rowid is the rank key, so that a query read in
# rowid order is read in rank order: length(name) × 2^32 + id (ids stay below 2^32), whose low
# half is the id.
ID_MASK = 0xFFFF_FFFF
SQLITE_PAGE = (  # constant names; the query's parts are parameters
    f"SELECT s.id FROM {FTS_TABLE} AS f JOIN subjects_subject AS s"  # noqa: S608
    f" ON s.id = f.rowid & {ID_MASK}"
    f" WHERE f.{FTS_TABLE} MATCH %s AND s.category <> %s AND s.name LIKE %s ESCAPE '\\'"
    " ORDER BY f.rowid LIMIT %s OFFSET %s"
)

# PostgreSQL: a GIN index cannot be read in order. A page is first looked for among the
# WALK_ROWS highest-ranked organisations (the covering partial index subject_name_rank, read in
# order); else the tagged bigrams are probed one name length at a time, upwards.
WALK_ROWS = 2_000
# `category <> 'natural_person'` as a literal: the partial indexes' condition, which the planner
# must see to use them.
_ORGANISATION = f"category <> '{NATURAL_PERSON}'"
WALK_HEAD = (  # constant names; the query's parts are parameters
    "SELECT id, head_rows FROM (SELECT *, count(*) OVER () AS head_rows FROM"  # noqa: S608
    f" (SELECT id, name FROM subjects_subject WHERE {_ORGANISATION}"
    f" ORDER BY {RANK_SQL} LIMIT %s) AS head) AS counted WHERE strpos(name, %s) <> 0"
    f" ORDER BY {RANK_SQL} LIMIT %s OFFSET %s"
)
# The distinct name lengths from a minimum up, by a skip scan of the rank index.
NAME_LENGTHS = (
    "WITH RECURSIVE lengths(n) AS ("  # noqa: S608
    f" SELECT min(length(name)) FROM subjects_subject WHERE {_ORGANISATION} AND length(name) >= %s"
    " UNION ALL SELECT (SELECT min(length(name)) FROM subjects_subject"
    f" WHERE {_ORGANISATION} AND length(name) > lengths.n) FROM lengths WHERE lengths.n IS NOT NULL"
    ") SELECT n FROM lengths WHERE n IS NOT NULL"
)
PROBE = (
    f"SELECT id FROM subjects_subject WHERE {LENGTH_BIGRAMS_COLUMN} @> %s::text[]"  # noqa: S608
    f" AND {_ORGANISATION} AND strpos(name, %s) <> 0 ORDER BY id LIMIT %s"
)
# A probe reads its posting list through the GIN index, always: the planner would otherwise walk
# the primary key in id order for a rare tagged bigram, reading the whole table.
BITMAP_SCANS_ONLY = "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off"
RESET_SCANS = "RESET enable_seqscan; RESET enable_indexscan"


def tagged_bigrams(query: str, length: int) -> list[str]:
    """`query`'s bigrams as the column holds them for a name of `length` characters."""
    return [f"{length}:{piece}" for piece in bigrams(query)]


def organisation_page(query: str, offset: int, limit: int) -> list[int] | None:
    """Ids of organisations whose name contains `query`, in rank order (`ranked`), one page;
    None when the index cannot help (then use `ranked(… name__contains …)`).

    SQLite reads its full-text index in rowid order, which is rank order, through a join with
    the exact test, so it stops after the page. PostgreSQL: `_postgresql_page`.
    """
    if connection.vendor == "postgresql":
        return _postgresql_page(query, offset, limit)
    phrase = _phrase(query)
    if phrase is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_PAGE, [phrase, NATURAL_PERSON, _like_pattern(query), limit, offset])
        return [row[0] for row in cursor.fetchall()]


def _postgresql_page(query: str, offset: int, limit: int) -> list[int] | None:
    """Two exact ways to a page, the first when it suffices:

    1. among the WALK_ROWS highest-ranked organisations: if they hold the page, no later name
       comes before it. Common fragments (台儿, 有限公司) end here, and every query that finds
       something in a register smaller than WALK_ROWS.
    2. else by name length, upwards: the organisations of that length holding every tagged
       bigram of the query (a GIN lookup of short posting lists), in id order, until the page
       is full. A fragment found only in long names (第8) skips the shorter lengths at the cost
       of an empty lookup each.
    """
    if len(query) < 2:
        return None
    need = offset + limit
    with connection.cursor() as cursor:
        cursor.execute(WALK_HEAD, [WALK_ROWS, query, limit, offset])
        rows = cursor.fetchall()
        if len(rows) == limit or (rows and rows[0][1] < WALK_ROWS):  # a full page, or every name
            return [row[0] for row in rows]
        cursor.execute(NAME_LENGTHS, [len(query)])
        lengths = [row[0] for row in cursor.fetchall()]
        ids: list[int] = []
        with transaction.atomic(using=connection.alias):
            cursor.execute(BITMAP_SCANS_ONLY)
            for length in lengths:
                cursor.execute(PROBE, [tagged_bigrams(query, length), query, need - len(ids)])
                ids += [row[0] for row in cursor.fetchall()]
                if len(ids) >= need:
                    break
            cursor.execute(RESET_SCANS)
        return ids[offset:need]

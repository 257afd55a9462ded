"""Name search over subjects: substring semantics, an index for every query length.

Each name is indexed as its characters, one token each ("枣 庄 市 …"): a query of any length,
two-character names (李四) included, becomes a phrase of adjacent characters, answered from a
full-text index — SQLite FTS5 (a contentless table kept by triggers) or PostgreSQL (a generated
tsvector with a GIN index). The index finds a superset (punctuation and case are folded); the
exact `name LIKE '%q%'` test on those candidates makes the result exactly what a full scan would
return. See docs/adr/0005-name-search.md.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "subjects_subject_name_fts"


def spaced(text: str | None) -> str:
    """The characters of `text` separated by spaces: one full-text token per character."""
    return " ".join(text or "")


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The index's triggers call chengxin_spaced(); every SQLite connection gets it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("chengxin_spaced", 1, spaced, deterministic=True)


def phrase_tokens(query: str) -> list[str]:
    """The query's characters that the full-text index keeps (letters and digits)."""
    return [char for char in query if char.isalnum()]


def name_contains(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """`queryset` filtered to names containing `query`, through the index where it can help."""
    exact = queryset.filter(name__contains=query)
    tokens = phrase_tokens(query)
    if not tokens:
        return exact  # nothing indexable (punctuation only): the plain filter
    phrase = " ".join(tokens)
    if connection.vendor == "postgresql":
        candidates = RawSQL(
            "SELECT id FROM subjects_subject WHERE name_chars @@ phraseto_tsquery('simple', %s)",
            [phrase],
        )
    else:
        # The phrase is a parameter and holds only letters and digits (phrase_tokens).
        candidates = RawSQL(  # noqa: S611
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            ['"' + phrase + '"'],
        )
    return exact.filter(pk__in=candidates)


def organisation_page_sqlite(query: str, offset: int, limit: int) -> list[int] | None:
    """Ids of organisations (not natural persons) whose name contains `query`, in id order, one page.

    SQLite only, and only when the query has indexable characters (else None: use
    `name_contains`). Written as a join ordered by the full-text row id so that SQLite reads the
    index in order and stops after the page: `pk IN (…)` would first collect every match (750,000
    for 台儿 in a million names).
    """
    tokens = phrase_tokens(query)
    if connection.vendor != "sqlite" or not tokens:
        return None
    pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = (
        f"SELECT s.id FROM {FTS_TABLE} f JOIN subjects_subject s ON s.id = f.rowid"  # noqa: S608
        f" WHERE f.{FTS_TABLE} MATCH %s AND s.category <> %s AND s.name LIKE %s ESCAPE '\\'"
        " ORDER BY f.rowid LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, ['"' + " ".join(tokens) + '"', "natural_person", pattern, limit, offset]
        )
        return [row[0] for row in cursor.fetchall()]

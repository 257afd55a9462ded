"""Name search over subjects: substring semantics, an index for every query length.

- SQLite: each name is indexed as its characters, one token each ("枣 庄 市 …"), in a contentless
  FTS5 table kept by triggers; a query becomes a phrase of adjacent characters.
- PostgreSQL: each name is stored as the array of its distinct overlapping two-character tokens
  (bigrams: "宏达商贸" → 宏达, 达商, 商贸) in a generated column with a GIN index; a query of n >= 2
  characters becomes "contains all of its bigrams" (`@>`), whose posting lists are short and
  whose selectivity the planner estimates from the column's element statistics.

Either index finds a superset; the exact `name LIKE '%q%'` test on those candidates makes the
result exactly what a full scan would return. See docs/adr/0005-name-search.md.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from chengxin.subjects.choices import SubjectCategory

FTS_TABLE = "subjects_subject_name_fts"
# PostgreSQL (migration 0006): the generated text[] of a name's bigrams and its GIN index.
BIGRAMS_COLUMN = '"subjects_subject"."name_bigrams"'


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


def name_contains(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """`queryset` filtered to names containing `query`, through the index where it can help."""
    exact = queryset.filter(name__contains=query)
    if connection.vendor == "postgresql":
        pieces = bigrams(query)
        if not pieces:
            return exact  # one character: the plain filter
        # A condition on the row itself (not `pk IN (…)`), so that the planner may either
        # intersect the posting lists or, for a very common fragment, walk the rows in order.
        has_bigrams = RawSQL(  # noqa: S611 (a constant column name; the bigrams are a parameter)
            f"{BIGRAMS_COLUMN} @> %s::text[]", [pieces], output_field=BooleanField()
        )
        return exact.filter(has_bigrams)
    tokens = phrase_tokens(query)
    if not tokens:
        return exact  # nothing indexable (punctuation only): the plain filter
    # The phrase is a parameter and holds only letters and digits (phrase_tokens).
    candidates = RawSQL(  # noqa: S611
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
        ['"' + " ".join(tokens) + '"'],
    )
    return exact.filter(pk__in=candidates)


def organisation_page(query: str, offset: int, limit: int) -> list[int] | None:
    """Ids of organisations (not natural persons) whose name contains `query`, in id order, one
    page; None when the index cannot help (then use `name_contains`).

    Both stop after the page for a common fragment instead of collecting every match first
    (750,000 for 台儿 in a million names): SQLite reads the full-text index in row order through
    a join; PostgreSQL cannot read a GIN index in order, so its planner chooses between walking
    the rows in id order and the index (`_organisation_page_postgresql`).
    """
    if connection.vendor == "postgresql":
        return _organisation_page_postgresql(query, offset, limit)
    tokens = phrase_tokens(query)
    if not tokens:
        return None
    sql = (
        f"SELECT s.id FROM {FTS_TABLE} f JOIN subjects_subject s ON s.id = f.rowid"  # noqa: S608
        f" WHERE f.{FTS_TABLE} MATCH %s AND s.category <> %s AND s.name LIKE %s ESCAPE '\\'"
        " ORDER BY f.rowid LIMIT %s OFFSET %s"
    )
    phrase = '"' + " ".join(tokens) + '"'
    with connection.cursor() as cursor:
        cursor.execute(sql, [phrase, NATURAL_PERSON, _like_pattern(query), limit, offset])
        return [row[0] for row in cursor.fetchall()]


NATURAL_PERSON = SubjectCategory.NATURAL_PERSON.value


# PostgreSQL, queries of three or more characters: rows read in id order before the index is used.
WALK_ROWS = 5_000
WALK_SQL = (
    "SELECT id FROM (SELECT id, name, category FROM subjects_subject ORDER BY id LIMIT %s) AS head"
    " WHERE category <> %s AND strpos(name, %s) <> 0 ORDER BY id LIMIT %s OFFSET %s"
)
# Then one statement with the bigram condition on the row: the planner chooses.
PLANNED_SQL = (
    f"SELECT id FROM subjects_subject WHERE {BIGRAMS_COLUMN} @> %s::text[]"  # noqa: S608
    " AND category <> %s AND strpos(name, %s) <> 0 ORDER BY id LIMIT %s OFFSET %s"
)
# Two characters: one statement, the planner chooses (see _organisation_page_postgresql).
BIGRAM_SQL = (
    f"SELECT id FROM subjects_subject WHERE {BIGRAMS_COLUMN} @> %s::text[]"  # noqa: S608
    " AND category <> %s ORDER BY id LIMIT %s OFFSET %s"
)


def _organisation_page_postgresql(query: str, offset: int, limit: int) -> list[int] | None:
    """PostgreSQL cannot read a GIN index in order: it either walks the rows in id order (cheap
    when matches are common) or collects every match through the index and sorts them (cheap
    when they are rare).

    - Two characters are one bigram, and holding it is containing the query: one statement
      without a LIKE, and the planner chooses well, since its estimate is the bigram's share of
      names from the column's statistics.
    - Longer queries: the planner multiplies the bigrams' shares as if independent and guesses
      the LIKE, so it takes 股份有限 (in 3 % of names) for a few hundred rows and sorts 30,000
      (190 ms at a million). Instead the first WALK_ROWS rows in id order are tested: if they
      hold the page, it is exact (no later row comes before them) and cost a few milliseconds;
      if not, one statement with the bigram condition on the row lets the planner choose. The
      exact test there is `strpos(name, q) <> 0` (the same as the LIKE), which PostgreSQL
      estimates as nearly always true, so that its estimate is the bigrams' alone: a guessed
      LIKE made it sort the tens of thousands of matches of 7有限公 (120 ms at a million).
    """
    pieces = bigrams(query)
    if not pieces:
        return None
    with connection.cursor() as cursor:
        if len(query) == 2:
            cursor.execute(BIGRAM_SQL, [pieces, NATURAL_PERSON, limit, offset])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(WALK_SQL, [WALK_ROWS, NATURAL_PERSON, query, limit, offset])
        ids = [row[0] for row in cursor.fetchall()]
        if len(ids) == limit:
            return ids
        cursor.execute(PLANNED_SQL, [pieces, NATURAL_PERSON, query, limit, offset])
        return [row[0] for row in cursor.fetchall()]

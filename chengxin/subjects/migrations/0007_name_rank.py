"""Name search in rank order: the shortest names holding the query first (subjects/search.py).

- Both databases: an index of organisations by (length of name, id), the rank order, covering
  the name on PostgreSQL, which walks it in order.
- SQLite: the full-text table's rowid becomes the rank key, length(name) × 2^32 + id
  (search.ID_MASK takes the id back), so that a query read in rowid order is read in rank order and stops
  after the page. Natural persons, never searched by name, leave the table.
- PostgreSQL: the bigrams are tagged with the name's length ("8:宏达"), so that the GIN index's
  posting lists are per length and a search probes them length by length; the untagged column
  of 0006 goes. Adding the generated column rewrites the table once.
"""

import django.db.models.functions.text
from django.db import migrations, models

FTS = "subjects_subject_name_fts"
# Templates over a row prefix ("", "new." or "old."): the rowid, and which rows are indexed.
RANK_KEY = "(length({row}name) << 32) + {row}id"  # search.ID_MASK is its low half
ORGANISATION = "{row}category <> 'natural_person'"
# 0005's table: every subject, by id.
ID_KEY = "{row}id"
EVERY_SUBJECT = "1"


def _statements(key: str, where: str) -> list[str]:
    """Drop the triggers, re-fill the table with the rows `where` holds for, keyed by `key`, and
    create the triggers that keep it so (a contentless table is told exactly what to delete)."""

    def index(row: str) -> str:
        return (
            f"INSERT INTO {FTS}(rowid, name_chars)"
            f" SELECT {key.format(row=row)}, chengxin_spaced({row}name)"
            f" WHERE {where.format(row=row)};"
        )

    def unindex(row: str) -> str:
        return (
            f"INSERT INTO {FTS}({FTS}, rowid, name_chars)"
            f" SELECT 'delete', {key.format(row=row)}, chengxin_spaced({row}name)"
            f" WHERE {where.format(row=row)};"
        )

    return [
        "DROP TRIGGER subjects_subject_name_au",
        "DROP TRIGGER subjects_subject_name_ad",
        "DROP TRIGGER subjects_subject_name_ai",
        f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')",
        f"INSERT INTO {FTS}(rowid, name_chars) SELECT {key.format(row='')}, chengxin_spaced(name)"
        f" FROM subjects_subject WHERE {where.format(row='')}",
        "CREATE TRIGGER subjects_subject_name_ai AFTER INSERT ON subjects_subject"
        f" BEGIN {index('new.')} END",
        "CREATE TRIGGER subjects_subject_name_ad AFTER DELETE ON subjects_subject"
        f" BEGIN {unindex('old.')} END",
        "CREATE TRIGGER subjects_subject_name_au AFTER UPDATE OF name, category ON subjects_subject"
        f" BEGIN {unindex('old.')} {index('new.')} END",
    ]


LENGTH_BIGRAMS_FUNCTION = """
CREATE FUNCTION chengxin_length_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT char_length(value) || ':' || substr(value, i, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS i
$$
"""
POSTGRESQL = [
    LENGTH_BIGRAMS_FUNCTION,
    """ALTER TABLE subjects_subject ADD COLUMN name_length_bigrams text[]
        GENERATED ALWAYS AS (chengxin_length_bigrams(name)) STORED""",
    """CREATE INDEX subjects_subject_name_length_bigrams ON subjects_subject
        USING gin (name_length_bigrams) WHERE NOT category = 'natural_person'""",
    # Its GIN index goes with it; chengxin_bigrams() stays (documents' search uses it).
    "ALTER TABLE subjects_subject DROP COLUMN name_bigrams",
]
# 0006's column and index.
POSTGRESQL_REVERSE = [
    """ALTER TABLE subjects_subject ADD COLUMN name_bigrams text[]
        GENERATED ALWAYS AS (chengxin_bigrams(name)) STORED""",
    "CREATE INDEX subjects_subject_name_bigrams ON subjects_subject USING gin (name_bigrams)",
    "ALTER TABLE subjects_subject DROP COLUMN name_length_bigrams",
    "DROP FUNCTION chengxin_length_bigrams(text)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL
    else:
        statements = _statements(RANK_KEY, ORGANISATION)
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = POSTGRESQL_REVERSE
    else:
        statements = _statements(ID_KEY, EVERY_SUBJECT)
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0006_name_bigrams")]

    operations = [
        migrations.AddIndex(
            model_name="subject",
            index=models.Index(
                django.db.models.functions.text.Length("name"),
                models.F("id"),
                condition=models.Q(("category", "natural_person"), _negated=True),
                include=("name",),
                name="subject_name_rank",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

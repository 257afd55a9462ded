"""PostgreSQL name search by overlapping two-character tokens (bigrams) instead of single characters.

The per-character tsvector of 0005 gave every query posting lists as long as its commonest
character (有, 限, 公, 司 are in most names) and a phrase the planner cannot estimate. A stored
array of the name's distinct bigrams with a GIN index makes a query of n >= 2 characters the
intersection of its bigrams' lists, and ANALYZE keeps element statistics the planner uses for
`@>` (docs/adr/0005-name-search.md). SQLite keeps its FTS5 table: nothing to do there.
"""

from django.db import migrations

BIGRAMS_FUNCTION = """
CREATE FUNCTION chengxin_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS i
$$
"""
POSTGRESQL = [
    BIGRAMS_FUNCTION,
    """ALTER TABLE subjects_subject ADD COLUMN name_bigrams text[]
        GENERATED ALWAYS AS (chengxin_bigrams(name)) STORED""",
    "CREATE INDEX subjects_subject_name_bigrams ON subjects_subject USING gin (name_bigrams)",
    "ALTER TABLE subjects_subject DROP COLUMN name_chars",  # its GIN index goes with it
]
POSTGRESQL_REVERSE = [
    """ALTER TABLE subjects_subject ADD COLUMN name_chars tsvector GENERATED ALWAYS AS
        (to_tsvector('simple'::regconfig, regexp_replace(name, '(.)', '\\1 ', 'g'))) STORED""",
    "CREATE INDEX subjects_subject_name_chars ON subjects_subject USING gin (name_chars)",
    "ALTER TABLE subjects_subject DROP COLUMN name_bigrams",
    "DROP FUNCTION chengxin_bigrams(text)",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0005_name_search")]

    operations = [migrations.RunPython(forwards, backwards)]

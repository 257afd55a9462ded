"""The full-text index behind the public document search (documents/search.py), per database:
SQLite an FTS5 table of single characters kept by triggers, PostgreSQL a generated array of
bigrams with a GIN index (the design of subjects' name search, docs/adr/0005-name-search.md)."""

from django.db import migrations

TEXT = "coalesce({row}.title, '') || ' ' || coalesce({row}.body, '')"
SQLITE = [
    "CREATE VIRTUAL TABLE documents_document_fts USING fts5(text_chars, content='', tokenize='unicode61')",
    "INSERT INTO documents_document_fts(rowid, text_chars) SELECT id, chengxin_spaced("
    + TEXT.format(row="documents_normativedocument")
    + ") FROM documents_normativedocument",
    f"""CREATE TRIGGER documents_document_fts_ai AFTER INSERT ON documents_normativedocument BEGIN
        INSERT INTO documents_document_fts(rowid, text_chars) VALUES (new.id, chengxin_spaced({TEXT.format(row="new")}));
    END""",
    f"""CREATE TRIGGER documents_document_fts_ad AFTER DELETE ON documents_normativedocument BEGIN
        INSERT INTO documents_document_fts(documents_document_fts, rowid, text_chars)
        VALUES ('delete', old.id, chengxin_spaced({TEXT.format(row="old")}));
    END""",
    f"""CREATE TRIGGER documents_document_fts_au AFTER UPDATE OF title, body ON documents_normativedocument BEGIN
        INSERT INTO documents_document_fts(documents_document_fts, rowid, text_chars)
        VALUES ('delete', old.id, chengxin_spaced({TEXT.format(row="old")}));
        INSERT INTO documents_document_fts(rowid, text_chars) VALUES (new.id, chengxin_spaced({TEXT.format(row="new")}));
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER documents_document_fts_au",
    "DROP TRIGGER documents_document_fts_ad",
    "DROP TRIGGER documents_document_fts_ai",
    "DROP TABLE documents_document_fts",
]
POSTGRESQL = [
    """ALTER TABLE documents_normativedocument ADD COLUMN search_bigrams text[]
        GENERATED ALWAYS AS (chengxin_bigrams(title || ' ' || body)) STORED""",
    "CREATE INDEX documents_document_search_bigrams ON documents_normativedocument USING gin (search_bigrams)",
]
POSTGRESQL_REVERSE = ["ALTER TABLE documents_normativedocument DROP COLUMN search_bigrams"]


def forwards(apps, schema_editor):
    for statement in POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    reverse = POSTGRESQL_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in reverse:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("subjects", "0006_name_bigrams"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

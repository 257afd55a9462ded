"""The full-text index behind subject name search (subjects/search.py), per database."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE subjects_subject_name_fts USING fts5(name_chars, content='', tokenize='unicode61')",
    "INSERT INTO subjects_subject_name_fts(rowid, name_chars) SELECT id, chengxin_spaced(name) FROM subjects_subject",
    """CREATE TRIGGER subjects_subject_name_ai AFTER INSERT ON subjects_subject BEGIN
        INSERT INTO subjects_subject_name_fts(rowid, name_chars) VALUES (new.id, chengxin_spaced(new.name));
    END""",
    """CREATE TRIGGER subjects_subject_name_ad AFTER DELETE ON subjects_subject BEGIN
        INSERT INTO subjects_subject_name_fts(subjects_subject_name_fts, rowid, name_chars)
        VALUES ('delete', old.id, chengxin_spaced(old.name));
    END""",
    """CREATE TRIGGER subjects_subject_name_au AFTER UPDATE OF name ON subjects_subject BEGIN
        INSERT INTO subjects_subject_name_fts(subjects_subject_name_fts, rowid, name_chars)
        VALUES ('delete', old.id, chengxin_spaced(old.name));
        INSERT INTO subjects_subject_name_fts(rowid, name_chars) VALUES (new.id, chengxin_spaced(new.name));
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER subjects_subject_name_au",
    "DROP TRIGGER subjects_subject_name_ad",
    "DROP TRIGGER subjects_subject_name_ai",
    "DROP TABLE subjects_subject_name_fts",
]
POSTGRESQL = [
    """ALTER TABLE subjects_subject ADD COLUMN name_chars tsvector GENERATED ALWAYS AS
        (to_tsvector('simple'::regconfig, regexp_replace(name, '(.)', '\\1 ', 'g'))) STORED""",
    "CREATE INDEX subjects_subject_name_chars ON subjects_subject USING gin (name_chars)",
]
POSTGRESQL_REVERSE = ["ALTER TABLE subjects_subject DROP COLUMN name_chars"]


def forwards(apps, schema_editor):
    for statement in POSTGRESQL if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in POSTGRESQL_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("subjects", "0004_public_id_unique")]

    operations = [migrations.RunPython(forwards, backwards)]

"""Finding or creating the credit subjects that records are about, in bulk.

The SQL below is built from table names in the models' _meta; every value is a parameter.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from chengxin.core.identifiers import USCC_PLACEHOLDER
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject


def link_subjects(record_model: type[Model]) -> None:
    """Give every record that has no subject yet its subject, set-based.

    The records carry the subject's name, category, credit code and (for natural persons) the
    blind index and ciphertext of the ID number; subjects not known yet are created from them,
    one per credit code, ID number or — for the "no code" placeholder — name. Six statements per
    call, whatever the number of records: this is what keeps a large import fast. (The scalar
    subqueries use LIMIT 1, not MIN(id): PostgreSQL turns MIN(id) into a walk of the primary key.)
    """
    records = connection.ops.quote_name(record_model._meta.db_table)
    subjects = connection.ops.quote_name(Subject._meta.db_table)
    now = timezone.now()
    person = str(SubjectCategory.NATURAL_PERSON)
    # Any record still without a subject (only those being imported now): by the subject_id index.
    pending = "r.subject_id IS NULL"
    by_code = (
        "r.subject_category <> %s AND r.subject_credit_code <> '' AND r.subject_credit_code <> %s"
    )
    by_name = "r.subject_category <> %s AND r.subject_credit_code IN ('', %s)"
    # A new public_id for each subject created in SQL (Django's default is not called there).
    new_uuid = (
        "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    )
    statements: list[tuple[str, list[Any]]] = [
        # New subjects by credit code.
        (
            f"INSERT INTO {subjects} (name, category, credit_code, legal_representative, id_number_ciphertext,"
            f" id_number_index, id_number_masked, created_at, updated_at, public_id)"
            f" SELECT MIN(r.subject_name), MIN(r.subject_category), r.subject_credit_code,"
            f" MIN(r.legal_representative), '', '', '', %s, %s, {new_uuid} FROM {records} r"
            f" WHERE {pending} AND {by_code}"
            f" AND NOT EXISTS (SELECT 1 FROM {subjects} s WHERE s.credit_code = r.subject_credit_code)"
            f" GROUP BY r.subject_credit_code",
            [now, now, person, USCC_PLACEHOLDER],
        ),
        (
            f"UPDATE {records} SET subject_id = (SELECT s.id FROM {subjects} s"
            f" WHERE s.credit_code = {records}.subject_credit_code LIMIT 1)"
            f" WHERE id IN (SELECT r.id FROM {records} r WHERE {pending} AND {by_code})",
            [person, USCC_PLACEHOLDER],
        ),
        # New natural persons by the blind index of the ID number.
        (
            f"INSERT INTO {subjects} (name, category, credit_code, legal_representative, id_number_ciphertext,"
            f" id_number_index, id_number_masked, created_at, updated_at, public_id)"
            f" SELECT MIN(r.subject_name), %s, '', '', MIN(r.id_number_ciphertext), r.id_number_index,"
            f" MIN(r.id_number_masked), %s, %s, {new_uuid} FROM {records} r"
            f" WHERE {pending} AND r.subject_category = %s AND r.id_number_index <> ''"
            f" AND NOT EXISTS (SELECT 1 FROM {subjects} s WHERE s.id_number_index = r.id_number_index)"
            f" GROUP BY r.id_number_index",
            [person, now, now, person],
        ),
        (
            f"UPDATE {records} SET subject_id = (SELECT s.id FROM {subjects} s"
            f" WHERE s.id_number_index = {records}.id_number_index LIMIT 1)"
            f" WHERE id IN (SELECT r.id FROM {records} r WHERE {pending} AND r.subject_category = %s"
            f" AND r.id_number_index <> '')",
            [person],
        ),
        # Organisations without a code ("00000000000000000X"): by exact name.
        (
            f"INSERT INTO {subjects} (name, category, credit_code, legal_representative, id_number_ciphertext,"
            f" id_number_index, id_number_masked, created_at, updated_at, public_id)"
            f" SELECT r.subject_name, MIN(r.subject_category), %s, MIN(r.legal_representative), '', '', '', %s, %s,"
            f" {new_uuid}"
            f" FROM {records} r WHERE {pending} AND {by_name}"
            f" AND NOT EXISTS (SELECT 1 FROM {subjects} s WHERE s.name = r.subject_name"
            f" AND s.category <> %s AND s.credit_code IN ('', %s))"
            f" GROUP BY r.subject_name",
            [
                USCC_PLACEHOLDER,
                now,
                now,
                person,
                USCC_PLACEHOLDER,
                person,
                USCC_PLACEHOLDER,
            ],
        ),
        (
            f"UPDATE {records} SET subject_id = (SELECT s.id FROM {subjects} s"
            f" WHERE s.name = {records}.subject_name AND s.category <> %s AND s.credit_code IN ('', %s) LIMIT 1)"
            f" WHERE id IN (SELECT r.id FROM {records} r WHERE {pending} AND {by_name})",
            [person, USCC_PLACEHOLDER, person, USCC_PLACEHOLDER],
        ),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)

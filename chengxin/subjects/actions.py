"""Finding or creating the credit subjects that records are about.

One rule, two forms: a record names its subject by its 统一社会信用代码; a natural person by the
blind index of the ID number; an organisation without a code (the placeholder
"00000000000000000X") by its exact name. `link_record` applies it to one record as it is saved
(every path: the staff form, a correction, a withdrawal, a case's decision, the API);
`link_subjects` applies it set-based to an import's rows. The SQL below is built from table names
in the models' _meta; every value is a parameter.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from chengxin.core.identifiers import USCC_PLACEHOLDER
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

IDENTITY_FIELDS = ("subject_category", "subject_credit_code", "id_number_index", "subject_name")
"""The record fields that decide its subject; a change to any of them links it again."""


def subject_lookup(record: Any) -> dict[str, Any] | None:
    """How `record`'s subject is found, as filter arguments; None when it names no subject."""
    if record.subject_category == SubjectCategory.NATURAL_PERSON:
        if not record.id_number_index:
            return None
        return {"id_number_index": record.id_number_index}
    if record.subject_credit_code and record.subject_credit_code != USCC_PLACEHOLDER:
        return {"credit_code": record.subject_credit_code}
    if not record.subject_name:
        return None
    return {
        "name": record.subject_name,
        "credit_code__in": ("", USCC_PLACEHOLDER),
        "category__in": [c for c in SubjectCategory.values if c != SubjectCategory.NATURAL_PERSON],
    }


def needs_linking(record: Any) -> bool:
    """Whether `record` has no subject yet, or its identity changed since it was loaded."""
    if record.subject_id is None:
        return True
    loaded = record._loaded_values or {}
    return any(
        field in loaded and loaded[field] != getattr(record, field) for field in IDENTITY_FIELDS
    )


def link_record(record: Any) -> None:
    """Set `record.subject` to the subject its identity names, creating the subject if new.

    Called by the record's own save(), so it runs in the transaction that saves the record. A
    subject created here carries what the record knows (name, category, code, legal
    representative, the sealed ID number); two saves racing to create the same subject meet
    at its unique constraint, and the loser reads the winner's (get_or_create).
    """
    lookup = subject_lookup(record)
    if lookup is None:
        record.subject = None
        return
    is_person = record.subject_category == SubjectCategory.NATURAL_PERSON
    defaults = {
        "name": record.subject_name,
        "category": record.subject_category,
        "credit_code": "" if is_person else record.subject_credit_code or USCC_PLACEHOLDER,
        "legal_representative": "" if is_person else record.legal_representative,
        "id_number_ciphertext": record.id_number_ciphertext if is_person else "",
        "id_number_index": record.id_number_index if is_person else "",
        "id_number_masked": record.id_number_masked if is_person else "",
    }
    existing = Subject.objects.filter(**lookup).order_by("pk").first()
    if existing is None and "name" in lookup:
        existing = Subject.objects.create(**defaults)  # names are not unique: as link_subjects
    elif existing is None:
        ((key, value),) = lookup.items()
        existing, _created = Subject.objects.get_or_create(
            **{key: value}, defaults={k: v for k, v in defaults.items() if k != key}
        )
    record.subject = existing


def link_subjects(
    record_model: type[Model], *, status: str, ids: tuple[int, int] | None = None
) -> None:
    """Give every record in workflow `status` that has no subject yet its subject, set-based;
    with `ids` (first, last), only the records whose primary key lies in that range (an
    import's release step, which bounds the work of each transaction).

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
    # Records still without a subject (an import's staged rows): by the subject_id index. The
    # status is a code of the caller's TextChoices, checked to be one before it is inlined.
    if not re.fullmatch(r"[a-z_]+", status):
        raise ValueError(f"not a workflow status: {status!r}")
    pending = f"r.subject_id IS NULL AND r.status = '{status}'"
    if ids is not None:
        first, last = (int(i) for i in ids)  # integers, inlined like the status
        pending += f" AND r.id BETWEEN {first} AND {last}"
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

"""Finding or creating the credit subjects that records are about, in bulk."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils import timezone

from chengxin.core.bulk import insert_rows
from chengxin.core.identifiers import USCC_PLACEHOLDER, mask_id_number
from chengxin.core.personal_data import blind_index, encrypt
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject


@dataclass(frozen=True)
class SubjectKey:
    """How a record names its subject: a credit code, an ID number, or (placeholder) a name."""

    category: str
    name: str
    credit_code: str = ""
    id_number: str = ""

    @cached_property
    def lookup(self) -> tuple[str, str]:
        if self.category == SubjectCategory.NATURAL_PERSON:
            return ("id", blind_index(self.id_number))
        if self.credit_code and self.credit_code != USCC_PLACEHOLDER:
            return ("code", self.credit_code)
        return ("name", self.name)


def ensure_subjects(keys: Iterable[SubjectKey]) -> dict[tuple[str, str], int]:
    """The subject id for each key's lookup, creating the subjects not known yet (3 queries + 1)."""
    wanted = {key.lookup: key for key in keys}
    by_kind: dict[str, set[str]] = {"code": set(), "id": set(), "name": set()}
    for kind, value in wanted:
        by_kind[kind].add(value)
    found: dict[tuple[str, str], int] = {}
    if by_kind["code"]:
        for pk, code in Subject.objects.filter(credit_code__in=by_kind["code"]).values_list(
            "pk", "credit_code"
        ):
            found[("code", code)] = pk
    if by_kind["id"]:
        for pk, index in Subject.objects.filter(id_number_index__in=by_kind["id"]).values_list(
            "pk", "id_number_index"
        ):
            found[("id", index)] = pk
    if by_kind["name"]:
        placeholders = Subject.objects.filter(
            name__in=by_kind["name"], credit_code__in=["", USCC_PLACEHOLDER]
        )
        for pk, name in placeholders.exclude(category=SubjectCategory.NATURAL_PERSON).values_list(
            "pk", "name"
        ):
            found.setdefault(("name", name), pk)
    missing = [(lookup, key) for lookup, key in wanted.items() if lookup not in found]
    if missing:
        now = timezone.now()
        insert_rows(Subject, [_new_subject(lookup, key, now) for lookup, key in missing])
        # Read the new ids back by the same keys (one query per kind; no RETURNING needed).
        found.update(_lookup(missing))
    return found


def _lookup(missing: list[tuple[tuple[str, str], SubjectKey]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    codes = [value for (kind, value), _key in missing if kind == "code"]
    indexes = [value for (kind, value), _key in missing if kind == "id"]
    names = [value for (kind, value), _key in missing if kind == "name"]
    for pk, code in Subject.objects.filter(credit_code__in=codes).values_list("pk", "credit_code"):
        found[("code", code)] = pk
    for pk, index in Subject.objects.filter(id_number_index__in=indexes).values_list(
        "pk", "id_number_index"
    ):
        found[("id", index)] = pk
    for pk, name in (
        Subject.objects.filter(name__in=names)
        .exclude(category=SubjectCategory.NATURAL_PERSON)
        .values_list("pk", "name")
    ):
        found.setdefault(("name", name), pk)
    return found


def _new_subject(
    lookup: tuple[str, str], key: SubjectKey, now: datetime.datetime
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": key.name,
        "category": key.category,
        "credit_code": key.credit_code,
        "created_at": now,
        "updated_at": now,
    }
    if key.category == SubjectCategory.NATURAL_PERSON:
        row["credit_code"] = ""
        row["id_number_ciphertext"] = encrypt(key.id_number)
        row["id_number_index"] = lookup[1]
        row["id_number_masked"] = mask_id_number(key.id_number)
    return row

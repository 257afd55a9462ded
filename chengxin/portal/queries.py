"""What the public portal asks of the database: finding subjects and their public records."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.core.identifiers import normalise, validate_resident_id, validate_uscc
from chengxin.core.personal_data import blind_index
from chengxin.portal.masking import redact_text
from chengxin.publicity import standard
from chengxin.publicity.models import DecisionRecord, LicenseRecord, PenaltyRecord
from chengxin.screening.models import ListEntry
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject
from chengxin.subjects.search import organisation_page, ranked

PAGE_SIZE = 20
MIN_NAME_LENGTH = 2


@dataclass
class SearchResult:
    query: str
    kind: str = ""  # "code", "id_number", "name"
    subjects: list[Subject] = field(default_factory=list)
    has_next: bool = False
    page: int = 1
    error: str = ""


def classify(query: str) -> tuple[str, str]:
    """("code", USCC) or ("id_number", ID) when the query is one, else ("name", text)."""
    compact = normalise(query)
    if len(compact) == 18:
        for kind, check in (("code", validate_uscc), ("id_number", validate_resident_id)):
            try:
                return kind, check(compact)
            except ValidationError:
                continue
    return "name", " ".join(query.split())


def search(query: str, page: int = 1) -> SearchResult:
    """Subjects matching `query`: exact on a credit code or ID number, substring on a name.

    Names come in rank order (`subjects.search.ranked`): the exact name first, then ever longer
    names holding the query. Natural persons are found only by their full ID number, never by
    name.
    """
    result = SearchResult(query=query.strip(), page=max(page, 1))
    kind, value = classify(result.query)
    result.kind = kind
    subjects: QuerySet[Subject]
    if kind == "code":
        subjects = Subject.objects.filter(credit_code=value)
    elif kind == "id_number":
        subjects = Subject.objects.filter(id_number_index=blind_index(value))
    elif len(value) < MIN_NAME_LENGTH:
        result.error = _("请输入至少 %(n)d 个字的名称，或完整的统一社会信用代码。") % {
            "n": MIN_NAME_LENGTH
        }
        return result
    else:
        subjects = Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON).filter(
            name__contains=value
        )
    start = (result.page - 1) * PAGE_SIZE
    ids = organisation_page(value, start, PAGE_SIZE + 1) if kind == "name" else None
    if ids is not None:  # through the indexes, in rank order, stopping after the page
        by_id = Subject.objects.in_bulk(ids)
        found = [by_id[pk] for pk in ids]
    else:
        found = list(ranked(subjects)[start : start + PAGE_SIZE + 1])
    result.subjects, result.has_next = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    return result


def _fields(kind: str, attrs: list[str]) -> list[standard.Field]:
    by_attr = standard.field_map(kind)
    return [by_attr[attr] for attr in attrs]


# What the public sees of a record: the decision, never anyone's ID number.
PUBLIC_PENALTY_FIELDS = _fields(
    "penalty",
    [
        "violation_type",
        "violation_facts",
        "legal_basis",
        "penalty_categories",
        "content",
        "fine_amount",
        "confiscation_amount",
        "suspended_licence",
        "authority",
        "data_source",
    ],
)
PUBLIC_LICENSE_FIELDS = _fields(
    "license",
    [
        "document_name",
        "license_category",
        "certificate_name",
        "license_number",
        "content",
        "valid_from",
        "valid_to",
        "authority",
        "data_source",
    ],
)


@dataclass
class Profile:
    subject: Subject
    licenses: list[LicenseRecord]
    penalties: list[PenaltyRecord]
    on: datetime.date
    memberships: list[ListEntry] = field(default_factory=list)


def profile(subject: Subject, on: datetime.date | None = None) -> Profile:
    """A subject's public records on `on` (today), as every public output shows them (page, API,
    credit report): three queries, whatever their number. Free text is redacted (masking.redact_text):
    ID numbers always, and a natural person's full name. List memberships are the entries in force
    (`ListEntry.objects.in_force`): removed, ended and repaired entries are not shown."""
    day = on or timezone.localdate()
    licenses = LicenseRecord.objects.publicly_visible(day).filter(subject=subject)
    penalties = PenaltyRecord.objects.publicly_visible(day).filter(subject=subject)
    name = subject.name if subject.category == SubjectCategory.NATURAL_PERSON else ""
    return Profile(
        subject=subject,
        licenses=[
            _redacted(r, PUBLIC_LICENSE_FIELDS, name)
            for r in licenses.select_related("department").order_by("-decision_date", "-id")
        ],
        penalties=[
            _redacted(r, PUBLIC_PENALTY_FIELDS, name)
            for r in penalties.select_related("department").order_by("-decision_date", "-id")
        ],
        on=day,
        memberships=[
            _redacted_entry(entry, name)
            for entry in ListEntry.objects.in_force(day)
            .filter(subject=subject)
            .select_related("list_type")
            .order_by("list_type__kind", "-listed_on", "-id")
        ],
    )


def _redacted_entry(entry: ListEntry, name: str) -> ListEntry:
    entry.basis = redact_text(entry.basis, name)
    return entry


RecordT = TypeVar("RecordT", bound=DecisionRecord)


def _redacted(record: RecordT, fields: list[standard.Field], name: str) -> RecordT:
    """The record as shown to the public (a copy for display; never saved)."""
    for spec in fields:
        value = getattr(record, spec.attr)
        if isinstance(value, str):
            setattr(record, spec.attr, redact_text(value, name))
    return record


def find_subject(key: str) -> Subject | None:
    """A subject by its public id (UUID) or, for organisations, its credit code."""
    try:
        return Subject.objects.filter(public_id=uuid.UUID(key)).first()
    except ValueError:
        organisations = Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON)
        return organisations.filter(credit_code=normalise(key)).first()


def headline_figures() -> dict[str, Any]:
    """The front page's figures, computed at most every five minutes."""

    def compute() -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "licenses": LicenseRecord.objects.publicly_visible(today).count(),
            "penalties": PenaltyRecord.objects.publicly_visible(today).count(),
            "subjects": Subject.objects.count(),
        }

    return cast(dict[str, Any], cache.get_or_set("portal:headline", compute, 300))

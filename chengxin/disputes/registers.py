"""The seven lists of the app described once: columns, filters, form, related rows to load.

The staff views (list, detail, form, XLSX export) are generic over a `Register`; what differs
between 行政复议 and 学法记录 is data here, not code in the views.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chengxin.core.models import RestrictedQuerySet
from chengxin.disputes import forms as disputes_forms
from chengxin.disputes.choices import (
    CORRECTION_RESULTS,
    LitigationResult,
    MediationResult,
    ReconsiderationResult,
)
from chengxin.disputes.models import (
    Litigation,
    MediationCase,
    MediationRoom,
    PreAppointmentExam,
    Reconsideration,
    StudyRecord,
    TrainingSession,
)

Label = str | Promise


@dataclass(frozen=True)
class Flag:
    """A yes-only filter, e.g. 跨省邻边联调 (`?cross_province=on`)."""

    name: str
    label: Label
    condition: Q


@dataclass(frozen=True)
class Register:
    slug: str
    model: type[models.Model]
    form: type[disputes_forms.ScopedModelForm]
    title: Label
    columns: tuple[str, ...]  # field names (or properties) shown in the list
    fields: tuple[str, ...]  # shown on the detail page and exported
    year_field: str
    year_label: Label
    select_related: tuple[str, ...] = ()
    result_choices: list[tuple[str, Any]] | None = None
    closed_field: str = ""  # the date that closes a case: result "open" means it is empty
    extra_filters: tuple[str, ...] = ()  # decided_year, hearing_year, overdue
    flags: tuple[Flag, ...] = ()
    area: str = "disputes"
    extra_template: str = ""  # the detail page's own section (actions, hearings …)
    # People's names (applicants, plaintiffs, parties, nominees, participants): each export of
    # the register is written to the audit log (core.spreadsheets).
    has_personal_data: bool = True

    @property
    def department_field(self) -> str:
        return str(getattr(self.model, "department_field", "department"))

    def queryset(self) -> RestrictedQuerySet:
        rows = self.model._default_manager.select_related(*self.select_related)
        assert isinstance(rows, RestrictedQuerySet)
        return rows

    def filter(self, rows: QuerySet[Any], data: dict[str, Any]) -> QuerySet[Any]:
        if data.get("department"):
            rows = rows.filter(**{self.department_field: data["department"]})
        if data.get("year"):
            rows = rows.filter(**{f"{self.year_field}__year": data["year"]})
        if data.get("decided_year"):
            rows = rows.filter(decided_on__year=data["decided_year"])
        if data.get("hearing_year"):
            rows = rows.filter(hearings__held_on__year=data["hearing_year"]).distinct()
        if data.get("overdue"):
            rows = rows.overdue()  # type: ignore[attr-defined]
        result = data.get("result")
        if result == "open":
            rows = rows.filter(**{f"{self.closed_field}__isnull": True})
        elif result:
            rows = rows.filter(result=result)
        for flag in self.flags:
            if data.get(flag.name):
                rows = rows.filter(flag.condition)
        return rows


def display(obj: models.Model, name: str) -> Any:
    """A field's value as people read it: choice labels, 是/否, dates as YYYY-MM-DD, — for empty."""
    try:
        field: Any = obj._meta.get_field(name)
    except FieldDoesNotExist:  # a property such as is_passed
        field = None
    if field is not None and getattr(field, "choices", None):
        value: Any = getattr(obj, f"get_{name}_display")()
    else:
        value = getattr(obj, name)
    if callable(value):
        value = value()
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if value is None or value == "":
        return "—"
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral() else value
    return value if isinstance(value, int | float) else str(value)


def label_of(model: type[models.Model], name: str) -> Label:
    try:
        return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return PROPERTY_LABELS.get(name, name)


PROPERTY_LABELS: dict[str, Label] = {
    "is_passed": _("是否合格"),
    "is_overdue": _("逾期"),
    "hearing_count": _("开庭次数"),
}

RECONSIDERATIONS = Register(
    slug="reconsiderations",
    model=Reconsideration,
    form=disputes_forms.ReconsiderationForm,
    title=_("行政复议案件"),
    columns=(
        "case_number",
        "applicant_name",
        "department",
        "received_on",
        "due_on",
        "decided_on",
        "result",
    ),
    fields=(
        "case_number",
        "applicant_name",
        "applicant_kind",
        "department",
        "matter",
        "procedure",
        "received_on",
        "accepted_on",
        "time_limit_days",
        "extension_days",
        "extension_reason",
        "due_on",
        "decided_on",
        "result",
        "decision_note",
    ),
    year_field="received_on",
    year_label=_("收到申请年度"),
    select_related=("department",),
    result_choices=list(ReconsiderationResult.choices),
    closed_field="decided_on",
    extra_filters=("decided_year", "overdue"),
    flags=(Flag("corrected", _("仅显示纠错"), Q(result__in=CORRECTION_RESULTS)),),
    extra_template="disputes/_reconsideration.html",
)

LITIGATIONS = Register(
    slug="litigations",
    model=Litigation,
    form=disputes_forms.LitigationForm,
    title=_("行政应诉案件"),
    columns=(
        "case_number",
        "court",
        "instance",
        "department",
        "plaintiff_name",
        "filed_on",
        "result",
    ),
    fields=(
        "case_number",
        "court",
        "instance",
        "department",
        "plaintiff_name",
        "cause",
        "filed_on",
        "concluded_on",
        "result",
        "note",
    ),
    year_field="filed_on",
    year_label=_("收案年度"),
    select_related=("department",),
    result_choices=list(LitigationResult.choices),
    closed_field="concluded_on",
    extra_filters=("hearing_year",),
    extra_template="disputes/_litigation.html",
)

MEDIATION_ROOMS = Register(
    slug="mediation-rooms",
    model=MediationRoom,
    form=disputes_forms.MediationRoomForm,
    title=_("调解室"),
    columns=(
        "name",
        "township",
        "is_branded",
        "is_cross_province",
        "partner_region",
        "established_on",
    ),
    fields=(
        "name",
        "township",
        "address",
        "mediators",
        "is_branded",
        "is_cross_province",
        "partner_region",
        "established_on",
        "is_active",
    ),
    year_field="established_on",
    year_label=_("设立年度"),
    select_related=("township",),
    has_personal_data=False,  # rooms: names of mediators in their public role
    flags=(
        Flag("branded", _("仅品牌调解室"), Q(is_branded=True)),
        Flag("cross_province", _("仅跨省邻边联调"), Q(is_cross_province=True)),
    ),
    extra_template="disputes/_mediation_room.html",
)

MEDIATION_CASES = Register(
    slug="mediation-cases",
    model=MediationCase,
    form=disputes_forms.MediationCaseForm,
    title=_("调解案件"),
    columns=("room", "parties", "dispute_type", "received_on", "closed_on", "result"),
    fields=(
        "room",
        "department",
        "parties",
        "dispute_type",
        "is_cross_province",
        "summary",
        "received_on",
        "closed_on",
        "result",
        "agreement",
        "agreement_amount",
        "follow_up_on",
        "follow_up_note",
    ),
    year_field="received_on",
    year_label=_("受理年度"),
    select_related=("room", "department"),
    result_choices=list(MediationResult.choices),
    closed_field="closed_on",
    flags=(Flag("cross_province", _("仅跨省纠纷"), Q(is_cross_province=True)),),
    extra_template="disputes/_mediation_case.html",
)

EXAMS = Register(
    slug="exams",
    model=PreAppointmentExam,
    form=disputes_forms.PreAppointmentExamForm,
    title=_("任前法律知识考试"),
    columns=("nominee_name", "position", "department", "exam_on", "score", "is_passed"),
    fields=(
        "nominee_name",
        "position",
        "department",
        "is_congress_appointment",
        "exam_on",
        "score",
        "pass_mark",
        "is_passed",
    ),
    year_field="exam_on",
    year_label=_("考试年度"),
    select_related=("department",),
    flags=(Flag("congress", _("仅拟提请人大常委会任命"), Q(is_congress_appointment=True)),),
    area="capacity",
)

TRAININGS = Register(
    slug="trainings",
    model=TrainingSession,
    form=disputes_forms.TrainingSessionForm,
    title=_("培训"),
    columns=("title", "held_on", "organiser", "hours", "participant_count"),
    fields=(
        "title",
        "held_on",
        "organiser",
        "hours",
        "participant_count",
        "participants",
        "is_enforcement_training",
    ),
    year_field="held_on",
    year_label=_("培训年度"),
    select_related=("organiser",),
    flags=(Flag("enforcement", _("仅行政执法人员培训"), Q(is_enforcement_training=True)),),
    area="capacity",
)

STUDY_RECORDS = Register(
    slug="study-records",
    model=StudyRecord,
    form=disputes_forms.StudyRecordForm,
    title=_("学法记录"),
    columns=("department", "person_name", "studied_on", "topic", "hours", "is_collective"),
    fields=("department", "person_name", "studied_on", "topic", "hours", "is_collective"),
    year_field="studied_on",
    year_label=_("学习年度"),
    select_related=("department",),
    flags=(Flag("collective", _("仅集体学法"), Q(is_collective=True)),),
    area="capacity",
)

REGISTERS: dict[str, Register] = {
    register.slug: register
    for register in (
        RECONSIDERATIONS,
        LITIGATIONS,
        MEDIATION_ROOMS,
        MEDIATION_CASES,
        EXAMS,
        TRAININGS,
        STUDY_RECORDS,
    )
}

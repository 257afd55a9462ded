"""Forms of the disputes and capacity pages: one model form per register (the fields a person
enters; what actions set is left out), the list filters, and the forms of the actions."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import DepartmentKind, Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import ADD, CHANGE, scope_for
from chengxin.disputes.choices import AbsenceReason, MediationResult, ReconsiderationResult
from chengxin.disputes.models import (
    Hearing,
    Litigation,
    MediationCase,
    MediationRoom,
    PreAppointmentExam,
    Reconsideration,
    StudyRecord,
    TrainingSession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def _date_widgets(*names: str) -> dict[str, forms.Widget]:
    return dict.fromkeys(names, DATE)


class ScopedModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form whose department choices are those the user may write to: every department
    for the rule-of-law office, the user's own for a department's liaison."""

    department_fields: tuple[str, ...] = ("department",)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        action = CHANGE if self.instance.pk else ADD
        for name in self.department_fields:
            field = self.fields.get(name)
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                field.queryset = self._departments(field.queryset, action)

    def _departments(self, queryset: QuerySet[Any], action: str) -> QuerySet[Any]:
        if scope_for(self.user, action, self._meta.model) is Scope.ALL:
            return queryset.filter(is_active=True)
        return queryset.filter(pk=self.user.department_id)


class ReconsiderationForm(ScopedModelForm):
    class Meta:
        model = Reconsideration
        fields = [
            "case_number",
            "applicant_name",
            "applicant_kind",
            "department",
            "matter",
            "procedure",
            "received_on",
            "accepted_on",
            "time_limit_days",
        ]
        widgets = {**_date_widgets("received_on", "accepted_on"), "matter": TEXT}


class LitigationForm(ScopedModelForm):
    class Meta:
        model = Litigation
        fields = [
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
        ]
        widgets = {**_date_widgets("filed_on", "concluded_on"), "note": TEXT}


class HearingForm(forms.ModelForm):  # type: ignore[type-arg]
    """Schedule a court session; the appearance is recorded after it (record_hearing_appearance)."""

    class Meta:
        model = Hearing
        fields = ["held_on", "appearance_required", "note"]
        widgets = _date_widgets("held_on")


class MediationRoomForm(ScopedModelForm):
    department_fields = ("township",)

    class Meta:
        model = MediationRoom
        fields = [
            "name",
            "township",
            "address",
            "mediators",
            "is_branded",
            "is_cross_province",
            "partner_region",
            "established_on",
            "is_active",
        ]
        widgets = {**_date_widgets("established_on"), "mediators": TEXT}

    def _departments(self, queryset: QuerySet[Any], action: str) -> QuerySet[Any]:
        return super()._departments(queryset, action).filter(kind=DepartmentKind.TOWNSHIP)


class MediationCaseForm(ScopedModelForm):
    """A case as received, and its follow-up visit; closing it is an action."""

    class Meta:
        model = MediationCase
        fields = [
            "room",
            "parties",
            "dispute_type",
            "is_cross_province",
            "summary",
            "received_on",
            "follow_up_on",
            "follow_up_note",
        ]
        widgets = {**_date_widgets("received_on", "follow_up_on"), "summary": TEXT}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        room = self.fields["room"]
        assert isinstance(room, forms.ModelChoiceField)
        action = CHANGE if self.instance.pk else ADD
        room.queryset = MediationRoom.objects.restrict(user, action).select_related("township")


class PreAppointmentExamForm(ScopedModelForm):
    class Meta:
        model = PreAppointmentExam
        fields = [
            "nominee_name",
            "position",
            "department",
            "is_congress_appointment",
            "exam_on",
            "score",
        ]
        widgets = _date_widgets("exam_on")


class TrainingSessionForm(ScopedModelForm):
    department_fields = ("organiser",)

    class Meta:
        model = TrainingSession
        fields = [
            "title",
            "held_on",
            "organiser",
            "hours",
            "participant_count",
            "participants",
            "is_enforcement_training",
        ]
        widgets = {**_date_widgets("held_on"), "participants": TEXT}


class StudyRecordForm(ScopedModelForm):
    class Meta:
        model = StudyRecord
        fields = ["department", "person_name", "studied_on", "topic", "hours", "is_collective"]
        widgets = _date_widgets("studied_on")


# --- filters --------------------------------------------------------------------------------------


def year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    return [("", str(_("全部")))] + [(str(y), str(y)) for y in range(this_year, 2014, -1)]


class ListFilterForm(forms.Form):
    """Department, year and result, plus the filters only some lists have (see `registers`)."""

    def __init__(
        self,
        data: Any,
        *,
        departments: QuerySet[Department],
        year_label: Any,
        result_choices: list[tuple[str, Any]] | None,
        extra: tuple[str, ...],
        flags: tuple[tuple[str, Any], ...],
    ) -> None:
        super().__init__(data)
        self.fields["department"] = forms.ModelChoiceField(
            label=_("部门"), queryset=departments, required=False, empty_label=str(_("全部"))
        )
        self.fields["year"] = self._year(year_label)
        if result_choices is not None:
            self.fields["result"] = forms.ChoiceField(
                label=_("结果"),
                required=False,
                choices=[("", _("全部")), ("open", _("未结")), *result_choices],
            )
        if "decided_year" in extra:
            self.fields["decided_year"] = self._year(_("决定年度"))
        if "hearing_year" in extra:
            self.fields["hearing_year"] = self._year(_("开庭年度"))
        if "overdue" in extra:
            self.fields["overdue"] = forms.BooleanField(label=_("仅显示逾期未决定"), required=False)
        for name, label in flags:
            self.fields[name] = forms.BooleanField(label=label, required=False)

    @staticmethod
    def _year(label: Any) -> forms.TypedChoiceField:
        return forms.TypedChoiceField(
            label=label, choices=year_choices(), coerce=int, required=False, empty_value=None
        )


# --- actions ----------------------------------------------------------------------------------------


def _not_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise forms.ValidationError(_("日期不能晚于今天。"))


class DecideReconsiderationForm(forms.Form):
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE, validators=[_not_future])
    result = forms.ChoiceField(label=_("复议结果"), choices=ReconsiderationResult.choices)
    note = forms.CharField(label=_("决定要旨"), max_length=2000, required=False, widget=TEXT)


class ExtendReconsiderationForm(forms.Form):
    days = forms.IntegerField(label=_("延长日数"), min_value=1, max_value=30)
    reason = forms.CharField(label=_("延长理由（经负责人批准）"), max_length=500)


class AppearanceForm(forms.Form):
    appeared = forms.TypedChoiceField(
        label=_("负责人是否出庭"),
        choices=[("", "—"), ("yes", _("出庭")), ("no", _("未出庭"))],
        coerce=lambda value: value == "yes",
    )
    attendees = forms.CharField(label=_("出庭人员"), max_length=200)
    head_name = forms.CharField(label=_("出庭负责人"), max_length=50, required=False)
    head_position = forms.CharField(label=_("职务"), max_length=50, required=False)
    absence_reason = forms.ChoiceField(
        label=_("未出庭原因"), choices=[("", "—"), *AbsenceReason.choices], required=False
    )


class CloseMediationForm(forms.Form):
    result = forms.ChoiceField(label=_("调解结果"), choices=MediationResult.choices)
    closed_on = forms.DateField(label=_("结案日期"), widget=DATE, validators=[_not_future])
    agreement = forms.CharField(
        label=_("调解协议内容"), max_length=2000, required=False, widget=TEXT
    )
    agreement_amount = forms.DecimalField(
        label=_("协议涉及金额（元）"), max_digits=12, decimal_places=2, min_value=0, required=False
    )

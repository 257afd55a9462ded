"""Forms of the credit check pages: one check, feedback, clearing a candidate, a batch upload,
and the filters of the history and the statistics."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import VIEW, scope_for
from chengxin.core.identifiers import normalise, validate_resident_id, validate_uscc
from chengxin.screening.choices import CheckOutcome, Feedback
from chengxin.screening.matching import Subject
from chengxin.screening.models import CheckMeasure, CreditCheck, Scenario

DATE = forms.DateInput(attrs={"type": "date"})


def clean_credit_code(value: str) -> str:
    """A typed 统一社会信用代码, normalised (full-width, case) and checked (GB 32100-2015)."""
    code = normalise(value)
    return validate_uscc(code) if code else ""


def clean_id_number(value: str) -> str:
    """An ID number: an 18-character 公民身份号码 is checked; other documents pass as typed."""
    number = normalise(value)
    if len(number) == 18 and number[:17].isdigit():
        return validate_resident_id(number)
    if number and len(number) < 5:
        raise ValidationError(_("证件号码过短。"))
    return number


class CheckForm(forms.Form):
    """One subject to check, in a scenario, for a matter. The ID number is posted, never in a
    URL, and never shown back in full."""

    credit_code = forms.CharField(label=_("统一社会信用代码"), required=False, max_length=40)
    id_number = forms.CharField(
        label=_("证件号码"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("自然人填写公民身份号码；页面和记录中只显示脱敏号码。"),
    )
    name = forms.CharField(label=_("名称"), required=False, max_length=200)
    scenario = forms.ModelChoiceField(label=_("业务场景"), queryset=Scenario.objects.all())
    matter = forms.CharField(label=_("审批事项或项目编号"), max_length=200)

    def clean_credit_code(self) -> str:
        return clean_credit_code(self.cleaned_data.get("credit_code", ""))

    def clean_id_number(self) -> str:
        return clean_id_number(self.cleaned_data.get("id_number", ""))

    def clean_matter(self) -> str:
        matter = self.cleaned_data.get("matter", "").strip()
        if not matter:
            raise ValidationError(_("请填写审批事项或项目编号。"))
        return str(matter)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(
            data.get(name) for name in ("credit_code", "id_number", "name")
        ):
            raise ValidationError(_("统一社会信用代码、证件号码和名称至少填写一项。"))
        return data

    def subject(self) -> Subject:
        data = self.cleaned_data
        return Subject(
            name=data["name"].strip(), credit_code=data["credit_code"], id_number=data["id_number"]
        )


class FeedbackForm(forms.Form):
    """反馈: were the proposed measures taken? Not taking them needs a reason."""

    TAKEN, NOT_TAKEN = "taken", "not_taken"

    answer = forms.ChoiceField(
        label=_("措施采取情况"),
        choices=[(TAKEN, _("措施已采取")), (NOT_TAKEN, _("措施未采取"))],
        widget=forms.RadioSelect,
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("已采取的措施"),
        queryset=CheckMeasure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("只采取了部分措施的，勾选已采取的措施；不勾选表示全部已采取。"),
    )
    reason = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("未采取措施的，必须说明理由。"),
    )

    def __init__(self, *args: Any, check: CreditCheck, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measures"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = CheckMeasure.objects.filter(credit_check=check).select_related(
            "measure", "entry"
        )
        field.label_from_instance = lambda proposed: (  # type: ignore[method-assign, assignment]
            f"{proposed.measure.code} {proposed.measure.name}（{proposed.entry.document_number}）"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == self.NOT_TAKEN and not data.get("reason", "").strip():
            self.add_error("reason", _("未采取措施的，必须说明理由。"))
        return data

    @property
    def is_taken(self) -> bool:
        return bool(self.cleaned_data["answer"] == self.TAKEN)

    def applied_measure_ids(self) -> set[int] | None:
        chosen = self.cleaned_data.get("measures")
        if not self.is_taken or not chosen:
            return None
        return {proposed.measure_id for proposed in chosen}


class ClearCandidateForm(forms.Form):
    """排除疑似: the reviewer says why the candidate is not the checked subject."""

    entry = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("排除理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BatchForm(forms.Form):
    """An applicant or bidder list to check in the background."""

    file = forms.FileField(
        label=_("名单文件（CSV 或 XLSX）"),
        help_text=_(
            "表头为“名称”“统一社会信用代码”“证件号码”，每行至少填写一项；CSV 可为 UTF-8 或 GBK 编码。"
        ),
    )
    scenario = forms.ModelChoiceField(label=_("业务场景"), queryset=Scenario.objects.all())
    matter = forms.CharField(label=_("审批事项或项目编号"), max_length=200)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if (upload.size or 0) > limit * 1024 * 1024:
            raise ValidationError(_("文件超过 %(limit)s MB，请拆分后上传。") % {"limit": limit})
        return upload

    def clean_matter(self) -> str:
        matter = str(self.cleaned_data.get("matter", "")).strip()
        if not matter:
            raise ValidationError(_("请填写审批事项或项目编号。"))
        return matter


class CheckFilterForm(forms.Form):
    """Filters of the check history."""

    outcome = forms.ChoiceField(
        label=_("核查结果"), required=False, choices=[("", _("全部")), *CheckOutcome.choices]
    )
    feedback = forms.ChoiceField(
        label=_("反馈"),
        required=False,
        choices=[("", _("全部")), *Feedback.choices, ("overdue", _("逾期未反馈"))],
    )
    scenario = forms.ModelChoiceField(
        label=_("业务场景"), required=False, queryset=Scenario.objects.all()
    )
    department = forms.ModelChoiceField(
        label=_("核查单位"), required=False, queryset=Department.objects.none()
    )
    date_from = forms.DateField(label=_("核查日期自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        if scope_for(user, VIEW, CreditCheck) is Scope.ALL:
            field.queryset = Department.objects.all()
        else:
            del self.fields["department"]

    def filter(self, checks: QuerySet[CreditCheck], *, today: datetime.date) -> Any:
        if not self.is_bound or not self.is_valid():
            return checks
        data = self.cleaned_data
        for name in ("outcome", "scenario", "department"):
            if data.get(name):
                checks = checks.filter(**{name: data[name]})
        if data.get("feedback") == "overdue":
            checks = checks.filter(feedback=Feedback.PENDING, feedback_due__lt=today)
        elif data.get("feedback"):
            checks = checks.filter(feedback=data["feedback"])
        if data.get("date_from"):
            checks = checks.filter(created_at__gte=start_of(data["date_from"]))
        if data.get("date_to"):
            checks = checks.filter(created_at__lt=start_of(data["date_to"], days=1))
        return checks


def start_of(day: datetime.date, *, days: int = 0) -> datetime.datetime:
    """Midnight (local time) at the start of `day` + `days`."""
    moment = datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time.min)
    return timezone.make_aware(moment)


class PeriodForm(forms.Form):
    """The date range of the statistics (both ends included); the year to date by default."""

    date_from = forms.DateField(label=_("核查日期自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError(_("结束日期不能早于开始日期。"))
        return data

    def period(self, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        start = data.get("date_from") or today.replace(month=1, day=1)
        end = data.get("date_to") or today
        return start, end

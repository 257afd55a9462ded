"""Forms of the agencies staff pages: filters, the two registries' edit forms, status changes,
the clean-up confirmation and the officer import."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import User
from chengxin.agencies.choices import (
    DECLARED_REMOVAL_REASONS,
    BodyKind,
    BodyStatus,
    OfficerStatus,
    RemovalReason,
    Sector,
    Staffing,
)
from chengxin.agencies.models import (
    EnforcementBody,
    EnforcementBodyQuerySet,
    EnforcementOfficer,
    EnforcementOfficerQuerySet,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def _all(choices: Any) -> list[tuple[str, Any]]:
    return [("", _("全部")), *list(choices)]


class BodyFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或代码"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("主体类型"), required=False, choices=_all(BodyKind.choices))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_all(BodyStatus.choices))
    confirmed_from = forms.DateField(label=_("确认日期起"), required=False, widget=DATE_INPUT)
    confirmed_to = forms.DateField(label=_("确认日期止"), required=False, widget=DATE_INPUT)

    def filter(self, bodies: EnforcementBodyQuerySet) -> EnforcementBodyQuerySet:
        if not self.is_valid():
            return bodies
        data = self.cleaned_data
        if data["q"]:
            bodies = bodies.filter(
                Q(name__icontains=data["q"]) | Q(credit_code__icontains=data["q"].upper())
            )
        if data["kind"]:
            bodies = bodies.filter(kind=data["kind"])
        if data["status"]:
            bodies = bodies.filter(status=data["status"])
        if data["confirmed_from"]:
            bodies = bodies.filter(confirmed_on__gte=data["confirmed_from"])
        if data["confirmed_to"]:
            bodies = bodies.filter(confirmed_on__lte=data["confirmed_to"])
        return bodies


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或执法证号"), required=False, max_length=100)
    body = forms.ModelChoiceField(
        label=_("执法主体"), required=False, queryset=EnforcementBody.objects.all()
    )
    status = forms.ChoiceField(label=_("状态"), required=False, choices=_all(OfficerStatus.choices))
    staffing = forms.ChoiceField(
        label=_("编制身份"),
        required=False,
        choices=[*_all(Staffing.choices), ("none", _("未登记"))],
    )
    changed_from = forms.DateField(label=_("状态变更日期起"), required=False, widget=DATE_INPUT)
    changed_to = forms.DateField(label=_("状态变更日期止"), required=False, widget=DATE_INPUT)
    expired = forms.BooleanField(label=_("仅显示证件已过期"), required=False)

    def filter(self, officers: EnforcementOfficerQuerySet) -> EnforcementOfficerQuerySet:
        if not self.is_valid():
            return officers
        data = self.cleaned_data
        if data["q"]:
            officers = officers.filter(
                Q(name__icontains=data["q"]) | Q(certificate_number__icontains=data["q"])
            )
        if data["body"]:
            officers = officers.filter(body=data["body"])
        if data["status"]:
            officers = officers.filter(status=data["status"])
        if data["staffing"]:
            officers = officers.filter(
                staffing="" if data["staffing"] == "none" else data["staffing"]
            )
        if data["changed_from"]:
            officers = officers.filter(status_changed_on__gte=data["changed_from"])
        if data["changed_to"]:
            officers = officers.filter(status_changed_on__lte=data["changed_to"])
        if data["expired"]:
            officers = officers.filter(certificate_valid_until__lt=timezone.localdate())
        return officers


class HeadsField(forms.ModelMultipleChoiceField[User]):
    """Accounts shown with their department: the body's heads (负责人)."""

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.department} · {obj.full_name}"


class BodyForm(forms.ModelForm[EnforcementBody]):
    heads = HeadsField(
        label=_("负责人"),
        required=False,
        queryset=User.objects.none(),
        help_text=_("签批本主体执法决定、批准延长办案期限的负责人（系统账号）。"),
    )

    class Meta:
        model = EnforcementBody
        fields = [
            "name",
            "credit_code",
            "kind",
            "entrusting_body",
            "legal_basis",
            "domains",
            "territory",
            "confirming_document",
            "confirmed_on",
            "department",
            "sector",
            "legal_review_department",
            "heads",
        ]
        widgets = {"confirmed_on": DATE_INPUT, "legal_basis": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entrusting = EnforcementBody.objects.active().exclude(kind=BodyKind.ENTRUSTED)
        if self.instance.pk:
            entrusting = entrusting.exclude(pk=self.instance.pk)
        field = self.fields["entrusting_body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = entrusting
        # Accounts of a department; agencies.actions.save_body checks it is the body's own.
        heads = self.fields["heads"]
        assert isinstance(heads, forms.ModelMultipleChoiceField)
        heads.queryset = (
            User.objects.filter(is_active=True)
            .exclude(department=None)
            .select_related("department")
            .order_by("department__name", "full_name")
        )
        heads.widget.attrs["size"] = 6
        self.fields["sector"].required = False  # 其他 unless chosen

    def clean_sector(self) -> str:
        return str(self.cleaned_data.get("sector") or Sector.OTHER)


class OfficerForm(forms.ModelForm[EnforcementOfficer]):
    class Meta:
        model = EnforcementOfficer
        fields = [
            "body",
            "name",
            "certificate_number",
            "categories",
            "area",
            "certificate_valid_from",
            "certificate_valid_until",
            "staffing",
            "has_legal_qualification",
            "training_hours",
            "exam_passed",
        ]
        widgets = {"certificate_valid_from": DATE_INPUT, "certificate_valid_until": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = EnforcementBody.objects.active()
        # The model keeps blank for officers registered before 编制身份 was recorded; the
        # form asks for it.
        staffing = self.fields["staffing"]
        assert isinstance(staffing, forms.ChoiceField)
        staffing.required = True
        staffing.choices = [("", "—"), *Staffing.choices]


class RevokeForm(forms.Form):
    document = forms.CharField(label=_("撤销文件"), max_length=200)
    revoked_on = forms.DateField(
        label=_("撤销日期"), widget=DATE_INPUT, initial=datetime.date.today
    )
    reason = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=TEXT)


class StatusForm(forms.Form):
    """暂停 / 恢复在岗 / 注销: the reason and the date."""

    reason = forms.CharField(label=_("原因"), max_length=500, widget=TEXT)
    on = forms.DateField(label=_("日期"), widget=DATE_INPUT, initial=datetime.date.today)


class DepartureForm(forms.Form):
    """清理 of an officer who left enforcement (调离 / 退休), declared with the document."""

    why = forms.ChoiceField(
        label=_("清理原因"),
        choices=[(c.value, c.label) for c in RemovalReason if c in DECLARED_REMOVAL_REASONS],
    )
    reason = forms.CharField(
        label=_("调动或退休文件"), max_length=300, help_text=_("如调动文件或退休审批文号。")
    )
    on = forms.DateField(label=_("清理日期"), widget=DATE_INPUT, initial=datetime.date.today)


class CleanupForm(forms.Form):
    """The confirmation of the clean-up: the selected officers (checkboxes named "officer")."""

    officer = forms.TypedMultipleChoiceField(label=_("执法人员"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("清理依据"),
        max_length=300,
        initial=_("执法人员资格清理"),
        help_text=_("如清理通知的文号；各人的具体原因自动附后。"),
    )
    on = forms.DateField(label=_("清理日期"), widget=DATE_INPUT, initial=datetime.date.today)

    def __init__(self, *args: Any, officer_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(pk, pk) for pk in officer_ids]
        field.error_messages["invalid_choice"] = _("所选人员已不在清理建议名单中，请刷新页面。")
        field.error_messages["required"] = _("请至少选择一名执法人员。")

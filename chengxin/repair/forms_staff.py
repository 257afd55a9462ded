"""Forms of the credit office's repair pages: the queue filters and the reason of each decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chengxin.repair.choices import ApplicationStatus, OpinionVerdict, RepairKind
from chengxin.repair.models import RepairApplicationQuerySet

TEXT = forms.Textarea(attrs={"rows": 3})


class QueueFilterForm(forms.Form):
    """Filters of the queue: status, kind and "overdue only" (open and past the current due date)."""

    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *list(ApplicationStatus.choices)],
    )
    kind = forms.ChoiceField(
        label=_("修复类型"),
        required=False,
        choices=[("", _("全部")), *list(RepairKind.choices)],
    )
    overdue = forms.BooleanField(label=_("仅显示逾期"), required=False)

    def filter(self, applications: RepairApplicationQuerySet) -> RepairApplicationQuerySet:
        if not self.is_valid():
            return applications
        data: dict[str, Any] = self.cleaned_data
        if data.get("status"):
            applications = applications.filter(status=data["status"])
        if data.get("kind"):
            applications = applications.filter(kind=data["kind"])
        if data.get("overdue"):
            applications = applications.overdue()
        return applications


class ReasonForm(forms.Form):
    """The reason of a decision (不予受理, 要求补正材料, 不予修复): required."""

    reason = forms.CharField(label=_("理由"), max_length=2000, widget=TEXT)


class ApprovalForm(forms.Form):
    """同意修复: the reason is optional (the record leaves the public outputs today)."""

    reason = forms.CharField(label=_("办理意见"), max_length=2000, required=False, widget=TEXT)


class OpinionForm(forms.Form):
    """The deciding department's opinion on an application about its own record: 同意 or
    不同意, with a reason (required for 不同意; repair.actions.give_opinion checks it too)."""

    verdict = forms.ChoiceField(
        label=_("决定部门意见"), choices=OpinionVerdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        required=False,
        widget=TEXT,
        help_text=_("不同意修复的必须说明理由；同意的可填写核实情况。"),
    )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("verdict") == OpinionVerdict.DISAGREE and not data.get("reason", "").strip():
            self.add_error("reason", _("不同意修复的，必须说明理由。"))
        return data

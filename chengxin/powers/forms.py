"""Forms of the power list pages: the as-of filters, the upload's basis, the proposals of the
three adjustments with their review and approval, the categories."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import Department
from chengxin.accounts.permissions import ADD, scope_for
from chengxin.powers.choices import AdjustmentKind, ProposalStatus
from chengxin.powers.models import PowerCategory, PowerItem, PowerProposal

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class ListFilterForm(forms.Form):
    """The list as of a date (default today), by category, implementing department or text."""

    on = forms.DateField(label=_("截至日期"), required=False, widget=DATE_INPUT)
    category = forms.ModelChoiceField(
        label=_("权力类别"),
        required=False,
        queryset=PowerCategory.objects.all(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    department = forms.ModelChoiceField(
        label=_("实施主体"),
        required=False,
        queryset=Department.objects.filter(power_items__isnull=False).distinct().order_by("name"),
        empty_label=_("全部"),
    )
    q = forms.CharField(label=_("编码或名称"), required=False, max_length=100)

    def criteria(self) -> dict[str, Any]:
        """The day and the filters of versions_on; bad values are ignored (today, no filter)."""
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {}
        category = data.get("category")
        department = data.get("department")
        return {
            "day": data.get("on") or timezone.localdate(),
            "category": category.code if category else "",
            "department_id": department.pk if department else None,
            "text": (data.get("q") or "").strip(),
        }


class BasisForm(forms.Form):
    """Reason, document and effective date of a file of the list as published (the upload)."""

    reason = forms.CharField(label=_("调整原因"), max_length=2000, widget=TEXT)
    document = forms.CharField(
        label=_("文件依据"),
        max_length=200,
        help_text=_("本级人民政府公布或批准调整权力清单的文件文号。"),
    )
    effective_on = forms.DateField(
        label=_("生效日期"), widget=DATE_INPUT, initial=datetime.date.today
    )


class ProposalBasisForm(forms.Form):
    """Why and from when: every proposal says it (the government's document comes with the
    approval)."""

    reason = forms.CharField(
        label=_("调整原因"),
        max_length=2000,
        widget=TEXT,
        help_text=_("如法律法规立改废释、上级下放或取消、职能调整，写明依据的条款。"),
    )
    effective_on = forms.DateField(
        label=_("拟生效日期"),
        widget=DATE_INPUT,
        initial=datetime.date.today,
        help_text=_("批准时可由登记人按批准文件改定；不早于批准日期。"),
    )


def departments_for(user: Any) -> Any:
    """The departments `user` may propose items for: all (the rule-of-law office) or their own."""
    departments = Department.objects.filter(is_active=True).order_by("name")
    if scope_for(user, ADD, PowerProposal) is Scope.ALL:
        return departments
    return departments.filter(pk=getattr(user, "department_id", None))


class ItemFieldsForm(ProposalBasisForm):
    """新增 / 变更: the item's versioned fields as they should stand, and the proposal's basis."""

    name = forms.CharField(label=_("权力名称"), max_length=300)
    category = forms.ModelChoiceField(
        label=_("权力类别"), queryset=PowerCategory.objects.filter(is_active=True)
    )
    implementing_department = forms.ModelChoiceField(
        label=_("实施主体"), queryset=Department.objects.filter(is_active=True)
    )
    legal_basis = forms.CharField(label=_("设定依据"), max_length=4000, widget=TEXT)
    counterpart_kind = forms.CharField(label=_("行政相对人类别"), max_length=100, required=False)
    time_limit = forms.CharField(label=_("办理时限"), max_length=200, required=False)
    fee_basis = forms.CharField(label=_("收费依据和标准"), max_length=500, required=False)
    supervision_phone = forms.CharField(label=_("监督电话"), max_length=50, required=False)
    duties = forms.CharField(
        label=_("责任事项"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("行使该项权力应当履行的责任，如受理、审查、决定、送达、事后监管等环节的责任。"),
        error_messages={"required": _("请填写责任事项（行使该项权力应当履行的责任）。")},
    )
    accountability = forms.CharField(
        label=_("追责情形"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("不履行或者不正确履行上述责任时，应当追究责任的情形。"),
        error_messages={"required": _("请填写追责情形（不履行或不正确履行职责应当追责的情形）。")},
    )

    field_order = [
        "code",
        "name",
        "category",
        "implementing_department",
        "legal_basis",
        "counterpart_kind",
        "time_limit",
        "fee_basis",
        "supervision_phone",
        "duties",
        "accountability",
        "reason",
        "effective_on",
    ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            field = self.fields["implementing_department"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = departments_for(user)
            if scope_for(user, ADD, PowerProposal) is not Scope.ALL:
                field.initial = getattr(user, "department_id", None)  # a liaison's only choice

    @classmethod
    def initial_for(cls, item: PowerItem) -> dict[str, Any]:
        return {field: getattr(item, field) for field in PowerItem.VERSIONED_FIELDS}

    @classmethod
    def initial_from(cls, proposal: PowerProposal) -> dict[str, Any]:
        """A proposal's values (foreign keys by id) and basis, to revise it."""
        initial: dict[str, Any] = dict(proposal.values)
        initial.update(reason=proposal.reason, effective_on=proposal.effective_on)
        return initial

    def item_values(self) -> dict[str, Any]:
        return {
            field: self.cleaned_data[field]
            for field in PowerItem.VERSIONED_FIELDS
            if field in self.cleaned_data
        }


class AddItemForm(ItemFieldsForm):
    code = forms.CharField(
        label=_("权力编码"),
        max_length=50,
        help_text=_("已取消事项的编码可重新列入。"),
    )


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("办理中")), *ProposalStatus.choices, ("all", _("全部"))],
    )
    kind = forms.ChoiceField(
        label=_("调整类型"), required=False, choices=[("", "—"), *AdjustmentKind.choices]
    )
    overdue = forms.BooleanField(label=_("只看审核逾期"), required=False)


class ReviewForm(forms.Form):
    """The rule-of-law office's review: passed, or returned with the reason."""

    result = forms.ChoiceField(
        label=_("审核结论"),
        choices=[("passed", _("审核通过，报请政府批准")), ("returned", _("退回申报单位"))],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("审核意见"),
        max_length=2000,
        required=False,
        widget=TEXT,
        help_text=_("退回的，须写明理由。"),
    )


class ApprovalForm(forms.Form):
    """The government's approval, as recorded by the rule-of-law office."""

    document = forms.CharField(
        label=_("批准文号"),
        max_length=200,
        help_text=_("本级人民政府（办公室）批准调整的文件文号，如 台政字〔2026〕12号。"),
    )
    approved_on = forms.DateField(label=_("批准日期"), widget=DATE_INPUT)
    effective_on = forms.DateField(
        label=_("生效日期"), widget=DATE_INPUT, help_text=_("按批准文件确定，不早于批准日期。")
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=2000, widget=TEXT)


class CategoryForm(forms.ModelForm[PowerCategory]):
    class Meta:
        model = PowerCategory
        fields = ["code", "name", "ordering", "is_active"]

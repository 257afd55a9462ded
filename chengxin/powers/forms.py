"""Forms of the power list pages: the as-of filters, the three adjustments, the categories."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.powers.models import PowerCategory, PowerItem

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
    """Reason, document and effective date: every adjustment has them."""

    reason = forms.CharField(label=_("调整原因"), max_length=2000, widget=TEXT)
    document = forms.CharField(
        label=_("文件依据"), max_length=200, help_text=_("如调整权力清单的通知文号。")
    )
    effective_on = forms.DateField(
        label=_("生效日期"), widget=DATE_INPUT, initial=datetime.date.today
    )


class ItemFieldsForm(BasisForm):
    """新增 / 变更: the item's versioned fields and the basis of the adjustment."""

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
        "reason",
        "document",
        "effective_on",
    ]

    @classmethod
    def initial_for(cls, item: PowerItem) -> dict[str, Any]:
        return {field: getattr(item, field) for field in PowerItem.VERSIONED_FIELDS}

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


class CategoryForm(forms.ModelForm[PowerCategory]):
    class Meta:
        model = PowerCategory
        fields = ["code", "name", "ordering", "is_active"]

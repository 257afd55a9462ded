"""Forms of the public repair pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); checked by repair.evidence."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ApplicationForm(forms.Form):
    contact_person = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.RegexField(
        label=_("联系电话"),
        max_length=30,
        regex=r"^[0-9+\-() ]{7,30}$",
        error_messages={"invalid": _("请填写有效的电话号码。")},
    )
    statement = forms.CharField(
        label=_("纠正失信行为情况说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("如：罚款缴纳情况、整改措施及完成时间。"),
    )
    evidence = MultipleFileField(
        label=_("证明材料"),
        help_text=_("PDF、JPG 或 PNG，每个文件不超过规定大小，最多 5 个。"),
    )
    commitment_confirmed = forms.BooleanField(
        label=_("本人已阅读并确认上述信用修复承诺书"), required=True
    )


class LookupForm(forms.Form):
    receipt_number = forms.CharField(label=_("受理编号"), max_length=24)
    code = forms.CharField(label=_("查询码"), max_length=16)


class SupplyForm(forms.Form):
    note = forms.CharField(
        label=_("补正说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(label=_("补正材料"))

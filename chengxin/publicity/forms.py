"""Forms for one record at a time: the same rules as the import (Model.clean → standard.check)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import ADD, scope_for
from chengxin.publicity import standard
from chengxin.publicity.models import DecisionRecord

PERSONAL = ("id_number", "legal_representative_id_number")
WIDE = {"content", "violation_type", "violation_facts", "legal_basis", "remark"}


class BaseRecordForm(forms.ModelForm[DecisionRecord]):
    """Fields in the standard's order, labelled with their codes; ID numbers entered in plaintext
    and stored encrypted."""

    id_number = forms.CharField(label=_("证件号码"), required=False, max_length=64)
    legal_representative_id_number = forms.CharField(
        label=_("法定代表人证件号码"), required=False, max_length=64
    )
    reason = forms.CharField(
        label=_("更正原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model = self._meta.model
        departments = Department.objects.filter(is_active=True)
        if scope_for(user, ADD, model) is not Scope.ALL:
            departments = departments.filter(pk=user.department_id)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = departments
        if not self.instance.pk and user.department_id:
            department.initial = user.department_id
        for spec in standard.FIELDS[model.kind]:
            field = self.fields[spec.attr]
            # The standard's Chinese name is translated for display only (see standard.Field).
            field.label = gettext("%(label)s（%(code)s）") % {
                "label": gettext(spec.label),
                "code": spec.code,
            }
            field.required = spec.required and spec.attr not in (
                "data_source",
                "data_source_credit_code",
            )
            if spec.attr in WIDE:
                field.widget = forms.Textarea(attrs={"rows": 3})
            elif spec.kind == standard.DATE:
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if self.instance.pk:
            self.fields["id_number"].help_text = _("已加密保存（%s）；留空则保持不变。") % (
                self.instance.id_number_masked or "—"
            )
        else:
            del self.fields["reason"]
        self.order_fields(["department", *standard.attrs(model.kind), "reason"])

    def clean(self) -> dict[str, Any]:
        """Seal the ID numbers onto the record before Model.clean() checks them (the model's
        fields for them are not form fields, so the form will not overwrite them)."""
        cleaned = super().clean() or {}
        record: DecisionRecord = self.instance
        current = record.standard_values() if record.pk else {}
        numbers = {
            name: (cleaned.get(name) or current.get(name) or "").strip() for name in PERSONAL
        }
        record.set_personal_numbers(**numbers)
        return cleaned


def record_form_class(model: type[DecisionRecord]) -> type[BaseRecordForm]:
    fields = ["department", *(attr for attr in standard.attrs(model.kind) if attr not in PERSONAL)]
    return cast(
        type[BaseRecordForm], forms.modelform_factory(model, form=BaseRecordForm, fields=fields)
    )


class WithdrawForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("决定被变更、撤销、确认违法或无效的日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("撤回原因（将公开）"), widget=forms.Textarea(attrs={"rows": 3})
    )

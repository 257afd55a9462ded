from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import VIEW, scope_for
from chengxin.publicity.choices import RecordStatus, Timeliness
from chengxin.publicity.models import LicenseRecord


class RecordFilterForm(forms.Form):
    q = forms.CharField(label=_("文书号或相对人名称"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *RecordStatus.choices]
    )
    timeliness = forms.ChoiceField(
        label=_("及时性"), required=False, choices=[("", _("全部")), *Timeliness.choices]
    )
    department = forms.ModelChoiceField(
        label=_("数据来源单位"), required=False, queryset=Department.objects.none()
    )
    decided_from = forms.DateField(
        label=_("决定日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decided_to = forms.DateField(
        label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        if scope_for(user, VIEW, LicenseRecord) is Scope.ALL:
            field.queryset = Department.objects.all()
        else:
            del self.fields["department"]

    def filter(self, records: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_bound or not self.is_valid():
            return records
        data = self.cleaned_data
        if data.get("q"):
            records = records.filter(
                Q(decision_number__icontains=data["q"]) | Q(subject_name__icontains=data["q"])
            )
        for name in ("status", "timeliness", "department"):
            if data.get(name):
                records = records.filter(**{name: data[name]})
        if data.get("decided_from"):
            records = records.filter(decision_date__gte=data["decided_from"])
        if data.get("decided_to"):
            records = records.filter(decision_date__lte=data["decided_to"])
        return records

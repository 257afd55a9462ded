"""Forms of the list pages: filtering entries, one entry, removal, the measures catalogue.

The rules about one entry are `ListEntry.clean()`; the rule that ties a measure's kind to the
kind of its lists is `MeasureForm.clean()`, used by the staff page and the admin alike.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.core.identifiers import normalise, validate_resident_id
from chengxin.screening.choices import CatalogueSource, EntryStatus, ListKind, MeasureKind
from chengxin.screening.models import ListEntry, ListType, Measure, Scenario
from chengxin.subjects.choices import SubjectCategory

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ListEntryFilterForm(forms.Form):
    q = forms.CharField(label=_("主体名称、代码或文书号"), required=False, max_length=100)
    list_type = forms.ModelChoiceField(
        label=_("名单类型"), required=False, queryset=ListType.objects.all()
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *EntryStatus.choices]
    )
    listed_from = forms.DateField(label=_("列入日期自"), required=False, widget=DATE_INPUT)
    listed_to = forms.DateField(label=_("至"), required=False, widget=DATE_INPUT)

    def filter(self, entries: QuerySet[ListEntry]) -> QuerySet[ListEntry]:
        if not self.is_bound or not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("q"):
            text = data["q"].strip()
            code = normalise(text)
            entries = entries.filter(
                Q(subject_name__icontains=text)
                | Q(credit_code=code)
                | Q(document_number__icontains=text)
            )
        if data.get("list_type"):
            entries = entries.filter(list_type=data["list_type"])
        if data.get("status"):
            entries = entries.filter(status=data["status"])
        if data.get("listed_from"):
            entries = entries.filter(listed_on__gte=data["listed_from"])
        if data.get("listed_to"):
            entries = entries.filter(listed_on__lte=data["listed_to"])
        return entries


class ListEntryForm(forms.ModelForm[ListEntry]):
    """A new or edited entry. The ID number is typed in plaintext and stored encrypted; the
    status is not a field: removal is its own action (actions.remove_entry)."""

    id_number = forms.CharField(label=_("证件号码"), required=False, max_length=64)

    class Meta:
        model = ListEntry
        fields = [
            "list_type",
            "subject_name",
            "subject_category",
            "credit_code",
            "id_number",
            "listing_authority",
            "document_number",
            "basis",
            "listed_on",
            "ends_on",
        ]
        widgets = {
            "basis": forms.Textarea(attrs={"rows": 3}),
            "listed_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        list_type = self.fields["list_type"]
        assert isinstance(list_type, forms.ModelChoiceField)
        list_type.queryset = ListType.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.list_type_id)
        )
        if self.instance.pk:
            self.fields["id_number"].help_text = _("已加密保存（%s）；留空则保持不变。") % (
                self.instance.id_number_masked or "—"
            )

    def clean_id_number(self) -> str:
        value = normalise(self.cleaned_data.get("id_number") or "")
        category = self.data.get(self.add_prefix("subject_category"))
        if value and category == SubjectCategory.NATURAL_PERSON:
            value = validate_resident_id(value)
        return value

    def clean(self) -> dict[str, Any]:
        """Seal the ID number onto the entry before ListEntry.clean() checks it."""
        cleaned = super().clean() or {}
        if cleaned.get("id_number"):
            self.instance.set_id_number(cleaned["id_number"])
        return cleaned

    def _update_errors(self, errors: ValidationError) -> None:
        """Model errors on fields the form does not show go to the field the person fixes."""
        if hasattr(errors, "error_dict"):
            moved: dict[str, list[Any]] = {}
            for name, messages in errors.error_dict.items():
                target = {"id_number_masked": "id_number"}.get(name, name)
                if target not in self.fields:
                    target = NON_FIELD_ERRORS
                moved.setdefault(target, []).extend(messages)
            errors = ValidationError(moved)
        super()._update_errors(errors)  # type: ignore[misc]


class RemoveEntryForm(forms.Form):
    removed_on = forms.DateField(label=_("移出日期"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("移出原因"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如：信用修复决定书文号、有效期届满、认定决定被撤销等。"),
    )


class MeasureForm(forms.ModelForm[Measure]):
    """A catalogued measure. New measures are always of the local 补充清单 (the national base
    list comes from reference data), so `source` is not a field."""

    class Meta:
        model = Measure
        fields = [
            "code",
            "name",
            "kind",
            "effect",
            "edition",
            "legal_basis",
            "list_types",
            "scenarios",
            "departments",
            "is_active",
        ]
        widgets = {
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "list_types": forms.CheckboxSelectMultiple,
            "scenarios": forms.CheckboxSelectMultiple,
            "departments": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = self.fields["departments"]
        assert isinstance(departments, forms.ModelMultipleChoiceField)
        departments.queryset = Department.objects.filter(is_active=True)
        scenarios = self.fields["scenarios"]
        assert isinstance(scenarios, forms.ModelMultipleChoiceField)
        scenarios.queryset = Scenario.objects.all()
        if not self.instance.pk:
            self.instance.source = CatalogueSource.LOCAL

    def clean_legal_basis(self) -> str:
        basis = str(self.cleaned_data.get("legal_basis") or "").strip()
        if not basis:
            raise ValidationError(_("必须填写法律依据：没有依据的措施不能列入清单。"))
        return basis

    def clean(self) -> dict[str, Any]:
        """A 惩戒 measure applies to dishonesty lists only, a 激励 measure to trust lists only
        (国办发〔2020〕49号: measures follow the kind of list); at least one list and scenario."""
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        list_types = list(cleaned.get("list_types") or [])
        if "list_types" in cleaned and not list_types:
            self.add_error("list_types", _("至少选择一个适用名单。"))
        if "scenarios" in cleaned and not cleaned["scenarios"]:
            self.add_error("scenarios", _("至少选择一个业务场景。"))
        wanted = {
            MeasureKind.PUNISHMENT: ListKind.DISHONESTY,
            MeasureKind.INCENTIVE: ListKind.TRUST,
        }
        if kind in wanted:
            wrong = [t.name for t in list_types if t.kind != wanted[kind]]
            if wrong:
                message = (
                    _("惩戒措施只能适用于失信主体名单，以下名单不是：%(names)s")
                    if kind == MeasureKind.PUNISHMENT
                    else _("激励措施只能适用于守信激励名单，以下名单不是：%(names)s")
                )
                self.add_error("list_types", message % {"names": "、".join(wrong)})
        return cleaned

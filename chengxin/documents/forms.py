"""Forms of the document pages: registration, each step of the procedure, the filters of the
staff list, the issuing body form and the public comment form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.documents.actions import Republication
from chengxin.documents.choices import (
    CleanupResult,
    CommentHandling,
    DeliberationResult,
    DocumentStatus,
    FilingTimeliness,
)
from chengxin.documents.models import IssuingBody, NormativeDocumentQuerySet

TEXT = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


class RegisterForm(forms.Form):
    """统一登记 of a draft: a liaison sees only the bodies of their own department."""

    issuing_body = forms.ModelChoiceField(label=_("制定主体"), queryset=IssuingBody.objects.none())
    title = forms.CharField(label=_("文件名称"), max_length=200)
    drafting_unit = forms.CharField(label=_("起草单位"), max_length=200)
    is_provisional = forms.BooleanField(
        label=_("暂行/试行"), required=False, help_text=_("名称含“暂行”“试行”的自动认定。")
    )
    summary = forms.CharField(label=_("起草说明"), required=False, widget=TEXT, max_length=5000)
    body = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}), max_length=200_000
    )

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issuing_body"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = bodies


class CommentPeriodForm(forms.Form):
    starts_on = _date(_("开始日期"))
    ends_on = _date(_("截止日期"))
    shortened_reason = forms.CharField(
        label=_("期限较短的理由"),
        required=False,
        widget=TEXT,
        max_length=2000,
        help_text=_("少于本地规定的最短工作日数时必填。"),
    )
    backfill_reason = forms.CharField(
        label=_("补录理由"),
        required=False,
        widget=TEXT,
        max_length=2000,
        help_text=_(
            "开始日期早于今天的，公众只能自今天起在网上提出意见；录入前已线下征求意见的"
            "（如在报刊刊登征求意见稿），请说明，录入前的工作日才计入期限。"
        ),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=TEXT, max_length=2000)


class HandlingForm(forms.Form):
    handling = forms.ChoiceField(
        label=_("采纳情况"),
        choices=[c for c in CommentHandling.choices if c[0] != CommentHandling.PENDING],
    )
    reason = forms.CharField(
        label=_("处理说明"),
        required=False,
        widget=TEXT,
        max_length=2000,
        help_text=_("部分采纳或不予采纳的必填。"),
    )


class ReviewForm(forms.Form):
    passed = forms.TypedChoiceField(
        label=_("审核结论"),
        choices=[("1", _("通过")), ("0", _("不通过"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label=_("审核意见"), widget=TEXT, max_length=5000)
    urgent_reason = forms.CharField(
        label=_("紧急情况说明"),
        required=False,
        widget=TEXT,
        max_length=2000,
        help_text=_(
            "审核时间一般不少于5个工作日（国办发〔2018〕115号）；自提请之日起不足5个工作日"
            "出具意见的必填。"
        ),
    )


class DeliberationForm(forms.Form):
    meeting = forms.CharField(label=_("审议会议"), max_length=200)
    held_on = _date(_("审议日期"))
    result = forms.ChoiceField(label=_("审议结果"), choices=DeliberationResult.choices)


class IssueForm(forms.Form):
    issued_on = _date(_("印发日期"), required=False)


class PublishForm(forms.Form):
    published_on = _date(_("公布日期"))
    channel = forms.CharField(label=_("公布载体"), max_length=200, initial=_("区人民政府网站"))
    effective_on = _date(_("施行日期"), required=False)
    early_effect_reason = forms.CharField(
        label=_("提前施行的理由"),
        required=False,
        widget=TEXT,
        max_length=2000,
        help_text=_("施行日期留空则为公布后第 30 日；早于该日的须说明理由。"),
    )
    validity_years = forms.IntegerField(
        label=_("有效期（年）"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("留空为本地设置的上限（一般 5 年，暂行、试行 2 年），自施行之日起算。"),
    )


class FilingForm(forms.Form):
    filed_on = _date(_("报送备案日期"))
    filed_with = forms.CharField(label=_("备案机关"), max_length=100, required=False)
    reference = forms.CharField(label=_("备案登记号"), max_length=60, required=False)


class CleanupForm(forms.Form):
    """A clean-up result; 继续有效 with a re-publication gives the document a new validity."""

    result = forms.ChoiceField(label=_("清理结果"), choices=CleanupResult.choices)
    decided_on = _date(_("清理日期"))
    note = forms.CharField(label=_("说明"), required=False, widget=TEXT, max_length=2000)
    republished_on = _date(_("重新公布日期"), required=False)
    republication_channel = forms.CharField(label=_("重新公布载体"), required=False, max_length=200)
    validity_years = forms.IntegerField(
        label=_("新有效期（年）"),
        required=False,
        min_value=1,
        max_value=10,
        help_text=_("自重新公布之日起算；留空为本地设置的上限（一般 5 年，暂行、试行 2 年）。"),
    )
    evaluation = forms.CharField(
        label=_("评估情况"),
        required=False,
        widget=TEXT,
        max_length=5000,
        help_text=_(
            "继续有效的文件如需延续有效期，须经评估并重新公布，新的有效期自重新公布之日起计算；"
            "只填清理结果的，文件在原有效期内继续有效。"
        ),
    )


def republication_from(data: dict[str, Any]) -> Republication | None:
    """The re-publication a clean-up form asks for: none without a re-publication day."""
    if data.get("republished_on") is None:
        if (
            data.get("republication_channel")
            or data.get("evaluation")
            or data.get("validity_years")
        ):
            raise ValidationError({"republished_on": _("延续有效期的，请填写重新公布日期。")})
        return None
    return Republication(
        evaluation=data.get("evaluation", ""),
        published_on=data["republished_on"],
        channel=data.get("republication_channel", ""),
        validity_years=data.get("validity_years"),
    )


VALIDITY_FILTERS = (
    ("", _("全部")),
    ("in_force", _("现行有效")),
    ("expiring", _("6 个月内到期")),
    ("lapsed", _("失效")),
)


class DocumentFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或文号"), required=False, max_length=100)
    issuing_body = forms.ModelChoiceField(
        label=_("制定主体"), required=False, queryset=IssuingBody.objects.all()
    )
    # A department's own documents: the links of its annual report (reports, docs/adr/0025).
    department = forms.ModelChoiceField(
        label=_("所属部门"), required=False, queryset=Department.objects.all()
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *DocumentStatus.choices]
    )
    year = forms.IntegerField(label=_("编号年度"), required=False, min_value=2000, max_value=2100)
    validity = forms.ChoiceField(label=_("效力"), required=False, choices=VALIDITY_FILTERS)
    filing = forms.ChoiceField(
        label=_("备案情况"), required=False, choices=[("", _("全部")), *FilingTimeliness.choices]
    )

    def filter(self, documents: NormativeDocumentQuerySet) -> NormativeDocumentQuerySet:
        if not self.is_valid():
            return documents
        data: dict[str, Any] = self.cleaned_data
        if data.get("q"):
            documents = documents.filter(
                Q(title__contains=data["q"]) | Q(document_number__contains=data["q"])
            )
        if data.get("issuing_body"):
            documents = documents.filter(issuing_body=data["issuing_body"])
        if data.get("department"):
            documents = documents.filter(department=data["department"])
        if data.get("status"):
            documents = documents.filter(status=data["status"])
        if data.get("year"):
            documents = documents.filter(number_year=data["year"])
        validity = data.get("validity")
        if validity == "in_force":
            documents = documents.in_force()
        elif validity == "expiring":
            documents = documents.expiring()
        elif validity == "lapsed":
            documents = documents.lapsed()
        if data.get("filing"):
            documents = documents.filter(filing_timeliness=data["filing"])
        return documents


class IssuingBodyForm(forms.ModelForm[IssuingBody]):
    class Meta:
        model = IssuingBody
        fields = [
            "name",
            "code",
            "kind",
            "department",
            "filing_authority",
            "number_pattern",
            "reviewing_unit",
            "is_confirmed",
            "confirmed_on",
            "is_active",
        ]
        widgets = {"confirmed_on": DATE}


class PublicCommentForm(forms.Form):
    """The public's comment on a draft: the name and contact are optional and never shown."""

    content = forms.CharField(
        label=_("意见内容"),
        widget=forms.Textarea(attrs={"rows": 6}),
        min_length=5,
        max_length=2000,
    )
    name = forms.CharField(label=_("姓名或单位（选填）"), required=False, max_length=100)
    contact = forms.CharField(label=_("联系方式（选填）"), required=False, max_length=100)


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)

"""Forms of the decision pages: one per step of the procedure, the catalogue, the public comment.

The forms only read input; the rules are in the models' clean() and in decisions.actions, whose
refusals come back to the page as messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.decisions.actions import ExpertInput, ReviewMaterials
from chengxin.decisions.choices import (
    CommentHandling,
    EvaluationTrigger,
    HeadDecision,
    LegalityConclusion,
    MeetingType,
    RiskLevel,
    ScopeCategory,
    Stage,
    StepKind,
)
from chengxin.decisions.models import DecisionCatalogue

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        error_messages={"invalid": _("请填写有效的日期（年-月-日）。")},
        **kwargs,
    )


def _text(label: Any, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=kwargs.pop("max_length", 5000),
        **kwargs,
    )


# --- the catalogue ---------------------------------------------------------------------------


class CatalogueForm(forms.ModelForm[DecisionCatalogue]):
    class Meta:
        model = DecisionCatalogue
        fields = ["year", "title", "approval_note", "approved_on"]
        widgets = {"approved_on": DATE}


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("决策事项名称"), max_length=200)
    lead_unit = forms.ModelChoiceField(
        label=_("承办单位"), queryset=Department.objects.none(), empty_label=None
    )
    scope_category = forms.ChoiceField(label=_("事项类别（第3条）"), choices=ScopeCategory.choices)
    planned_completion = _date(_("计划完成时间"))
    summary = _text(_("事项简介"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units: QuerySet[Department] = Department.objects.filter(is_active=True)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]


class DecisionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("目录年度"), required=False, min_value=2019, max_value=2100)
    decided = forms.IntegerField(
        label=_("决定年度"), required=False, min_value=2019, max_value=2100
    )
    stage = forms.ChoiceField(
        label=_("办理阶段"), required=False, choices=[("", _("全部")), *Stage.choices]
    )
    overdue = forms.BooleanField(label=_("仅显示逾期"), required=False)
    skip_pending = forms.BooleanField(label=_("仅显示环节不适用待批准"), required=False)


# --- every step --------------------------------------------------------------------------------


class PlanStepForm(forms.Form):
    kind = forms.ChoiceField(label=_("环节"), choices=StepKind.choices)
    responsible_person = forms.CharField(label=_("责任人"), max_length=100)
    planned_end = _date(_("计划完成日期"), required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("环节"), choices=StepKind.choices)
    title = forms.CharField(label=_("材料名称"), max_length=200)
    file = forms.FileField(label=_("文件"))
    is_public = forms.BooleanField(label=_("向社会公开"), required=False)


class ProposeSkipForm(forms.Form):
    """Propose that the current step does not apply; another person approves it."""

    kind = forms.ChoiceField(label=_("环节"), choices=StepKind.choices, widget=forms.HiddenInput)
    reason = _text(
        _("不适用的理由"),
        help_text=_(
            "仅限本地未列为必经程序的环节（专家论证第19条、风险评估第22条、公众参与第14条）；"
            "须由提出人以外的人员批准后生效。"
        ),
    )


class DecideSkipForm(forms.Form):
    kind = forms.ChoiceField(label=_("环节"), choices=StepKind.choices, widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审批结论"),
        choices=[("1", _("同意不履行该环节")), ("0", _("不同意，继续履行"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = _text(_("批准意见"))


# --- 公众参与 ----------------------------------------------------------------------------------


class ConsultationForm(forms.Form):
    draft_title = forms.CharField(label=_("征求意见稿名称"), max_length=200)
    draft_text = _text(_("决策草案及说明"), rows=8, max_length=50000)
    opens_on = _date(_("征求意见开始日期"))
    closes_on = _date(_("征求意见截止日期"))
    shortened_reason = _text(
        _("期限少于30日的理由"),
        required=False,
        help_text=_("征求意见期限一般不少于30日；少于30日的必须说明理由（条例第14条）。"),
    )
    backfill_reason = _text(
        _("补录理由"),
        required=False,
        help_text=_(
            "开始日期早于今天的，公众只能自今天起在网上提出意见；录入前已线下征求意见的"
            "（如在报刊刊登征求意见稿），请说明，录入前的日子才计入期限。"
        ),
    )


class HearingForm(forms.Form):
    held_on = _date(_("听证日期"))
    place = forms.CharField(label=_("地点"), max_length=200)
    materials_sent_on = _date(
        _("材料送达参加人日期"), help_text=_("应当于听证会7日前送达（条例第16条）。")
    )
    participants_published_on = _date(_("参加人名单公布日期"))
    participants = _text(_("听证参加人"))
    record_summary = _text(_("听证情况"), required=False)


class ParticipationDoneForm(forms.Form):
    result_summary = _text(_("意见采纳情况及理由"), rows=5)
    hearing_not_held_reason = _text(_("未举行听证会的理由"), required=False)
    completed_on = _date(_("完成日期"))


class CommentHandlingForm(forms.Form):
    handling = forms.ChoiceField(
        label=_("处理情况"),
        choices=[c for c in CommentHandling.choices if c[0] != CommentHandling.PENDING],
    )
    note = forms.CharField(label=_("处理说明"), max_length=2000, required=False)


# --- 专家论证, 风险评估 --------------------------------------------------------------------------


class ExpertReviewForm(forms.Form):
    experts = _text(
        _("专家论证意见"),
        rows=5,
        help_text=_("每行一位专家：姓名｜工作单位及专业｜同意或不同意｜意见。"),
    )
    handling_note = _text(_("专家意见采纳情况"))
    completed_on = _date(_("完成日期"))

    def clean_experts(self) -> list[ExpertInput]:
        parsed, errors = [], []
        for number, line in enumerate(str(self.cleaned_data["experts"]).splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.replace("|", "｜").split("｜")]
            if len(parts) != 4 or not all(parts) or parts[2] not in ("同意", "不同意"):
                errors.append(
                    _("第 %(n)s 行格式不正确：应为“姓名｜工作单位及专业｜同意或不同意｜意见”。")
                    % {"n": number}
                )
                continue
            parsed.append(ExpertInput(parts[0], parts[1], parts[2] == "同意", parts[3]))
        if errors:
            raise forms.ValidationError(errors)
        if not parsed:
            raise forms.ValidationError(_("请至少填写一位专家的论证意见。"))
        return parsed


class RiskForm(forms.Form):
    risk_points = _text(_("风险点及防范化解措施"), rows=5)
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    is_controllable = forms.BooleanField(label=_("风险可控"), required=False, initial=True)
    adjustment_note = _text(
        _("决策草案调整情况"),
        required=False,
        help_text=_("风险不可控的，应当先调整决策草案（条例第24条）。"),
    )
    completed_on = _date(_("完成日期"))


# --- 合法性审查 --------------------------------------------------------------------------------


class SubmitReviewForm(forms.Form):
    """The request for legality review and the materials of art. 26 (and art. 29 (一))."""

    submitted_on = _date(_("送审日期"))
    draft_text = _text(_("决策草案"), rows=8, max_length=50000)
    legal_basis = _text(
        _("有关法律、法规、规章等依据"), help_text=_("送请合法性审查应当提供的材料（条例第26条）。")
    )
    procedure_statement = _text(
        _("履行决策法定程序的说明"),
        rows=5,
        help_text=_("公众参与、专家论证、风险评估等程序的履行情况（条例第26条）。"),
    )
    affects_market_activity = forms.BooleanField(label=_("涉及市场主体经济活动"), required=False)
    fair_competition_review = _text(
        _("公平竞争审查情况"),
        required=False,
        help_text=_(
            "决策草案涉及市场主体经济活动的必填（条例第29条第一项；《公平竞争审查条例》）。"
        ),
    )

    @staticmethod
    def materials_of(data: dict[str, Any]) -> ReviewMaterials:
        return ReviewMaterials(
            draft_text=data["draft_text"],
            legal_basis=data["legal_basis"],
            procedure_statement=data["procedure_statement"],
            affects_market_activity=data["affects_market_activity"],
            fair_competition_review=data["fair_competition_review"],
        )


class ConclusionForm(forms.Form):
    conclusion = forms.ChoiceField(
        label=_("审查结论"),
        choices=[c for c in LegalityConclusion.choices if c[0] != LegalityConclusion.PENDING],
        widget=forms.RadioSelect,
    )
    opinion = _text(_("合法性审查意见"), rows=6)
    concluded_on = _date(_("出具意见日期"))
    short_review_reason = _text(
        _("审查时间少于7个工作日的理由"),
        required=False,
        help_text=_("审查时间一般不少于7个工作日（条例第26条），少于的必须说明理由。"),
    )
    counsel = forms.CharField(
        label=_("提出意见的法律顾问、公职律师"),
        max_length=200,
        help_text=_("合法性审查过程中应当组织法律顾问、公职律师提出法律意见（条例第28条）。"),
    )
    counsel_opinion = _text(_("法律顾问、公职律师的法律意见"), rows=4)


# --- 集体讨论决定, 公布, 后评估 ----------------------------------------------------------------


class DiscussionForm(forms.Form):
    meeting_type = forms.ChoiceField(label=_("会议类型"), choices=MeetingType.choices)
    meeting_name = forms.CharField(label=_("会议名称"), max_length=100)
    meeting_date = _date(_("会议日期"))
    minutes = _text(_("会议纪要"), rows=5)
    head_decision = forms.ChoiceField(label=_("行政首长决定"), choices=HeadDecision.choices)
    departs_from_majority = forms.BooleanField(label=_("与多数人意见不一致"), required=False)
    departure_reason = _text(_("不一致的理由"), required=False)
    dissent = _text(_("不同意见"), required=False)


class PublishForm(forms.Form):
    published_on = _date(_("公布日期"))
    document_number = forms.CharField(label=_("决策文件文号"), max_length=100)
    published_text = _text(_("公布的决策内容"), rows=6, max_length=50000)
    channels = forms.CharField(
        label=_("公布渠道"), max_length=200, help_text=_("如：区政府公报、区政府网站、本地报纸。")
    )
    party_committee_reported_on = _date(_("向党委请示报告日期（第31条）"), required=False)


class EvaluationStartForm(forms.Form):
    trigger = forms.ChoiceField(label=_("启动情形（第36条）"), choices=EvaluationTrigger.choices)
    evaluator = forms.CharField(
        label=_("评估机构"),
        max_length=200,
        help_text=_("委托第三方评估的，不得委托参与决策前评估论证的机构（第36条）。"),
    )
    started_on = _date(_("启动日期"))


class EvaluationDoneForm(forms.Form):
    conclusion = _text(_("评估结论"), rows=5)
    completed_on = _date(_("完成日期"))


# --- the public comment ----------------------------------------------------------------------


class CommentForm(forms.Form):
    """An opinion from the public. Name and contact are optional and never published."""

    content = forms.CharField(
        label=_("意见建议"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("请填写意见建议。"),
            "max_length": _("意见建议不能超过 %(limit_value)d 字（现为 %(show_value)d 字）。"),
        },
    )
    name = forms.CharField(label=_("姓名或单位（选填）"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("联系方式（选填，不公开）"),
        max_length=100,
        required=False,
        error_messages={"max_length": _("联系方式不能超过 %(limit_value)d 个字符。")},
    )

    def clean_content(self) -> str:
        content = str(self.cleaned_data["content"]).strip()
        if len(content) < 5:
            raise forms.ValidationError(_("意见建议过短，请至少填写 5 个字。"))
        return content

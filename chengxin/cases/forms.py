"""Forms of the staff case pages. They collect input only; every rule is in cases.actions."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.choices import Role, Scope
from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import ADD, VIEW, scope_for
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.cases import rules
from chengxin.cases.actions import PartyData, RecordingData
from chengxin.cases.choices import (
    CaseStatus,
    DiscussionResult,
    MediaKind,
    ReviewResult,
    StepKind,
)
from chengxin.cases.models import CHECKLIST, Case, CaseQuerySet, LegalityReview, LegalReviewer
from chengxin.cases.penalty_records import PenaltyFacts, is_penalty_case
from chengxin.powers.models import PowerItem
from chengxin.publicity.rules import PENALTY_CATEGORY_RULES
from chengxin.repair.forms_public import MultipleFileField
from chengxin.subjects.choices import SubjectCategory

TEXT = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def bodies_for(user: User) -> QuerySet[EnforcementBody]:
    """Active bodies whose cases `user` may register: all, or those of the user's department."""
    bodies = EnforcementBody.objects.active().exclude(department=None)
    if scope_for(user, ADD, Case) is not Scope.ALL:
        bodies = bodies.filter(department_id=user.department_id)
    return bodies


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("案件编号、文号或摘要"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("办理阶段"), required=False, choices=[("", _("全部")), *CaseStatus.choices]
    )
    body = forms.ModelChoiceField(
        label=_("执法主体"), required=False, queryset=EnforcementBody.objects.none()
    )
    # A department's own cases: the links of its annual report (reports, docs/adr/0025).
    department = forms.ModelChoiceField(
        label=_("办案部门"), required=False, queryset=Department.objects.all()
    )
    registered_from = forms.DateField(label=_("立案日期自"), required=False, widget=DATE)
    registered_to = forms.DateField(label=_("立案日期至"), required=False, widget=DATE)
    decided_year = forms.IntegerField(
        label=_("决定年度"), required=False, min_value=2000, max_value=2100
    )
    major_only = forms.BooleanField(label=_("仅显示重大执法决定"), required=False)
    handling_overdue = forms.BooleanField(label=_("仅显示超过办案期限未决定"), required=False)
    reviewed_year = forms.IntegerField(
        label=_("法制审核年度"), required=False, min_value=2000, max_value=2100
    )
    review_result = forms.ChoiceField(
        label=_("法制审核结果"),
        required=False,
        choices=[("", _("全部")), *[c for c in ReviewResult.choices if c[0] != "pending"]],
    )

    def __init__(self, *args: Any, bodies: QuerySet[EnforcementBody], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = bodies

    def filter(self, cases: CaseQuerySet) -> CaseQuerySet:
        if not self.is_valid():
            return cases
        data: dict[str, Any] = self.cleaned_data
        if data.get("q"):
            text = data["q"].strip()
            cases = cases.filter(
                Q(number__icontains=text)
                | Q(decision_number__icontains=text)
                | Q(summary__icontains=text)
            )
        if data.get("status"):
            cases = cases.filter(status=data["status"])
        if data.get("body"):
            cases = cases.filter(body=data["body"])
        if data.get("department"):
            cases = cases.filter(department=data["department"])
        if data.get("registered_from"):
            cases = cases.filter(registered_on__gte=data["registered_from"])
        if data.get("registered_to"):
            cases = cases.filter(registered_on__lte=data["registered_to"])
        if data.get("decided_year"):
            cases = cases.filter(decided_on__year=data["decided_year"])
        if data.get("reviewed_year") or data.get("review_result"):
            reviews = LegalityReview.objects.exclude(result=ReviewResult.PENDING)
            if data.get("reviewed_year"):
                reviews = reviews.filter(reviewed_at__year=data["reviewed_year"])
            if data.get("review_result"):
                reviews = reviews.filter(result=data["review_result"])
            cases = cases.filter(pk__in=reviews.values("case_id"))
        if data.get("handling_overdue"):
            cases = cases.handling_overdue()
        if data.get("major_only"):
            cases = cases.filter(
                Q(is_major_public_interest=True)
                | Q(is_complex=True)
                | Q(is_other_by_law=True)
                | Q(is_major_rights=True, is_hearing_held=True)
            )
        return cases


class PowerItemField(forms.ModelChoiceField[PowerItem]):
    """Items shown with their code and 实施主体."""

    def label_from_instance(self, obj: PowerItem) -> str:
        return f"{obj.code} {obj.name}（{obj.implementing_department}）"


class ReviewerAccountField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name}（{obj.department or '—'}）"


class CaseRegisterForm(forms.Form):
    body = forms.ModelChoiceField(label=_("执法主体"), queryset=EnforcementBody.objects.none())
    power_item = PowerItemField(
        label=_("权力事项"),
        queryset=PowerItem.objects.none(),
        help_text=_("按权力编码选择；只列出本执法主体（受委托组织为委托机关）实施的事项。"),
    )
    officers = forms.ModelMultipleChoiceField(
        label=_("承办执法人员"),
        queryset=EnforcementOfficer.objects.none(),
        help_text=_("不少于两人，须在岗且执法证在立案日期有效。"),
    )
    registered_on = forms.DateField(label=_("立案日期"), widget=DATE)
    summary = forms.CharField(label=_("案情摘要"), max_length=4000, widget=TEXT)
    notes = forms.CharField(label=_("立案说明"), max_length=4000, required=False, widget=TEXT)
    is_major_public_interest = forms.BooleanField(label=_("涉及重大公共利益"), required=False)
    is_major_rights = forms.BooleanField(
        label=_("直接关系当事人或者第三人重大权益"), required=False
    )
    is_complex = forms.BooleanField(label=_("案件情况疑难复杂、涉及多个法律关系"), required=False)
    is_other_by_law = forms.BooleanField(label=_("法律、法规规定的其他情形"), required=False)
    other_by_law_basis = forms.CharField(label=_("其他情形的依据"), max_length=200, required=False)
    is_serious_violation = forms.BooleanField(
        label=_("情节复杂或者重大违法行为（须负责人集体讨论决定）"), required=False
    )
    documents = MultipleFileField(label=_("立案材料"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = bodies_for(user)
        today = timezone.localdate()
        self.fields["registered_on"].initial = today
        fields = self.fields
        assert isinstance(fields["body"], forms.ModelChoiceField)
        assert isinstance(fields["power_item"], forms.ModelChoiceField)
        assert isinstance(fields["officers"], forms.ModelMultipleChoiceField)
        fields["body"].queryset = bodies
        # The items of the offered bodies' departments (an entrusted one's: the entrusting
        # body's too); the action checks the item's version on the registration date.
        departments: set[int] = set()
        for body in bodies.select_related("entrusting_body"):
            departments |= rules.competent_departments(body)
        fields["power_item"].queryset = (
            PowerItem.objects.in_force(on=today)
            .filter(implementing_department_id__in=departments)
            .select_related("category", "implementing_department")
        )
        # Every officer of the bodies offered; the action says who may not be assigned and why.
        fields["officers"].queryset = EnforcementOfficer.objects.filter(
            body__in=bodies
        ).select_related("body")


class PartyForm(forms.Form):
    name = forms.CharField(label=_("当事人名称"), max_length=200)
    category = forms.ChoiceField(
        label=_("当事人类别"), choices=[("", "—"), *SubjectCategory.choices]
    )
    code = forms.CharField(
        label=_("统一社会信用代码或身份证号"),
        max_length=64,
        help_text=_("自然人填写证件号码（加密保存）；其他填写统一社会信用代码。"),
    )

    def party(self) -> PartyData:
        data = self.cleaned_data
        if data["category"] == SubjectCategory.NATURAL_PERSON:
            return PartyData(data["name"], data["category"], id_number=data["code"])
        return PartyData(data["name"], data["category"], credit_code=data["code"])


PartyFormSet = forms.formset_factory(PartyForm, extra=2, min_num=1, validate_min=True)


class StepForm(forms.Form):
    """One step: its time, notes, documents and one audio-visual record (全过程记录)."""

    occurred_at = forms.DateTimeField(
        label=_("发生时间"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    notes = forms.CharField(label=_("说明"), max_length=4000, required=False, widget=TEXT)
    documents = MultipleFileField(label=_("文书材料"), required=False)
    media_kind = forms.ChoiceField(
        label=_("音视频记录类型"), required=False, choices=[("", "—"), *MediaKind.choices]
    )
    media_reference = forms.CharField(label=_("存储编号或位置"), max_length=200, required=False)
    media_device = forms.CharField(label=_("执法记录仪编号"), max_length=64, required=False)
    media_started_at = forms.DateTimeField(
        label=_("记录开始时间"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    media_ended_at = forms.DateTimeField(
        label=_("记录结束时间"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("media_kind") and not (
            data.get("media_reference") and data.get("media_started_at")
        ):
            raise forms.ValidationError(_("音视频记录须填写存储编号或位置和开始时间。"))
        return data

    def recordings(self) -> list[RecordingData]:
        data = self.cleaned_data
        if not data.get("media_kind"):
            return []
        return [
            RecordingData(
                media_kind=data["media_kind"],
                reference=data["media_reference"],
                started_at=data["media_started_at"],
                ended_at=data.get("media_ended_at"),
                device=data.get("media_device", ""),
            )
        ]


class NotificationForm(StepForm):
    hearing_requested = forms.BooleanField(label=_("当事人要求听证"), required=False)
    fine_amount = forms.DecimalField(
        label=_("拟罚款金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    confiscation_amount = forms.DecimalField(
        label=_("拟没收金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )


class DecisionForm(StepForm):
    decision_number = forms.CharField(label=_("决定书文号"), max_length=128)
    decision_summary = forms.CharField(label=_("决定内容"), max_length=4000, widget=TEXT)
    fine_amount = forms.DecimalField(
        label=_("罚款金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    confiscation_amount = forms.DecimalField(
        label=_("没收金额（元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )

    # What the 双公示 penalty record needs beyond the above (cases.penalty_records): asked of
    # penalty cases only, which draft their record from it.
    violation_type = forms.CharField(label=_("违法行为类型"), max_length=2000, required=False)
    violation_facts = forms.CharField(
        label=_("违法事实"), max_length=2000, required=False, widget=TEXT
    )
    legal_basis = forms.CharField(label=_("处罚依据"), max_length=2048, required=False, widget=TEXT)
    penalty_categories = forms.MultipleChoiceField(
        label=_("处罚类别"),
        required=False,
        choices=[(c, c) for c in PENALTY_CATEGORY_RULES[-1].categories],
        widget=forms.CheckboxSelectMultiple,
    )
    suspended_licence = forms.CharField(
        label=_("暂扣或吊销证照名称及编号"), max_length=200, required=False
    )
    valid_until = forms.DateField(label=_("处罚有效期"), required=False, widget=DATE)
    is_summary_procedure = forms.BooleanField(label=_("简易程序（当场作出）"), required=False)
    overdue_reason = forms.CharField(
        label=_("超过办案期限的说明"),
        max_length=2000,
        required=False,
        widget=TEXT,
        help_text=_("超过办案期限（行政处罚法第六十条）作出决定的，须说明原因。"),
    )

    PENALTY_FIELDS = (
        "violation_type",
        "violation_facts",
        "legal_basis",
        "penalty_categories",
        "suspended_licence",
        "valid_until",
        "is_summary_procedure",
    )
    field_order = [
        "decision_number",
        "decision_summary",
        "fine_amount",
        "confiscation_amount",
        *PENALTY_FIELDS,
    ]
    REQUIRED_FOR_PENALTY = (
        "violation_type",
        "violation_facts",
        "legal_basis",
        "penalty_categories",
        "valid_until",
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        if case is not None and is_penalty_case(case):
            for name in self.REQUIRED_FOR_PENALTY:
                self.fields[name].required = True
        else:
            for name in self.PENALTY_FIELDS:
                del self.fields[name]
        if case is None or case.handling_deadline is None:
            del self.fields["overdue_reason"]

    def penalty_facts(self) -> PenaltyFacts | None:
        """The decision's facts for its 双公示 record (penalty cases), from valid data."""
        data = self.cleaned_data
        if "violation_type" not in self.fields:
            return None
        return PenaltyFacts(
            violation_type=data["violation_type"],
            violation_facts=data["violation_facts"],
            legal_basis=data["legal_basis"],
            penalty_categories=data["penalty_categories"],
            valid_until=data["valid_until"],
            suspended_licence=data.get("suspended_licence", ""),
            is_summary_procedure=data.get("is_summary_procedure", False),
        )


STEP_FORMS: dict[str, type[StepForm]] = {
    StepKind.INVESTIGATION: StepForm,
    StepKind.NOTIFICATION: NotificationForm,
    StepKind.HEARING: StepForm,
    StepKind.DECISION: DecisionForm,
    StepKind.SERVICE: StepForm,
    StepKind.EXECUTION: StepForm,
    StepKind.CLOSING: StepForm,
}


class ReviewRequestForm(forms.Form):
    submission = forms.CharField(label=_("拟作出的决定及理由"), max_length=4000, widget=TEXT)


class MarkMajorForm(forms.Form):
    is_major_public_interest = forms.BooleanField(label=_("涉及重大公共利益"), required=False)
    is_major_rights = forms.BooleanField(
        label=_("直接关系当事人或者第三人重大权益"), required=False
    )
    is_complex = forms.BooleanField(label=_("案件情况疑难复杂、涉及多个法律关系"), required=False)
    is_other_by_law = forms.BooleanField(label=_("法律、法规规定的其他情形"), required=False)
    other_by_law_basis = forms.CharField(label=_("其他情形的依据"), max_length=200, required=False)
    is_serious_violation = forms.BooleanField(
        label=_("情节复杂或者重大违法行为（须负责人集体讨论决定）"), required=False
    )
    reason = forms.CharField(label=_("认定理由"), max_length=2000, widget=TEXT)


class DiscussionForm(forms.Form):
    """负责人集体讨论 (行政处罚法 art. 57 para. 2)."""

    held_on = forms.DateField(label=_("讨论日期"), widget=DATE)
    participants = forms.CharField(
        label=_("参加人员"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一人：姓名及职务，至少两名负责人。"),
    )
    conclusion = forms.CharField(label=_("讨论结论"), max_length=4000, widget=TEXT)
    result = forms.ChoiceField(
        label=_("讨论结果"), choices=DiscussionResult.choices, widget=forms.RadioSelect
    )


class ApprovalForm(forms.Form):
    """负责人签批 of the proposed decision."""

    opinion = forms.CharField(
        label=_("签批意见"), max_length=2000, widget=TEXT, initial=_("同意作出该决定。")
    )


class ExtensionForm(forms.Form):
    """延长办案期限, approved by a head."""

    days = forms.IntegerField(label=_("延长日数"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("延长理由"), max_length=2000, widget=TEXT)


class OfficersForm(forms.Form):
    """变更承办执法人员: officers to add (of the case's body) and to release, from a day."""

    add = forms.ModelMultipleChoiceField(
        label=_("增加执法人员"), required=False, queryset=EnforcementOfficer.objects.none()
    )
    release = forms.ModelMultipleChoiceField(
        label=_("退出本案的执法人员"),
        required=False,
        queryset=EnforcementOfficer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    on = forms.DateField(label=_("变更日期"), widget=DATE)
    reason = forms.CharField(label=_("变更原因"), max_length=300)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["on"].initial = today
        acting = [a.officer_id for a in case.assignments.all() if a.acts_on(today)]
        fields = self.fields
        assert isinstance(fields["add"], forms.ModelMultipleChoiceField)
        assert isinstance(fields["release"], forms.ModelMultipleChoiceField)
        fields["add"].queryset = (
            EnforcementOfficer.objects.assignable_on(today)
            .filter(body_id=case.body_id)
            .exclude(assignments__case=case)
        )
        fields["release"].queryset = EnforcementOfficer.objects.filter(pk__in=acting)


class LegalReviewerForm(forms.ModelForm[LegalReviewer]):
    """A legal reviewer's qualification (法制审核人员), kept by the rule-of-law office."""

    class Meta:
        model = LegalReviewer
        fields = [
            "user",
            "has_legal_qualification",
            "qualification_number",
            "first_reviewed_on",
            "note",
        ]
        widgets = {"first_reviewed_on": DATE}
        field_classes = {"user": ReviewerAccountField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        accounts = User.objects.filter(role_assignments__role=Role.LEGAL_REVIEWER, is_active=True)
        if self.instance.pk:
            accounts = User.objects.filter(pk=self.instance.user_id)
            user.disabled = True
        else:
            accounts = accounts.filter(legal_reviewer_record__isnull=True)
        user.queryset = accounts.select_related("department").order_by("full_name")


class HandlingFilterForm(forms.Form):
    """Department, body and which cases of the 办案期限 page."""

    department = forms.ModelChoiceField(
        label=_("部门"), required=False, queryset=Department.objects.none()
    )
    body = forms.ModelChoiceField(
        label=_("执法主体"), required=False, queryset=EnforcementBody.objects.none()
    )
    due = forms.ChoiceField(
        label=_("列出"),
        required=False,
        choices=[("", _("超过办案期限未决定")), ("soon", _("7 日内届满"))],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        if scope_for(user, VIEW, Case) is not Scope.ALL:
            departments = departments.filter(pk=user.department_id)
        fields = self.fields
        assert isinstance(fields["department"], forms.ModelChoiceField)
        assert isinstance(fields["body"], forms.ModelChoiceField)
        fields["department"].queryset = departments
        fields["body"].queryset = EnforcementBody.objects.all()


class HearingRequestForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=2000, required=False, widget=TEXT)


class PublicationForm(forms.Form):
    published_on = forms.DateField(label=_("公开日期"), widget=DATE)


class ReviewForm(forms.Form):
    """The 法制审核员's result with the review checklist (domain rules §5)."""

    result = forms.ChoiceField(
        label=_("审核结果"),
        choices=[c for c in ReviewResult.choices if c[0] != ReviewResult.PENDING],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label=_("审核意见"), max_length=4000, widget=TEXT)
    other_findings = forms.CharField(
        label=_("其他需要审核的内容"), max_length=4000, required=False, widget=TEXT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field, label in CHECKLIST:
            self.fields[field] = forms.BooleanField(label=label, required=False)
        self.order_fields([field for field, _label in CHECKLIST])

    def checklist(self) -> dict[str, bool]:
        return {field: bool(self.cleaned_data.get(field)) for field, _label in CHECKLIST}


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("延长理由"), max_length=2000, widget=TEXT)


class ReportFilterForm(forms.Form):
    """Department, body and decision period of the two reports."""

    department = forms.ModelChoiceField(
        label=_("部门"), required=False, queryset=Department.objects.none()
    )
    body = forms.ModelChoiceField(
        label=_("执法主体"), required=False, queryset=EnforcementBody.objects.none()
    )
    start = forms.DateField(label=_("决定日期自"), required=False, widget=DATE)
    end = forms.DateField(label=_("决定日期至"), required=False, widget=DATE)

    def __init__(self, *args: Any, user: User, model: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        if scope_for(user, VIEW, model) is not Scope.ALL:
            departments = departments.filter(pk=user.department_id)
        fields = self.fields
        assert isinstance(fields["department"], forms.ModelChoiceField)
        assert isinstance(fields["body"], forms.ModelChoiceField)
        fields["department"].queryset = departments
        fields["body"].queryset = EnforcementBody.objects.all()

    def period(
        self, default_start: datetime.date, default_end: datetime.date
    ) -> tuple[datetime.date, datetime.date]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("start") or default_start, data.get("end") or default_end

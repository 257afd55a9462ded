"""Staff pages of major decisions: the dashboard, the catalogues, a decision with its procedure
timeline and the form of the step under way, and the legal office's review queue.

Rows are scoped through `restrict(user, action)`: a legal affairs officer sees the decisions its
department leads (another department's are 404); the rule-of-law office sees all and manages the
catalogue; the legal office concludes legality reviews. Views call `decisions.actions` and never
set a stage; a refusal comes back as a message.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chengxin.accounts.models import User, acting_user
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW, VIEW, can
from chengxin.core import local_settings
from chengxin.core.pagination import paginate
from chengxin.decisions import actions, rules
from chengxin.decisions import forms as decision_forms
from chengxin.decisions.choices import (
    DONE_STATUSES,
    LegalityConclusion,
    Stage,
    StepKind,
)
from chengxin.decisions.models import (
    Consultation,
    DecisionCatalogue,
    LegalityReview,
    MajorDecision,
    ProcedureStep,
    PublicComment,
    StepDocument,
)

PAGE_SIZE = 50


def _form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}：{text}" if label else text)


def _run(
    request: HttpRequest,
    work: Callable[[], Any],
    done: str | Promise,
    form: forms.BaseForm | None = None,
) -> bool:
    """Run an action; a refusal becomes a message naming the field it is about."""
    try:
        work()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                known = form is not None and field in form.fields
                label = form.fields[field].label if form is not None and known else ""
                text = " ".join(errors)
                messages.error(request, f"{label}：{text}" if label else text)
        else:
            messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, str(done))
    return True


# --- the dashboard ---------------------------------------------------------------------------


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Decisions by stage, overdue steps and reviews, steps due soon, open consultations."""
    if not can(request.user, VIEW, MajorDecision):
        raise PermissionDenied
    today = timezone.localdate()
    visible = MajorDecision.objects.restrict(request.user, VIEW)
    counts = dict(visible.values_list("stage").annotate(n=Count("id")).order_by())
    soon = today + datetime.timedelta(days=int(local_settings.get(rules.STEP_REMINDER_DAYS.key)))
    steps = ProcedureStep.objects.filter(decision__in=visible).select_related("decision")
    context = {
        "stages": [(value, label, counts.get(value, 0)) for value, label in Stage.choices],
        "total": sum(counts.values()),
        "overdue_steps": steps.overdue(today).order_by("planned_end"),
        "due_soon": steps.exclude(status__in=DONE_STATUSES)
        .filter(planned_end__gte=today, planned_end__lte=soon, decision__stage__in=_open())
        .order_by("planned_end"),
        "overdue_reviews": LegalityReview.objects.overdue(today)
        .filter(decision__in=visible)
        .select_related("decision"),
        "late_decisions": visible.open().filter(planned_completion__lt=today),
        "consultations": Consultation.objects.open_on(today)
        .filter(decision__in=visible)
        .select_related("decision")
        .annotate(comment_count=Count("comments")),
        "today": today,
    }
    return render(request, "decisions/staff/dashboard.html", context)


def _open() -> tuple[str, ...]:
    from chengxin.decisions.choices import OPEN_STAGES

    return tuple(OPEN_STAGES)


# --- catalogues --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def catalogues(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW, DecisionCatalogue):
        raise PermissionDenied
    user = acting_user(request)
    may_add = can(user, ADD, DecisionCatalogue(year=0, title=""))
    form = decision_forms.CatalogueForm(request.POST or None)
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            created: list[DecisionCatalogue] = []
            if _run(
                request,
                lambda: created.append(actions.create_catalogue(actor=user, **data)),
                _l("已新建决策事项目录。"),
            ):
                return redirect("decisions:catalogue", pk=created[0].pk)
        else:
            _form_errors(request, form)
    rows = _visible_catalogues(user).annotate(decision_count=Count("decisions")).order_by("-year")
    context = {"catalogues": rows, "form": form if may_add else None}
    return render(request, "decisions/staff/catalogues.html", context)


def _visible_catalogues(user: User) -> QuerySet[DecisionCatalogue]:
    """Every catalogue, to anyone who may view decisions: a catalogue is district-wide and
    public once published, and has no department to scope by (its items are scoped)."""
    if not can(user, VIEW, DecisionCatalogue):
        return DecisionCatalogue.objects.none()
    return DecisionCatalogue.objects.all()


def _catalogue(request: HttpRequest, pk: int) -> DecisionCatalogue:
    found: DecisionCatalogue = get_object_or_404(_visible_catalogues(acting_user(request)), pk=pk)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    """A catalogue with its decisions; the rule-of-law office adds items and publishes it."""
    found = _catalogue(request, pk)
    user = acting_user(request)
    may_change = can(user, CHANGE, found)
    form = decision_forms.DecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            if _run(
                request,
                lambda: actions.add_decision(found, actor=user, **data),
                _l("已将事项列入目录。"),
            ):
                return redirect("decisions:catalogue", pk=pk)
        else:
            _form_errors(request, form)
    decisions = MajorDecision.objects.restrict(user, VIEW).filter(catalogue=found)
    decisions = decisions.select_related("lead_unit")
    context = {"catalogue": found, "decisions": decisions, "form": form if may_change else None}
    return render(request, "decisions/staff/catalogue.html", context)


@login_required
@require_POST
def publish_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    found = _catalogue(request, pk)
    user = acting_user(request)
    if not can(user, CHANGE, found):
        raise PermissionDenied
    _run(
        request,
        lambda: actions.publish_catalogue(found, actor=user),
        _l("目录已向社会公布。"),
    )
    return redirect("decisions:catalogue", pk=pk)


# --- decisions -----------------------------------------------------------------------------------


@login_required
@require_safe
def decision_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW, MajorDecision):
        raise PermissionDenied
    form = decision_forms.DecisionFilterForm(request.GET or None)
    rows = MajorDecision.objects.restrict(request.user, VIEW).select_related(
        "catalogue", "lead_unit"
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["year"]:
            rows = rows.filter(catalogue__year=data["year"])
        if data["decided"]:
            rows = rows.decided_in(data["decided"])
        if data["stage"]:
            rows = rows.filter(stage=data["stage"])
        if data["overdue"]:
            rows = rows.open().filter(planned_completion__lt=timezone.localdate())
        if data["skip_pending"]:
            rows = rows.awaiting_skip_approval()
    page = paginate(request, rows, PAGE_SIZE)
    return render(request, "decisions/staff/list.html", {"form": form, "page": page})


def _decision(request: HttpRequest, pk: int) -> MajorDecision:
    found: MajorDecision = get_object_or_404(
        MajorDecision.objects.restrict(request.user, VIEW).select_related("catalogue", "lead_unit"),
        pk=pk,
    )
    return found


@dataclass(frozen=True)
class StepAction:
    """One form on the decision page: its form, what it runs, its message, when it is offered."""

    form: type[forms.Form]
    run: Callable[[MajorDecision, User, dict[str, Any]], Any]
    done: str | Promise
    stages: tuple[str, ...]
    title: str | Promise


# The stages whose step a district may leave out (decisions.mandatory_steps) and the step each
# stands for: 公众参与 only before its consultation opens.
SKIP_STAGES: tuple[str, ...] = (Stage.PLANNED, Stage.EXPERT_REVIEW, Stage.RISK_ASSESSMENT)
STEP_OF_STAGE: dict[str, str] = {
    Stage.PLANNED: StepKind.PUBLIC_PARTICIPATION,
    Stage.EXPERT_REVIEW: StepKind.EXPERT_REVIEW,
    Stage.RISK_ASSESSMENT: StepKind.RISK_ASSESSMENT,
}

STEP_ACTIONS: dict[str, StepAction] = {
    "consult": StepAction(
        decision_forms.ConsultationForm,
        lambda d, actor, data: actions.open_consultation(d, actor=actor, **data),
        _l("已在网站公开征求意见。"),
        (Stage.PLANNED,),
        _l("公开征求意见"),
    ),
    "hearing": StepAction(
        decision_forms.HearingForm,
        lambda d, actor, data: actions.record_hearing(d, actor=actor, **data),
        _l("已记录听证会。"),
        (Stage.PUBLIC_PARTICIPATION,),
        _l("记录听证会"),
    ),
    "participation_done": StepAction(
        decision_forms.ParticipationDoneForm,
        lambda d, actor, data: actions.complete_public_participation(d, actor=actor, **data),
        _l("公众参与已完成。"),
        (Stage.PUBLIC_PARTICIPATION,),
        _l("结束公众参与"),
    ),
    "experts": StepAction(
        decision_forms.ExpertReviewForm,
        lambda d, actor, data: actions.complete_expert_review(
            d,
            actor=actor,
            opinions=data["experts"],
            handling_note=data["handling_note"],
            completed_on=data["completed_on"],
        ),
        _l("专家论证已完成。"),
        (Stage.EXPERT_REVIEW,),
        _l("记录专家论证"),
    ),
    "risk": StepAction(
        decision_forms.RiskForm,
        lambda d, actor, data: actions.complete_risk_assessment(d, actor=actor, **data),
        _l("风险评估已完成。"),
        (Stage.RISK_ASSESSMENT,),
        _l("记录风险评估"),
    ),
    "propose_skip": StepAction(
        decision_forms.ProposeSkipForm,
        lambda d, actor, data: actions.propose_skip(
            d, data["kind"], actor=actor, reason=data["reason"]
        ),
        _l("已提出该环节不适用，须由提出人以外的人员批准后生效。"),
        SKIP_STAGES,
        _l("提出本环节不适用"),
    ),
    "decide_skip": StepAction(
        decision_forms.DecideSkipForm,
        lambda d, actor, data: actions.decide_skip(
            d, data["kind"], actor=actor, approve=data["approve"], note=data["note"]
        ),
        _l("已记录审批意见。"),
        SKIP_STAGES,
        _l("审批环节不适用"),
    ),
    "submit_review": StepAction(
        decision_forms.SubmitReviewForm,
        lambda d, actor, data: actions.submit_for_legality_review(
            d,
            actor=actor,
            submitted_on=data["submitted_on"],
            materials=decision_forms.SubmitReviewForm.materials_of(data),
        ),
        _l("已送合法性审查。"),
        (Stage.LEGALITY_REVIEW,),
        _l("送合法性审查"),
    ),
    "discuss": StepAction(
        decision_forms.DiscussionForm,
        lambda d, actor, data: actions.record_collective_discussion(d, actor=actor, **data),
        _l("已记录集体讨论决定。"),
        (Stage.COLLECTIVE_DISCUSSION,),
        _l("记录集体讨论决定"),
    ),
    "publish": StepAction(
        decision_forms.PublishForm,
        lambda d, actor, data: actions.publish_decision(d, actor=actor, **data),
        _l("决策已公布。"),
        (Stage.PUBLICATION,),
        _l("公布决策"),
    ),
    "evaluate": StepAction(
        decision_forms.EvaluationStartForm,
        lambda d, actor, data: actions.start_post_evaluation(d, actor=actor, **data),
        _l("已启动决策后评估。"),
        (Stage.IMPLEMENTED,),
        _l("启动决策后评估"),
    ),
    "evaluation_done": StepAction(
        decision_forms.EvaluationDoneForm,
        lambda d, actor, data: actions.complete_post_evaluation(
            d.evaluations.get(completed_on__isnull=True), actor=actor, **data
        ),
        _l("决策后评估已完成。"),
        (Stage.POST_EVALUATION,),
        _l("完成决策后评估"),
    ),
    "plan": StepAction(
        decision_forms.PlanStepForm,
        lambda d, actor, data: actions.plan_step(
            d.steps.get(kind=data["kind"]),
            actor=actor,
            responsible_person=data["responsible_person"],
            planned_end=data["planned_end"],
        ),
        _l("已保存环节安排。"),
        tuple(Stage.values),
        _l("安排环节（责任人、计划完成日期）"),
    ),
    "document": StepAction(
        decision_forms.DocumentForm,
        lambda d, actor, data: actions.add_document(
            d.steps.get(kind=data["kind"]),
            actor=actor,
            title=data["title"],
            file=data["file"],
            is_public=data["is_public"],
        ),
        _l("已上传材料。"),
        tuple(Stage.values),
        _l("上传环节材料"),
    ),
}


def _offered(user: User, decision: MajorDecision) -> list[tuple[str, StepAction, forms.Form]]:
    if not can(user, CHANGE, decision):
        return []
    today = timezone.localdate().isoformat()
    under_review = decision.legality_reviews.filter(conclusion=LegalityConclusion.PENDING).exists()
    shown = []
    for name, spec in STEP_ACTIONS.items():
        if name == "submit_review" and under_review:
            continue
        if decision.stage not in spec.stages or not _skip_offered(name, user, decision):
            continue
        initial: dict[str, Any] = {
            field: today for field in spec.form.base_fields if field.endswith("_on")
        }
        if name in ("propose_skip", "decide_skip"):
            initial["kind"] = STEP_OF_STAGE[decision.stage]
        if name == "submit_review":
            initial["procedure_statement"] = actions.procedure_statement(decision)
        shown.append((name, spec, spec.form(prefix=name, initial=initial)))
    return shown


def _skip_offered(name: str, user: User, decision: MajorDecision) -> bool:
    """The skip forms: proposing where the district left the step optional and nobody has
    proposed yet; deciding for anyone but the proposer."""
    if name not in ("propose_skip", "decide_skip"):
        return True
    kind = STEP_OF_STAGE[decision.stage]
    if kind in rules.mandatory_steps():
        return False
    step = decision.step(kind)
    if name == "propose_skip":
        return step.skip_proposed_by_id is None
    return step.skip_proposed_by_id not in (None, user.pk)


@login_required
@require_safe
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    user = acting_user(request)
    documents: Any = Prefetch("documents", queryset=StepDocument.objects.order_by("created_at"))
    steps = decision.steps.prefetch_related(documents).select_related(
        "completed_by", "skip_proposed_by", "skip_approved_by"
    )
    consultation = Consultation.objects.filter(decision=decision).first()
    comments = PublicComment.objects.filter(consultation=consultation) if consultation else None
    context = {
        "decision": decision,
        "steps": steps,
        "consultation": consultation,
        "comments": comments,
        "hearings": decision.hearings.all(),
        "expert_opinions": decision.expert_opinions.all(),
        "risk": getattr(decision, "risk_assessment", None),
        "reviews": decision.legality_reviews.select_related("reviewer", "submitted_by"),
        "discussion": getattr(decision, "collective_discussion", None),
        "evaluations": decision.evaluations.all(),
        "events": decision.events.select_related("actor"),
        "offered": _offered(user, decision),
        "may_change": can(user, CHANGE, decision),
        "handling_form": decision_forms.CommentHandlingForm(auto_id=False),
        "legality_gate_open": actions.legality_passed(decision) is not None,
    }
    return render(request, "decisions/staff/detail.html", context)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    decision = _decision(request, pk)
    user = acting_user(request)
    spec = STEP_ACTIONS.get(name)
    if spec is None:
        raise Http404
    if not can(user, CHANGE, decision):
        raise PermissionDenied
    form = spec.form(request.POST, request.FILES, prefix=name)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        _run(request, lambda: spec.run(decision, user, form.cleaned_data), spec.done, form)
    return redirect("decisions:detail", pk=pk)


@login_required
@require_POST
def handle_comment(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    user = acting_user(request)
    if not can(user, CHANGE, decision):
        raise PermissionDenied
    comment = get_object_or_404(PublicComment, pk=comment_pk, consultation__decision=decision)
    form = decision_forms.CommentHandlingForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: actions.handle_comment(
                comment, actor=user, handling=data["handling"], note=data["note"]
            ),
            _l("已保存意见处理情况。"),
        )
    return redirect("decisions:detail", pk=pk)


@login_required
@require_safe
def document_file(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    decision = _decision(request, pk)
    document = get_object_or_404(StepDocument, pk=document_pk, step__decision=decision)
    return _download(document)


def _download(document: StepDocument) -> FileResponse:
    try:
        handle = default_storage.open(document.stored_name, "rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件不存在。")) from exc
    response = FileResponse(handle, as_attachment=True, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the legal office --------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """Legality reviews for the legal office: pending first, with their due dates."""
    if not can(request.user, VIEW, LegalityReview):
        raise PermissionDenied
    rows: QuerySet[LegalityReview] = (
        LegalityReview.objects.restrict(request.user, VIEW)
        .select_related("decision__lead_unit", "reviewer")
        .order_by("conclusion", "due_on", "id")
    )
    if request.GET.get("all") != "1":
        rows = rows.filter(conclusion=LegalityConclusion.PENDING)
    page = paginate(request, rows, PAGE_SIZE)
    context = {"page": page, "today": timezone.localdate(), "show_all": request.GET.get("all")}
    return render(request, "decisions/staff/reviews.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    found: LegalityReview = get_object_or_404(
        LegalityReview.objects.restrict(request.user, VIEW).select_related(
            "decision__lead_unit", "decision__catalogue"
        ),
        pk=pk,
    )
    user = acting_user(request)
    may_review = can(user, REVIEW, found) and found.conclusion == LegalityConclusion.PENDING
    initial = {"concluded_on": timezone.localdate()}
    form = decision_forms.ConclusionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            if _run(
                request,
                lambda: actions.conclude_legality_review(found, actor=user, **data),
                _l("已出具合法性审查意见。"),
            ):
                return redirect("decisions:reviews")
        else:
            _form_errors(request, form)
    decision = found.decision
    context = {
        "review": found,
        "decision": decision,
        "consultation": Consultation.objects.filter(decision=decision).first(),
        "documents": StepDocument.objects.filter(step__decision=decision).select_related("step"),
        "earlier": decision.legality_reviews.exclude(pk=found.pk),
        "form": form if may_review else None,
    }
    return render(request, "decisions/staff/review.html", context)

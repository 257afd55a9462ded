"""Staff pages of online case handling: the case list, registration, one case with its timeline
and the step forms offered in its status (with the heads' sign-off and extension for the bodies'
heads), the legality review queue and form, the legal reviewers' qualifications, the decisions
waiting for a head, and three reports (网外循环 penalty records, 事后公开 timeliness per body,
办案期限 per body).

Rows are scoped through `restrict(user, action)`: an enforcement officer sees and handles the
cases of their own department (another department's case is 404); the rule-of-law office and
the legal office see all. Views call `cases.actions` and never set a status; a refusal comes
back as a message naming the rule.
"""

from __future__ import annotations

import datetime
import io
import logging
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import ADD, CHANGE, EXPORT, REVIEW, VIEW, can
from chengxin.agencies.models import EnforcementBody
from chengxin.audit.log import record_sensitive_read
from chengxin.cases import actions, attachments, rules, statistics
from chengxin.cases.attention import DUE_SOON_DAYS
from chengxin.cases.choices import (
    DECIDED_STATUSES,
    READY_TO_DECIDE,
    CaseStatus,
    DiscussionResult,
    ReviewResult,
    StepKind,
)
from chengxin.cases.forms import (
    STEP_FORMS,
    ApprovalForm,
    CaseFilterForm,
    CaseRegisterForm,
    DecisionForm,
    DiscussionForm,
    ExtendForm,
    ExtensionForm,
    HandlingFilterForm,
    HearingRequestForm,
    LegalReviewerForm,
    MarkMajorForm,
    NotificationForm,
    OfficersForm,
    PartyFormSet,
    PublicationForm,
    ReportFilterForm,
    ReviewForm,
    ReviewRequestForm,
    StepForm,
    bodies_for,
)
from chengxin.cases.models import (
    CHECKLIST,
    Case,
    CaseAttachment,
    LegalityReview,
    LegalReviewer,
)
from chengxin.cases.penalty_records import is_penalty_case
from chengxin.core import spreadsheets
from chengxin.core.pagination import paginate
from chengxin.core.sealed_files import TAMPERED_MESSAGE, SealedFileError, read_document
from chengxin.publicity.models import PenaltyRecord

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
# Names of the penalised, natural persons among them: each copy is recorded.
OFF_NETWORK_EXPORT = spreadsheets.Export(
    "cases.off_network", _l("网外循环处罚记录"), personal_data=True
)


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}：{text}" if label else text)


# --- the list ----------------------------------------------------------------------------------


@login_required
@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not can(user, VIEW, Case):
        raise PermissionDenied
    cases = Case.objects.restrict(user, VIEW)
    bodies = EnforcementBody.objects.filter(pk__in=cases.values("body_id"))
    form = CaseFilterForm(request.GET or None, bodies=bodies)
    pending = LegalityReview.objects.filter(case=OuterRef("pk"), result=ReviewResult.PENDING)
    listed = form.filter(cases).select_related(
        "body", "power_item", "power_item_version", "department"
    )
    listed = listed.annotate(in_review=Exists(pending))
    page = paginate(request, listed, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "can_add": can(user, ADD, Case),
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_list.html", context)


# --- registration ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_register(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not can(user, ADD, Case) or not bodies_for(user).exists():
        raise PermissionDenied
    form = CaseRegisterForm(request.POST or None, request.FILES or None, user=user)
    parties = PartyFormSet(request.POST or None, prefix="party")
    if request.method == "POST" and form.is_valid() and parties.is_valid():
        data = form.cleaned_data
        try:
            case = actions.register_case(
                actor=user,
                body=data["body"],
                power_item=data["power_item"],
                parties=[p.party() for p in parties.forms if p.has_changed() and p.is_valid()],
                officers=list(data["officers"]),
                summary=data["summary"],
                registered_on=data["registered_on"],
                notes=data["notes"],
                is_major_public_interest=data["is_major_public_interest"],
                is_major_rights=data["is_major_rights"],
                is_complex=data["is_complex"],
                is_other_by_law=data["is_other_by_law"],
                other_by_law_basis=data["other_by_law_basis"],
                is_serious_violation=data["is_serious_violation"],
                files=data["documents"],
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("已立案，案件编号 %(number)s。") % {"number": case.number})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_register.html", {"form": form, "parties": parties})


# --- one case ----------------------------------------------------------------------------------


def _case(request: HttpRequest, pk: int, action: str = VIEW) -> Case:
    """The case, if the user may do `action` on it; to view it, also a head of its body (an
    entrusting body's head signs an entrusted organisation's decisions off, art. 20)."""
    user = acting_user(request)
    cases = Case.objects.restrict(user, action)
    if action == VIEW:
        cases = cases | Case.objects.headed_by(user)
    case: Case = get_object_or_404(
        cases.select_related(
            "body__entrusting_body",
            "power_item__category",
            "power_item_version",
            "department",
        ),
        pk=pk,
    )
    return case


def _head_forms(case: Case, user: Any, pending: LegalityReview | None) -> dict[str, Any]:
    """The sign-off and extension forms for a head of the case's body (the actions decide)."""
    if user.pk not in rules.heads_of(case.body) or case.decided_on is not None:
        return {}
    forms: dict[str, Any] = {}
    last = case.steps.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    signed = last is not None and case.approvals.filter(approved_at__gte=last).exists()
    if case.status in READY_TO_DECIDE and pending is None and not signed:
        if blocker := actions.sign_off_problem(case):
            forms["sign_off_blocker"] = blocker
        else:
            forms["approval_form"] = ApprovalForm(prefix="approve")
    rule = rules.extension_rule(case.body, case.registered_on)
    if case.handling_deadline is not None and rule is not None and not case.extensions.exists():
        forms["extension_form"] = ExtensionForm(prefix="extend", initial={"days": rule.days})
        forms["extension_rule"] = rule
    return forms


def _offered_steps(case: Case, *, sent_back: bool = False) -> list[str]:
    """The steps whose form to show in the case's status (the action still decides)."""
    offered = [
        kind
        for kind, before in actions.ALLOWED_BEFORE.items()
        if case.status in before
        and (kind != StepKind.HEARING or (case.is_hearing_requested and not case.is_hearing_held))
    ]
    if case.status in READY_TO_DECIDE:
        offered.append(StepKind.DECISION)
    if sent_back and StepKind.INVESTIGATION not in offered:
        offered.insert(0, StepKind.INVESTIGATION)  # a review or the heads sent it back
    return offered


def _sent_back(case: Case, reviews: list[LegalityReview], discussions: list[Any]) -> bool:
    """cases.actions.steps.sent_back, from the rows the page has already read."""
    if reviews and reviews[0].result in (ReviewResult.FAILED, ReviewResult.RETURNED):
        return True
    return bool(
        case.status == CaseStatus.DISCUSSED
        and discussions
        and discussions[-1].result == DiscussionResult.NOT_AGREED
    )


@login_required
@require_safe
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    user = acting_user(request)
    steps = case.steps.select_related("actor").prefetch_related("attachments", "recordings")
    reviews = list(case.reviews.select_related("reviewer", "requested_by"))
    discussions = list(case.discussions.select_related("step__actor"))
    pending = next((r for r in reviews if r.result == ReviewResult.PENDING), None)
    may_change = can(user, CHANGE, case)
    offered: dict[str, Any] = {}
    if may_change and pending is None:
        initial = {
            "occurred_at": timezone.localtime(),
            # the decision starts from the amounts proposed at 告知 (and reviewed)
            "fine_amount": case.fine_amount,
            "confiscation_amount": case.confiscation_amount,
        }
        offered = {
            kind: STEP_FORMS[kind](prefix=kind, initial=initial, case=case)
            for kind in _offered_steps(case, sent_back=_sent_back(case, reviews, discussions))
        }
    latest = reviews[0] if reviews else None
    today = timezone.localdate()
    context = {
        "case": case,
        "today": today,
        "authority": rules.deciding_authority(case.body),
        "parties": case.parties.all(),
        "assignments": case.assignments.select_related("officer"),
        "discussions": discussions,
        "approvals": case.approvals.select_related("approver"),
        "extensions": case.extensions.select_related("approver"),
        "discussion_triggers": rules.discussion_triggers(case)
        if not case.decided_on and case.status != CaseStatus.DISCUSSED
        else [],
        "heads": case.body.heads.all(),
        "discussion_form": DiscussionForm(prefix="discussion", initial={"held_on": today})
        if may_change
        and pending is None
        and case.status in (CaseStatus.NOTIFIED, CaseStatus.HEARD, CaseStatus.REVIEWED)
        else None,
        "officers_form": OfficersForm(prefix="officers", case=case)
        if may_change and case.closed_on is None
        else None,
        **_head_forms(case, user, pending),
        "steps": steps,
        "reviews": reviews,
        "pending_review": pending,
        "triggers": rules.major_triggers(case),
        "events": case.events.select_related("actor"),
        "penalty_records": [
            (record, can(user, VIEW, record)) for record in case.penalty_records.all()
        ],
        "offered": offered,
        "may_change": may_change,
        "can_request_review": may_change
        and pending is None
        and (latest is None or latest.result != ReviewResult.PASSED)
        and case.status in (CaseStatus.NOTIFIED, CaseStatus.HEARD),
        "review_form": ReviewRequestForm(prefix="review"),
        "hearing_form": HearingRequestForm(prefix="hearing")
        if may_change
        and pending is None
        and case.status == CaseStatus.NOTIFIED
        and not case.is_hearing_requested
        else None,
        "major_form": MarkMajorForm(prefix="major") if may_change and not case.decided_on else None,
        "publication_form": PublicationForm(prefix="publication")
        if may_change
        and case.status in DECIDED_STATUSES
        and case.published_on is None
        and not is_penalty_case(case)
        else None,
        "publicity": rules.publicity_timeliness(
            case.publicity_deadline, case.published_on, timezone.localdate()
        ),
        "can_review": can(user, REVIEW, LegalityReview),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_POST
def case_step(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Record one step (the decision included) from its form on the case page."""
    case = _case(request, pk, CHANGE)
    user = acting_user(request)
    form_class = STEP_FORMS.get(kind)
    if form_class is None:
        raise Http404
    form: StepForm = form_class(request.POST, request.FILES, prefix=kind, case=case)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:detail", pk=pk)
    data = form.cleaned_data
    common: dict[str, Any] = {
        "actor": user,
        "occurred_at": data.get("occurred_at"),
        "notes": data.get("notes", ""),
        "files": data.get("documents", []),
        "recordings": form.recordings(),
    }
    try:
        if isinstance(form, DecisionForm):
            actions.decide_case(
                case,
                decision_number=data["decision_number"],
                decision_summary=data["decision_summary"],
                fine_amount=data.get("fine_amount"),
                confiscation_amount=data.get("confiscation_amount"),
                penalty=form.penalty_facts(),
                overdue_reason=data.get("overdue_reason", ""),
                **common,
            )
        elif isinstance(form, NotificationForm):
            actions.record_step(
                case,
                kind,
                hearing_requested=data["hearing_requested"],
                fine_amount=data.get("fine_amount"),
                confiscation_amount=data.get("confiscation_amount"),
                **common,
            )
        else:
            actions.record_step(case, kind, **common)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("已记录“%(step)s”。") % {"step": StepKind(kind).label})
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """提请法制审核, 登记听证申请, 认定法制审核情形, 记录负责人集体讨论, 变更承办执法人员 or
    记录事后公开, from the case page."""
    case = _case(request, pk, CHANGE)
    user = acting_user(request)
    forms_by_name: dict[str, Any] = {
        "review": ReviewRequestForm,
        "hearing": HearingRequestForm,
        "major": MarkMajorForm,
        "publication": PublicationForm,
        "discussion": DiscussionForm,
        "officers": OfficersForm,
    }
    if name not in forms_by_name:
        raise Http404
    extra = {"case": case} if name == "officers" else {}
    form = forms_by_name[name](request.POST, prefix=name, **extra)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:detail", pk=pk)
    data = form.cleaned_data
    try:
        if name == "review":
            actions.request_legality_review(case, actor=user, submission=data["submission"])
            done = _("已提请法制审核。")
        elif name == "hearing":
            actions.record_hearing_request(case, actor=user, note=data["note"])
            done = _("已登记听证申请：决定前须举行听证。")
        elif name == "major":
            actions.mark_major(case, actor=user, **data)
            done = _("已认定：决定前须按认定的情形经法制审核或负责人集体讨论。")
        elif name == "discussion":
            actions.record_collective_discussion(case, actor=user, **data)
            done = _("已记录负责人集体讨论。")
        elif name == "officers":
            actions.change_case_officers(
                case,
                actor=user,
                on=data["on"],
                reason=data["reason"],
                add=list(data["add"]),
                release=list(data["release"]),
            )
            done = _("已变更承办执法人员。")
        else:
            actions.record_case_publication(case, actor=user, published_on=data["published_on"])
            done = _("已记录公开日期。")
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, done)
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_head_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """负责人签批 or 延长办案期限, by a head of the case's body (the action checks who)."""
    case = _case(request, pk)
    user = acting_user(request)
    if name == "approve":
        form: Any = ApprovalForm(request.POST, prefix="approve")
    elif name == "extend":
        form = ExtensionForm(request.POST, prefix="extend")
    else:
        raise Http404
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("cases:detail", pk=pk)
    data = form.cleaned_data
    try:
        if name == "approve":
            actions.approve_decision(case, actor=user, opinion=data["opinion"])
            done = _("已签批：承办人员可以作出决定。")
        else:
            actions.extend_handling_deadline(
                case, actor=user, days=data["days"], reason=data["reason"]
            )
            done = _("已批准延长办案期限。")
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, done)
    return redirect("cases:detail", pk=pk)


@login_required
@require_safe
def sign_off_queue(request: HttpRequest) -> HttpResponse:
    """The cases waiting for the user's sign-off as a head of their body."""
    user = acting_user(request)
    if not can(user, VIEW, Case):
        raise PermissionDenied
    cases = (
        Case.objects.awaiting_sign_off(user)
        .select_related("body", "power_item", "power_item_version")
        .order_by("handling_deadline", "registered_on", "id")
    )
    context = {"page": paginate(request, cases, PAGE_SIZE), "today": timezone.localdate()}
    return render(request, "cases/sign_off.html", context)


@login_required
@require_safe
def attachment_file(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """A step's document, to staff who may see the case, as a download (never inline). The file
    is kept sealed: one that does not open, or is not the one uploaded, is refused with a
    message on the case's page."""
    case = _case(request, pk)
    item: CaseAttachment = get_object_or_404(CaseAttachment, pk=attachment_pk, step__case=case)
    name = item.stored_name
    if not name or Path(name).name != name or name.startswith("."):
        raise Http404
    path = attachments.folder() / name
    if not path.is_file():
        raise Http404(_("文件不存在。"))
    try:
        content = read_document(path, sha256=item.sha256)
    except SealedFileError as exc:
        logger.error("case attachment #%s (%s) refused: %s", item.pk, name, exc)
        messages.error(request, str(TAMPERED_MESSAGE))
        return redirect("cases:detail", pk=pk)
    # A case's documents name the parties (ID numbers too): each download is a sensitive read.
    record_sensitive_read(item, "file", actor=request.user)
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=attachments.download_name(item),
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- 法制审核 ------------------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not can(user, VIEW, LegalityReview):
        raise PermissionDenied
    result = request.GET.get("result", ReviewResult.PENDING)
    reviews = (
        LegalityReview.objects.restrict(user, VIEW)
        .for_reviewer(user)
        .select_related("case__body", "department", "reviewing_department", "reviewer")
    )
    if result in ReviewResult.values:
        reviews = reviews.filter(result=result)
    reviews = reviews.order_by("due_on", "id") if result == ReviewResult.PENDING else reviews
    page = paginate(request, reviews, PAGE_SIZE)
    context = {
        "page": page,
        "result": result,
        "results": ReviewResult.choices,
        "today": timezone.localdate(),
    }
    return render(request, "cases/review_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    review: LegalityReview = get_object_or_404(
        LegalityReview.objects.restrict(user, VIEW)
        .for_reviewer(user)
        .select_related(
            "case__body",
            "case__power_item",
            "case__power_item_version",
            "requested_by",
            "reviewer",
            "reviewing_department",
        ),
        pk=pk,
    )
    may_review = can(user, REVIEW, review) and review.result == ReviewResult.PENDING
    form = ReviewForm(request.POST or None, prefix="review")
    extend = ExtendForm(request.POST or None, prefix="extend")
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        try:
            if "extend" in request.POST and extend.is_valid():
                actions.extend_legality_review(
                    review, actor=user, reason=extend.cleaned_data["reason"]
                )
                messages.success(request, _("审核期限已延长。"))
                return redirect("cases:review", pk=pk)
            if "extend" not in request.POST and form.is_valid():
                actions.record_legality_review(
                    review,
                    actor=user,
                    result=form.cleaned_data["result"],
                    opinion=form.cleaned_data["opinion"],
                    checklist=form.checklist(),
                    other_findings=form.cleaned_data["other_findings"],
                )
                messages.success(request, _("已记录法制审核结果。"))
                return redirect("cases:reviews")
        except ValidationError as exc:
            _error_messages(request, exc)
    case = review.case
    context = {
        "review": review,
        "case": case,
        "triggers": rules.major_triggers(case),
        "steps": case.steps.select_related("actor").prefetch_related("attachments", "recordings"),
        "form": form if may_review else None,
        "extend_form": extend if may_review and not review.is_extended else None,
        "checklist": [(label, getattr(review, field)) for field, label in CHECKLIST],
    }
    return render(request, "cases/review_form.html", context)


# --- 法制审核人员 ----------------------------------------------------------------------------------


@login_required
@require_safe
def reviewer_list(request: HttpRequest) -> HttpResponse:
    """The legal reviewers' qualifications (行政处罚法 art. 58 para. 2), and the accounts with the
    法制审核员 role that have none recorded."""
    user = acting_user(request)
    if not can(user, VIEW, LegalReviewer):
        raise PermissionDenied
    from chengxin.accounts.choices import Role
    from chengxin.accounts.models import User

    records = LegalReviewer.objects.select_related("user__department")
    unrecorded = (
        User.objects.filter(role_assignments__role=Role.LEGAL_REVIEWER, is_active=True)
        .filter(legal_reviewer_record__isnull=True)
        .select_related("department")
        .order_by("full_name")
    )
    context = {
        "records": records,
        "unrecorded": unrecorded,
        "since": rules.PENALTY_LAW_IN_FORCE,
        "can_add": can(user, ADD, LegalReviewer),
        "can_change": can(user, CHANGE, LegalReviewer),
    }
    return render(request, "cases/reviewers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reviewer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = acting_user(request)
    if pk is None:
        if not can(user, ADD, LegalReviewer):
            raise PermissionDenied
        record = LegalReviewer()
    else:
        record = get_object_or_404(LegalReviewer.objects.select_related("user"), pk=pk)
        if not can(user, CHANGE, record):
            raise PermissionDenied
    form = LegalReviewerForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_legal_reviewer(form.instance, actor=user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存法制审核人员资格。"))
            return redirect("cases:reviewers")
    return render(request, "cases/reviewer_form.html", {"form": form, "record": record})


# --- reports -----------------------------------------------------------------------------------


def _year_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)


@login_required
@require_safe
def off_network_report(request: HttpRequest) -> HttpResponseBase:
    """网外循环: penalty records of enforcement bodies with no online case; CSV with ?format=csv."""
    user = acting_user(request)
    if not can(user, VIEW, PenaltyRecord):
        raise PermissionDenied
    form = ReportFilterForm(request.GET or None, user=user, model=PenaltyRecord)
    start, end = form.period(*_year_bounds(timezone.localdate()))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = data.get("department")
    records = statistics.off_network_penalties(
        user,
        department_id=department.pk if department else None,
        body=data.get("body"),
        start=start,
        end=end,
    )
    bodies = {b.credit_code: b.name for b in EnforcementBody.objects.only("credit_code", "name")}
    if request.GET.get("format") == "csv":
        if not can(user, EXPORT, PenaltyRecord):
            raise PermissionDenied
        return spreadsheets.download(
            OFF_NETWORK_EXPORT,
            spreadsheets.CSV,
            _off_network_sheet(records, bodies),
            filename=f"off-network-penalties-{start:%Y%m%d}-{end:%Y%m%d}",
            actor=user,
            parameters=spreadsheets.parameters_of({**data, "start": start, "end": end}),
            description=f"{start:%Y-%m-%d}～{end:%Y-%m-%d}",
        )
    page = paginate(request, records, PAGE_SIZE)
    for record in page:
        record.body_name = bodies.get(record.authority_credit_code, record.authority)  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page": page,
        "start": start,
        "end": end,
        "can_export": can(user, EXPORT, PenaltyRecord),
        "query": request.GET.urlencode(),
    }
    return render(request, "cases/off_network.html", context)


def _off_network_sheet(records: Any, bodies: dict[str, str]) -> spreadsheets.Sheet:
    header = [
        _("处罚决定书文号"),
        _("行政相对人名称"),
        _("处罚决定日期"),
        _("执法主体"),
        _("处罚机关统一社会信用代码"),
        _("数据来源单位"),
        _("状态"),
    ]
    rows = (
        [
            record.decision_number,
            record.subject_name,
            record.decision_date.isoformat(),
            bodies.get(record.authority_credit_code, record.authority),
            record.authority_credit_code,
            record.department.name,
            record.get_status_display(),
        ]
        for record in records.iterator(chunk_size=2000)
    )
    return spreadsheets.Sheet(header, rows)


@login_required
@require_safe
def publicity_report(request: HttpRequest) -> HttpResponse:
    """事后公开 timeliness per body for the decisions of a period, with the overdue cases."""
    user = acting_user(request)
    if not can(user, VIEW, Case):
        raise PermissionDenied
    today = timezone.localdate()
    form = ReportFilterForm(request.GET or None, user=user, model=Case)
    start, end = form.period(*_year_bounds(today))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = data.get("department")
    cases = Case.objects.restrict(user, VIEW).decided_between(start, end)
    if department is not None:
        cases = cases.filter(department=department)
    body = data.get("body")
    if body is not None:
        cases = cases.filter(body=body)
    rows = statistics.publicity_by_body(cases, today=today)
    overdue = (
        cases.filter(published_on__isnull=True, publicity_deadline__lt=today)
        .exclude(penalty_records__published_at__isnull=False)
        .select_related("body")
        .order_by("publicity_deadline", "id")
    )
    context = {
        "form": form,
        "rows": rows,
        "overdue": overdue[:200],
        "start": start,
        "end": end,
        "citation": rules.PUBLICITY_CITATION,
    }
    return render(request, "cases/publicity_report.html", context)


@login_required
@require_safe
def handling_report(request: HttpRequest) -> HttpResponse:
    """办案期限 (行政处罚法 art. 60) per body: penalty cases open, due within a week, past their
    period, extended, and those decided this year after it; with the list of the cases past
    their period (or, with due=soon, due within a week) — the dashboard's items link here."""
    user = acting_user(request)
    if not can(user, VIEW, Case):
        raise PermissionDenied
    today = timezone.localdate()
    form = HandlingFilterForm(request.GET or None, user=user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = Case.objects.restrict(user, VIEW)
    if data.get("department") is not None:
        cases = cases.filter(department=data["department"])
    if data.get("body") is not None:
        cases = cases.filter(body=data["body"])
    start, end = _year_bounds(today)
    soon = data.get("due") == "soon"
    listed = (
        cases.handling_due_within(DUE_SOON_DAYS, today) if soon else cases.handling_overdue(today)
    )
    listed = listed.select_related("body", "power_item", "power_item_version").order_by(
        "handling_deadline", "id"
    )
    context = {
        "form": form,
        "rows": statistics.handling_by_body(
            cases, start=start, end=end, today=today, soon_days=DUE_SOON_DAYS
        ),
        "page": paginate(request, listed, PAGE_SIZE),
        "soon": soon,
        "today": today,
        "year": today.year,
        "days": rules.HANDLING_DAYS,
        "citation": rules.HANDLING_CITATION,
    }
    return render(request, "cases/handling.html", context)

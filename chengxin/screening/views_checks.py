"""Staff pages for credit checks: a single check and its result, the history, feedback, clearing
a 疑似 candidate, batch checks with their XLSX results, and the credit office's figures.

Rows are scoped through `restrict(user, action)`: a checker sees their own department's checks
and batches (another department's are 404), the credit office sees all. The ID number typed
into a check is posted, never put in a URL, and shown masked only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import ADD, CHANGE, EXPORT, REVIEW, VIEW, can, restrict
from chengxin.core import spreadsheets
from chengxin.core.pagination import paginate
from chengxin.screening import actions, batch, stats, tasks
from chengxin.screening.choices import (
    BatchStatus,
    CheckChannel,
    Feedback,
    ListKind,
    MatchKind,
    MeasureEffect,
    MeasureKind,
)
from chengxin.screening.forms_checks import (
    BatchForm,
    CheckFilterForm,
    CheckForm,
    ClearCandidateForm,
    FeedbackForm,
    PeriodForm,
)
from chengxin.screening.matching import Subject
from chengxin.screening.models import CheckBatch, CheckMeasure, ClearedCandidate, CreditCheck

OVERDUE_LIST_LIMIT = 50
# Counts per department and scenario: no personal data.
STATISTICS_EXPORT = spreadsheets.Export("screening.statistics", _l("信用核查统计"))


# --- single check ----------------------------------------------------------------------------


@login_required
def check_new(request: HttpRequest) -> HttpResponse:
    """The check form; a valid post runs the check and shows its result (post/redirect/get)."""
    user = acting_user(request)
    department = user.department
    if department is None or not can(user, ADD, CreditCheck(department=department)):
        raise PermissionDenied
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            (check,) = actions.check_subjects(
                [form.subject()],
                department=department,
                scenario=form.cleaned_data["scenario"],
                matter=form.cleaned_data["matter"],
                actor=user,
                channel=CheckChannel.WEB,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("screening:check", pk=check.pk)
    return render(request, "screening/checks/check_form.html", {"form": form})


def _check(request: HttpRequest, pk: int, action: str = VIEW) -> CreditCheck:
    checks = CreditCheck.objects.restrict(request.user, action).select_related(
        "department", "scenario", "requested_by", "feedback_by", "batch"
    )
    check: CreditCheck = get_object_or_404(checks, pk=pk)
    return check


@login_required
@require_safe
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check(request, pk)
    return render(request, "screening/checks/check_detail.html", _detail_context(request, check))


def _detail_context(
    request: HttpRequest,
    check: CreditCheck,
    *,
    feedback_form: FeedbackForm | None = None,
    clear_form: ClearCandidateForm | None = None,
) -> dict[str, Any]:
    user = request.user
    proposed = list(
        CheckMeasure.objects.filter(credit_check=check).values_list(
            "measure_id", "entry_id", "is_applied"
        )
    )
    applied = {(measure, entry): is_applied for measure, entry, is_applied in proposed}
    result = check.result
    hits = [_labelled(hit) for hit in result.get("hits", [])]
    cleared = _cleared_entries(check)
    candidates = [
        {**_labelled(c), "is_cleared": c["entry"] in cleared} for c in result.get("candidates", [])
    ]
    measures = [
        {
            **m,
            "kind_label": MeasureKind(m["kind"]).label,
            "effect_label": MeasureEffect(m["effect"]).label,
            "is_applied": applied.get((m["id"], m["entry"])),
        }
        for m in result.get("measures", [])
    ]
    return {
        "check": check,
        "hits": hits,
        "measures": measures,
        "candidates": candidates,
        "can_feedback": check.feedback != Feedback.NOT_REQUIRED and can(user, CHANGE, check),
        "can_clear": can(user, REVIEW, check) or can(user, CHANGE, check),
        "feedback_form": feedback_form or FeedbackForm(check=check),
        "clear_form": clear_form or ClearCandidateForm(),
    }


def _labelled(found: dict[str, Any]) -> dict[str, Any]:
    return {
        **found,
        "match_label": MatchKind(found["match"]).label,
        "list_kind_label": ListKind(found["list_kind"]).label,
    }


def _cleared_entries(check: CreditCheck) -> set[int]:
    candidates = [c["entry"] for c in check.result.get("candidates", [])]
    if not candidates:
        return set()
    subject = Subject(check.input_name, check.input_credit_code)
    keys = subject.clearance_keys(check.id_number_index)
    return set(
        ClearedCandidate.objects.filter(entry_id__in=candidates, input_key__in=keys).values_list(
            "entry_id", flat=True
        )
    )


@login_required
@require_POST
def check_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """反馈: the department says whether it took the proposed measures."""
    check = _check(request, pk, CHANGE)
    form = FeedbackForm(request.POST, check=check)
    if form.is_valid():
        try:
            actions.record_feedback(
                check,
                actor=acting_user(request),
                taken=form.is_taken,
                reason=form.cleaned_data["reason"],
                applied_measure_ids=form.applied_measure_ids(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("反馈已记录。"))
            return redirect("screening:check", pk=check.pk)
    context = _detail_context(request, check, feedback_form=form)
    return render(request, "screening/checks/check_detail.html", context)


@login_required
@require_POST
def check_clear_candidate(request: HttpRequest, pk: int) -> HttpResponse:
    """排除疑似: a reviewer rules a candidate out for this subject."""
    check = _check(request, pk)
    form = ClearCandidateForm(request.POST)
    if form.is_valid():
        try:
            actions.clear_candidate(
                check,
                form.cleaned_data["entry"],
                actor=acting_user(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已排除该疑似名单条目，今后核查该主体时不再列出。"))
            return redirect("screening:check", pk=check.pk)
    context = _detail_context(request, check, clear_form=form)
    return render(request, "screening/checks/check_detail.html", context)


# --- history ---------------------------------------------------------------------------------


@login_required
@require_safe
def check_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW, CreditCheck):
        raise PermissionDenied
    today = timezone.localdate()
    form = CheckFilterForm(request.GET or None, user=acting_user(request))
    checks = form.filter(
        CreditCheck.objects.restrict(request.user, VIEW).select_related(
            "department", "scenario", "requested_by"
        ),
        today=today,
    )
    page = paginate(request, checks, 50)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "can_add": can(request.user, ADD, CreditCheck),
    }
    return render(request, "screening/checks/check_list.html", context)


# --- batch checks ----------------------------------------------------------------------------


@login_required
def batch_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.department_id is None or not can(user, ADD, CheckBatch(department=user.department)):
        raise PermissionDenied
    form = BatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        created = tasks.start_batch(
            form.cleaned_data["file"],
            scenario=form.cleaned_data["scenario"],
            matter=form.cleaned_data["matter"],
            actor=user,
        )
        return redirect("screening:batch", pk=created.pk)
    return render(request, "screening/checks/batch_form.html", {"form": form})


@login_required
@require_safe
def batch_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW, CheckBatch):
        raise PermissionDenied
    batches = restrict(CheckBatch.objects.all(), request.user, VIEW).select_related(
        "department", "scenario", "requested_by"
    )
    page = paginate(request, batches, 25)
    context = {"page": page, "can_add": can(request.user, ADD, CheckBatch)}
    return render(request, "screening/checks/batch_list.html", context)


def _batch(request: HttpRequest, pk: int, action: str = VIEW) -> CheckBatch:
    batches = restrict(CheckBatch.objects.all(), request.user, action).select_related(
        "department", "scenario", "requested_by"
    )
    found: CheckBatch = get_object_or_404(batches, pk=pk)
    return found


@login_required
@require_safe
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _batch(request, pk)
    checks = (
        CreditCheck.objects.filter(batch=found)
        .order_by("pk")
        .only("pk", "input_name", "input_credit_code", "id_number_masked", "outcome", "feedback")
    )
    page = paginate(request, checks, 100)
    context = {
        "batch": found,
        "page": page,
        "is_finished": found.status in (BatchStatus.DONE, BatchStatus.FAILED),
        "can_export": can(request.user, EXPORT, found),
    }
    return render(request, "screening/checks/batch_detail.html", context)


@login_required
@require_safe
def batch_results(request: HttpRequest, pk: int) -> FileResponse:
    """The results workbook, one row per checked subject (ID numbers masked); audited."""
    found = _batch(request, pk, EXPORT)
    if found.status != BatchStatus.DONE:
        raise Http404
    return batch.results_download(found, actor=acting_user(request))


# --- statistics ------------------------------------------------------------------------------


def _figures(request: HttpRequest) -> tuple[PeriodForm, stats.Period, list[stats.Row]]:
    if not can(request.user, VIEW, CreditCheck):
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    period = stats.Period(*form.period(today))
    checks = CreditCheck.objects.restrict(request.user, VIEW)
    rows = stats.figures_by_department_and_scenario(checks, period, on=today)
    return form, period, rows


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """触发 → 响应 → 反馈: checks, hits, measures applied and overdue feedback."""
    form, period, rows = _figures(request)
    today = timezone.localdate()
    overdue = stats.overdue_checks(
        CreditCheck.objects.restrict(request.user, VIEW),
        period,
        on=today,
        limit=OVERDUE_LIST_LIMIT,
    )
    context = {
        "form": form,
        "period": period,
        "today": today,
        "rows": rows,
        "departments": stats.by_department(rows),
        "scenarios": stats.by_scenario(rows),
        "total": stats.total(rows),
        "overdue": overdue,
        "overdue_limit": OVERDUE_LIST_LIMIT,
        "can_export": can(request.user, EXPORT, CreditCheck),
    }
    return render(request, "screening/checks/dashboard.html", context)


CSV_HEADER = (
    _l("核查单位"),
    _l("业务场景"),
    _l("核查数"),
    _l("命中数"),
    _l("命中率（%）"),
    _l("疑似数"),
    _l("已反馈"),
    _l("反馈率（%）"),
    _l("逾期未反馈"),
    _l("提出措施"),
    _l("已采取措施"),
)


@login_required
@require_safe
def dashboard_csv(request: HttpRequest) -> FileResponse:
    """The dashboard's figures as CSV (UTF-8 with BOM, which Excel opens correctly)."""
    if not can(request.user, EXPORT, CreditCheck):
        raise PermissionDenied
    _form, period, rows = _figures(request)
    lines: list[list[Any]] = [
        [row.department, row.scenario, *_csv_figures(row.figures)] for row in rows
    ]
    lines.append([_("合计"), "", *_csv_figures(stats.total(rows))])
    return spreadsheets.download(
        STATISTICS_EXPORT,
        spreadsheets.CSV,
        spreadsheets.Sheet(CSV_HEADER, lines),
        filename=f"checks-{period.start:%Y%m%d}-{period.end:%Y%m%d}",
    )


def _csv_figures(figures: stats.Figures) -> list[Any]:
    return [
        figures.checks,
        figures.hits,
        _rate(figures.hit_rate),
        figures.candidates,
        figures.feedback_given,
        _rate(figures.feedback_rate),
        figures.overdue,
        figures.measures_proposed,
        figures.measures_applied,
    ]


def _rate(value: Any) -> str:
    return "" if value is None else str(value)

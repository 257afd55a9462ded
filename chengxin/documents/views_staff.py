"""Staff pages of normative documents: the register with filters, registration, one document
with its timeline and the form of each step, the legality review queue, the filing register,
the XLSX export, the dashboard and the issuing bodies.

Rows are scoped through `restrict(user, action)`: a liaison (legal_affairs_officer) sees and
handles the documents of their own department's bodies, the rule-of-law office all of them, a
legal reviewer reads all and reviews. Views call `documents.actions` and never set a status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import User, acting_user
from chengxin.accounts.permissions import ADD, CHANGE, EXPORT, REVIEW, VIEW, can, scope_for
from chengxin.core import calendar
from chengxin.core.pagination import paginate
from chengxin.core.workflow import require
from chengxin.documents import actions, export, rules
from chengxin.documents.choices import (
    PUBLISHED_STATUSES,
    DocumentStatus,
    FilingTimeliness,
    ReviewResult,
)
from chengxin.documents.forms import (
    CleanupForm,
    CommentPeriodForm,
    DeliberationForm,
    DocumentFilterForm,
    FilingForm,
    HandlingForm,
    IssueForm,
    IssuingBodyForm,
    PublishForm,
    ReasonForm,
    RegisterForm,
    ReviewForm,
    republication_from,
)
from chengxin.documents.models import (
    DocumentComment,
    IssuingBody,
    LegalityReview,
    NormativeDocument,
)

PAGE_SIZE = 50
Run = Callable[[NormativeDocument, User, dict[str, Any]], object]


@dataclass(frozen=True)
class Step:
    """One step button on a document: its form, the action it calls, the message on success,
    and the statuses in which it is offered (permission: change on the document)."""

    title: str | Promise
    form: type[forms.Form] | None
    run: Run
    done: str | Promise
    statuses: tuple[str, ...]


STEPS: dict[str, Step] = {
    "open_comment": Step(
        _l("公开征求意见"),
        CommentPeriodForm,
        lambda d, u, data: actions.open_comment(
            d,
            actor=u,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            shortened_reason=data["shortened_reason"],
            backfill_reason=data["backfill_reason"],
        ),
        _l("已发布征求意见稿，征求意见期内公众可在门户网站提交意见。"),
        (DocumentStatus.DRAFT,),
    ),
    "waive_comment": Step(
        _l("不公开征求意见"),
        ReasonForm,
        lambda d, u, data: actions.waive_comment(d, actor=u, reason=data["reason"]),
        _l("已记录不公开征求意见的理由。"),
        (DocumentStatus.DRAFT,),
    ),
    "submit_review": Step(
        _l("提请合法性审核"),
        None,
        lambda d, u, data: actions.submit_for_review(d, actor=u),
        _l("已提请合法性审核。"),
        (DocumentStatus.DRAFT, DocumentStatus.COMMENTING, DocumentStatus.REVIEW_FAILED),
    ),
    "deliberate": Step(
        _l("集体审议"),
        DeliberationForm,
        lambda d, u, data: actions.deliberate_document(
            d, actor=u, meeting=data["meeting"], held_on=data["held_on"], result=data["result"]
        ),
        _l("已记录集体审议结果。"),
        (DocumentStatus.REVIEW_PASSED,),
    ),
    "issue": Step(
        _l("统一编号印发"),
        IssueForm,
        lambda d, u, data: actions.issue_document(d, actor=u, issued_on=data.get("issued_on")),
        _l("已分配统一编号并印发。"),
        (DocumentStatus.DELIBERATED,),
    ),
    "publish": Step(
        _l("统一公布"),
        PublishForm,
        lambda d, u, data: actions.publish_document(
            d,
            actor=u,
            published_on=data["published_on"],
            channel=data["channel"],
            effective_on=data.get("effective_on"),
            early_effect_reason=data["early_effect_reason"],
            validity_years=data.get("validity_years"),
        ),
        _l("已公布，备案期限开始计算。"),
        (DocumentStatus.ISSUED,),
    ),
    "file": Step(
        _l("报送备案"),
        FilingForm,
        lambda d, u, data: actions.file_document(
            d,
            actor=u,
            filed_on=data["filed_on"],
            filed_with=data["filed_with"],
            reference=data["reference"],
        ),
        _l("已记录报送备案。"),
        PUBLISHED_STATUSES,
    ),
    "clean_up": Step(
        _l("清理"),
        CleanupForm,
        lambda d, u, data: actions.clean_up_document(
            d,
            actor=u,
            result=data["result"],
            decided_on=data["decided_on"],
            note=data["note"],
            republication=republication_from(data),
        ),
        _l("已记录清理结果。"),
        (DocumentStatus.PUBLISHED,),
    ),
}


def _offered(user: User, document: NormativeDocument) -> dict[str, tuple[Step, forms.Form | None]]:
    if not can(user, CHANGE, document):
        return {}
    shown: dict[str, tuple[Step, forms.Form | None]] = {}
    for name, step in STEPS.items():
        if document.status not in step.statuses:
            continue
        if name == "file" and document.filed_on is not None:
            continue
        if name in {"open_comment", "waive_comment"} and (
            document.comment_starts_on or document.comment_waiver_reason
        ):
            continue
        shown[name] = (step, step.form(prefix=name) if step.form else None)
    return shown


def _documents(request: HttpRequest) -> Any:
    return NormativeDocument.objects.restrict(request.user, VIEW).select_related("issuing_body")


def _document(request: HttpRequest, pk: int) -> NormativeDocument:
    document: NormativeDocument = get_object_or_404(_documents(request), pk=pk)
    return document


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}：{text}" if label else text)


def _action_errors(request: HttpRequest, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for messages_ in exc.message_dict.values():
            for message in messages_:
                messages.error(request, message)
    else:
        messages.error(request, " ".join(exc.messages))


# --- the register ----------------------------------------------------------------------------


@login_required
@require_safe
def document_list(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW, NormativeDocument)
    form = DocumentFilterForm(request.GET or None)
    documents = form.filter(_documents(request).with_validity().with_filing_timeliness())
    page = paginate(request, documents, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "can_add": can(request.user, ADD, NormativeDocument),
        "can_export": can(request.user, EXPORT, NormativeDocument),
        "query": request.GET.urlencode(),
    }
    return render(request, "documents/staff/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    require(request.user, ADD, NormativeDocument)
    user = acting_user(request)
    bodies = IssuingBody.objects.confirmed().restrict(user, ADD)
    form = RegisterForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            document = actions.register_document(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记草案。"))
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/staff/register.html", {"form": form})


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user = acting_user(request)
    may_change = can(user, CHANGE, document)
    comments = list(document.comments.select_related("handled_by"))
    context = {
        "document": document,
        "validity": document.validity_label(),
        "filing": document.filing_timeliness_on(),
        "events": document.events.select_related("actor"),
        "comments": comments,
        "may_change": may_change,
        "reviews": document.reviews.select_related("reviewer", "submitted_by"),
        "cleanups": document.cleanups.select_related("actor"),
        "offered": _offered(user, document),
        "can_review": can(user, REVIEW, LegalityReview),
        "today": timezone.localdate(),
    }
    return render(request, "documents/staff/detail.html", context)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one step. The status check is the action's: a stale page gets its message."""
    document = _document(request, pk)
    user = acting_user(request)
    step = STEPS.get(name)
    if step is None:
        raise Http404
    if not can(user, CHANGE, document):
        raise PermissionDenied
    data: dict[str, Any] = {}
    if step.form is not None:
        form = step.form(request.POST, prefix=name)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("documents:detail", pk=pk)
        data = form.cleaned_data
    try:
        step.run(document, user, data)
    except ValidationError as exc:
        _action_errors(request, exc)
    else:
        messages.success(request, str(step.done))
    return redirect("documents:detail", pk=pk)


@login_required
@require_POST
def handle_comment(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    document = _document(request, pk)
    comment: DocumentComment = get_object_or_404(document.comments, pk=comment_pk)
    form = HandlingForm(request.POST, prefix=f"c{comment.pk}")
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("documents:detail", pk=pk)
    try:
        actions.handle_comment(
            comment,
            actor=acting_user(request),
            handling=form.cleaned_data["handling"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _action_errors(request, exc)
    else:
        messages.success(request, _("已记录意见 #%s 的采纳情况。") % comment.pk)
    return redirect("documents:detail", pk=pk)


# --- legality review -------------------------------------------------------------------------


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    """The legal office's queue: pending reviews first, with their due dates."""
    require(request.user, VIEW, LegalityReview)
    user = acting_user(request)
    show_all = request.GET.get("all") == "1"
    every_unit = request.GET.get("units") == "all"
    reviews = LegalityReview.objects.select_related(
        "document__issuing_body", "reviewer", "reviewing_unit"
    )
    if not every_unit:
        # A reviewer's queue is their own unit's (国办发〔2018〕115号: each unit reviews its own).
        reviews = reviews.filter(reviewing_unit_id=user.department_id)
    if not show_all:
        reviews = reviews.filter(result=ReviewResult.PENDING).order_by("due_on", "id")
    page = paginate(request, reviews, PAGE_SIZE)
    context = {
        "page": page,
        "show_all": show_all,
        "every_unit": every_unit,
        "unit": user.department,
        "today": timezone.localdate(),
    }
    return render(request, "documents/staff/reviews.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, VIEW, LegalityReview)
    item: LegalityReview = get_object_or_404(
        LegalityReview.objects.select_related("document__issuing_body"), pk=pk
    )
    user = acting_user(request)
    unit = item.unit()
    may_review = (
        can(user, REVIEW, item)
        and item.result == ReviewResult.PENDING
        and unit is not None
        and user.department_id == unit.pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.review_document(
                    item,
                    reviewer=user,
                    passed=form.cleaned_data["passed"],
                    opinion=form.cleaned_data["opinion"],
                    urgent_reason=form.cleaned_data["urgent_reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已出具合法性审核意见。"))
                return redirect("documents:reviews")
    context = {
        "review": item,
        "document": item.document,
        "form": form if may_review else None,
        "unit": unit,
        "comments": item.document.comments.all(),
        "working_days_left": (
            calendar.working_days_between(timezone.localdate(), item.due_on)
            if item.result == ReviewResult.PENDING
            else None
        ),
    }
    return render(request, "documents/staff/review.html", context)


# --- filing, export, dashboard ---------------------------------------------------------------


@login_required
@require_safe
def filings(request: HttpRequest) -> HttpResponse:
    """The filing register: every published document with its deadline; overdue ones first."""
    require(request.user, VIEW, NormativeDocument)
    documents = (
        _documents(request)
        .published()
        .with_filing_timeliness()
        .order_by("filed_on", "filing_due", "id")
    )
    form = DocumentFilterForm(request.GET or None)
    documents = form.filter(documents)
    page = paginate(request, documents, PAGE_SIZE)
    overdue = _documents(request).filing_overdue().count()
    context = {"page": page, "form": form, "overdue": overdue, "today": timezone.localdate()}
    return render(request, "documents/staff/filings.html", context)


@login_required
@require_safe
def export_register(request: HttpRequest) -> HttpResponseBase:
    user = acting_user(request)
    require(user, EXPORT, NormativeDocument)
    form = DocumentFilterForm(request.GET or None)
    documents = form.filter(
        NormativeDocument.objects.restrict(user, EXPORT)
        .select_related("issuing_body")
        .with_validity()
        .with_filing_timeliness()
        .order_by("issuing_body__name", "number_year", "number_sequence", "id")
    )
    return export.register_response(documents)


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW, NormativeDocument)
    today = timezone.localdate()
    documents = _documents(request)
    by_body = _counts_by_body_and_year(documents)
    timeliness = dict(
        documents.published()
        .with_filing_timeliness(today)
        .values_list("filing_timeliness")
        .annotate(n=Count("id"))
        .values_list("filing_timeliness", "n")
    )
    context = {
        "years": by_body["years"],
        "rows": by_body["rows"],
        "timeliness": [(t.label, timeliness.get(t.value, 0), t.value) for t in FilingTimeliness],
        "expiring": documents.expiring(today).order_by("valid_until"),
        "overdue_filings": documents.filing_overdue(today).order_by("filing_due"),
        "pending_reviews": LegalityReview.objects.filter(
            result=ReviewResult.PENDING, document__in=documents
        ).count(),
        "overdue_reviews": LegalityReview.objects.filter(
            result=ReviewResult.PENDING, document__in=documents, due_on__lt=today
        ).count(),
        "in_force": documents.in_force(today).count(),
        "can_view_reviews": can(request.user, VIEW, LegalityReview),
        "horizon": rules.reminder_horizon(today),
        "calendar_warnings": calendar.calendar_warnings(today),
        "today": today,
    }
    return render(request, "documents/staff/dashboard.html", context)


def _counts_by_body_and_year(documents: Any) -> dict[str, Any]:
    """Issued documents per issuing body and year of number (the last five years)."""
    this_year = timezone.localdate().year
    years = list(range(this_year - 4, this_year + 1))
    counts = (
        documents.filter(number_year__in=years)
        .values_list("issuing_body_id", "issuing_body__name", "number_year")
        .annotate(n=Count("id"))
        .order_by("issuing_body__name")
    )
    rows: dict[int, dict[str, Any]] = {}
    for body_id, name, year, n in counts:
        row = rows.setdefault(
            body_id, {"id": body_id, "name": name, "counts": dict.fromkeys(years, 0)}
        )
        row["counts"][year] = n
    table = [
        {**row, "cells": [row["counts"][y] for y in years], "total": sum(row["counts"].values())}
        for row in rows.values()
    ]
    return {"years": years, "rows": table}


# --- issuing bodies --------------------------------------------------------------------------


@login_required
@require_safe
def bodies(request: HttpRequest) -> HttpResponse:
    require(request.user, VIEW, NormativeDocument)
    items = IssuingBody.objects.select_related("department", "reviewing_unit").annotate(
        document_count=Count("documents")
    )
    may_edit = scope_for(request.user, CHANGE, IssuingBody) is Scope.ALL
    context = {"bodies": items, "can_edit": may_edit}
    return render(request, "documents/staff/bodies.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def body_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Add or change an issuing body (the rule-of-law office, district-wide)."""
    instance = get_object_or_404(IssuingBody, pk=pk) if pk else None
    user = acting_user(request)
    # District-wide only: a liaison may not confirm bodies, not even their own department's.
    if scope_for(user, ADD if instance is None else CHANGE, IssuingBody) is not Scope.ALL:
        raise PermissionDenied
    form = IssuingBodyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存制定主体。"))
        return redirect("documents:bodies")
    return render(request, "documents/staff/body_form.html", {"form": form, "body": instance})

"""Staff pages of the two registries: overview counts, bodies and officers (list, detail, create,
edit, status changes), the qualification clean-up and the officer import.

Every page asks accounts.permissions: VIEW to read, ADD / CHANGE to edit, REVIEW to confirm a
clean-up, IMPORT to import. Views call agencies.actions and never set a status; a refused action
comes back as a message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import ADD, CHANGE, IMPORT, REVIEW, VIEW, can
from chengxin.agencies import actions, rules
from chengxin.agencies.choices import BodyKind, BodyStatus, OfficerStatus, RemovalReason, Staffing
from chengxin.agencies.forms import (
    BodyFilterForm,
    BodyForm,
    CleanupForm,
    DepartureForm,
    OfficerFilterForm,
    OfficerForm,
    RevokeForm,
    StatusForm,
)
from chengxin.agencies.models import (
    EnforcementBody,
    EnforcementOfficer,
    OfficerImport,
)
from chengxin.core import local_settings
from chengxin.core.pagination import paginate

PAGE_SIZE = 50

#: Officer status buttons: name → (target status, title, allowed from).
#: The clean-up of an officer who left (调离 / 退休), offered beside the status buttons.
DEPART = "depart"

STATUS_ACTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "suspend": (OfficerStatus.SUSPENDED, "暂停执法资格", (OfficerStatus.ON_DUTY,)),
    "reinstate": (OfficerStatus.ON_DUTY, "恢复在岗", (OfficerStatus.SUSPENDED,)),
    "cancel": (
        OfficerStatus.CANCELLED,
        "注销执法证",
        (OfficerStatus.ON_DUTY, OfficerStatus.SUSPENDED),
    ),
}


def _require(request: HttpRequest, action: str, model: Any) -> None:
    if not can(request.user, action, model):
        raise PermissionDenied


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


# --- overview --------------------------------------------------------------------------------


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    """Dashboard counts: bodies confirmed (active) by kind, officers by status, removed this year."""
    _require(request, VIEW, EnforcementBody)
    today = timezone.localdate()
    bodies = EnforcementBody.objects.aggregate(
        active=Count("pk", filter=Q(status=BodyStatus.ACTIVE)),
        revoked=Count("pk", filter=Q(status=BodyStatus.REVOKED)),
        **{
            kind.value: Count("pk", filter=Q(status=BodyStatus.ACTIVE, kind=kind.value))
            for kind in BodyKind
        },
    )
    by_status = dict(
        EnforcementOfficer.objects.order_by().values_list("status").annotate(n=Count("pk"))
    )
    removed_this_year = EnforcementOfficer.objects.filter(
        status=OfficerStatus.REMOVED, status_changed_on__year=today.year
    ).count()
    by_reason = dict(
        EnforcementOfficer.objects.filter(status=OfficerStatus.REMOVED)
        .order_by()
        .values_list("removal_reason")
        .annotate(n=Count("pk"))
    )
    holders = EnforcementOfficer.objects.filter(
        status__in=[OfficerStatus.ON_DUTY, OfficerStatus.SUSPENDED]
    )
    by_staffing = dict(holders.order_by().values_list("staffing").annotate(n=Count("pk")))
    context = {
        "removal_reasons": [(r.label, by_reason.get(r.value, 0)) for r in RemovalReason],
        "staffing": [(s.value, s.label, by_staffing.get(s.value, 0)) for s in Staffing]
        + [("none", _("未登记"), by_staffing.get("", 0))],
        "bodies": bodies,
        "kinds": [(kind.label, bodies[kind.value]) for kind in BodyKind],
        "statuses": [(s.value, s.label, by_status.get(s.value, 0)) for s in OfficerStatus],
        "removed": by_status.get(OfficerStatus.REMOVED, 0),
        "removed_this_year": removed_this_year,
        "proposed": rules.cleanup_candidates(today).count(),
        "assignable": EnforcementOfficer.objects.assignable_on(today).count(),
        "year": today.year,
        "can_review": can(request.user, REVIEW, EnforcementOfficer),
    }
    return render(request, "agencies/staff/overview.html", context)


# --- bodies ----------------------------------------------------------------------------------


@login_required
@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, EnforcementBody)
    form = BodyFilterForm(request.GET or None)
    bodies = form.filter(
        EnforcementBody.objects.restrict(request.user, VIEW)
        .select_related("entrusting_body", "department")
        .annotate(on_duty=Count("officers", filter=Q(officers__status=OfficerStatus.ON_DUTY)))
        .order_by("name")
    )
    page = paginate(request, bodies, PAGE_SIZE)
    context = {"form": form, "page": page, "can_add": can(request.user, ADD, EnforcementBody)}
    return render(request, "agencies/staff/body_list.html", context)


def _body(request: HttpRequest, pk: int, action: str = VIEW) -> EnforcementBody:
    bodies = EnforcementBody.objects.restrict(request.user, VIEW).select_related(
        "entrusting_body", "department"
    )
    body: EnforcementBody = get_object_or_404(bodies, pk=pk)
    _require(request, action, body)
    return body


@login_required
@require_safe
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body(request, pk)
    may_change = can(request.user, CHANGE, body)
    context = {
        "body": body,
        "heads": body.heads.order_by("full_name"),
        "officers": body.officers.order_by("status", "name"),
        "entrusted": body.entrusted_bodies.all(),
        "events": body.events.select_related("actor")[:50],
        "can_change": may_change,
        "revoke_form": RevokeForm() if may_change and body.is_active else None,
    }
    return render(request, "agencies/staff/body_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def body_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        _require(request, ADD, EnforcementBody)
        body = EnforcementBody()
    else:
        body = _body(request, pk, CHANGE)
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_body(
                form.instance, actor=acting_user(request), heads=form.cleaned_data["heads"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存执法主体。"))
            return redirect("agencies:body", pk=saved.pk)
    return render(request, "agencies/staff/body_form.html", {"form": form, "body": body})


@login_required
@require_POST
def body_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body(request, pk, CHANGE)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("agencies:body", pk=body.pk)
    try:
        actions.revoke_body(
            body,
            actor=acting_user(request),
            document=form.cleaned_data["document"],
            revoked_on=form.cleaned_data["revoked_on"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已撤销该执法主体。"))
    return redirect("agencies:body", pk=body.pk)


# --- officers --------------------------------------------------------------------------------


@login_required
@require_safe
def officer_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, EnforcementOfficer)
    form = OfficerFilterForm(request.GET or None)
    officers = form.filter(
        EnforcementOfficer.objects.restrict(request.user, VIEW).select_related("body")
    )
    page = paginate(request, officers, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "today": timezone.localdate(),
        "can_add": can(request.user, ADD, EnforcementOfficer),
        "can_import": can(request.user, IMPORT, OfficerImport),
    }
    return render(request, "agencies/staff/officer_list.html", context)


def _officer(request: HttpRequest, pk: int, action: str = VIEW) -> EnforcementOfficer:
    officers = EnforcementOfficer.objects.restrict(request.user, VIEW).select_related("body")
    officer: EnforcementOfficer = get_object_or_404(officers, pk=pk)
    _require(request, action, officer)
    return officer


@login_required
@require_safe
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _officer(request, pk)
    today = timezone.localdate()
    may_change = can(request.user, CHANGE, officer)
    offered: dict[str, tuple[str, forms.Form]] = {
        name: (title, StatusForm(prefix=name))
        for name, (_status, title, allowed) in STATUS_ACTIONS.items()
        if may_change and officer.status in allowed
    }
    if can(request.user, REVIEW, EnforcementOfficer) and officer.holds_certificate:
        offered[DEPART] = (_("调离、退休清理"), DepartureForm(prefix=DEPART))
    context = {
        "officer": officer,
        "today": today,
        "assignable": officer.is_assignable_on(today),
        "reasons": rules.cleanup_reasons(
            officer, today, int(local_settings.get(rules.MIN_TRAINING_HOURS.key))
        ),
        "events": officer.events.select_related("actor")[:50],
        "can_change": may_change,
        "offered": offered,
    }
    return render(request, "agencies/staff/officer_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def officer_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        _require(request, ADD, EnforcementOfficer)
        officer = EnforcementOfficer()
    else:
        officer = _officer(request, pk, CHANGE)
    form = OfficerForm(request.POST or None, instance=officer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_officer(form.instance, actor=acting_user(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存执法人员。"))
            return redirect("agencies:officer", pk=saved.pk)
    return render(request, "agencies/staff/officer_form.html", {"form": form, "officer": officer})


@login_required
@require_POST
def officer_status(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name == DEPART:
        return _officer_departure(request, pk)
    if name not in STATUS_ACTIONS:
        raise Http404
    officer = _officer(request, pk, CHANGE)
    form = StatusForm(request.POST, prefix=name)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("agencies:officer", pk=officer.pk)
    status, title, _allowed = STATUS_ACTIONS[name]
    try:
        actions.change_officer_status(
            officer,
            status,
            actor=acting_user(request),
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已办理：%(title)s。") % {"title": _(title)})
    return redirect("agencies:officer", pk=officer.pk)


def _officer_departure(request: HttpRequest, pk: int) -> HttpResponse:
    """清理 of one officer who left (调离 / 退休), from the officer's page."""
    officer = _officer(request, pk, REVIEW)
    form = DepartureForm(request.POST, prefix=DEPART)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("agencies:officer", pk=officer.pk)
    try:
        actions.remove_departed_officers(
            [officer.pk],
            actor=acting_user(request),
            why=form.cleaned_data["why"],
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("已清理该执法人员。"))
    return redirect("agencies:officer", pk=officer.pk)


# --- the clean-up ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cleanup(request: HttpRequest) -> HttpResponse:
    """The officers the clean-up proposes today with their reasons; the admin confirms a selection."""
    _require(request, VIEW, EnforcementOfficer)
    may_review = can(request.user, REVIEW, EnforcementOfficer)
    if request.method == "POST" and not may_review:
        raise PermissionDenied
    today = timezone.localdate()
    proposals = rules.propose_cleanup(today)
    form = CleanupForm(request.POST or None, officer_ids=[p.officer.pk for p in proposals])
    if request.method == "POST" and form.is_valid():
        try:
            removed = actions.remove_officers(
                form.cleaned_data["officer"],
                actor=acting_user(request),
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已清理 %(n)d 名执法人员。") % {"n": len(removed)})
            return redirect("agencies:cleanup")
    context = {
        "proposals": proposals,
        "form": form,
        "can_review": may_review,
        "minimum": local_settings.get(rules.MIN_TRAINING_HOURS.key),
        "selected": {str(v) for v in request.POST.getlist("officer")}
        if request.method == "POST"
        else None,
    }
    return render(request, "agencies/staff/cleanup.html", context)

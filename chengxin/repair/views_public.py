"""Public pages of credit repair: no login. A subject applies from its public page and follows the
application with its receipt number and verification code (kept in the session after a lookup,
never in a URL)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.portal.masking import public_name
from chengxin.portal.throttle import limited
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import actions, rules
from chengxin.repair.choices import EventType
from chengxin.repair.commitment import commitment_text, describe
from chengxin.repair.forms_public import ApplicationForm, LookupForm, SupplyForm
from chengxin.repair.models import RepairApplication
from chengxin.screening.choices import ListKind
from chengxin.screening.models import ListEntry
from chengxin.subjects.models import Subject

SESSION_KEY = "repair_applications"


def _subject(public_id: str) -> Subject:
    return get_object_or_404(Subject, public_id=public_id)


def _targets(subject: Subject) -> list[PenaltyRecord | ListEntry]:
    """What the public sees of the subject that repair could end: public penalties and
    dishonesty-list entries in force."""
    today = timezone.localdate()
    penalties = list(PenaltyRecord.objects.publicly_visible(today).filter(subject=subject))
    entries = list(
        ListEntry.objects.in_force(today)
        .filter(subject=subject, list_type__kind=ListKind.DISHONESTY)
        .select_related("list_type")
    )
    return [*penalties, *entries]


def _target(subject: Subject, kind: str, pk: int) -> PenaltyRecord | ListEntry:
    for target in _targets(subject):
        if target.pk == pk and (kind == "penalty") == isinstance(target, PenaltyRecord):
            return target
    raise Http404


@require_safe
def choose(request: HttpRequest, public_id: str) -> HttpResponse:
    subject = _subject(public_id)
    today = timezone.localdate()
    items = [
        {
            "target": target,
            "kind": "penalty" if isinstance(target, PenaltyRecord) else "entry",
            "title": describe(target),
            "verdict": actions.eligibility(target, today),
        }
        for target in _targets(subject)
    ]
    context = {
        "subject": subject,
        "display_name": public_name(subject.name, subject.category),
        # Before submission the measure in force today applies.
        "procedure": rules.procedure_on(today),
    }
    return render(request, "repair/choose.html", context | {"items": items})


@never_cache
@require_http_methods(["GET", "POST"])
@limited("repair")
def apply(request: HttpRequest, public_id: str, kind: str, pk: int) -> HttpResponse:
    subject = _subject(public_id)
    target = _target(subject, kind, pk)
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application, code = actions.submit_application(
                subject,
                target,
                contact_person=form.cleaned_data["contact_person"],
                contact_phone=form.cleaned_data["contact_phone"],
                statement=form.cleaned_data["statement"],
                commitment_confirmed=form.cleaned_data["commitment_confirmed"],
                files=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _remember(request, application)
            receipt = {
                "application": application,
                "code": code,
                "procedure": rules.procedure_of(application),
            }
            return render(request, "repair/receipt.html", receipt)
    today = timezone.localdate()
    context = {
        "subject": subject,
        "display_name": public_name(subject.name, subject.category),
        "title": describe(target),
        "verdict": actions.eligibility(target, today),
        "commitment": commitment_text(subject, target, today),
        "procedure": rules.procedure_on(today),
        "form": form,
    }
    return render(request, "repair/apply.html", context)


def _remember(request: HttpRequest, application: RepairApplication) -> None:
    known = set(request.session.get(SESSION_KEY, []))
    known.add(application.pk)
    request.session[SESSION_KEY] = sorted(known)


@never_cache
@require_http_methods(["GET", "POST"])
@limited("repair")
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = actions.find_application(
            form.cleaned_data["receipt_number"], form.cleaned_data["code"]
        )
        if found is not None:
            _remember(request, found)
            return redirect("repair:status", receipt_number=found.receipt_number)
        form.add_error(None, ValidationError(_("受理编号或查询码不正确。")))
    return render(request, "repair/lookup.html", {"form": form})


def _known(request: HttpRequest, receipt_number: str) -> RepairApplication:
    application = get_object_or_404(RepairApplication, receipt_number=receipt_number)
    if application.pk not in request.session.get(SESSION_KEY, []):
        raise Http404
    return application


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest, receipt_number: str) -> HttpResponse:
    application = _known(request, receipt_number)
    form = SupplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.supply_material(
                application, note=form.cleaned_data["note"], files=form.cleaned_data["evidence"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("repair:status", receipt_number=receipt_number)
    context = {
        "application": application,
        # The applicant sees every step, but not the deciding department's internal opinion.
        "events": application.events.all(),
        "private_notes": {EventType.OPINION_GIVEN},
        "procedure": rules.procedure_of(application),
        "display_name": public_name(application.subject.name, application.subject.category),
        "form": form,
    }
    return render(request, "repair/status.html", context)

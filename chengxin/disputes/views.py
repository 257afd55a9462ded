"""Staff pages of disputes and legal capacity: the dashboard (纠错率, 出庭率, overdue cases), and
for each register a list with filters, an XLSX export, a detail page and a form.

Rows are scoped through `restrict(user, action)`: a department's liaison sees and edits only
its own department's rows (another's are 404), the rule-of-law office all. Views call
`disputes.actions` for steps with consequences and never set decisions, appearances or results.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.choices import Scope
from chengxin.accounts.models import Department, User, acting_user
from chengxin.accounts.permissions import ADD, CHANGE, EXPORT, VIEW, can, scope_for
from chengxin.audit.context import audit_context
from chengxin.core import spreadsheets
from chengxin.core.pagination import paginate
from chengxin.core.workflow import require
from chengxin.disputes import actions, statistics
from chengxin.disputes.forms import (
    AppearanceForm,
    CloseMediationForm,
    DecideReconsiderationForm,
    ExtendReconsiderationForm,
    HearingForm,
    ListFilterForm,
    year_choices,
)
from chengxin.disputes.models import (
    Hearing,
    Litigation,
    MediationCase,
    Reconsideration,
)
from chengxin.disputes.registers import REGISTERS, Register, display, label_of

PAGE_SIZE = 50
# One export per register, recorded in the audit log when it names people.
EXPORTS = {
    slug: spreadsheets.Export(
        f"disputes.{slug}", register.title, personal_data=register.has_personal_data
    )
    for slug, register in REGISTERS.items()
}


def _register(slug: str) -> Register:
    register = REGISTERS.get(slug)
    if register is None:
        raise Http404
    return register


def _object(request: HttpRequest, register: Register, pk: int, action: str = VIEW) -> Any:
    return get_object_or_404(register.queryset().restrict(request.user, action), pk=pk)


def _departments(user: User, register: Register) -> QuerySet[Department]:
    departments = Department.objects.all()
    if scope_for(user, VIEW, register.model) is not Scope.ALL:
        departments = departments.filter(pk=user.department_id)
    return departments


def _filtered(request: HttpRequest, register: Register, action: str) -> tuple[Any, Any]:
    user = acting_user(request)
    form = ListFilterForm(
        request.GET or None,
        departments=_departments(user, register),
        year_label=register.year_label,
        result_choices=register.result_choices,
        extra=register.extra_filters,
        flags=tuple((flag.name, flag.label) for flag in register.flags),
    )
    rows: QuerySet[Any] = register.queryset().restrict(user, action)
    if form.is_valid():
        rows = register.filter(rows, form.cleaned_data)
    return form, rows


# --- registers -------------------------------------------------------------------------------------


@login_required
@require_safe
def register_list(request: HttpRequest, register: str) -> HttpResponse:
    spec = _register(register)
    require(request.user, VIEW, spec.model)
    form, rows = _filtered(request, spec, VIEW)
    page = paginate(request, rows, PAGE_SIZE)
    context = {
        "register": spec,
        "form": form,
        "page": page,
        "headers": [label_of(spec.model, name) for name in spec.columns],
        "rows": [(obj, [display(obj, name) for name in spec.columns]) for obj in page],
        "can_add": can(request.user, ADD, spec.model),
        "can_export": can(request.user, EXPORT, spec.model),
        "today": timezone.localdate(),
    }
    return render(request, "disputes/list.html", context)


@login_required
@require_safe
def register_export(request: HttpRequest, register: str) -> FileResponse:
    """The filtered list as XLSX, every field of the detail page (core.spreadsheets: text stays
    text, never a formula); recorded in the audit log when the register names people."""
    spec = _register(register)
    require(request.user, EXPORT, spec.model)
    form, rows = _filtered(request, spec, EXPORT)
    sheet = spreadsheets.Sheet(
        [label_of(spec.model, name) for name in spec.fields],
        ([display(obj, name) for name in spec.fields] for obj in rows.iterator(chunk_size=2000)),
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return spreadsheets.download(
        EXPORTS[spec.slug],
        spreadsheets.XLSX,
        sheet,
        filename=f"{spec.slug}-{stamp}",
        actor=request.user,
        parameters=spreadsheets.parameters_of(form.cleaned_data if form.is_valid() else {}),
    )


@login_required
@require_safe
def register_detail(request: HttpRequest, register: str, pk: int) -> HttpResponse:
    spec = _register(register)
    obj = _object(request, spec, pk)
    user = acting_user(request)
    context: dict[str, Any] = {
        "register": spec,
        "object": obj,
        "facts": [(label_of(spec.model, name), display(obj, name)) for name in spec.fields],
        "can_change": can(user, CHANGE, obj),
        "today": timezone.localdate(),
    }
    context.update(_detail_extra(user, obj))
    return render(request, "disputes/detail.html", context)


def _detail_extra(user: User, obj: Model) -> dict[str, Any]:
    """What a detail page shows beyond the fields: its events, hearings and action forms."""
    may_change = can(user, CHANGE, obj)
    if isinstance(obj, Reconsideration):
        return {
            "events": obj.events.select_related("actor"),
            "is_overdue": obj.is_overdue(),
            "decide_form": DecideReconsiderationForm()
            if may_change and not obj.is_decided
            else None,
            "extend_form": ExtendReconsiderationForm()
            if may_change and not obj.is_decided
            else None,
        }
    if isinstance(obj, Litigation):
        hearings = list(obj.hearings.all())
        return {
            "hearings": hearings,
            "appearance": obj.appearance_rate(),
            "hearing_form": HearingForm() if may_change else None,
            "appearance_form": AppearanceForm() if may_change else None,
        }
    if isinstance(obj, MediationCase):
        return {
            "events": obj.events.select_related("actor"),
            "close_form": CloseMediationForm() if may_change and obj.closed_on is None else None,
        }
    if hasattr(obj, "cases"):  # a mediation room: its recent cases
        return {"cases": obj.cases.all()[:20], "case_count": obj.cases.count()}
    return {}


@login_required
def register_edit(request: HttpRequest, register: str, pk: int | None = None) -> HttpResponse:
    spec = _register(register)
    user = acting_user(request)
    if pk is None:
        require(user, ADD, spec.model)
        instance = spec.model()
    else:
        instance = _object(request, spec, pk, CHANGE)
    form = spec.form(request.POST or None, instance=instance, user=user)
    if request.method == "POST" and form.is_valid():
        with audit_context(actor=user):
            saved = form.save()
        messages.success(request, _("已保存。"))
        return redirect("disputes:detail", register=spec.slug, pk=saved.pk)
    context = {"register": spec, "form": form, "object": instance if pk else None}
    return render(request, "disputes/form.html", context)


# --- actions -------------------------------------------------------------------------------------------


def _form_errors(request: HttpRequest, form: Any) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}：{text}" if label else text)


def _run(request: HttpRequest, run: Any, done: str) -> None:
    try:
        run()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)


@login_required
@require_POST
def reconsideration_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = _object(request, REGISTERS["reconsiderations"], pk, CHANGE)
    form = DecideReconsiderationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: actions.decide_reconsideration(
                case,
                actor=acting_user(request),
                decided_on=data["decided_on"],
                result=data["result"],
                note=data["note"],
            ),
            _("已登记复议决定。"),
        )
    return redirect("disputes:detail", register="reconsiderations", pk=pk)


@login_required
@require_POST
def reconsideration_extend(request: HttpRequest, pk: int) -> HttpResponse:
    case = _object(request, REGISTERS["reconsiderations"], pk, CHANGE)
    form = ExtendReconsiderationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: actions.extend_reconsideration(
                case, actor=acting_user(request), days=data["days"], reason=data["reason"]
            ),
            _("已延长审理期限。"),
        )
    return redirect("disputes:detail", register="reconsiderations", pk=pk)


@login_required
@require_POST
def hearing_add(request: HttpRequest, pk: int) -> HttpResponse:
    litigation = _object(request, REGISTERS["litigations"], pk, CHANGE)
    form = HearingForm(request.POST, instance=Hearing(litigation=litigation))
    if form.is_valid():
        with audit_context(actor=request.user):
            form.save()
        messages.success(request, _("已登记开庭。"))
    else:
        _form_errors(request, form)
    return redirect("disputes:detail", register="litigations", pk=pk)


@login_required
@require_POST
def hearing_appearance(request: HttpRequest, pk: int) -> HttpResponse:
    litigations = Litigation.objects.restrict(request.user, CHANGE)
    hearing = get_object_or_404(
        Hearing.objects.select_related("litigation").filter(litigation__in=litigations), pk=pk
    )
    form = AppearanceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: actions.record_hearing_appearance(
                hearing,
                actor=acting_user(request),
                appeared=data["appeared"],
                attendees=data["attendees"],
                head_name=data["head_name"],
                head_position=data["head_position"],
                absence_reason=data["absence_reason"],
            ),
            _("已登记出庭情况。"),
        )
    return redirect("disputes:detail", register="litigations", pk=hearing.litigation_id)


@login_required
@require_POST
def mediation_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _object(request, REGISTERS["mediation-cases"], pk, CHANGE)
    form = CloseMediationForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        data = form.cleaned_data
        _run(
            request,
            lambda: actions.close_mediation_case(
                case,
                actor=acting_user(request),
                result=data["result"],
                closed_on=data["closed_on"],
                agreement=data["agreement"],
                agreement_amount=data["agreement_amount"],
            ),
            _("已结案。"),
        )
    return redirect("disputes:detail", register="mediation-cases", pk=pk)


# --- dashboard ---------------------------------------------------------------------------------------


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """纠错率 and 出庭率 per department for a year, and the reconsiderations overdue today."""
    if not can(request.user, VIEW, Reconsideration):
        raise PermissionDenied
    today = timezone.localdate()
    years = [choice for choice in year_choices() if choice[0]]
    # Only a year of the list: 0 or 99999 typed into the address would break the date lookups.
    chosen = request.GET.get("year", "")
    year = int(chosen) if chosen in {value for value, _label in years} else today.year
    reconsiderations = Reconsideration.objects.restrict(request.user, VIEW)
    hearings = Hearing.objects.filter(
        litigation__in=Litigation.objects.restrict(request.user, VIEW)
    )
    rows, total = statistics.by_department(year, reconsiderations, hearings, today)
    context = {
        "year": year,
        "years": years,
        "rows": rows,
        "total": total,
        "overdue": reconsiderations.overdue(today)
        .select_related("department")
        .order_by("due_on")[:50],
        "today": today,
    }
    return render(request, "disputes/dashboard.html", context)

"""Staff pages for 联合奖惩 lists: list types, entries (form, removal) and the measures
catalogue. Rules live in the model, the forms and `actions`; these views only route."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import ADD, CHANGE, IMPORT, VIEW, can, restrict
from chengxin.audit.models import AuditEntry
from chengxin.core.pagination import paginate
from chengxin.screening import actions
from chengxin.screening.choices import EntryStatus
from chengxin.screening.forms_lists import (
    ListEntryFilterForm,
    ListEntryForm,
    MeasureForm,
    RemoveEntryForm,
)
from chengxin.screening.models import ListEntry, ListImport, ListType, Measure, Scenario


def _require(
    request: HttpRequest, action: str, model: type[ListEntry | ListType | Measure]
) -> None:
    if not can(request.user, action, model):
        raise PermissionDenied


def _entry(request: HttpRequest, pk: int, action: str = VIEW) -> ListEntry:
    entries = ListEntry.objects.restrict(request.user, action).select_related(
        "list_type", "department", "subject"
    )
    entry: ListEntry = get_object_or_404(entries, pk=pk)
    return entry


# --- list types and entries --------------------------------------------------------------------


@login_required
@require_safe
def list_type_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, ListType)
    in_force = ListEntry.objects.in_force()
    list_types = restrict(ListType.objects.all(), request.user, VIEW).annotate(
        entry_count=Count("entries", distinct=True),
        active_count=Count("entries", filter=Q(entries__in=in_force), distinct=True),
    )
    return render(request, "screening/lists/list_type_list.html", {"list_types": list_types})


@login_required
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, ListEntry)
    form = ListEntryFilterForm(request.GET or None)
    entries = form.filter(
        ListEntry.objects.restrict(request.user, VIEW).select_related("list_type", "department")
    )
    page = paginate(request, entries, 50)
    context = {
        "form": form,
        "page": page,
        "can_add": can(request.user, ADD, ListEntry),
        "can_import": can(request.user, IMPORT, ListImport),
    }
    return render(request, "screening/lists/entry_list.html", context)


@login_required
@require_safe
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    context = {
        "entry": entry,
        "history": _history(entry),
        "is_in_force": entry.is_in_force(),
        "can_change": can(request.user, CHANGE, entry) and entry.status == EntryStatus.ACTIVE,
        "remove_form": RemoveEntryForm(),
        "measures": entry.list_type.measures.applicable().prefetch_related("scenarios"),
    }
    return render(request, "screening/lists/entry_detail.html", context)


def _history(entry: ListEntry) -> list[tuple[AuditEntry, list[str]]]:
    """The entry's change log, oldest first, each change with the labels of the fields it set."""
    changes = AuditEntry.objects.filter(
        object_type=ListEntry._meta.label_lower, object_id=str(entry.pk)
    ).order_by("sequence")
    history = []
    for change in changes:
        labels = []
        if change.before:
            for name in change.after or {}:
                try:
                    field = ListEntry._meta.get_field(name)
                except FieldDoesNotExist:
                    field = None
                labels.append(str(getattr(field, "verbose_name", name)))
        history.append((change, labels))
    return history


@login_required
def entry_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new entry, or an edit of an entry still on its list (removed entries are history)."""
    entry = _entry(request, pk, CHANGE) if pk else ListEntry()
    if not pk:
        _require(request, ADD, ListEntry)
        entry.department = acting_user(request).department
    elif entry.status != EntryStatus.ACTIVE:
        messages.error(request, _("已移出名单的条目是历史记录，不能修改。"))
        return redirect("screening:entry", pk=entry.pk)
    form = ListEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_entry(form.instance, actor=acting_user(request))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("已保存。"))
            return redirect("screening:entry", pk=form.instance.pk)
    return render(request, "screening/lists/entry_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, CHANGE)
    form = RemoveEntryForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写移出日期和移出原因。"))
        return redirect("screening:entry", pk=pk)
    try:
        actions.remove_entry(
            entry,
            actor=acting_user(request),
            reason=form.cleaned_data["reason"],
            removed_on=form.cleaned_data["removed_on"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已移出名单：条目保留为历史记录，不再触发奖惩措施。"))
    return redirect("screening:entry", pk=pk)


# --- measures catalogue -------------------------------------------------------------------------


@login_required
@require_safe
def measure_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, Measure)
    measures = restrict(Measure.objects.all(), request.user, VIEW).prefetch_related(
        Prefetch("list_types", queryset=ListType.objects.order_by("name")),
        Prefetch("scenarios", queryset=Scenario.objects.all()),
        "departments",
    )
    context = {"measures": measures, "can_add": can(request.user, ADD, Measure)}
    return render(request, "screening/lists/measure_list.html", context)


@login_required
def measure_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new local supplementary measure (补充清单), or an edit of any catalogued measure."""
    if pk:
        measure = get_object_or_404(Measure.objects.restrict(request.user, CHANGE), pk=pk)
    else:
        _require(request, ADD, Measure)
        measure = Measure()
    form = MeasureForm(request.POST or None, instance=measure)
    if request.method == "POST" and form.is_valid():
        actions.save_measure(
            form.save(commit=False),
            actor=acting_user(request),
            list_types=form.cleaned_data["list_types"],
            scenarios=form.cleaned_data["scenarios"],
            departments=form.cleaned_data["departments"],
        )
        messages.success(request, _("已保存到奖惩措施清单。"))
        return redirect("screening:measures")
    return render(request, "screening/lists/measure_form.html", {"form": form, "measure": measure})

"""Staff pages of the power list: the list as of any date (and its export), an item with its
history, the three adjustments (新增 / 变更 / 取消), the adjustments register and the categories.

VIEW reads, ADD lists a new item, CHANGE changes or cancels one, EXPORT downloads. Views call
powers.actions; a refused adjustment comes back on the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import ADD, CHANGE, EXPORT, IMPORT, VIEW, can
from chengxin.core import spreadsheets
from chengxin.core.pagination import paginate
from chengxin.powers import actions, listing
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.forms import (
    AddItemForm,
    BasisForm,
    CategoryForm,
    ItemFieldsForm,
    ListFilterForm,
)
from chengxin.powers.models import PowerAdjustment, PowerCategory, PowerImport, PowerItem

PAGE_SIZE = 50


def _require(request: HttpRequest, action: str, model: Any) -> None:
    if not can(request.user, action, model):
        raise PermissionDenied


def _apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- the list as of a date -------------------------------------------------------------------


@login_required
@require_safe
def power_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, PowerItem)
    form = ListFilterForm(request.GET or None)
    criteria = form.criteria()
    versions = listing.versions_on(
        criteria["day"],
        category=criteria["category"],
        department_id=criteria["department_id"],
        text=criteria["text"],
    )
    page = paginate(request, versions, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "day": criteria["day"],
        "is_today": criteria["day"] == timezone.localdate(),
        "can_add": can(request.user, ADD, PowerItem),
        "can_export": can(request.user, EXPORT, PowerItem),
        "can_import": can(request.user, IMPORT, PowerImport),
        "query": request.GET.urlencode(),
    }
    return render(request, "powers/staff/list.html", context)


@login_required
@require_safe
def power_export(request: HttpRequest, fmt: str) -> FileResponse:
    _require(request, EXPORT, PowerItem)
    return export_response(ListFilterForm(request.GET or None), fmt)


def export_response(form: ListFilterForm, fmt: str) -> FileResponse:
    """The list as of the form's date with its filters, as CSV or XLSX (staff and public)."""
    if fmt not in spreadsheets.FORMATS:
        raise Http404
    criteria = form.criteria()
    day = criteria["day"]
    versions = listing.versions_on(
        day,
        category=criteria["category"],
        department_id=criteria["department_id"],
        text=criteria["text"],
    )
    return listing.export(versions, day, fmt)


# --- one item --------------------------------------------------------------------------------


def _item(request: HttpRequest, pk: int, action: str = VIEW) -> PowerItem:
    items = PowerItem.objects.restrict(request.user, VIEW).select_related(
        "category", "implementing_department"
    )
    item: PowerItem = get_object_or_404(items, pk=pk)
    _require(request, action, item)
    return item


@login_required
@require_safe
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    today = timezone.localdate()
    history = list(item.adjustments.select_related("actor").order_by("-effective_on", "-id"))
    current = next((a for a in history if a.effective_on <= today), None)
    context = {
        "item": item,
        "history": history,
        "current": current,
        "in_force": current is not None and current.kind != AdjustmentKind.CANCEL,
        "can_change": can(request.user, CHANGE, item),
    }
    return render(request, "powers/staff/item_detail.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_add(request: HttpRequest) -> HttpResponse:
    _require(request, ADD, PowerItem)
    form = AddItemForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            adjustment = actions.add_power_item(
                {"code": form.cleaned_data["code"], **form.item_values()},
                actor=acting_user(request),
                reason=form.cleaned_data["reason"],
                document=form.cleaned_data["document"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已登记新增事项。"))
            return redirect("powers:item", pk=adjustment.item_id)
    context = {"form": form, "title": _("新增权力事项"), "item": None, "kind": "add"}
    return render(request, "powers/staff/adjust.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_adjust(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """变更 (the item's fields) or 取消 (only the basis) of one item."""
    if kind not in ("change", "cancel"):
        raise Http404
    item = _item(request, pk, CHANGE)
    form: BasisForm
    if kind == "change":
        form = ItemFieldsForm(request.POST or None, initial=ItemFieldsForm.initial_for(item))
    else:
        form = BasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        basis = {
            "actor": acting_user(request),
            "reason": data["reason"],
            "document": data["document"],
            "effective_on": data["effective_on"],
        }
        try:
            if isinstance(form, ItemFieldsForm):
                actions.change_power_item(item, form.item_values(), **basis)
            else:
                actions.cancel_power_item(item, **basis)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已登记调整。"))
            return redirect("powers:item", pk=item.pk)
    title = _("变更权力事项") if kind == "change" else _("取消权力事项")
    context = {"form": form, "title": title, "item": item, "kind": kind}
    return render(request, "powers/staff/adjust.html", context)


# --- the adjustments register ----------------------------------------------------------------


class AdjustmentFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("调整类型"), required=False, choices=[("", "—"), *AdjustmentKind.choices]
    )
    effective_from = forms.DateField(
        label=_("生效日期起"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    effective_to = forms.DateField(
        label=_("生效日期止"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@login_required
@require_safe
def adjustment_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, PowerItem)
    form = AdjustmentFilterForm(request.GET or None)
    adjustments = PowerAdjustment.objects.select_related("item", "actor")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            adjustments = adjustments.filter(kind=data["kind"])
        if data["effective_from"]:
            adjustments = adjustments.filter(effective_on__gte=data["effective_from"])
        if data["effective_to"]:
            adjustments = adjustments.filter(effective_on__lte=data["effective_to"])
    page = paginate(request, adjustments, PAGE_SIZE)
    return render(request, "powers/staff/adjustments.html", {"form": form, "page": page})


# --- categories ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The categories, and the form to add one or edit the one chosen (`pk`)."""
    _require(request, VIEW, PowerCategory)
    category = get_object_or_404(PowerCategory, pk=pk) if pk else PowerCategory()
    may_edit = can(request.user, CHANGE if pk else ADD, PowerCategory)
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    form = CategoryForm(request.POST or None, instance=category) if may_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            actions.save_category(form.instance, actor=acting_user(request))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存权力类别。"))
            return redirect("powers:categories")
    categories = PowerCategory.objects.annotate(n=Count("items")).order_by("ordering", "code")
    context = {"categories": categories, "form": form, "category": category}
    return render(request, "powers/staff/categories.html", context)

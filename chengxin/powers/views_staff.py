"""Staff pages of the power list: the list as of any date (and its export), an item with its
history, the proposals of the three adjustments (新增 / 变更 / 取消) with their review and
approval, the adjustments register and the categories.

VIEW reads; ADD proposes (a liaison for their own department); CHANGE revises or withdraws a
proposal; REVIEW reviews one and records the government's approval; EXPORT downloads. Views call
powers.actions; a refused step comes back on its form or as a message.
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
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chengxin.accounts.models import Department, acting_user
from chengxin.accounts.permissions import ADD, CHANGE, EXPORT, IMPORT, REVIEW, VIEW, can
from chengxin.core import spreadsheets
from chengxin.core.pagination import paginate
from chengxin.powers import actions, listing
from chengxin.powers.choices import OPEN_STATUSES, AdjustmentKind, ProposalStatus
from chengxin.powers.forms import (
    AddItemForm,
    ApprovalForm,
    CategoryForm,
    ItemFieldsForm,
    ListFilterForm,
    ProposalBasisForm,
    ProposalFilterForm,
    ReviewForm,
    WithdrawForm,
)
from chengxin.powers.models import (
    PowerAdjustment,
    PowerCategory,
    PowerImport,
    PowerItem,
    PowerProposal,
)

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
        "can_add": can(request.user, ADD, PowerProposal),
        "can_export": can(request.user, EXPORT, PowerItem),
        "can_import": can(request.user, IMPORT, PowerImport),
        "query": request.GET.urlencode(),
        "open_proposals": PowerProposal.objects.restrict(request.user, VIEW)
        .filter(status__in=OPEN_STATUSES)
        .count(),
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
    history = list(
        item.adjustments.select_related("actor", "proposal").order_by("-effective_on", "-id")
    )
    current = next((a for a in history if a.effective_on <= today), None)
    proposals = list(
        item.proposals.restrict(request.user, VIEW).select_related("proposed_by").order_by("-id")
    )
    context = {
        "item": item,
        "history": history,
        "current": current,
        "in_force": current is not None and current.kind != AdjustmentKind.CANCEL,
        "open_proposal": next((p for p in proposals if p.is_open), None),
        "proposals": proposals,
        "can_propose": can(
            request.user, ADD, PowerProposal(department=item.implementing_department)
        ),
    }
    return render(request, "powers/staff/item_detail.html", context)


def _propose(
    request: HttpRequest,
    form: ProposalBasisForm,
    kind: str,
    item: PowerItem | None,
) -> PowerProposal | None:
    """Run the proposal of the bound, valid `form`; None (errors on the form) when refused."""
    data = form.cleaned_data
    values = form.item_values() if isinstance(form, ItemFieldsForm) else {}
    if isinstance(form, AddItemForm):
        values["code"] = data["code"]
    try:
        return actions.propose_adjustment(
            kind,
            actor=acting_user(request),
            reason=data["reason"],
            effective_on=data["effective_on"],
            values=values,
            item=item,
        )
    except ValidationError as exc:
        _apply_errors(form, exc)
    return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_add(request: HttpRequest) -> HttpResponse:
    """申报新增 (or 重新列入 of a cancelled code): a proposal, not yet a change of the list."""
    _require(request, ADD, PowerProposal)
    user = acting_user(request)
    form = AddItemForm(
        request.POST or None, initial={"code": request.GET.get("code", "")}, user=user
    )
    if request.method == "POST" and form.is_valid():
        proposal = _propose(request, form, AdjustmentKind.ADD, None)
        if proposal is not None:
            messages.success(request, _("已提交新增申请，待司法局审核。"))
            return redirect("powers:proposal", pk=proposal.pk)
    context = {"form": form, "title": _("申报新增权力事项"), "item": None, "kind": "add"}
    return render(request, "powers/staff/adjust.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def item_adjust(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """申报变更 (the item's fields as they should stand) or 申报取消 (only the basis)."""
    if kind not in ("change", "cancel"):
        raise Http404
    item = _item(request, pk)
    _require(request, ADD, PowerProposal(department=item.implementing_department))
    form: ProposalBasisForm
    if kind == "change":
        form = ItemFieldsForm(
            request.POST or None,
            initial=ItemFieldsForm.initial_for(item),
            user=acting_user(request),
        )
    else:
        form = ProposalBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proposal = _propose(request, form, kind, item)
        if proposal is not None:
            messages.success(request, _("已提交调整申请，待司法局审核。"))
            return redirect("powers:proposal", pk=proposal.pk)
    title = _("申报变更权力事项") if kind == "change" else _("申报取消权力事项")
    context = {"form": form, "title": title, "item": item, "kind": kind}
    return render(request, "powers/staff/adjust.html", context)


# --- proposals -------------------------------------------------------------------------------


def _proposals(request: HttpRequest) -> Any:
    return PowerProposal.objects.restrict(request.user, VIEW).select_related(
        "department", "proposed_by", "item"
    )


def _proposal(request: HttpRequest, pk: int) -> PowerProposal:
    proposal: PowerProposal = get_object_or_404(_proposals(request), pk=pk)
    return proposal


@login_required
@require_safe
def proposal_list(request: HttpRequest) -> HttpResponse:
    _require(request, VIEW, PowerProposal)
    form = ProposalFilterForm(request.GET or None)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    proposals = _proposals(request).filtered(
        today,
        status=data.get("status") or "",
        kind=data.get("kind") or "",
        overdue=bool(data.get("overdue")),
    )
    proposals = proposals.order_by("submitted_on", "id")
    page = paginate(request, proposals, PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "today": today,
        "can_add": can(request.user, ADD, PowerProposal),
    }
    return render(request, "powers/staff/proposals.html", context)


def _names(values: dict[str, Any]) -> dict[str, str]:
    names: dict[str, str] = {}
    if values.get("category"):
        category = PowerCategory.objects.filter(pk=values["category"]).first()
        names["category"] = category.name if category else ""
    if values.get("implementing_department"):
        department = Department.objects.filter(pk=values["implementing_department"]).first()
        names["implementing_department"] = department.name if department else ""
    return names


def _rows(proposal: PowerProposal) -> list[tuple[str, str, str, bool]]:
    """(label, as listed when proposed, as proposed, changed) for each versioned field; the
    first from the version the proposal was made against (before it, once approved)."""
    if not proposal.values:
        return []
    names = _names(proposal.values)
    base: dict[str, Any] = {}
    if proposal.item is not None and proposal.kind == AdjustmentKind.CHANGE:
        version = proposal.item.adjustments.filter(version=proposal.base_version).first()
        base = version.snapshot if version is not None else {}
    base_names = {
        "category": base.get("category_name", ""),
        "implementing_department": base.get("implementing_department_name", ""),
    }
    rows = []
    for field in PowerItem.VERSIONED_FIELDS:
        model_field = PowerItem._meta.get_field(field)
        label = str(getattr(model_field, "verbose_name", field))
        proposed = names.get(field, str(proposal.values.get(field, "")))
        before = base_names.get(field, str(base.get(field, "")))
        rows.append((label, before, proposed, field in proposal.changed_fields))
    return rows


@login_required
@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    user = acting_user(request)
    may_review = can(user, REVIEW, proposal)
    may_change = can(user, CHANGE, proposal)
    status = proposal.status
    today = timezone.localdate()
    context = {
        "proposal": proposal,
        "rows": _rows(proposal),
        "events": proposal.events.select_related("actor"),
        "review_form": ReviewForm() if may_review and status == ProposalStatus.SUBMITTED else None,
        "approval_form": ApprovalForm(
            initial={"approved_on": today, "effective_on": max(proposal.effective_on, today)}
        )
        if may_review and status == ProposalStatus.PASSED
        else None,
        "withdraw_form": WithdrawForm() if may_change and proposal.is_open else None,
        "may_revise": may_change and status == ProposalStatus.RETURNED,
        "overdue": proposal.is_overdue(today),
    }
    return render(request, "powers/staff/proposal_detail.html", context)


def _messages_of(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_messages(request: HttpRequest, form: forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(error) for error in errors)
        messages.error(request, f"{label}：{text}" if label else text)


@login_required
@require_POST
def proposal_review(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _require(request, REVIEW, proposal)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect("powers:proposal", pk=pk)
    passed = form.cleaned_data["result"] == "passed"
    try:
        actions.review_proposal(
            proposal,
            reviewer=acting_user(request),
            passed=passed,
            opinion=form.cleaned_data["opinion"],
        )
    except ValidationError as exc:
        _messages_of(request, exc)
    else:
        messages.success(
            request, _("审核通过，待登记政府批准。") if passed else _("已退回申报单位。")
        )
    return redirect("powers:proposal", pk=pk)


@login_required
@require_POST
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _require(request, REVIEW, proposal)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect("powers:proposal", pk=pk)
    data = form.cleaned_data
    try:
        actions.approve_proposal(
            proposal,
            actor=acting_user(request),
            document=data["document"],
            approved_on=data["approved_on"],
            effective_on=data["effective_on"],
        )
    except ValidationError as exc:
        _messages_of(request, exc)
    else:
        messages.success(request, _("已登记批准，调整自生效日期起列入清单。"))
    return redirect("powers:proposal", pk=pk)


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _require(request, CHANGE, proposal)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        _form_messages(request, form)
        return redirect("powers:proposal", pk=pk)
    try:
        actions.withdraw_proposal(
            proposal, actor=acting_user(request), reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _messages_of(request, exc)
    else:
        messages.success(request, _("已撤回调整申请。"))
    return redirect("powers:proposal", pk=pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """A returned proposal revised and submitted again."""
    proposal = _proposal(request, pk)
    _require(request, CHANGE, proposal)
    user = acting_user(request)
    form: ProposalBasisForm
    initial = ItemFieldsForm.initial_from(proposal)
    if proposal.kind == AdjustmentKind.ADD:
        form = AddItemForm(request.POST or None, initial=initial, user=user)
    elif proposal.kind == AdjustmentKind.CHANGE:
        form = ItemFieldsForm(request.POST or None, initial=initial, user=user)
    else:
        form = ProposalBasisForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.item_values() if isinstance(form, ItemFieldsForm) else {}
        if isinstance(form, AddItemForm):
            values["code"] = form.cleaned_data["code"]
        try:
            actions.revise_proposal(
                proposal,
                actor=user,
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
                values=values,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已修改并重新提交，待司法局审核。"))
            return redirect("powers:proposal", pk=pk)
    context = {
        "form": form,
        "title": _("修改调整申请"),
        "item": proposal.item,
        "kind": proposal.kind,
        "proposal": proposal,
    }
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
    adjustments = PowerAdjustment.objects.select_related("item", "actor", "proposal")
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
    may_edit = actions.may_edit_categories(request.user, CHANGE if pk else ADD)
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

"""Staff pages for 双公示 records: list, detail, entry form, and the workflow's buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW, VIEW, can
from chengxin.core.pagination import paginate
from chengxin.publicity import actions
from chengxin.publicity.choices import RecordKind, RecordStatus, Severity
from chengxin.publicity.filters import RecordFilterForm
from chengxin.publicity.forms import WithdrawForm, record_form_class
from chengxin.publicity.models import RECORD_MODELS, DecisionRecord, PenaltyRecord, RecordVersion

KINDS = {"licenses": RecordKind.LICENSE, "penalties": RecordKind.PENALTY}


def _model(kind: str) -> type[DecisionRecord]:
    if kind not in KINDS:
        raise Http404
    return RECORD_MODELS[KINDS[kind]]


def _record(request: HttpRequest, kind: str, pk: int, action: str = VIEW) -> DecisionRecord:
    model = _model(kind)
    record: DecisionRecord = get_object_or_404(
        model.objects.restrict(request.user, action).select_related("department"), pk=pk
    )
    return record


@login_required
@require_safe
def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    model = _model(kind)
    if not can(request.user, VIEW, model):
        raise PermissionDenied
    form = RecordFilterForm(request.GET or None, user=acting_user(request))
    records = form.filter(model.objects.restrict(request.user, VIEW).select_related("department"))
    page = paginate(request, records, 50)
    context = {
        "kind": kind,
        "model": model,
        "form": form,
        "page": page,
        "can_add": can(request.user, ADD, model),
    }
    return render(request, "publicity/record_list.html", context)


@login_required
@require_safe
def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record(request, kind, pk)
    versions = RecordVersion.objects.filter(kind=record.kind, record_id=record.pk)
    user = request.user
    context = {
        "kind": kind,
        "record": record,
        "fields": [(spec, record.display(spec.attr)) for spec in _display_fields(record)],
        "versions": versions,
        "can_change": can(user, CHANGE, record),
        "can_review": can(user, REVIEW, record),
        "withdraw_form": WithdrawForm(),
        "statuses": RecordStatus,
        "severities": Severity.choices,
    }
    return render(request, "publicity/record_detail.html", context)


def _display_fields(record: DecisionRecord) -> list[Any]:
    from chengxin.publicity import standard

    shown = []
    for spec in standard.FIELDS[record.kind]:
        if spec.attr == "id_number":
            spec = standard.Field(spec.code, "id_number_masked", spec.label)
        elif spec.attr == "legal_representative_id_number":
            spec = standard.Field(spec.code, "legal_representative_id_masked", spec.label)
        shown.append(spec)
    return shown


@login_required
def record_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """New record (saved as a draft), edit a draft, or correct (更正) a published record."""
    model = _model(kind)
    record = _record(request, kind, pk, CHANGE) if pk else model()
    if not pk and not can(request.user, ADD, model):
        raise PermissionDenied
    form_class = record_form_class(model)
    form = form_class(request.POST or None, instance=record, user=acting_user(request))
    if request.method == "POST" and form.is_valid():
        try:
            if record.pk and record.status != RecordStatus.DRAFT:
                actions.correct_record(
                    form.instance,
                    actor=acting_user(request),
                    reason=form.cleaned_data.get("reason", ""),
                )
                messages.success(request, _("已更正，原版本已保留。"))
            else:
                actions.save_draft(form.instance, actor=acting_user(request))
                messages.success(request, _("已保存为草稿。"))
            return redirect("publicity:detail", kind=kind, pk=form.instance.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request, "publicity/record_form.html", {"kind": kind, "form": form, "record": record}
    )


@login_required
@require_POST
def record_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    record = _record(request, kind, pk)
    try:
        if action == "submit":
            actions.submit_record(record, actor=acting_user(request))
            messages.success(request, _("已提交。"))
        elif action == "publish":
            actions.publish_record(record, actor=acting_user(request))
            messages.success(request, _("已公示。"))
        elif action == "withdraw":
            form = WithdrawForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("请填写撤回原因和事由发生日期。"))
                return redirect("publicity:detail", kind=kind, pk=pk)
            actions.withdraw_record(record, actor=acting_user(request), **form.cleaned_data)
            messages.success(request, _("已撤回：记录不再公示，但保留在系统中。"))
        elif action in ("classify", "propose") and isinstance(record, PenaltyRecord):
            severity = request.POST.get("severity", "")
            if severity not in Severity.values:
                raise ValidationError(_("请选择严重程度。"))
            act = actions.classify_severity if action == "classify" else actions.propose_severity
            act(record, severity, actor=acting_user(request))
            messages.success(request, _("已保存。公示截止日期已按认定结果重新计算。"))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("publicity:detail", kind=kind, pk=pk)

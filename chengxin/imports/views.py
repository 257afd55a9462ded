from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import IMPORT, VIEW, can
from chengxin.audit.log import record_sensitive_read
from chengxin.imports.actions import start_import
from chengxin.imports.choices import BatchStatus
from chengxin.imports.forms import UploadForm
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import read_progress
from chengxin.imports.report import report_bytes


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not can(request.user, IMPORT, ImportBatch):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=acting_user(request))
    if request.method == "POST" and form.is_valid():
        batch = start_import(
            form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            department=form.cleaned_data["department"],
            actor=acting_user(request),
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("imports:batch", pk=batch.pk)
    return render(request, "imports/upload.html", {"form": form})


@login_required
@require_safe
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = ImportBatch.objects.restrict(request.user, VIEW).select_related(
        "department", "uploaded_by"
    )
    page = Paginator(batches, 25).get_page(request.GET.get("page"))
    return render(request, "imports/batch_list.html", {"page": page})


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    batches = ImportBatch.objects.restrict(request.user, VIEW).select_related(
        "department", "uploaded_by"
    )
    batch: ImportBatch = get_object_or_404(batches, pk=pk)
    return batch


@login_required
@require_safe
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    rejections = batch.rejections.order_by("row_number")[:100]
    context = {"batch": batch, "rejections": rejections, "progress": read_progress(batch)}
    return render(request, "imports/batch_detail.html", context)


@login_required
@require_safe
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    batch = _batch(request, pk)
    finished = batch.status in (BatchStatus.FINISHED, BatchStatus.FAILED)
    return JsonResponse(
        {"status": batch.status, "status_label": batch.get_status_display(), "finished": finished}
        | read_progress(batch)
    )


@login_required
@require_safe
def batch_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows as uploaded (with ID numbers): a full view of personal data, audited."""
    batch = _batch(request, pk)
    record_sensitive_read(batch, "rejected_rows", actor=request.user)
    response = HttpResponse(
        report_bytes(batch),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejected.xlsx"'
    return response

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import IMPORT, VIEW, can
from chengxin.core.pagination import paginate
from chengxin.imports.actions import start_import
from chengxin.imports.choices import BatchStatus
from chengxin.imports.forms import UploadForm
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import read_progress
from chengxin.imports.rejections import REJECTED_ROWS, report_download
from chengxin.publicity.choices import RecordKind


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not can(request.user, IMPORT, ImportBatch):
        raise PermissionDenied
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        user=acting_user(request),
        initial=_prefilled(request),
    )
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


def _prefilled(request: HttpRequest) -> dict[str, Any]:
    """`?kind=…&department=…` from a failed batch's 重新导入: the form starts with its choices
    (a department the user may not import for is not offered by the form anyway)."""
    initial: dict[str, Any] = {}
    if request.GET.get("kind") in RecordKind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("department", "").isdigit():
        initial["department"] = int(request.GET["department"])
    return initial


def reimport_url(batch: ImportBatch) -> str:
    """The upload form with the batch's kind and department chosen: the upload itself is gone
    (deleted when the batch failed), so the file is chosen again."""
    query = urlencode({"kind": batch.kind, "department": batch.department_id})
    return f"{reverse('imports:upload')}?{query}"


@login_required
@require_safe
def batch_list(request: HttpRequest) -> HttpResponse:
    batches = ImportBatch.objects.restrict(request.user, VIEW).select_related(
        "department", "uploaded_by"
    )
    page = paginate(request, batches, 25)
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
    progress = read_progress(batch)
    ended = batch.status == BatchStatus.FAILED or progress.get("interrupted", False)
    context = {
        "batch": batch,
        "rejections": rejections,
        "progress": progress,
        "reimport_url": reimport_url(batch) if ended and can(request.user, IMPORT, batch) else "",
    }
    return render(request, "imports/batch_detail.html", context)


@login_required
@require_safe
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    batch = _batch(request, pk)
    progress = read_progress(batch)
    finished = batch.status in (BatchStatus.FINISHED, BatchStatus.FAILED)
    label = batch.get_status_display()
    if progress.get("interrupted"):  # its process died: the page says so and offers 重新导入
        finished, label = True, _("已中断")
    return JsonResponse(
        {"status": batch.status, "status_label": label, "finished": finished} | progress
    )


@login_required
@require_safe
def batch_report(request: HttpRequest, pk: int) -> FileResponse:
    """The rejected rows as uploaded (with ID numbers): a full view of personal data, audited."""
    batch = _batch(request, pk)
    filename = f"import-{batch.pk}-rejected"
    return report_download(REJECTED_ROWS, batch, filename=filename, actor=request.user)

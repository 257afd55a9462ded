"""The staff pages of every register's upload (`core.registers`, `imports.registers`): the
upload form with the template, a batch with its counts and first rejected rows, the rejected
rows as XLSX to fix and upload again. One set of views for all of them, addressed by the
register's key (`/staff/registers/<key>/…`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.accounts.models import acting_user
from chengxin.core import registers as core_registers
from chengxin.core import spreadsheets
from chengxin.imports import registers
from chengxin.imports.forms import register_upload_form
from chengxin.imports.models import RegistryImport
from chengxin.imports.rejections import report_download


def _register(key: str, request: HttpRequest) -> core_registers.Register:
    """The register `key`, when it is uploaded through these pages and the user may."""
    try:
        entry = core_registers.get(key)
    except LookupError:
        raise Http404 from None
    if not entry.batch_model:
        raise Http404
    if not registers.may_upload(entry, acting_user(request)):
        raise PermissionDenied
    return entry


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The registers this user may upload: the district's set-up files in loading order (as
    `chengxin setup --load` takes them), then the others."""
    user = acting_user(request)
    found = [entry for entry in core_registers.all_registers() if registers.may_upload(entry, user)]
    if not found:
        raise PermissionDenied
    found.sort(key=lambda entry: (not entry.setup, entry.order, entry.key))
    return render(request, "imports/registers/index.html", {"registers": found})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest, key: str) -> HttpResponse:
    entry = _register(key, request)
    form = register_upload_form(entry.options_form)(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = registers.upload_file(
            entry, form.cleaned_data["file"], actor=acting_user(request), options=form.options
        )
        return redirect("registers:batch", key=entry.key, pk=batch.pk)
    recent = registers.batches(entry, acting_user(request))[:20]
    context = {"register": entry, "form": form, "batches": recent}
    return render(request, "imports/registers/upload.html", context)


@login_required
@require_safe
def template(request: HttpRequest, key: str) -> FileResponse:
    """The import template: the header (the format's headers stay Chinese), an example row in
    the installed district where the register has one, every column formatted as text."""
    entry = _register(key, request)
    return spreadsheets.download(
        entry.template_export,
        spreadsheets.XLSX,
        core_registers.template_sheets(entry),
        filename=f"{entry.key}-template",
    )


def _batch(request: HttpRequest, entry: core_registers.Register, pk: int) -> RegistryImport:
    batch: RegistryImport = get_object_or_404(registers.batches(entry, acting_user(request)), pk=pk)
    return batch


@login_required
@require_safe
def batch(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    entry = _register(key, request)
    found = _batch(request, entry, pk)
    context = {
        "register": entry,
        "batch": found,
        "options": _options(entry, found),
        "rejections": found.rejections.order_by("row_number")[:100],
    }
    return render(request, "imports/registers/batch.html", context)


def _options(entry: core_registers.Register, found: RegistryImport) -> list[tuple[Any, Any]]:
    """The batch-wide values the upload form asked, as (label, value) to show."""
    if entry.options_form is None:
        return []
    return [
        (field.label, getattr(found, name))
        for name, field in entry.options_form.base_fields.items()
        if hasattr(found, name)
    ]


@login_required
@require_safe
def report(request: HttpRequest, key: str, pk: int) -> FileResponse:
    """The rejected rows as uploaded plus a column of problems: fix, delete that column, upload
    again. A register with personal data makes this an audited export."""
    entry = _register(key, request)
    found = _batch(request, entry, pk)
    return report_download(
        entry.rejections_export,
        found,
        filename=f"{entry.key}-import-{found.pk}-rejected",
        actor=acting_user(request),
    )

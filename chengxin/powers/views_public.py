"""The public power list (no login): the list as of any date, by category and implementing
department, and its export. Only the versions' snapshots are shown (the published fields)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from chengxin.core.pagination import paginate
from chengxin.powers import listing
from chengxin.powers.forms import ListFilterForm
from chengxin.powers.views_staff import export_response

PAGE_SIZE = 50


@require_safe
def power_list(request: HttpRequest) -> HttpResponse:
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
        "query": request.GET.urlencode(),
    }
    return render(request, "powers/public/list.html", context)


@require_safe
def power_export(request: HttpRequest, fmt: str) -> FileResponse:
    return export_response(ListFilterForm(request.GET or None), fmt)

"""The public power list (no login): the list as of any date, by category and implementing
department, its export, and one item as listed on a day with its 责任事项 and 追责情形. Only the
versions' snapshots are shown (the published fields): an adjustment shows from its effective
date, and only once it is approved (a proposal is not on the list)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
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


@require_safe
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One item as listed on `on` (default today); not found when it is not in that day's list."""
    criteria = ListFilterForm({"on": request.GET.get("on", "")}).criteria()
    day = criteria["day"]
    version = listing.versions_on(day).filter(item_id=pk).first()
    if version is None:
        raise Http404
    context = {
        "version": version,
        "snapshot": version.snapshot,
        "day": day,
        "is_today": day == timezone.localdate(),
    }
    return render(request, "powers/public/item.html", context)

"""The public portal: no login; every record shown is `publicly_visible()`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from chengxin.portal import queries
from chengxin.portal.masking import public_name
from chengxin.portal.throttle import limited
from chengxin.publicity import standard


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"figures": queries.headline_figures()})


@require_safe
@limited("search")
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    result = queries.search(query, _page(request)) if query.strip() else None
    return render(request, "portal/search.html", {"query": query, "result": result})


@require_safe
def subject(request: HttpRequest, key: str) -> HttpResponse:
    found = queries.find_subject(key)
    if found is None:
        raise Http404
    context = {
        "profile": queries.profile(found),
        "display_name": public_name(found.name, found.category),
        "penalty_fields": PUBLIC_PENALTY_FIELDS,
        "license_fields": PUBLIC_LICENSE_FIELDS,
    }
    return render(request, "portal/subject.html", context)


def _fields(kind: str, attrs: list[str]) -> list[standard.Field]:
    by_attr = standard.field_map(kind)
    return [by_attr[attr] for attr in attrs]


# What the public sees of a record: the decision, never anyone's ID number.
PUBLIC_PENALTY_FIELDS = _fields(
    "penalty",
    [
        "violation_type",
        "violation_facts",
        "legal_basis",
        "penalty_categories",
        "content",
        "fine_amount",
        "confiscation_amount",
        "suspended_licence",
        "authority",
        "data_source",
    ],
)
PUBLIC_LICENSE_FIELDS = _fields(
    "license",
    [
        "document_name",
        "license_category",
        "certificate_name",
        "license_number",
        "content",
        "valid_from",
        "valid_to",
        "authority",
        "data_source",
    ],
)

"""The public portal: no login; every record shown is `publicly_visible()`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.core.identifiers import mask_id_number
from chengxin.core.navigation import public_links
from chengxin.portal import queries
from chengxin.portal.cache import cached_page
from chengxin.portal.masking import public_name
from chengxin.portal.throttle import limited


def _page(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    def render_page(extra: dict[str, object]) -> HttpResponse:
        context = {"figures": queries.headline_figures(), **extra}
        return render(request, "portal/home.html", context)

    return cached_page(request, "home", render_page)


@require_http_methods(["GET", "HEAD", "POST"])
@limited("search")
def search(request: HttpRequest) -> HttpResponse:
    """The search form posts, so an ID number never lands in a URL, a log or the history.

    A name or code query is redirected to a shareable GET address; an ID number's results are
    shown at once, and the number is only ever shown back masked.
    """
    data = request.POST if request.method == "POST" else request.GET
    query = data.get("q", "")[:100]
    if not query.strip():
        return render(request, "portal/search.html", {"query": "", "result": None})
    kind, value = queries.classify(query)
    if request.method == "POST" and kind != "id_number":
        return redirect(f"{reverse('portal:search')}?{urlencode({'q': query})}")
    result = queries.search(query, _page(request))
    shown = mask_id_number(value) if kind == "id_number" else query
    context = {
        "query": shown,
        "result": result,
        "shown_query": shown,
        "lang_next": reverse("portal:search"),
    }
    return render(request, "portal/search.html", context)


@require_safe
def subject(request: HttpRequest, key: str) -> HttpResponse:
    """A subject's public page: a plain GET page (the report is asked for on a page of its own),
    so that it is served from the cache (portal.cache) until what is public changes."""

    def render_page(extra: dict[str, object]) -> HttpResponse:
        found = queries.find_subject(key)
        if found is None:
            raise Http404
        context = {
            "profile": queries.profile(found),
            "display_name": public_name(found.name, found.category),
            "penalty_fields": queries.PUBLIC_PENALTY_FIELDS,
            "license_fields": queries.PUBLIC_LICENSE_FIELDS,
            **extra,
        }
        return render(request, "portal/subject.html", context)

    return cached_page(request, "subject", render_page)


@require_safe
def open_government(request: HttpRequest) -> HttpResponse:
    """政务公开: the public lists the rule-of-law modules publish (事前公开, 规范性文件, 决策目录)."""
    links = [(label, reverse(name)) for label, name in public_links()]
    return render(request, "portal/open.html", {"links": links})

"""The public portal: no login; every record shown is `publicly_visible()`."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.core.navigation import public_links
from chengxin.core.views import error_response
from chengxin.portal import queries, searching
from chengxin.portal.cache import cached_page
from chengxin.portal.masking import public_name
from chengxin.portal.throttle import limited


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
    shown at once, and the number is only ever shown back masked. A GET address holding an ID
    number is refused (HTTP 400) with the form to post it from (`portal.searching`).
    """
    posted = request.method == "POST"
    query = (request.POST if posted else request.GET).get("q", "")[:100]
    if not query.strip():
        return render(request, "portal/search.html", {"query": "", "result": None})
    if searching.must_be_posted(query):
        if not posted:
            return id_number_in_url(request)
    elif posted:
        return redirect(f"{reverse('portal:search')}?{urlencode({'q': query})}")
    result = searching.search_page(query, request.GET.get("page"))
    shown = searching.shown_query(query)
    context = {
        "query": shown,
        "result": result,
        "shown_query": shown,
        "lang_next": reverse("portal:search"),
    }
    return render(request, "portal/search.html", context)


def id_number_in_url(request: HttpRequest) -> HttpResponse:
    """HTTP 400 for an ID number in the address, with an empty search form that posts."""
    return error_response(
        request,
        400,
        searching.PAGE_ID_NUMBER_REFUSED,
        title=_("请通过查询框查询身份证号码"),
        template="portal/id_number_in_url.html",
    )


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

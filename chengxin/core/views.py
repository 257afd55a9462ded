from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe

from chengxin.core.calendar import calendar_warnings
from chengxin.core.navigation import navigation_for


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff landing page: what this user can open, and what needs attention."""
    context = {
        "navigation": navigation_for(request.user),  # type: ignore[arg-type]
        "warnings": calendar_warnings(timezone.localdate()),
    }
    return render(request, "core/dashboard.html", context)


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))

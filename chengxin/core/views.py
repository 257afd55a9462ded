from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from chengxin.core import attention, regions
from chengxin.core.navigation import navigation_for


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff landing page: what needs this user's attention (core.attention), and what
    they can open."""
    pending = attention.pending_for(request.user, timezone.localdate())
    context = {
        "navigation": navigation_for(request.user),  # type: ignore[arg-type]
        "attention": attention.grouped(pending),
    }
    return render(request, "core/dashboard.html", context)


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))


# ---------------------------------------------------------------------------------------------
# Error responses: Chinese pages in the site's layout, `{"error": "…"}` under /api/ (the shape
# every API here answers errors in). Wired as handler400/403/404/500 in chengxin/urls.py and as
# CSRF_FAILURE_VIEW; the portal's rate limit (portal.throttle) answers its 429 through them too.
# Only Chinese text of our own reaches the visitor: an exception's message is shown when it
# carries a `public_message` (core.pagination), never Django's English reasons.
# ---------------------------------------------------------------------------------------------

API_PREFIX = "/api/"

ERROR_TEXTS: dict[int, tuple[str | Promise, str | Promise]] = {
    400: (_("请求有误"), _("请求的地址或参数有误，无法处理。请检查后重试。")),
    403: (_("无权访问"), _("您没有访问该页面或执行该操作的权限。")),
    404: (_("页面不存在"), _("您访问的页面不存在或已不再公开，请检查网址是否正确。")),
    429: (_("请求过于频繁"), _("请求过于频繁，请稍后再试。")),
    500: (_("服务器错误"), _("服务器暂时无法处理您的请求，请稍后再试。")),
}
API_404_MESSAGE = _("请求的接口或资源不存在。")
CSRF_MESSAGE = _(
    "页面已过期或无法确认请求来自本站（安全校验未通过）。请返回上一页，刷新后重新提交。"
)
API_CSRF_MESSAGE = _("请求未通过跨站请求伪造（CSRF）校验。")

# The 500 page when even the template cannot be rendered (no template, no database, no URLs).
FALLBACK_500_HTML = (
    '<!DOCTYPE html><html lang="zh-hans"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    "<title>服务器错误</title></head><body><main><h1>服务器错误</h1>"
    "<p>服务器暂时无法处理您的请求，请稍后再试。</p>"
    '<p><a href="/">返回首页</a></p></main></body></html>'
)


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _public_message(exception: BaseException | None) -> str:
    message = getattr(exception, "public_message", "")
    return str(message) if message else ""


def error_response(
    request: HttpRequest,
    status: int,
    message: str | Promise = "",
    *,
    title: str | Promise = "",
    template: str = "",
) -> HttpResponse:
    """The error `status` as a Chinese page in the site's layout (`template`, by default
    `<status>.html`; both extend error.html), or as `{"error": message}` under /api/.
    `message` and `title` default to the status's own."""
    default_title, default_message = ERROR_TEXTS[status]
    message = message or default_message
    if is_api_request(request):
        return JsonResponse(
            {"error": str(message)}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    context = {
        "status": status,
        "title": title or default_title,
        "message": message,
        # The language switch returns to the page without its query (it may hold anything).
        "lang_next": request.path,
    }
    return render(request, template or f"{status}.html", context, status=status)


def bad_request(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return error_response(request, 400, _public_message(exception))


def permission_denied(request: HttpRequest, exception: BaseException) -> HttpResponse:
    return error_response(request, 403, _public_message(exception))


def page_not_found(request: HttpRequest, exception: BaseException) -> HttpResponse:
    message = _public_message(exception) or (API_404_MESSAGE if is_api_request(request) else "")
    return error_response(request, 404, message)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's `reason` is English and for the log only."""
    return error_response(
        request, 403, API_CSRF_MESSAGE if is_api_request(request) else CSRF_MESSAGE
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page: rendered without the request's context processors (no session, user or
    database), from settings alone; plain HTML if even that fails."""
    title, message = ERROR_TEXTS[500]
    if is_api_request(request):
        return JsonResponse(
            {"error": str(message)}, status=500, json_dumps_params={"ensure_ascii": False}
        )
    context = {
        "status": 500,
        "title": title,
        "message": message,
        **regions.cached_names(),
    }
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:  # the page of last resort must not fail
        body = FALLBACK_500_HTML
    return HttpResponseServerError(body)

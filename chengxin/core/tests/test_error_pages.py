"""Error answers (issue 17.5): 400, 403 (CSRF included), 404, 429 and 500 are Chinese pages in the
site's layout, `{"error": "<中文>"}` under /api/; no English, no stack trace; and page numbers are
read by one helper (core.pagination)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

import pytest
from django.conf import settings
from django.core import checks
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_protect
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found as django_page_not_found
from django.views.defaults import permission_denied as django_permission_denied
from django.views.defaults import server_error as django_server_error

from chengxin import urls as site_urls
from chengxin.accounts.models import User
from chengxin.core import views
from chengxin.core.pagination import MalformedPageNumber, PageNotFound, page_number, paginate

SECRET = "internal detail: table chengxin_secret at 0xdeadbeef"
ENGLISH = (
    "Bad Request",
    "Forbidden",
    "Not Found",
    "Server Error",
    "Too Many",
    "CSRF verification failed",
    "Traceback",
    "Exception",
    SECRET,
)


# A URLconf of the site plus views that fail on purpose (used with @pytest.mark.urls(__name__)).
def boom(request: HttpRequest) -> NoReturn:
    raise RuntimeError(SECRET)


def forbidden(request: HttpRequest) -> NoReturn:
    raise PermissionDenied(SECRET)


def bad(request: HttpRequest) -> NoReturn:
    raise BadRequest(SECRET)


def missing(request: HttpRequest) -> NoReturn:
    raise Http404(SECRET)


@csrf_protect
def form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    *(path(f"failing/{view.__name__}/", view) for view in (boom, forbidden, bad, missing, form)),
    *(
        path(f"api/v1/failing/{view.__name__}", view)
        for view in (boom, forbidden, bad, missing, form)
    ),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500


def assert_chinese_page(response: HttpResponse, status: int, *texts: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert 'class="site-header"' in body and "公共信用信息平台" in body  # the layout
    assert f"错误代码 {status}" in body and 'lang="zh-hans"' in body
    for text in texts:
        assert text in body
    for english in ENGLISH:
        assert english not in body, english
    return body


def assert_chinese_json(response: HttpResponse, status: int, *texts: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"error"} and isinstance(data["error"], str)
    assert any("\u4e00" <= char <= "\u9fff" for char in data["error"])  # Chinese
    for text in texts:
        assert text in data["error"]
    for english in ENGLISH:
        assert english not in response.content.decode(), english
    return str(data["error"])


def test_the_handlers_and_the_csrf_failure_view_are_wired() -> None:
    assert site_urls.handler400 == "chengxin.core.views.bad_request"
    assert site_urls.handler403 == "chengxin.core.views.permission_denied"
    assert site_urls.handler404 == "chengxin.core.views.page_not_found"
    assert site_urls.handler500 == "chengxin.core.views.server_error"
    assert settings.CSRF_FAILURE_VIEW == "chengxin.core.views.csrf_failure"
    assert checks.run_checks(tags=[checks.Tags.urls]) == []  # the handlers' signatures


# --------------------------------------------------------------------------- 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/no-such-page/", "/subjects/no-such-subject/", "/staff/x/"])
def test_a_missing_page_is_a_chinese_404_in_the_layout(client: Client, url: str) -> None:
    body = assert_chinese_page(client.get(url), 404, "页面不存在", "返回首页")
    assert 'href="/verify/"' in body


@pytest.mark.django_db
def test_a_missing_page_for_a_signed_in_user(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user())
    assert_chinese_page(client.get("/staff/no-such-page/"), 404, "页面不存在")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/",
        "/api/v1/no-such-api",
        "/api/v2/public/subjects",
        "/api/v1/public/subjects/no-such-subject",
    ],
)
def test_a_missing_api_path_is_a_chinese_json_404(client: Client, url: str) -> None:
    assert_chinese_json(client.get(url), 404)


@pytest.mark.django_db
def test_an_unknown_api_path_is_json_for_any_method(client: Client) -> None:
    assert_chinese_json(client.post("/api/v1/no-such-api", {"q": "x"}), 404, "不存在")


# --------------------------------------------------------------------------- 400


@pytest.mark.django_db
def test_a_malformed_request_is_a_chinese_400(client: Client) -> None:
    assert_chinese_page(client.get("/search/", {"q": "宏达", "page": "abc"}), 400, "页码应为正整数")
    assert_chinese_json(
        client.get("/api/v1/public/subjects", {"q": "宏达", "page": "①"}), 400, "页码"
    )


@pytest.mark.django_db
def test_a_request_for_another_host_is_a_chinese_400(client: Client) -> None:
    """DisallowedHost (a SuspiciousOperation): Django's message is English and is not shown."""
    assert_chinese_page(client.get("/", HTTP_HOST="evil.example"), 400, "请求有误")
    assert_chinese_json(client.get("/api/v1/public/openapi.json", HTTP_HOST="evil.example"), 400)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_bad_request_raised_by_a_view_hides_its_message(client: Client) -> None:
    assert_chinese_page(client.get("/failing/bad/"), 400, "请求的地址或参数有误")
    assert_chinese_json(client.get("/api/v1/failing/bad"), 400, "请求的地址或参数有误")
    assert_chinese_page(client.get("/failing/missing/"), 404, "页面不存在")


# --------------------------------------------------------------------------- 403 and CSRF


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_permission_denied_is_a_chinese_403(client: Client) -> None:
    assert_chinese_page(client.get("/failing/forbidden/"), 403, "无权访问", "没有访问该页面")
    assert_chinese_json(client.get("/api/v1/failing/forbidden"), 403, "权限")


@pytest.mark.django_db
def test_a_staff_page_the_user_may_not_open_is_a_chinese_403(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user())  # no role
    assert_chinese_page(client.get("/staff/decisions/reviews/"), 403, "无权访问")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/search/", {"q": "360426199101010071"}),
        ("/i18n/setlang/", {"language": "en"}),
        ("/accounts/login/", {"username": "x", "password": "y"}),
    ],
)
def test_a_form_without_its_csrf_token_is_a_chinese_403(url: str, data: dict[str, str]) -> None:
    client = Client(enforce_csrf_checks=True)
    body = assert_chinese_page(client.post(url, data), 403, "安全校验未通过", "刷新后重新提交")
    assert "360426199101010071" not in body


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_csrf_failure_under_the_api_is_chinese_json() -> None:
    client = Client(enforce_csrf_checks=True)
    assert_chinese_json(client.post("/api/v1/failing/form", {}), 403, "CSRF")
    assert_chinese_page(client.post("/failing/form/", {}), 403, "安全校验未通过")


@pytest.mark.django_db
def test_the_public_api_needs_no_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/api/v1/public/subjects", {"q": "宏达"}).status_code == 200


# --------------------------------------------------------------------------- 429


@pytest.mark.django_db
@override_settings(PORTAL_RATE_LIMITS={**settings.PORTAL_RATE_LIMITS, "search": (1, 60)})
def test_too_many_requests_is_a_chinese_429(client: Client) -> None:
    from django.core.cache import cache

    cache.clear()
    assert client.get("/search/", {"q": "宏达"}).status_code == 200
    page = client.get("/search/", {"q": "宏达"})
    assert_chinese_page(page, 429, "请求过于频繁", "查询过于频繁，请 60 秒后再试。")
    assert page["Retry-After"] == "60"
    api = client.get("/api/v1/public/subjects", {"q": "宏达"})
    assert_chinese_json(api, 429, "查询过于频繁")
    assert api["Retry-After"] == "60"
    cache.clear()


# --------------------------------------------------------------------------- 500


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_is_a_chinese_500_without_the_exception() -> None:
    client = Client(raise_request_exception=False)
    assert_chinese_page(client.get("/failing/boom/"), 500, "服务器错误", "请稍后再试")
    assert_chinese_json(client.get("/api/v1/failing/boom"), 500, "请稍后再试")


@pytest.mark.urls(__name__)
def test_the_500_page_needs_no_database() -> None:
    """No django_db mark: any query would fail this test."""
    client = Client(raise_request_exception=False)
    body = assert_chinese_page(client.get("/failing/boom/"), 500, "服务器错误")
    assert "lang-switch" not in body  # its CSRF token would need the request's context


def broken_context_processor(request: HttpRequest) -> dict[str, Any]:
    raise RuntimeError("a context processor that fails")


@pytest.mark.urls(__name__)
def test_the_500_page_needs_no_context_processor() -> None:
    templates = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.broken_context_processor",
                ]
            },
        }
    ]
    with override_settings(TEMPLATES=templates):
        client = Client(raise_request_exception=False)
        assert_chinese_page(client.get("/failing/boom/"), 500, "服务器错误")


def test_the_500_page_falls_back_to_plain_chinese_html(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable(name: str) -> NoReturn:
        raise RuntimeError("no templates today")

    monkeypatch.setattr(views.loader, "get_template", unavailable)
    response = views.server_error(RequestFactory().get("/anything/"))
    body = response.content.decode()
    assert response.status_code == 500 and body == views.FALLBACK_500_HTML
    assert "服务器错误" in body and "Server Error" not in body


# --------------------------------------------------------------------------- Django's defaults


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (lambda r: django_bad_request(r, BadRequest(SECRET)), 400),
        (lambda r: django_permission_denied(r, PermissionDenied(SECRET)), 403),
        (lambda r: django_page_not_found(r, Http404(SECRET)), 404),
        (django_server_error, 500),
    ],
)
def test_djangos_own_handlers_also_find_chinese_templates(
    handler: Callable[[HttpRequest], HttpResponse], status: int
) -> None:
    """Should a URLconf without our handlers ever answer (a test URLconf), the pages are still
    Chinese: 400.html … 500.html extend the same error page."""
    response = handler(RequestFactory().get("/x/"))
    body = response.content.decode()
    assert response.status_code == status and "出错了" in body
    for english in ENGLISH:
        assert english not in body, english


# --------------------------------------------------------------------------- page numbers


@pytest.mark.parametrize(("value", "number"), [(None, 1), ("", 1), ("1", 1), ("007", 7)])
def test_page_number(value: str | None, number: int) -> None:
    assert page_number(value) == number


@pytest.mark.parametrize(
    "value", ["abc", "-1", "+1", "²", "①", "１", "٣", " 1", "1 ", "1.5", "1e3", "0x1", "1_0"]
)
def test_a_malformed_page_number_is_a_bad_request(value: str) -> None:
    with pytest.raises(MalformedPageNumber) as raised:
        page_number(value)
    assert isinstance(raised.value, BadRequest)
    assert raised.value.public_message == "页码应为正整数（半角数字）。"


@pytest.mark.parametrize(
    "value", ["0", "000", "9223372036854775808", "99999999999999999999", "1" * 19, "9" * 10_000]
)
def test_a_page_number_that_cannot_be_a_page_is_not_found(value: str) -> None:
    with pytest.raises(PageNotFound) as raised:
        page_number(value)
    assert isinstance(raised.value, Http404) and "没有这一页" in raised.value.public_message


def test_page_number_up_to_the_last_page() -> None:
    assert page_number("10", last=10) == 10
    assert page_number("0" * 30 + "3", last=10) == 3  # leading zeros are not digits of a number
    with pytest.raises(PageNotFound):
        page_number("11", last=10)


@pytest.mark.parametrize(
    ("rows", "value", "shown"),
    [(0, None, []), (0, "1", []), (5, "1", [0, 1]), (5, "3", [4]), (4, "2", [2, 3])],
)
def test_paginate(rows: int, value: str | None, shown: list[int]) -> None:
    query = {} if value is None else {"page": value}
    page = paginate(RequestFactory().get("/", query), list(range(rows)), 2)
    assert list(page) == shown


@pytest.mark.parametrize(("rows", "value"), [(0, "2"), (5, "4"), (4, "3")])
def test_paginate_past_the_last_page(rows: int, value: str) -> None:
    with pytest.raises(PageNotFound):
        paginate(RequestFactory().get("/", {"page": value}), list(range(rows)), 2)

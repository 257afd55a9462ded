"""core.security: django-csp's header, built once for the site's one policy."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from csp.constants import HEADER, NONCE, SELF
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory

from chengxin.core.security import ContentSecurityPolicyMiddleware


def respond(middleware_class: type[CSPMiddleware], view=None) -> HttpResponse:  # type: ignore[no-untyped-def]
    middleware = middleware_class(view or (lambda request: JsonResponse({"ok": True})))
    return middleware(RequestFactory().get("/api/v1/checks/1"))  # type: ignore[no-any-return]


def test_the_header_is_the_one_django_csp_builds() -> None:
    ours = respond(ContentSecurityPolicyMiddleware)
    assert ours[HEADER] == respond(CSPMiddleware)[HEADER]
    assert "default-src 'self'" in ours[HEADER]


def test_a_view_s_own_policy_is_still_applied() -> None:
    @csp_update({"img-src": ["https://tiles.example.gov.cn"]})
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("地图")

    header = respond(ContentSecurityPolicyMiddleware, view)[HEADER]
    assert "https://tiles.example.gov.cn" in header
    assert header == respond(CSPMiddleware, view)[HEADER]


def test_a_nonce_used_by_the_page_is_in_the_header(settings: Any) -> None:
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["script-src"] = [SELF, NONCE]  # a district that allows nonces
    settings.CONTENT_SECURITY_POLICY = policy

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")  # type: ignore[attr-defined]

    response = respond(ContentSecurityPolicyMiddleware, view)
    nonce = response.content.decode().split("'")[1]
    assert f"'nonce-{nonce}'" in response[HEADER]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error() -> None:
    from csp.exceptions import CSPNonceError

    request = RequestFactory().get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda r: JsonResponse({}))
    middleware(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # type: ignore[attr-defined]

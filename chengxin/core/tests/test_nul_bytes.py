"""A NUL byte anywhere a visitor can put one is a Chinese 400, never a 500 (PostgreSQL refuses
NUL in text: found on the public subject page, search and verification, issue 20 review)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

MESSAGE = "请求中含有不可见的控制字符（NUL），无法处理。"


@pytest.mark.parametrize(
    "path",
    [
        "/subjects/%00/",
        "/subjects/%00/report/",
        "/search/?q=%00abc",
        "/verify/%00/",
        "/documents/?q=a%00b",
    ],
)
def test_a_nul_byte_in_a_path_or_query_is_a_chinese_400(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_under_the_api_it_is_json() -> None:
    response = Client().get("/api/v1/public/subjects", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"error": MESSAGE}


def test_a_nul_byte_in_a_form_field_is_refused(make_user) -> None:  # type: ignore[no-untyped-def]
    response = Client().post("/accounts/login/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400 and MESSAGE in response.content.decode()


def test_text_without_nul_is_served_as_before() -> None:
    assert Client().get("/search/", {"q": "零〇%0"}).status_code == 200  # "%0" typed is fine
    assert Client().get("/verify/").status_code == 200

"""Odd query strings and form input on every page of agencies, powers and cases: a page or a
clear message, never a server error."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.cases.choices import CaseStatus
from chengxin.cases.models import Case
from chengxin.cases.tests.fixtures import advance

pytestmark = pytest.mark.django_db

ODD = (
    "page=abc",
    "page=-1",
    "page=99999999999999999999",
    "body=²",
    "body=-3",
    "body=99999999999999999999",
    "department=x",
    "department=99999999999999999999",
    "on=2026-13-45",
    "on=0001-01-01",
    "on=9999-12-31",
    "start=2026-02-30&end=1999-01-01",
    "start=9999-12-31&end=0001-01-01",
    "year=abc",
    "year=99999",
    "status=nope",
    "result=nope",
    "q=%00",
    "q=" + "长" * 500,
    "category=nope",
    "format=csv&start=x",
    "kind=%ZZ",
    "sort=-nope",
)


def _urls(case: Case) -> list[str]:
    return [
        reverse("agencies_public:bodies"),
        reverse("agencies_public:officers"),
        reverse("powers_public:list"),
        reverse("powers_public:export", args=["csv"]),
        reverse("powers_public:export", args=["xlsx"]),
        reverse("powers_public:export", args=["nope"]),
        reverse("agencies:overview"),
        reverse("agencies:bodies"),
        reverse("agencies:officers"),
        reverse("agencies:cleanup"),
        reverse("powers:list"),
        reverse("powers:adjustments"),
        reverse("powers:categories"),
        reverse("cases:list"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:reviews"),
        reverse("cases:off_network"),
        reverse("cases:publicity"),
    ]


@pytest.mark.parametrize(
    "role", [None, Role.RULE_OF_LAW_ADMIN, Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER]
)
def test_odd_query_strings_never_give_a_server_error(
    role: str | None,
    make_case: Callable[..., Case],
    handler: User,
    make_user: Callable[..., User],
    case_department: object,
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    client = Client(raise_request_exception=False)
    if role == Role.ENFORCEMENT_OFFICER:
        client.force_login(handler)
    elif role is not None:
        client.force_login(make_user(role))
    failures = []
    for url in _urls(case):
        for query in ODD:
            response = client.get(f"{url}?{query}")
            if response.status_code >= 500:
                failures.append(f"{url}?{query[:40]} → {response.status_code}")
    assert not failures, failures


def test_odd_posts_on_a_case_never_give_a_server_error(
    make_case: Callable[..., Case], handler: User
) -> None:
    case = advance(make_case(), handler, CaseStatus.NOTIFIED)
    client = Client(raise_request_exception=False)
    client.force_login(handler)
    bad = {
        "notification-occurred_at": "2026-99-99 25:61",
        "decision-occurred_at": "x",
        "decision-fine_amount": "1e400",
        "decision-confiscation_amount": "NaN",
        "decision-decision_number": "\x00",
        "investigation-occurred_at": str(datetime.datetime(1, 1, 1)),
        "review-submission": "",
        "publication-published_on": "0000-00-00",
        "major-reason": "x" * 10000,
    }
    failures = []
    for kind in ("investigation", "notification", "hearing", "decision", "service", "nope"):
        response = client.post(reverse("cases:step", args=[case.pk, kind]), bad)
        if response.status_code >= 500:
            failures.append(f"step {kind} → {response.status_code}")
    for name in ("review", "hearing", "major", "publication", "nope"):
        response = client.post(reverse("cases:action", args=[case.pk, name]), bad)
        if response.status_code >= 500:
            failures.append(f"action {name} → {response.status_code}")
    response = client.post(reverse("cases:register"), {"party-TOTAL_FORMS": "x", **bad})
    if response.status_code >= 500:
        failures.append(f"register → {response.status_code}")
    assert not failures, failures


def test_odd_posts_on_the_registries_never_give_a_server_error(
    make_case: Callable[..., Case], handler: User, make_user: Callable[..., User]
) -> None:
    case = make_case()
    officer = case.officers.first()
    assert officer is not None
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.RULE_OF_LAW_ADMIN))
    junk = {
        "name": "\x00",
        "credit_code": "x" * 300,
        "kind": "entrusted",
        "entrusting_body": "99999999999999999999",
        "confirmed_on": "2026-02-30",
        "revoked_on": "0000-00-00",
        "certificate_valid_from": "9999-12-31",
        "certificate_valid_until": "0001-01-01",
        "training_hours": "-5",
        "officer": ["x", "-1", "99999999999999999999"],
        "effective_on": "x",
        "category": "nope",
        "implementing_department": "x",
        "on": "x",
        "reason": "",
    }
    posts = [
        reverse("agencies:body_new"),
        reverse("agencies:body_edit", args=[case.body_id]),
        reverse("agencies:body_revoke", args=[case.body_id]),
        reverse("agencies:officer_new"),
        reverse("agencies:officer_edit", args=[officer.pk]),
        reverse("agencies:officer_status", args=[officer.pk, "suspend"]),
        reverse("agencies:cleanup"),
        reverse("powers:item_add"),
        reverse("powers:item_adjust", args=[case.power_item_id, "change"]),
        reverse("powers:item_adjust", args=[case.power_item_id, "cancel"]),
        reverse("powers:categories"),
    ]
    failures = []
    for url in posts:
        response = client.post(url, junk)
        if response.status_code >= 500:
            failures.append(f"{url} → {response.status_code}")
    for url in (
        reverse("registers:upload", args=["officers"]),
        reverse("registers:upload", args=["power_items"]),
    ):
        for content in (b"PK\x03\x04 not a zip", b"\xff\xfe\x00garbage", b""):
            upload = SimpleUploadedFile("x.xlsx", content)
            basis = {
                "reason": "年度调整",
                "document": "台政发〔2026〕1号",
                "effective_on": "2026-01-05",
            }
            response = client.post(url, {**basis, "file": upload})
            if response.status_code >= 500:
                failures.append(f"{url} {content[:8]!r} → {response.status_code}")
    assert not failures, failures

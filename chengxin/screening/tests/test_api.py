"""The credit-check JSON API: tokens, department scope, input validation, masking, feedback."""

from __future__ import annotations

import datetime
import json
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.accounts.models import ApiToken, Department, User
from chengxin.accounts.tokens import issue_token
from chengxin.audit.models import AuditEntry
from chengxin.core.identifiers import make_resident_id
from chengxin.screening.choices import CheckChannel, CheckOutcome, Feedback
from chengxin.screening.models import CheckMeasure, CreditCheck, ListEntry
from chengxin.subjects.choices import SubjectCategory

PROCUREMENT = {"scenario": "government_procurement", "matter": "TEZ-2026-001 办公家具采购"}


@pytest.fixture
def token(checker: User) -> str:
    return issue_token(checker, "审批系统")[1]


@pytest.fixture
def listed(make_entry: Callable[..., ListEntry]) -> ListEntry:
    return make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")


def call(
    client: Client, path: str, body: Any = None, token: str | None = None, raw: bytes | None = None
) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if body is None and raw is None:
        return client.get(path, **headers)
    data = raw if raw is not None else json.dumps(body, ensure_ascii=False)
    return client.post(path, data, content_type="application/json", **headers)


def test_no_token_or_a_wrong_one_is_401(client: Client, catalogue: None) -> None:
    assert call(client, "/api/v1/checks", {**PROCUREMENT, "name": "某公司"}).status_code == 401
    response = call(client, "/api/v1/checks", {"name": "某公司"}, token="cx_not-a-token")
    assert response.status_code == 401 and "令牌" in response.json()["error"]
    assert call(client, "/api/v1/checks/1").status_code == 401
    assert CreditCheck.objects.count() == 0


@pytest.mark.parametrize("refusal", ["token_deactivated", "token_expired", "user_inactive"])
def test_a_deactivated_or_expired_token_or_an_inactive_account_is_401(
    client: Client, token: str, checker: User, refusal: str
) -> None:
    if refusal == "token_deactivated":
        ApiToken.objects.filter(user=checker).update(is_active=False)
    elif refusal == "token_expired":
        ApiToken.objects.filter(user=checker).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    else:
        User.objects.filter(pk=checker.pk).update(is_active=False)
    response = call(client, "/api/v1/checks", {**PROCUREMENT, "name": "某公司"}, token)
    assert response.status_code == 401 and "令牌" in response.json()["error"]
    assert CreditCheck.objects.count() == 0


def test_a_token_valid_until_later_is_accepted(
    client: Client, token: str, checker: User, catalogue: None
) -> None:
    ApiToken.objects.filter(user=checker).update(
        expires_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    response = call(client, "/api/v1/checks", {**PROCUREMENT, "name": "某公司"}, token)
    assert response.status_code == 201


def test_single_check_hit_with_entry_and_measures(
    client: Client, token: str, listed: ListEntry, checker: User
) -> None:
    response = call(
        client, "/api/v1/checks", {**PROCUREMENT, "credit_code": listed.credit_code}, token
    )
    assert response.status_code == 201
    body = response.json()
    assert body["outcome"] == CheckOutcome.HIT and body["department"] == checker.department.name
    (hit,) = body["hits"]
    assert hit["entry"] == listed.pk and hit["applied"] is True
    assert hit["list_type"] == "政府采购严重违法失信行为记录名单"
    assert hit["listing_authority"] == "台儿庄区财政局" and hit["valid_from"] == "2026-01-05"
    assert hit["valid_until"] is None and "政府采购法" in hit["legal_basis"]
    assert hit["basis"] == "提供虚假材料谋取中标"
    assert [m["code"] for m in body["measures"]] == ["JC-01"]
    assert body["measures"][0]["legal_basis"]
    assert body["feedback"]["status"] == Feedback.PENDING and body["feedback"]["due"]
    check = CreditCheck.objects.get(pk=body["id"])
    assert (check.channel, check.requested_by, check.matter) == (
        CheckChannel.API,
        checker,
        PROCUREMENT["matter"],
    )


def test_near_name_is_a_suspected_candidate_never_applied(
    client: Client, token: str, listed: ListEntry
) -> None:
    body = call(
        client, "/api/v1/checks", {**PROCUREMENT, "name": "枣庄市台儿庄区华兴建财有限公司"}, token
    ).json()
    assert body["outcome"] == CheckOutcome.CANDIDATE and body["hits"] == []
    (candidate,) = body["candidates"]
    assert candidate["applied"] is False and candidate["suspected"] is True
    assert candidate["score"] >= 75 and candidate["explanation"]
    assert body["measures"] == [] and not CheckMeasure.objects.exists()


def test_id_numbers_are_only_returned_masked(
    client: Client, token: str, make_entry: Callable[..., ListEntry]
) -> None:
    number = make_resident_id(random.Random(5))
    make_entry(
        "judgment_defaulter",
        subject_name="张三",
        subject_category=SubjectCategory.NATURAL_PERSON,
        credit_code="",
        id_number=number,
    )
    response = call(client, "/api/v1/checks", {**PROCUREMENT, "id_number": number}, token)
    body = response.json()
    assert body["outcome"] == CheckOutcome.HIT
    assert number not in response.content.decode()
    assert body["input"]["id_number"] and body["hits"][0]["id_number"]
    assert number not in call(client, f"/api/v1/checks/{body['id']}", token=token).content.decode()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "某公司", "matter": "X"}, "scenario"),
        ({"name": "某公司", "matter": "X", "scenario": "no_such"}, "scenario"),
        ({"name": "某公司", "scenario": "bidding"}, "matter"),
        ({"name": "某公司", "scenario": "bidding", "matter": "x" * 201}, "matter"),
        ({"scenario": "bidding", "matter": "X"}, "name"),
        (
            {"credit_code": "91370405MA3C000000", "scenario": "bidding", "matter": "X"},
            "credit_code",
        ),
        ({"name": 12, "scenario": "bidding", "matter": "X"}, "name"),
        ({"id_number": "1" * 33, "scenario": "bidding", "matter": "X"}, "id_number"),
    ],
)
def test_invalid_input_is_400_naming_the_field(
    client: Client, token: str, body: dict[str, Any], field: str
) -> None:
    response = call(client, "/api/v1/checks", body, token)
    assert response.status_code == 400
    assert response.json()["field"] == field and field in response.json()["error"]
    assert CreditCheck.objects.count() == 0


def test_matter_of_200_characters_is_accepted(client: Client, token: str, catalogue: None) -> None:
    body = {"name": "某公司", "scenario": "bidding", "matter": "x" * 200}
    assert call(client, "/api/v1/checks", body, token).status_code == 201


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", '{"name": "\xff'.encode("latin-1")])
def test_malformed_body_is_400(client: Client, token: str, raw: bytes) -> None:
    response = call(client, "/api/v1/checks", token=token, raw=raw)
    assert response.status_code == 400 and response.json()["error"]


def test_a_token_without_the_checker_role_is_403(
    client: Client, make_user: Callable[..., User], catalogue: None
) -> None:
    reporter = make_user(Role.DEPARTMENT_REPORTER)
    token = issue_token(reporter, "报送系统")[1]
    response = call(client, "/api/v1/checks", {**PROCUREMENT, "name": "某公司"}, token)
    assert response.status_code == 403 and CreditCheck.objects.count() == 0


def batch_body(count: int, listed: ListEntry) -> dict[str, Any]:
    subjects: list[dict[str, str]] = [
        {"name": f"枣庄市台儿庄区申请人{i}商贸有限公司"} for i in range(count - 1)
    ]
    subjects.append({"credit_code": listed.credit_code})
    return {**PROCUREMENT, "subjects": subjects}


def test_batch_of_1000_is_checked_and_stored_with_one_audit_entry(
    client: Client, token: str, listed: ListEntry
) -> None:
    before = AuditEntry.objects.count()
    response = call(client, "/api/v1/checks/batch", batch_body(1000, listed), token)
    assert response.status_code == 201
    body = response.json()
    assert (body["count"], body["hits"], len(body["checks"])) == (1000, 1, 1000)
    assert body["checks"][-1]["outcome"] == CheckOutcome.HIT
    assert body["checks"][-1]["measures"][0]["code"] == "JC-01"
    assert CreditCheck.objects.filter(channel=CheckChannel.API).count() == 1000
    assert AuditEntry.objects.count() - before == 1


def test_batch_of_1001_or_none_is_400(client: Client, token: str, listed: ListEntry) -> None:
    response = call(client, "/api/v1/checks/batch", batch_body(1001, listed), token)
    assert response.status_code == 400 and response.json()["field"] == "subjects"
    empty = call(client, "/api/v1/checks/batch", {**PROCUREMENT, "subjects": []}, token)
    assert empty.status_code == 400
    assert CreditCheck.objects.count() == 0


def test_batch_names_the_invalid_subject(client: Client, token: str, listed: ListEntry) -> None:
    body = batch_body(3, listed)
    body["subjects"][1] = {"credit_code": "123"}
    response = call(client, "/api/v1/checks/batch", body, token)
    assert response.status_code == 400 and response.json()["field"] == "subjects[1].credit_code"
    assert CreditCheck.objects.count() == 0


@pytest.fixture
def other_token(make_user: Callable[..., User], make_department: Callable[..., Department]) -> str:
    other = make_user(Role.CREDIT_CHECKER, department=make_department(name="公共资源交易中心"))
    return issue_token(other, "交易系统")[1]


def test_department_b_cannot_read_or_answer_department_a_checks(
    client: Client, token: str, other_token: str, listed: ListEntry
) -> None:
    body = call(
        client, "/api/v1/checks", {**PROCUREMENT, "credit_code": listed.credit_code}, token
    ).json()
    own = call(client, f"/api/v1/checks/{body['id']}", token=token)
    assert own.status_code == 200 and own.json()["hits"][0]["entry"] == listed.pk
    assert call(client, f"/api/v1/checks/{body['id']}", token=other_token).status_code == 404
    assert call(client, "/api/v1/checks/999999", token=token).status_code == 404
    feedback = {"feedback": "taken"}
    path = f"/api/v1/checks/{body['id']}/feedback"
    assert call(client, path, feedback, other_token).status_code == 404
    assert CreditCheck.objects.get(pk=body["id"]).feedback == Feedback.PENDING


def test_feedback_taken_and_not_taken(client: Client, token: str, listed: ListEntry) -> None:
    first, second = (
        call(
            client, "/api/v1/checks", {**PROCUREMENT, "credit_code": listed.credit_code}, token
        ).json()["id"]
        for _ in range(2)
    )
    taken = call(client, f"/api/v1/checks/{first}/feedback", {"feedback": "taken"}, token)
    assert taken.status_code == 200 and taken.json()["feedback"]["status"] == Feedback.TAKEN
    assert CheckMeasure.objects.get(credit_check_id=first).is_applied is True
    path = f"/api/v1/checks/{second}/feedback"
    no_reason = call(client, path, {"feedback": "not_taken", "reason": " "}, token)
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    wrong = call(client, path, {"feedback": "maybe"}, token)
    assert wrong.status_code == 400 and wrong.json()["field"] == "feedback"
    not_taken = call(client, path, {"feedback": "not_taken", "reason": "已中止采购程序"}, token)
    assert not_taken.json()["feedback"]["reason"] == "已中止采购程序"
    assert CreditCheck.objects.get(pk=second).feedback == Feedback.NOT_TAKEN


def test_feedback_on_a_clear_check_is_422(client: Client, token: str, catalogue: None) -> None:
    body = call(client, "/api/v1/checks", {**PROCUREMENT, "name": "清白商贸有限公司"}, token).json()
    assert body["outcome"] == CheckOutcome.CLEAR
    response = call(client, f"/api/v1/checks/{body['id']}/feedback", {"feedback": "taken"}, token)
    assert response.status_code == 422 and response.json()["error"]


def test_openapi_documents_the_four_operations(client: Client) -> None:
    document = client.get("/api/v1/checks/openapi.json").json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert set(paths) == {
        "/api/v1/checks",
        "/api/v1/checks/batch",
        "/api/v1/checks/{id}",
        "/api/v1/checks/{id}/feedback",
    }
    assert "post" in paths["/api/v1/checks/batch"] and "get" in paths["/api/v1/checks/{id}"]
    assert paths["/api/v1/checks/batch"]["post"]["responses"]["400"]

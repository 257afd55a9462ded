"""The records API (`imports.api`): tokens, department scope, the same validation as files."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.tokens import issue_token
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.models import PenaltyRecord
from chengxin.publicity.tests.fixtures import rows_for


@pytest.fixture
def department(make_department):
    return make_department()


@pytest.fixture
def token(make_user, department) -> str:
    service = make_user(Role.DEPARTMENT_REPORTER, department=department, username="market-system")
    return issue_token(service, "市场监管业务系统")[1]


def post(client, body, token=None, kind="penalties"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        f"/api/v1/records/{kind}",
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        **headers,
    )


def test_no_token_is_401(client, department) -> None:
    assert post(client, {"records": [{}]}).status_code == 401
    assert post(client, {"records": [{}]}, token="cx_not-a-real-token").status_code == 401


def test_valid_records_are_stored_and_invalid_ones_listed(client, department, token) -> None:
    rows = rows_for(RecordKind.PENALTY, department, 5)
    rows[1]["CF_NR_FK"] = "2000"
    rows[1]["CF_CFLB"] = "罚款"
    response = post(client, {"records": rows}, token)
    body = response.json()
    assert response.status_code == 422
    assert (body["read"], body["created"], body["rejected"]) == (5, 4, 1)
    assert body["errors"][0]["index"] == 2 and "疑似按元填写" in body["errors"][0]["errors"][0]
    assert PenaltyRecord.objects.count() == 4
    again = post(client, {"records": [r for i, r in enumerate(rows) if i != 1]}, token)
    assert again.status_code == 200 and again.json()["unchanged"] == 4


def test_a_token_of_department_a_cannot_submit_for_b(
    client, department, token, make_department
) -> None:
    other = make_department()
    rows = rows_for(RecordKind.PENALTY, other, 1)
    response = post(client, {"department": other.credit_code, "records": rows}, token)
    assert response.status_code == 403 and PenaltyRecord.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        json.dumps({"records": "x"}).encode(),
        json.dumps({"records": []}).encode(),
        json.dumps({"records": [{}] * 1001}).encode(),
    ],
)
def test_malformed_requests_are_400(client, token, body) -> None:
    response = client.post(
        "/api/v1/records/penalties",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400 and response.json()["error"]


def test_an_inactive_token_is_refused(client, department, token) -> None:
    from chengxin.accounts.models import ApiToken

    ApiToken.objects.update(is_active=False)
    assert post(client, {"records": [{}]}, token).status_code == 401


def test_records_sent_by_a_departments_system_reach_their_subjects_public_page(
    client, department, token
) -> None:
    rows = recent(rows_for(RecordKind.PENALTY, department, 30))
    assert post(client, {"records": rows}, token).status_code == 200
    records = list(PenaltyRecord.objects.select_related("subject"))
    assert len(records) == 30 and all(r.subject is not None for r in records)
    public = [r for r in records if PenaltyRecord.objects.publicly_visible().filter(pk=r.pk)]
    assert public, "the sample has penalties in their publicity period"
    page = client.get(f"/subjects/{public[0].subject.public_id}/").content.decode()
    assert public[0].decision_number in page


def test_the_served_document_describes_both_kinds_and_the_busy_answer(client) -> None:
    document = client.get("/api/v1/records/openapi.json").json()
    assert set(document["paths"]) == {"/api/v1/records/penalties", "/api/v1/records/licenses"}
    answers = document["paths"]["/api/v1/records/penalties"]["post"]["responses"]
    assert {"200", "400", "401", "403", "409", "422"} <= set(answers)
    assert "Retry-After" in answers["409"]["headers"]


def test_an_unknown_kind_is_404(client, token) -> None:
    assert post(client, {"records": [{}]}, token, kind="permits").status_code == 404


def recent(rows: list[dict]) -> list[dict]:
    """The sample's rows decided ten days ago (the sample's own dates are fixed ones)."""
    decided = localdate() - datetime.timedelta(days=10)
    for row in rows:
        row["CF_JDRQ"] = decided.isoformat()
        row["CF_YXQ"] = (decided + datetime.timedelta(days=7)).isoformat()
    return rows

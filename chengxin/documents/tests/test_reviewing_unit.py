"""Who reviews a document's legality, and for how long (国办发〔2018〕115号): a government's
documents by its 司法行政部门 (the justice bureau), a department's by its own 法制机构 —
configurable per issuing body — in at least 5 working days unless the urgent reason is recorded,
and within a local limit of 5 to 15 working days."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.models import LocalSetting
from chengxin.core.tests.clock import Clock
from chengxin.documents import actions, rules
from chengxin.documents.choices import BodyKind, DocumentStatus, ReviewResult
from chengxin.documents.models import IssuingBody, LegalityReview, NormativeDocument

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2020, 9, 28)  # the National Day and Mid-Autumn holiday follows


@pytest.fixture
def justice(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区司法局")


@pytest.fixture
def justice_reviewer(make_user: Callable[..., User], justice: Department) -> User:
    return make_user(Role.LEGAL_REVIEWER, department=justice)


def under_review(make_document: Any, **fields: Any) -> LegalityReview:
    document: NormativeDocument = make_document(DocumentStatus.UNDER_REVIEW, **fields)
    review: LegalityReview = document.reviews.get()
    return review


# --- the reviewing unit --------------------------------------------------------------------


def test_the_default_reviewing_unit_is_the_one_115_names(
    justice: Department, market_department: Department, make_department
) -> None:
    def body(kind: str, department: Department | None) -> IssuingBody:
        return IssuingBody(name="x", code="x", kind=kind, department=department)

    assert body(BodyKind.DEPARTMENT, market_department).review_unit() == market_department
    assert body(BodyKind.BRANCH_OFFICE, market_department).review_unit() == market_department
    government = make_department(name="台儿庄区人民政府")
    assert body(BodyKind.DISTRICT_GOVERNMENT, government).review_unit() == justice
    assert body(BodyKind.TOWNSHIP, None).review_unit() == justice
    # set explicitly, the body's choice wins
    chosen = body(BodyKind.DEPARTMENT, market_department)
    chosen.reviewing_unit = justice
    assert chosen.review_unit() == justice


def test_a_department_document_goes_to_its_own_legal_office(
    make_document, reviewer: User, justice_reviewer: User
) -> None:
    review = under_review(make_document)
    assert review.reviewing_unit == reviewer.department  # the market bureau's 法制机构
    # the justice bureau's reviewer may not give the bureau's opinion (115号)
    with pytest.raises(PermissionDenied, match="审核机构是“台儿庄区市场监督管理局”"):
        actions.review_document(review, reviewer=justice_reviewer, passed=True, opinion="合法")
    done = actions.review_document(
        review, reviewer=reviewer, passed=True, opinion="合法", urgent_reason="限期出台"
    )
    assert done.result == ReviewResult.PASSED and done.reviewer == reviewer


def test_a_government_document_goes_to_the_justice_bureau(
    make_document, make_body, reviewer: User, justice: Department, justice_reviewer: User
) -> None:
    government = make_body(kind=BodyKind.DISTRICT_GOVERNMENT, code="台政规", reviewing_unit=None)
    assert government.reviewing_unit is None  # not set: the 115号 default applies
    review = under_review(make_document, issuing_body=government)
    assert review.reviewing_unit == justice
    with pytest.raises(PermissionDenied):
        actions.review_document(review, reviewer=reviewer, passed=True, opinion="合法")
    actions.review_document(
        review, reviewer=justice_reviewer, passed=True, opinion="合法", urgent_reason="限期出台"
    )


def test_the_reviewing_unit_is_configurable_per_body(
    make_document, market_body: IssuingBody, reviewer: User, justice, justice_reviewer
) -> None:
    """A district that has the justice bureau review a department's documents says so on the
    body; the request goes there, and the department's own reviewer no longer decides."""
    market_body.reviewing_unit = justice
    market_body.save()
    review = under_review(make_document)
    assert review.reviewing_unit == justice
    with pytest.raises(PermissionDenied):
        actions.review_document(review, reviewer=reviewer, passed=True, opinion="合法")
    actions.review_document(
        review, reviewer=justice_reviewer, passed=True, opinion="合法", urgent_reason="限期出台"
    )


def test_no_reviewing_unit_refuses_the_request(make_document, make_body, lawadmin) -> None:
    """A government body with no justice bureau to default to (none, or two) names its unit."""
    township = make_body(kind=BodyKind.TOWNSHIP, code="运街规", reviewing_unit=None)
    document = make_document(issuing_body=township)
    actions.waive_comment(document, actor=lawadmin, reason="内部")
    with pytest.raises(ValidationError, match="未确定合法性审核机构") as refused:
        actions.submit_for_review(document, actor=lawadmin)
    assert refused.value.code == "no_reviewing_unit"
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT


def test_the_body_form_fills_in_the_115_default(
    lawadmin: User, justice: Department, market_department: Department
) -> None:
    client = Client()
    client.force_login(lawadmin)
    data = {
        "name": "台儿庄区人民政府",
        "code": "台政规",
        "kind": BodyKind.DISTRICT_GOVERNMENT,
        "filing_authority": "枣庄市人民政府",
        "is_confirmed": "on",
        "is_active": "on",
    }
    assert client.post(reverse("documents:body_add"), data).status_code == 302
    assert IssuingBody.objects.get(code="台政规").reviewing_unit == justice
    data.update(name="台儿庄区市场监督管理局", code="台市监规", kind=BodyKind.DEPARTMENT)
    data["department"] = str(market_department.pk)
    client.post(reverse("documents:body_add"), data)
    assert IssuingBody.objects.get(code="台市监规").reviewing_unit == market_department
    page = client.get(reverse("documents:bodies")).content.decode()
    assert "合法性审核机构" in page and "台儿庄区司法局" in page


def test_the_queue_is_the_reviewers_own_units(
    make_document, make_body, reviewer: User, justice_reviewer: User
) -> None:
    own = under_review(make_document, title="市场监管局的文件")
    government = make_body(kind=BodyKind.DISTRICT_GOVERNMENT, code="台政规", reviewing_unit=None)
    under_review(make_document, issuing_body=government, title="区政府的文件")
    client = Client()
    client.force_login(justice_reviewer)
    queue = client.get(reverse("documents:reviews")).content.decode()
    assert "区政府的文件" in queue and "市场监管局的文件" not in queue
    every = client.get(reverse("documents:reviews") + "?units=all").content.decode()
    assert "区政府的文件" in every and "市场监管局的文件" in every
    page = client.get(reverse("documents:review", args=[own.pk])).content.decode()
    assert "本单位仅可查看" in page and 'name="opinion"' not in page
    response = client.post(reverse("documents:review", args=[own.pk]), {"passed": "1"})
    assert response.status_code == 403


# --- the review time -----------------------------------------------------------------------


@pytest.mark.today(MONDAY)
@pytest.mark.parametrize(
    ("reviewed", "reason", "allowed"),
    [
        # After Mon 2020-09-28: 09-29 (1), 09-30 (2), holiday 10-01…08, 10-09 (3), Sat 10-10 a
        # make-up workday (4), Mon 10-12 (5). Weekdays alone would allow 10-05.
        (datetime.date(2020, 10, 9), "", False),
        (datetime.date(2020, 10, 10), "", False),
        (datetime.date(2020, 10, 10), "区政府常务会议已定于10月12日审议。", True),
        (datetime.date(2020, 10, 12), "", True),
    ],
)
def test_a_review_takes_5_working_days_unless_urgent(
    make_document, reviewer: User, clock: Clock, reviewed, reason, allowed
) -> None:
    review = under_review(make_document)
    assert review.submitted_on == MONDAY
    assert review.earliest_normal_review == datetime.date(2020, 10, 12)
    clock.travel(reviewed)

    def run() -> LegalityReview:
        return actions.review_document(
            review, reviewer=reviewer, passed=True, opinion="合法", urgent_reason=reason
        )

    if not allowed:
        with pytest.raises(ValidationError, match="少于5个工作日") as refused:
            run()
        message = refused.value.message_dict["urgent_reason"][0]
        assert "国办发〔2018〕115号" in message and "2020-10-12" in message
        assert LegalityReview.objects.get(pk=review.pk).result == ReviewResult.PENDING
        return
    done = run()
    assert done.reviewed_on == reviewed and done.urgent_reason == reason


@pytest.mark.today(datetime.date(2020, 10, 20))
def test_the_review_day_is_neither_before_the_request_nor_ahead(
    make_document, reviewer: User
) -> None:
    review = under_review(make_document)
    for day in (datetime.date(2020, 10, 19), datetime.date(2020, 10, 21)):
        with pytest.raises(ValidationError):
            actions.review_document(
                review, reviewer=reviewer, passed=True, opinion="合法", reviewed_on=day
            )


@pytest.mark.parametrize(("days", "allowed"), [(4, False), (5, True), (15, True), (16, False)])
def test_the_local_review_limit_stays_within_5_to_15_working_days(days: int, allowed: bool) -> None:
    setting = LocalSetting(key=rules.REVIEW_WORKING_DAYS.key, value=str(days))
    if allowed:
        setting.full_clean()
    else:
        with pytest.raises(ValidationError):
            setting.full_clean()

"""Issue 21: who may do the legality review (法制审核). 行政处罚法 art. 58 para. 2: a reviewer who
first reviews a penalty decision on or after 2021-07-15 holds the 法律职业资格; 国办发〔2018〕118号:
the body's own 法制机构 reviews (configurable per body; the justice bureau's reviewers as the
fallback)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.models import EnforcementBody
from chengxin.cases import actions, rules
from chengxin.cases.choices import CaseStatus, ReviewResult
from chengxin.cases.models import Case, LegalityReview, LegalReviewer
from chengxin.cases.tests.fixtures import ALL_CHECKED, advance
from chengxin.powers.models import PowerItem

pytestmark = pytest.mark.django_db


def requested(case: Case, handler: User) -> LegalityReview:
    case = advance(case, handler, CaseStatus.NOTIFIED)
    return actions.request_legality_review(case, actor=handler, submission="拟罚款。")


def record(review: LegalityReview, reviewer: User) -> LegalityReview:
    return actions.record_legality_review(
        review, actor=reviewer, result=ReviewResult.PASSED, opinion="同意。", checklist=ALL_CHECKED
    )


# --- the 法律职业资格 of first-time reviewers ------------------------------------------------------


def test_a_first_time_reviewer_without_the_qualification_is_refused(
    make_case: Callable[..., Case], handler: User, make_user: Callable[..., User]
) -> None:
    """Before, any account with the 法制审核员 role reviewed penalty decisions."""
    newcomer = make_user(Role.LEGAL_REVIEWER, full_name="新审核员")
    review = requested(make_case(), handler)
    with pytest.raises(ValidationError, match="第五十八条第二款") as refused:
        record(review, newcomer)
    assert refused.value.code == "reviewer_qualification"
    assert not LegalReviewer.objects.filter(user=newcomer).exists()  # nothing recorded


def test_a_qualified_reviewers_first_review_is_recorded(
    make_case: Callable[..., Case], handler: User, make_user: Callable[..., User]
) -> None:
    qualified = make_user(Role.LEGAL_REVIEWER)
    LegalReviewer.objects.create(
        user=qualified, has_legal_qualification=True, qualification_number="A20213700001"
    )
    record(requested(make_case(), handler), qualified)
    assert LegalReviewer.objects.get(user=qualified).first_reviewed_on == localdate()


@pytest.mark.parametrize(
    ("first", "accepted"),
    [(datetime.date(2021, 7, 14), True), (datetime.date(2021, 7, 15), False)],
)
def test_a_reviewer_from_before_the_law_is_not_a_first_timer(
    make_case: Callable[..., Case],
    handler: User,
    make_user: Callable[..., User],
    first: datetime.date,
    accepted: bool,
) -> None:
    """Boundary: reviewing since the day before the 2021 law took effect (art. 86: 2021-07-15)
    is not 初次 under it; since that day it is, and needs the qualification."""
    veteran = make_user(Role.LEGAL_REVIEWER)
    LegalReviewer.objects.create(user=veteran, first_reviewed_on=first, note="台司任〔2019〕3号")
    review = requested(make_case(), handler)
    if accepted:
        assert record(review, veteran).result == ReviewResult.PASSED
        assert LegalReviewer.objects.get(user=veteran).first_reviewed_on == first  # kept
    else:
        with pytest.raises(ValidationError, match="法律职业资格"):
            record(review, veteran)


def test_a_review_of_another_decision_needs_no_qualification(
    make_case: Callable[..., Case],
    handler: User,
    make_user: Callable[..., User],
    make_power_item: Callable[..., PowerItem],
    case_department: Department,
) -> None:
    """Art. 58 para. 2 is about 行政处罚决定: a licence case's review is not held back."""
    licence = make_power_item(category="license", implementing_department=case_department)
    newcomer = make_user(Role.LEGAL_REVIEWER)
    review = requested(make_case(power_item=licence, is_complex=True), handler)
    assert record(review, newcomer).result == ReviewResult.PASSED
    assert not LegalReviewer.objects.filter(user=newcomer).exists()


def test_the_rule_of_law_office_registers_a_reviewers_qualification(
    make_user: Callable[..., User],
) -> None:
    office = make_user(Role.RULE_OF_LAW_ADMIN)
    reviewer = make_user(Role.LEGAL_REVIEWER)
    with pytest.raises(ValidationError, match="证书编号"):
        actions.save_legal_reviewer(
            LegalReviewer(user=reviewer, has_legal_qualification=True), actor=office
        )
    with pytest.raises(ValidationError, match="不是法制审核员"):
        actions.save_legal_reviewer(
            LegalReviewer(user=make_user(Role.ENFORCEMENT_OFFICER)), actor=office
        )
    saved = actions.save_legal_reviewer(
        LegalReviewer(user=reviewer, has_legal_qualification=True, qualification_number="A1"),
        actor=office,
    )
    assert saved.pk and saved.has_legal_qualification


def test_the_reviewers_page(make_user: Callable[..., User], reviewer: User) -> None:
    office = make_user(Role.RULE_OF_LAW_ADMIN)
    unrecorded = make_user(Role.LEGAL_REVIEWER, full_name="未登记者")
    client = Client()
    client.force_login(office)
    page = client.get(reverse("cases:reviewers"))
    assert page.status_code == 200
    html = page.content.decode()
    assert reviewer.full_name in html and "未登记者" in html
    response = client.post(
        reverse("cases:reviewer_new"),
        {"user": unrecorded.pk, "has_legal_qualification": "on", "qualification_number": "A9"},
    )
    assert response.status_code == 302
    assert LegalReviewer.objects.get(user=unrecorded).qualification_number == "A9"


# --- the reviewing unit ------------------------------------------------------------------------


def test_a_body_with_its_own_legal_reviewer_is_reviewed_by_it(
    make_case: Callable[..., Case],
    handler: User,
    reviewer: User,
    make_user: Callable[..., User],
    case_department: Department,
    case_body: EnforcementBody,
) -> None:
    """Default: the body's department's 法制机构 when it has a legal reviewer; the justice
    bureau's reviewer (`reviewer`, another department) then neither sees nor records it."""
    own = make_user(Role.LEGAL_REVIEWER, department=case_department, full_name="局法制科")
    LegalReviewer.objects.create(user=own, has_legal_qualification=True, qualification_number="B1")
    assert rules.reviewing_department(case_body) == case_department
    review = requested(make_case(), handler)
    assert review.reviewing_department == case_department
    assert not LegalityReview.objects.for_reviewer(reviewer).exists()
    with pytest.raises(ValidationError) as refused:
        record(review, reviewer)
    assert refused.value.code == "reviewing_unit"
    assert record(review, own).reviewer == own


def test_without_its_own_reviewer_the_district_reviews(
    make_case: Callable[..., Case], handler: User, reviewer: User, case_body: EnforcementBody
) -> None:
    """Fallback: no legal reviewer in the body's department — the district-wide ones, as
    before."""
    assert rules.reviewing_department(case_body) is None
    review = requested(make_case(), handler)
    assert review.reviewing_department is None
    assert LegalityReview.objects.for_reviewer(reviewer).get() == review
    assert record(review, reviewer).result == ReviewResult.PASSED


def test_the_reviewing_unit_is_configurable_per_body(
    make_case: Callable[..., Case],
    handler: User,
    reviewer: User,
    make_user: Callable[..., User],
    make_department: Callable[..., Department],
    case_body: EnforcementBody,
) -> None:
    """A body may name another unit, e.g. its 上级 department's 法制科."""
    unit = make_department(name="枣庄市市场监督管理局法制科")
    case_body.legal_review_department = unit
    case_body.save()
    theirs = make_user(Role.LEGAL_REVIEWER, department=unit)
    LegalReviewer.objects.create(
        user=theirs, has_legal_qualification=True, qualification_number="C"
    )
    review = requested(make_case(), handler)
    assert review.reviewing_department == unit
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("cases:review", args=[review.pk])).status_code == 404
    client.force_login(theirs)
    assert client.get(reverse("cases:reviews")).context["page"][0] == review
    assert record(review, theirs).reviewer == theirs

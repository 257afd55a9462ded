"""Factories for document tests: issuing bodies, users of each role, documents at any stage."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.documents import actions
from chengxin.documents.choices import BodyKind, DeliberationResult, DocumentStatus
from chengxin.documents.models import IssuingBody, NormativeDocument

_codes = itertools.count(1)
URGENT = "上级部署限期出台，经主要负责人批准加快审核。"

# The stages a document can be brought to by `make_document(stage=…)`, in procedure order.
STAGES = (
    DocumentStatus.DRAFT,
    DocumentStatus.UNDER_REVIEW,
    DocumentStatus.REVIEW_PASSED,
    DocumentStatus.DELIBERATED,
    DocumentStatus.ISSUED,
    DocumentStatus.PUBLISHED,
)


@pytest.fixture
def market_department(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局", short_name="市场监管局")


JUSTICE = "台儿庄区司法局"


@pytest.fixture
def make_body(db: None, make_department: Callable[..., Department]) -> Callable[..., IssuingBody]:
    """An issuing body (a department's by default). A government's or township's is reviewed by
    the district's justice bureau, made when the test has none (国办发〔2018〕115号)."""

    def make(**overrides: Any) -> IssuingBody:
        n = next(_codes)
        fields: dict[str, Any] = {
            "name": f"测试制定主体{n}",
            "code": f"台测{n}规",
            "kind": BodyKind.DEPARTMENT,
            "filing_authority": "区人民政府（区司法局）",
        }
        if "department" not in overrides:
            fields["department"] = make_department()
        fields.update(overrides)
        own = fields["kind"] in (BodyKind.DEPARTMENT, BodyKind.BRANCH_OFFICE)
        if "reviewing_unit" not in overrides and not own:
            fields["reviewing_unit"] = Department.objects.filter(
                name=JUSTICE
            ).first() or make_department(name=JUSTICE)
        return IssuingBody.objects.create(**fields)

    return make


@pytest.fixture
def market_body(
    make_body: Callable[..., IssuingBody], market_department: Department
) -> IssuingBody:
    return make_body(name="台儿庄区市场监督管理局", code="台市监规", department=market_department)


@pytest.fixture
def lawadmin(make_user: Callable[..., User]) -> User:
    return make_user(Role.RULE_OF_LAW_ADMIN)


@pytest.fixture
def reviewer(make_user: Callable[..., User], market_department: Department) -> User:
    """A legal reviewer of the market bureau's own 法制机构, which reviews the bureau's documents
    (国办发〔2018〕115号)."""
    return make_user(Role.LEGAL_REVIEWER, department=market_department)


@pytest.fixture
def liaison(make_user: Callable[..., User], market_department: Department) -> User:
    return make_user(Role.LEGAL_AFFAIRS_OFFICER, department=market_department)


@pytest.fixture
def make_document(
    market_body: IssuingBody, lawadmin: User, reviewer: User, make_user: Callable[..., User]
) -> Callable[..., NormativeDocument]:
    """A document brought through the procedure by the actions up to `stage`, reviewed by a
    legal reviewer of its body's reviewing unit (the market bureau's is `reviewer`)."""
    reviewers: dict[int, User] = {}

    def reviewer_of(body: IssuingBody) -> User:
        unit = body.review_unit()
        assert unit is not None, body
        if unit.pk == reviewer.department_id:
            return reviewer
        if unit.pk not in reviewers:
            reviewers[unit.pk] = make_user(Role.LEGAL_REVIEWER, department=unit)
        return reviewers[unit.pk]

    def make(
        stage: str = DocumentStatus.DRAFT,
        issuing_body: IssuingBody | None = None,
        published_on: datetime.date | None = None,
        **fields: Any,
    ) -> NormativeDocument:
        values: dict[str, Any] = {
            "title": "台儿庄区市场监督管理局关于规范食品经营许可管理的通知",
            "drafting_unit": "区市场监管局食品经营科",
            "body": "第一条 为规范食品经营许可管理，根据《中华人民共和国食品安全法》制定本通知。",
        }
        values.update(fields)
        document = actions.register_document(
            actor=lawadmin, issuing_body=issuing_body or market_body, **values
        )
        target = STAGES.index(DocumentStatus(stage))
        if target >= 1:
            actions.waive_comment(document, actor=lawadmin, reason="内部试点，经批准不公开征求意见")
            review = actions.submit_for_review(document, actor=lawadmin)
        if target >= 2:
            # Reviewed the day it was asked: the urgent reason 115号 asks for (5 working days).
            actions.review_document(
                review,
                reviewer=reviewer_of(document.issuing_body),
                passed=True,
                opinion="合法。",
                urgent_reason=URGENT,
            )
        if target >= 3:
            actions.deliberate_document(
                document,
                actor=lawadmin,
                meeting="局长办公会议",
                held_on=localdate(),
                result=DeliberationResult.APPROVED,
            )
        if target >= 4:
            actions.issue_document(document, actor=lawadmin, issued_on=published_on)
        if target >= 5:
            actions.publish_document(
                document,
                actor=lawadmin,
                published_on=published_on or localdate(),
                channel="台儿庄区人民政府网站",
            )
        document.refresh_from_db()
        return document

    return make

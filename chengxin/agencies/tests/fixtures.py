"""Factories of enforcement bodies and officers, as pytest fixtures importable by other apps:

    from chengxin.agencies.tests.fixtures import make_enforcement_body, make_enforcement_officer

Each returns a function taking field overrides. A body is 法定 and active, confirmed a year ago;
an officer is 在岗 with a certificate valid from a year ago to a year ahead, qualified.
"""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.utils.timezone import localdate

from chengxin.accounts.models import Department
from chengxin.agencies.choices import BodyKind, BodyStatus, OfficerStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.core.identifiers import make_uscc

_numbers = itertools.count(1)
_rng = random.Random(31)


@pytest.fixture
def make_enforcement_body(
    db: None, make_department: Callable[..., Department]
) -> Callable[..., EnforcementBody]:
    def make(**overrides: Any) -> EnforcementBody:
        n = next(_numbers)
        today = localdate()
        fields: dict[str, Any] = {
            "name": f"测试执法主体{n}",
            "credit_code": make_uscc(_rng, department="1", category="1"),
            "kind": BodyKind.STATUTORY,
            "legal_basis": "《中华人民共和国行政处罚法》第十七条",
            "domains": "市场监管",
            "territory": "台儿庄区",
            "status": BodyStatus.ACTIVE,
            "confirming_document": f"台政字〔{today.year - 1}〕{n}号",
            "confirmed_on": today - datetime.timedelta(days=365),
        }
        fields.update(overrides)
        if "department" not in overrides:
            fields["department"] = make_department()
        body = EnforcementBody(**fields)
        body.full_clean()
        body.save()
        return body

    return make


@pytest.fixture
def make_enforcement_officer(
    db: None, make_enforcement_body: Callable[..., EnforcementBody]
) -> Callable[..., EnforcementOfficer]:
    def make(**overrides: Any) -> EnforcementOfficer:
        n = next(_numbers)
        today = localdate()
        fields: dict[str, Any] = {
            "name": f"执法员{n}",
            "certificate_number": f"37040500{n:06d}",
            "categories": "市场监管",
            "area": "台儿庄区",
            "certificate_valid_from": today - datetime.timedelta(days=365),
            "certificate_valid_until": today + datetime.timedelta(days=365),
            "has_legal_qualification": True,
            "training_hours": 80,
            "exam_passed": True,
            "status": OfficerStatus.ON_DUTY,
        }
        fields.update(overrides)
        if "body" not in overrides:
            fields["body"] = make_enforcement_body()
        officer = EnforcementOfficer(**fields)
        officer.full_clean()
        officer.save()
        return officer

    return make

"""The demo district's credit checks: made by the real action, hits on listed subjects, feedback."""

from __future__ import annotations

import io

import pytest

from chengxin.core.demodata import DemoContext, steps
from chengxin.screening.choices import Feedback
from chengxin.screening.models import CreditCheck

ANSWERED = {Feedback.TAKEN, Feedback.NOT_TAKEN}

pytestmark = pytest.mark.django_db


def test_the_demo_checker_checks_listed_and_clean_subjects() -> None:
    volumes = {"subjects": 200, "licenses": 0, "penalties": 0, "list_entries": 60, "checks": 20}
    ctx = DemoContext(seed=5, volumes=volumes, out=io.StringIO())
    for label, generate in steps():
        if label in {"accounts", "subjects", "screening"}:
            generate(ctx)
    checks = CreditCheck.objects.select_related("requested_by", "department")
    assert checks.count() == 20
    assert {check.requested_by.username for check in checks} == {"checker"}
    assert {check.department.short_name for check in checks} == {"区行政审批局"}
    hits = [check for check in checks if check.hit_count]
    assert hits, "half the demo checks are on listed subjects"
    assert len(hits) <= 10 + 1  # only the listed half can hit (one clean name may collide)
    answered = [check for check in hits if check.feedback in ANSWERED]
    assert answered and all(check.feedback_at and check.feedback_by for check in answered)
    assert not any(check.feedback in ANSWERED for check in checks if not check.hit_count)

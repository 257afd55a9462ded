"""The demo step: 39 confirmed bodies, officers of whom 53 were removed by a clean-up and some are
proposed today, and what it shares with the cases step."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from chengxin.accounts import demo as accounts_demo
from chengxin.agencies import demo, rules
from chengxin.agencies.choices import BodyKind, OfficerStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.core.demodata import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_bodies_and_officers() -> None:
    ctx = DemoContext(seed=370405, volumes={}, out=io.StringIO())
    accounts_demo.generate(ctx)
    demo.generate(ctx)
    today = timezone.localdate()

    assert EnforcementBody.objects.active().count() == 39
    assert EnforcementBody.objects.exclude(status="active").count() == 1
    entrusted = EnforcementBody.objects.filter(kind=BodyKind.ENTRUSTED)
    assert entrusted.count() == 2 and all(b.entrusting_body for b in entrusted)
    assert EnforcementOfficer.objects.filter(status=OfficerStatus.REMOVED).count() == 53
    assert 0 < len(rules.propose_cleanup(today)) < 20
    shared = ctx.shared["enforcement_officers"]
    assert set(shared) == set(ctx.shared["enforcement_bodies"])
    for key, officers in shared.items():
        assert len(officers) >= 3, key
        assert all(officer.is_assignable_on(today) for officer in officers)
    assert (
        ctx.shared["enforcement_bodies"]["market"].department == ctx.shared["departments"]["market"]
    )

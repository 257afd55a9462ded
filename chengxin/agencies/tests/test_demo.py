"""The demo step: 38 confirmed bodies, officers of whom 53 were removed by a clean-up and some are
proposed today, and what it shares with the cases step."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from chengxin.accounts import demo as accounts_demo
from chengxin.agencies import demo, rules
from chengxin.agencies.choices import BodyKind, OfficerStatus, RemovalReason
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.core.demodata import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_bodies_and_officers() -> None:
    ctx = DemoContext(seed=370405, volumes={}, out=io.StringIO())
    accounts_demo.generate(ctx)
    demo.generate(ctx)
    today = timezone.localdate()

    assert EnforcementBody.objects.active().count() == 38
    # a service platform, not an enforcement body: no law authorises it to penalise
    assert not EnforcementBody.objects.filter(name__contains="公共资源交易中心").exists()
    assert EnforcementBody.objects.exclude(status="active").count() == 1
    entrusted = EnforcementBody.objects.filter(kind=BodyKind.ENTRUSTED)
    assert entrusted.count() == 2 and all(b.entrusting_body for b in entrusted)
    removed = EnforcementOfficer.objects.filter(status=OfficerStatus.REMOVED)
    assert removed.count() == 53
    # mostly non-established staff holding certificates; eight who left (调离 / 退休)
    assert removed.filter(removal_reason=RemovalReason.NOT_ESTABLISHED).count() > 53 / 2
    assert removed.filter(removal_reason=RemovalReason.TRANSFERRED).count() == 4
    assert removed.filter(removal_reason=RemovalReason.RETIRED).count() == 4
    # every holder's 编制身份 is recorded; the demo's heads sign the cases' decisions
    assert not EnforcementOfficer.objects.filter(staffing="").exists()
    assert EnforcementBody.objects.get(name="台儿庄区市场监督管理局").heads.exists()
    assert EnforcementBody.objects.get(name="台儿庄区市场监督管理局").sector == "market_regulation"
    assert 0 < len(rules.propose_cleanup(today)) < 20
    shared = ctx.shared["enforcement_officers"]
    assert set(shared) == set(ctx.shared["enforcement_bodies"])
    for key, officers in shared.items():
        assert len(officers) >= 3, key
        assert all(officer.is_assignable_on(today) for officer in officers)
    assert (
        ctx.shared["enforcement_bodies"]["market"].department == ctx.shared["departments"]["market"]
    )

"""The demo step: the curated list across the categories, with adjustments in history."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from chengxin.accounts import demo as accounts_demo
from chengxin.accounts.models import User
from chengxin.core.demodata import DemoContext
from chengxin.powers import demo
from chengxin.powers.choices import AdjustmentKind, ProposalStatus
from chengxin.powers.listing import versions_on
from chengxin.powers.models import PowerAdjustment, PowerItem, PowerProposal

pytestmark = pytest.mark.django_db


def test_demo_power_list() -> None:
    ctx = DemoContext(seed=370405, volumes={}, out=io.StringIO())
    accounts_demo.generate(ctx)
    demo.generate(ctx)
    today = timezone.localdate()

    in_force = PowerItem.objects.in_force(on=today)
    assert 150 <= in_force.count() <= 350
    assert in_force.values("category").distinct().count() == 10
    for kind in AdjustmentKind:
        assert PowerAdjustment.objects.filter(kind=kind).exists(), kind
    # The licences handed to the 行政审批服务局: cancelled at the department, listed at the bureau.
    cancelled = PowerItem.objects.filter(is_cancelled=True)
    assert cancelled.count() == len(demo.TRANSFERRED)
    approval = ctx.shared["departments"]["approval"]
    assert set(cancelled.values_list("name", flat=True)) == set(
        in_force.filter(implementing_department=approval).values_list("name", flat=True)
    ) & set(demo.TRANSFERRED)
    names = list(in_force.values_list("name", flat=True))
    assert len(names) == len(set(names))
    assert len(ctx.shared["power_items"]) == in_force.count()
    market = ctx.shared["power_items_by_department"]["market"]
    assert market and all(
        i.implementing_department == ctx.shared["departments"]["market"] for i in market
    )
    assert not in_force.filter(duties="").exists()
    assert not in_force.filter(accountability="").exists()


def test_demo_proposals_in_four_states() -> None:
    ctx = DemoContext(seed=370405, volumes={}, out=io.StringIO())
    accounts_demo.generate(ctx)
    demo.generate(ctx)
    today = timezone.localdate()
    proposals = {p.status: p for p in PowerProposal.objects.all()}
    assert set(proposals) == {
        ProposalStatus.APPROVED,
        ProposalStatus.PASSED,
        ProposalStatus.SUBMITTED,
        ProposalStatus.RETURNED,
    }
    approved = proposals[ProposalStatus.APPROVED]
    assert approved.adjustment is not None and approved.effective_on > today
    assert approved.approved_by not in (approved.proposed_by, approved.reviewed_by)
    # Approved, not yet effective: the list of today still shows the version before.
    assert approved.item is not None
    shown = versions_on(today).get(item=approved.item)
    assert shown.version == approved.adjustment.version - 1
    assert proposals[ProposalStatus.RETURNED].review_opinion
    passed = proposals[ProposalStatus.PASSED]
    lawadmin = User.objects.get(username="lawadmin")
    assert lawadmin.pk not in (passed.proposed_by_id, passed.reviewed_by_id)  # may approve it
    for proposal in proposals.values():
        assert proposal.submitted_on <= today and proposal.department.short_name == "区市场监管局"

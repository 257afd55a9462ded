"""The dashboard items of major decisions (decisions.attention)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.core.tests.test_attention_helpers import listed, pending
from chengxin.decisions.models import MajorDecision

pytestmark = pytest.mark.django_db

KEY = "decisions_overdue"


def test_decisions_past_their_planned_completion_as_the_list_shows_them(
    client: Client,
    lawadmin: User,
    liaison: User,
    make_decision: Callable[..., MajorDecision],
    make_department: Any,
    make_user: Any,
) -> None:
    today = localdate()
    late = make_decision()
    MajorDecision.objects.filter(pk=late.pk).update(
        planned_completion=today - datetime.timedelta(days=1)
    )
    in_time = make_decision()
    MajorDecision.objects.filter(pk=in_time.pk).update(planned_completion=today)  # boundary
    other = make_decision(lead_unit=make_department(name="台儿庄区交通运输局"))
    MajorDecision.objects.filter(pk=other.pk).update(
        planned_completion=today - datetime.timedelta(days=9)
    )
    assert pending(lawadmin, KEY) == 2 == listed(client, lawadmin, KEY)
    assert pending(liaison, KEY) == 1 == listed(client, liaison, KEY)  # its lead unit's only
    assert pending(make_user(Role.CREDIT_ADMIN), KEY) == 0


def test_steps_past_their_planned_end_as_the_decision_dashboard_lists_them(
    client: Client, lawadmin: User, make_decision: Callable[..., MajorDecision]
) -> None:
    decision = make_decision()
    steps = list(decision.steps.order_by("sequence"))
    if not steps:
        pytest.skip("no planned steps on a new decision")
    today = localdate()
    type(steps[0]).objects.filter(pk=steps[0].pk).update(
        planned_end=today - datetime.timedelta(days=1)
    )
    for step in steps[1:]:
        type(step).objects.filter(pk=step.pk).update(planned_end=today)  # boundary: in time
    key = "decisions_steps_overdue"
    assert pending(lawadmin, key) == 1 == listed(client, lawadmin, key, "overdue_steps")


def test_proposed_skips_wait_for_approval_on_the_dashboard(
    client: Client,
    lawadmin: User,
    liaison: User,
    make_decision: Callable[..., MajorDecision],
    advance: Any,
) -> None:
    from chengxin.core import local_settings
    from chengxin.core.models import LocalSetting
    from chengxin.decisions import actions, rules
    from chengxin.decisions.choices import StepKind

    LocalSetting.objects.create(
        key=rules.MANDATORY_STEPS.key, value="公众参与、合法性审查、集体讨论决定"
    )
    local_settings.clear_cache()
    key = "decisions_skips_to_approve"
    waiting = advance(make_decision(), until=StepKind.EXPERT_REVIEW)
    decided = advance(make_decision(), until=StepKind.EXPERT_REVIEW)
    for decision in (waiting, decided):
        actions.propose_skip(decision, StepKind.EXPERT_REVIEW, actor=liaison, reason="非专业事项")
    actions.decide_skip(
        decided, StepKind.EXPERT_REVIEW, actor=lawadmin, approve=True, note="同意"
    )  # approved: no longer waiting
    assert pending(lawadmin, key) == 1 == listed(client, lawadmin, key)

"""The dashboard items of the credit repair queue (repair.attention)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.calendar import add_working_days
from chengxin.core.tests.test_attention_helpers import listed, pending
from chengxin.repair import actions
from chengxin.repair.models import RepairApplication
from chengxin.repair.tests.fixtures import department_reporter
from chengxin.repair.tests.test_staff_pages import eligible_penalty

pytestmark = pytest.mark.django_db


def set_due(application: RepairApplication, **dates: Any) -> None:
    RepairApplication.objects.filter(pk=application.pk).update(**dates)


def test_overdue_and_waiting_applications_as_the_queue_shows_them(
    client: Client, apply: Callable[..., Any], market: Department, credit_admin: User
) -> None:
    today = localdate()
    late, _code = apply()
    in_time, _code = apply(eligible_penalty(market, "枣庄市台儿庄区顺意商贸有限公司"))
    accepted, _code = apply(eligible_penalty(market, "枣庄市台儿庄区永安商贸有限公司"))
    set_due(late, acceptance_due=add_working_days(today, -1))
    set_due(in_time, acceptance_due=today)  # boundary: due today is not overdue yet
    actions.accept_application(accepted, actor=credit_admin)
    set_due(accepted, decision_due=add_working_days(today, -3))
    assert pending(credit_admin, "repair_overdue") == 2
    assert listed(client, credit_admin, "repair_overdue") == 2
    assert pending(credit_admin, "repair_submitted") == 2
    assert listed(client, credit_admin, "repair_submitted") == 2


def test_a_paused_application_is_not_overdue(apply: Callable[..., Any], credit_admin: User) -> None:
    application, _code = apply()
    actions.accept_application(application, actor=credit_admin)
    actions.request_material(application, actor=credit_admin, reason="请补充缴款凭证")
    set_due(application, decision_due=add_working_days(localdate(), -5))
    assert pending(credit_admin, "repair_overdue") == 0


def test_the_deciding_department_is_not_asked_to_accept(
    apply: Callable[..., Any], market: Department, make_user: Any
) -> None:
    late, _code = apply()
    set_due(late, acceptance_due=add_working_days(localdate(), -1))
    reporter = department_reporter(market)  # sees its own department's applications
    assert pending(reporter, "repair_overdue") == pending(reporter, "repair_submitted") == 0
    assert pending(make_user(Role.CREDIT_CHECKER), "repair_overdue") == 0

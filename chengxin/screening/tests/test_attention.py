"""The dashboard item of credit checks whose feedback is overdue (screening.attention)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.core.calendar import add_working_days
from chengxin.core.tests.test_attention_helpers import listed, pending
from chengxin.screening.actions import check_subjects
from chengxin.screening.matching import Subject
from chengxin.screening.models import CreditCheck, ListEntry

pytestmark = pytest.mark.django_db

KEY = "checks_feedback_overdue"


@pytest.fixture
def hit(
    checker: User, scenario: Any, make_entry: Callable[..., ListEntry]
) -> Callable[..., CreditCheck]:
    entry = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")

    def make(by: User = checker) -> CreditCheck:
        (check,) = check_subjects(
            [Subject(credit_code=entry.credit_code)],
            department=by.department,
            scenario=scenario("government_procurement"),
            matter="TEZ-2026-001 办公家具采购",
            actor=by,
        )
        return check

    return make


def due(check: CreditCheck, day: Any) -> None:
    CreditCheck.objects.filter(pk=check.pk).update(feedback_due=day)


def test_overdue_feedback_is_counted_as_the_list_shows_it(
    client: Client, checker: User, hit: Callable[..., CreditCheck], make_user: Any
) -> None:
    today = localdate()
    late, in_time = hit(), hit()
    due(late, add_working_days(today, -1))
    due(in_time, today)  # boundary: the due day itself is still in time
    assert pending(checker, KEY) == 1 == listed(client, checker, KEY)
    credit_admin = make_user(Role.CREDIT_ADMIN)  # follows up every department's checks
    assert pending(credit_admin, KEY) == 1 == listed(client, credit_admin, KEY)


def test_another_departments_checks_and_other_roles_are_left_out(
    checker: User, hit: Callable[..., CreditCheck], make_user: Any
) -> None:
    other = make_user(Role.CREDIT_CHECKER)  # another department
    due(hit(by=other), add_working_days(localdate(), -2))
    assert pending(checker, KEY) == 0
    assert pending(other, KEY) == 1
    assert pending(make_user(Role.ENFORCEMENT_OFFICER), KEY) == 0

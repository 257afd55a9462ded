"""The dashboard item of reconsiderations undecided past their due date (disputes.attention)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.tests.test_attention_helpers import listed, pending
from chengxin.disputes.models import Reconsideration

pytestmark = pytest.mark.django_db

KEY = "reconsiderations_overdue"


def due(reconsideration: Reconsideration, day: datetime.date) -> None:
    # due_on is computed on save (60 calendar days, 行政复议法 art. 62); moved as if it had run.
    Reconsideration.objects.filter(pk=reconsideration.pk).update(due_on=day)


def test_overdue_reconsiderations_as_the_register_shows_them(
    client: Client,
    law_admin: User,
    liaison: User,
    make_reconsideration: Callable[..., Reconsideration],
    other_bureau: Department,
) -> None:
    today = localdate()
    due(make_reconsideration(), today - datetime.timedelta(days=1))
    due(make_reconsideration(), today)  # boundary: the due day itself is in time
    due(make_reconsideration(department=other_bureau), today - datetime.timedelta(days=5))
    decided = make_reconsideration(decided_on=today, result="upheld")
    due(decided, today - datetime.timedelta(days=3))
    assert pending(law_admin, KEY) == 2 == listed(client, law_admin, KEY)
    assert pending(liaison, KEY) == 1 == listed(client, liaison, KEY)  # own department only


def test_a_role_without_disputes_does_not_get_it(
    make_user: Any, make_reconsideration: Callable[..., Reconsideration], bureau: Department
) -> None:
    due(make_reconsideration(), localdate() - datetime.timedelta(days=1))
    assert pending(make_user(Role.CREDIT_ADMIN), KEY) == 0
    assert pending(make_user(Role.LEGAL_REVIEWER, department=bureau), KEY) == 0

"""The dashboard item of dead letters (outbox.attention)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.core.tests.test_attention_helpers import listed, pending
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

KEY = "outbox_dead"


def message(status: str) -> OutboxMessage:
    return OutboxMessage.objects.create(
        topic="credit_repair.result", payload={"XYXF_JG": "1"}, status=status, due_on=localdate()
    )


def test_dead_letters_as_the_dead_letter_page_shows_them(client: Client, make_user: Any) -> None:
    credit_admin = make_user(Role.CREDIT_ADMIN)
    assert pending(credit_admin, KEY) == 0  # none yet: not on the dashboard
    message(MessageStatus.DEAD)
    message(MessageStatus.DEAD)
    message(MessageStatus.PENDING)
    message(MessageStatus.DELIVERED)
    assert pending(credit_admin, KEY) == 2 == listed(client, credit_admin, KEY)


def test_only_who_may_send_them_again_is_asked(make_user: Any) -> None:
    message(MessageStatus.DEAD)
    for role in (Role.DEPARTMENT_REPORTER, Role.SYSTEM_ADMIN, Role.RULE_OF_LAW_ADMIN):
        assert pending(make_user(role), KEY) == 0

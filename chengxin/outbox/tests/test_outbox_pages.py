"""The outbox staff pages: the message list with its filters and overdue marks, the dead letters
and sending one again."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

LIST = reverse("outbox:list")
DEAD = reverse("outbox:dead")
OVERDUE_MARK = "status-late overdue"


def make_message(**fields: Any) -> OutboxMessage:
    values: dict[str, Any] = {
        "topic": "credit_repair.result",
        "payload": {"XYXF_SLBH": "XF20261127000001", "XYXF_JG": "1"},
        "due_on": localdate() + datetime.timedelta(days=3),
    }
    values.update(fields)
    return OutboxMessage.objects.create(**values)


def dead_message(**fields: Any) -> OutboxMessage:
    values: dict[str, Any] = {"status": MessageStatus.DEAD, "attempts": 8, "last_error": "HTTP 503"}
    return make_message(**(values | fields))


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office(make_user: Callable[..., User]) -> Client:
    return logged_in(make_user(Role.CREDIT_ADMIN))


def test_list_shows_status_attempts_last_error_and_overdue(office: Client) -> None:
    today = localdate()
    late = dead_message(due_on=today - datetime.timedelta(days=1), last_error="HTTP 503 故障")
    on_time = make_message(due_on=today)  # boundary: due today, not yet overdue
    delivered = make_message(
        status=MessageStatus.DELIVERED,
        attempts=1,
        due_on=today - datetime.timedelta(days=5),  # delivered: never overdue
        delivered_at=datetime.datetime.now(datetime.UTC),
    )
    page = office.get(LIST).content.decode()
    assert "HTTP 503 故障" in page and "发送失败" in page and "已送达" in page and "待发送" in page
    assert page.count(OVERDUE_MARK) == 1
    assert reverse("outbox:detail", args=[late.pk]) in page
    overdue = office.get(LIST, {"overdue": "on"}).content.decode()
    assert reverse("outbox:detail", args=[late.pk]) in overdue
    for other in (on_time, delivered):
        assert reverse("outbox:detail", args=[other.pk]) not in overdue


@pytest.mark.parametrize("status", [MessageStatus.PENDING, MessageStatus.DELIVERED, "dead"])
def test_status_filter(office: Client, status: str) -> None:
    shown = {
        value: make_message(status=value)
        for value in (MessageStatus.PENDING, MessageStatus.DELIVERED, MessageStatus.DEAD)
    }
    page = office.get(LIST, {"status": status}).content.decode()
    for value, message in shown.items():
        url = f'href="{reverse("outbox:detail", args=[message.pk])}"'
        assert (url in page) == (value == status)


def test_dead_letters_list_only_dead_messages(office: Client) -> None:
    dead = dead_message()
    pending = make_message()
    page = office.get(DEAD).content.decode()
    assert reverse("outbox:retry", args=[dead.pk]) in page
    assert reverse("outbox:detail", args=[pending.pk]) not in page


def test_retry_through_the_page_puts_a_dead_message_back_to_pending(
    office: Client, django_capture_on_commit_callbacks: Any
) -> None:
    message = dead_message()
    with django_capture_on_commit_callbacks() as callbacks:
        response = office.post(reverse("outbox:retry", args=[message.pk]), follow=True)
    assert response.redirect_chain[-1][0] == DEAD
    assert "已重新排队发送" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING and message.attempts == 0
    assert len(callbacks) == 1  # one delivery attempt scheduled after the commit


def test_retry_of_a_message_that_is_not_dead_is_refused(office: Client) -> None:
    message = make_message(status=MessageStatus.DELIVERED, attempts=1)
    response = office.post(
        reverse("outbox:retry", args=[message.pk]), {"back": "detail"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("outbox:detail", args=[message.pk])
    assert "只有发送失败的消息可以重新发送" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_detail_shows_the_payload_and_links_the_application(office: Client) -> None:
    message = dead_message(object_type="repair.repairapplication", object_id="42")
    page = office.get(reverse("outbox:detail", args=[message.pk])).content.decode()
    assert "XF20261127000001" in page and str(message.idempotency_key) in page
    assert reverse("repair_staff:detail", args=[42]) in page
    assert reverse("outbox:retry", args=[message.pk]) in page


def test_outbox_pages_need_the_credit_office(
    client: Client, make_user: Callable[..., User]
) -> None:
    message = dead_message()
    assert client.get(LIST).status_code == 302
    assert client.post(reverse("outbox:retry", args=[message.pk])).status_code == 302
    reporter = logged_in(make_user(Role.DEPARTMENT_REPORTER))
    assert reporter.get(LIST).status_code == 403
    assert reporter.get(DEAD).status_code == 403
    assert reporter.post(reverse("outbox:retry", args=[message.pk])).status_code == 404
    assert reporter.get(reverse("outbox:retry", args=[message.pk])).status_code == 405
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD

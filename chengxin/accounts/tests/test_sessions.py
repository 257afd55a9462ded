"""The idle timeout without a session write on every request (issue 18.1, accounts.middleware):
30 minutes without a request always ends the session, 28 never do, and an active session is
written at most every 2 minutes."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core.tests.fixtures import PASSWORD

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def start(clock) -> datetime.datetime:
    """A moment on today's date, frozen: the test moves the clock from there."""
    moment = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    clock.travel(moment)
    return moment


@pytest.fixture
def staff(make_user, start, client) -> Client:
    make_user(Role.CREDIT_ADMIN, username="sun")
    response = client.post("/accounts/login/", {"username": "sun", "password": PASSWORD})
    assert response.status_code == 302
    return client


def expiry() -> datetime.datetime:
    return Session.objects.get().expire_date


def at(clock, start: datetime.datetime, minutes: float) -> None:
    clock.travel(start + datetime.timedelta(minutes=minutes))


def logged_in(client: Client) -> bool:
    return client.get("/staff/").status_code == 200


def test_the_settings(settings) -> None:
    assert settings.SESSION_IDLE_TIMEOUT_SECONDS == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 2 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST


def test_requests_within_the_refresh_interval_do_not_write_the_session(staff, clock, start) -> None:
    written = expiry()
    for minutes in (0.5, 1, 1.9):
        at(clock, start, minutes)
        assert logged_in(staff)
        assert expiry() == written  # no write
    at(clock, start, 2)
    assert logged_in(staff)
    assert expiry() == written + 2 * MINUTE  # refreshed


def test_a_session_in_use_outlives_the_timeout(staff, clock, start) -> None:
    for minutes in range(0, 61, 5):
        at(clock, start, minutes)
        assert logged_in(staff), minutes


@pytest.mark.parametrize(("idle", "expected"), [(27.9, True), (29.9, True), (30.1, False)])
def test_idle_since_the_last_refresh(staff, clock, start, idle, expected) -> None:
    at(clock, start, idle)
    assert logged_in(staff) is expected


def test_the_effective_window_is_28_to_30_minutes_after_the_last_request(
    staff, clock, start
) -> None:
    """The last refresh may lie up to 2 minutes before the last request."""
    at(clock, start, 1.9)  # a request that does not refresh (the login did, at 0)
    assert logged_in(staff)
    at(clock, start, 1.9 + 28.2)  # 28.2 minutes after that request, 30.1 after the refresh
    assert not logged_in(staff)


def test_an_idle_logout_is_audited_and_ends_the_session(staff, clock, start) -> None:
    at(clock, start, 31)
    response = staff.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    entry = AuditEntry.objects.filter(action=AuditAction.LOGGED_OUT).first()
    assert entry is not None and entry.actor_name == "sun"
    at(clock, start, 31.5)
    assert not logged_in(staff)


def test_the_stored_session_outlives_the_timeout_by_one_interval(staff, start) -> None:
    """The middleware ends a session; the database's expiry only cleans up."""
    assert expiry() == start + 32 * MINUTE

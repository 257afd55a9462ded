"""API tokens: which bearer tokens stand for an account, and what the account comes with."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.accounts.models import ApiToken, User
from chengxin.accounts.tokens import issue_token, user_for_request


def request_with(header: str) -> Any:
    return RequestFactory().post("/api/v1/checks", HTTP_AUTHORIZATION=header)


@pytest.fixture
def service(make_user: Callable[..., User]) -> User:
    return make_user(Role.CREDIT_CHECKER)


@pytest.fixture
def issued(service: User) -> tuple[ApiToken, str]:
    return issue_token(service, "审批系统")


def test_a_valid_token_gives_its_user_with_department_and_roles(
    issued: tuple[ApiToken, str], service: User, django_assert_num_queries: Any
) -> None:
    record, token = issued
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    with django_assert_num_queries(1):  # the user, department and roles by token: plain SQL
        user = user_for_request(request_with(f"Bearer {token}"))
        assert user is not None
        assert user.department is not None and user.department.name == service.department.name
        assert user.roles == frozenset({Role.CREDIT_CHECKER})
    assert user == service and user.username == service.username and user.is_active is True
    assert user.date_joined == User.objects.get(pk=service.pk).date_joined  # aware, as the ORM


def test_all_roles_of_the_user_come_with_it(
    make_user: Callable[..., User], django_assert_num_queries: Any
) -> None:
    user = make_user(Role.CREDIT_CHECKER, Role.DEPARTMENT_REPORTER)
    token = issue_token(user, "审批系统")[1]
    found = user_for_request(request_with(f"Bearer {token}"))
    assert found is not None
    assert found.roles == frozenset({Role.CREDIT_CHECKER, Role.DEPARTMENT_REPORTER})


def test_a_user_without_department_or_roles(make_user: Callable[..., User]) -> None:
    user = make_user(department=None)
    user.department = None
    user.save()
    token = issue_token(user, "无部门")[1]
    found = user_for_request(request_with(f"Bearer {token}"))
    assert found is not None and found.department is None and found.roles == frozenset()


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer cx_unknown", "Basic cx_abc", "Bearer not-our-prefix"]
)
def test_no_or_an_unknown_token_gives_nobody(issued: tuple[ApiToken, str], header: str) -> None:
    assert user_for_request(request_with(header)) is None


def test_the_scheme_is_case_insensitive(issued: tuple[ApiToken, str]) -> None:
    assert user_for_request(request_with(f"bearer {issued[1]}")) is not None


def test_a_deactivated_token_gives_nobody(issued: tuple[ApiToken, str]) -> None:
    record, token = issued
    ApiToken.objects.filter(pk=record.pk).update(is_active=False)
    assert user_for_request(request_with(f"Bearer {token}")) is None


def test_an_inactive_user_gives_nobody(issued: tuple[ApiToken, str], service: User) -> None:
    User.objects.filter(pk=service.pk).update(is_active=False)
    assert user_for_request(request_with(f"Bearer {issued[1]}")) is None


def test_a_token_expires_at_its_expiry_time(issued: tuple[ApiToken, str]) -> None:
    record, token = issued
    expires = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=expires)
    request = request_with(f"Bearer {token}")
    just_before = expires - datetime.timedelta(microseconds=1)
    assert user_for_request(request, now=just_before) is not None
    assert user_for_request(request, now=expires) is None  # valid only while expires_at > now
    assert user_for_request(request, now=expires + datetime.timedelta(days=1)) is None
    assert user_for_request(request) is not None  # now: an hour before


def test_an_expired_token_gives_nobody(issued: tuple[ApiToken, str]) -> None:
    record, token = issued
    past = timezone.now() - datetime.timedelta(seconds=1)
    ApiToken.objects.filter(pk=record.pk).update(expires_at=past)
    assert user_for_request(request_with(f"Bearer {token}")) is None


def test_use_is_recorded_to_the_minute(issued: tuple[ApiToken, str]) -> None:
    record, token = issued
    request = request_with(f"Bearer {token}")
    first = timezone.now()
    user_for_request(request, now=first)
    assert ApiToken.objects.get(pk=record.pk).last_used_at == first
    user_for_request(request, now=first + datetime.timedelta(seconds=59))
    assert ApiToken.objects.get(pk=record.pk).last_used_at == first
    later = first + datetime.timedelta(minutes=2)
    user_for_request(request, now=later)
    assert ApiToken.objects.get(pk=record.pk).last_used_at == later


def test_a_refused_token_is_not_marked_used(issued: tuple[ApiToken, str]) -> None:
    record, token = issued
    ApiToken.objects.filter(pk=record.pk).update(is_active=False)
    user_for_request(request_with(f"Bearer {token}"))
    assert ApiToken.objects.get(pk=record.pk).last_used_at is None


def test_role_codes_can_be_joined_by_commas() -> None:
    """The token's statement joins the user's role codes with commas and splits them again."""
    assert all("," not in role for role in Role.values)

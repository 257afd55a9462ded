"""API tokens: which bearer tokens stand for an account, and what the account comes with."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from chengxin.accounts.actions import create_api_token, revoke_api_token
from chengxin.accounts.choices import Role
from chengxin.accounts.models import ApiToken, User
from chengxin.accounts.tokens import issue_token, user_for_request
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry


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


# --- issuing, listing and revoking (issue 18.5) -----------------------------------------------


def test_a_new_token_gets_the_default_term(service: User, settings) -> None:
    record, token = create_api_token(service, "审批系统", actor=service)
    today = timezone.localdate()
    assert record.valid_through == today + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    assert user_for_request(request_with(f"Bearer {token}")) == service
    created = AuditEntry.objects.filter(object_type="accounts.apitoken").first()
    assert created.action == AuditAction.CREATED and created.actor_id == service.pk
    assert "token_hash" not in created.after and token not in str(created.after)


def test_a_token_is_valid_through_its_last_day(service: User, clock) -> None:
    clock.travel(datetime.date(2027, 3, 1))
    _record, token = create_api_token(
        service, "审批系统", actor=service, expires_on=datetime.date(2027, 3, 10)
    )
    request = request_with(f"Bearer {token}")
    clock.travel(timezone.make_aware(datetime.datetime(2027, 3, 10, 23, 59)))
    assert user_for_request(request) == service
    clock.travel(timezone.make_aware(datetime.datetime(2027, 3, 11, 0, 0)))
    assert user_for_request(request) is None


@pytest.mark.parametrize(
    ("days", "message"), [(-1, "有效期不能早于今天"), (366, "有效期最长 365 天")]
)
def test_an_expiry_outside_the_limits_is_refused(service: User, settings, days, message) -> None:
    settings.API_TOKEN_MAX_DAYS = 365
    expires_on = timezone.localdate() + datetime.timedelta(days=days)
    with pytest.raises(ValidationError, match=message):
        create_api_token(service, "审批系统", actor=service, expires_on=expires_on)
    assert not ApiToken.objects.exists()
    at_most = timezone.localdate() + datetime.timedelta(days=365)
    assert create_api_token(service, "审批系统", actor=service, expires_on=at_most)[0].pk


def test_only_the_security_admin_issues_for_another_account(
    service: User, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        create_api_token(service, "审批系统", actor=make_user(Role.SYSTEM_ADMIN))
    record, _token = create_api_token(service, "审批系统", actor=make_user(Role.SECURITY_ADMIN))
    assert record.user == service


def test_revoking_ends_the_token_and_is_audited(
    issued: tuple[ApiToken, str], service: User, make_user: Callable[..., User]
) -> None:
    record, token = issued
    with pytest.raises(PermissionDenied):
        revoke_api_token(record, actor=make_user(Role.CREDIT_CHECKER))
    revoke_api_token(record, actor=service)
    assert user_for_request(request_with(f"Bearer {token}")) is None
    entry = AuditEntry.objects.filter(object_type="accounts.apitoken").first()
    assert entry.action == AuditAction.UPDATED and entry.after == {"is_active": False}
    with pytest.raises(ValidationError, match="已撤销"):
        revoke_api_token(record, actor=service)


def test_the_page_lists_issues_once_and_revokes(client, service: User) -> None:
    old, _ = issue_token(service, "旧系统")
    ApiToken.objects.filter(pk=old.pk).update(last_used_at=timezone.now())
    client.force_login(service)
    page = client.get("/accounts/tokens/").content.decode()
    assert "旧系统" in page and "从未使用" not in page and "有效期至（含当日）" in page
    assert 'name="username"' not in page  # own tokens only
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post("/accounts/tokens/", {"name": "审批系统", "expires_on": expires_on})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    token = response.context["token"]
    assert token.startswith("cx_") and token in response.content.decode()
    assert token not in client.get("/accounts/tokens/").content.decode()  # shown once
    record = ApiToken.objects.get(name="审批系统")
    assert record.valid_through == expires_on and record.user == service
    revoked = client.post(f"/accounts/tokens/{record.pk}/revoke/", follow=True)
    assert "已撤销" in revoked.content.decode()
    assert not ApiToken.objects.get(pk=record.pk).is_active


def test_the_page_shows_others_tokens_only_to_the_security_admin(
    client, service: User, make_user: Callable[..., User]
) -> None:
    record, _ = issue_token(service, "审批系统")
    colleague = make_user(Role.CREDIT_CHECKER)
    client.force_login(colleague)
    assert "审批系统" not in client.get("/accounts/tokens/").content.decode()
    assert client.post(f"/accounts/tokens/{record.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=record.pk).is_active
    security = make_user(Role.SECURITY_ADMIN)
    client.force_login(security)
    page = client.get("/accounts/tokens/").content.decode()
    assert "审批系统" in page and 'name="username"' in page
    response = client.post(
        "/accounts/tokens/",
        {"username": colleague.username, "name": "交易系统", "expires_on": timezone.localdate()},
    )
    assert response.status_code == 200 and ApiToken.objects.get(name="交易系统").user == colleague


def test_the_page_refuses_an_expiry_beyond_the_maximum(client, service: User, settings) -> None:
    client.force_login(service)
    too_late = timezone.localdate() + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS + 1)
    response = client.post("/accounts/tokens/", {"name": "审批系统", "expires_on": too_late})
    assert response.status_code == 400 and "有效期最长" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_command_creates_lists_and_revokes(service: User, capsys) -> None:
    expires_on = timezone.localdate() + datetime.timedelta(days=10)
    call_command(
        "tokens", "create", service.username, "--name", "审批系统", "--expires", str(expires_on)
    )
    out = capsys.readouterr().out
    token = out.strip().splitlines()[-1]
    record = ApiToken.objects.get()
    assert token.startswith("cx_") and record.valid_through == expires_on
    assert user_for_request(request_with(f"Bearer {token}")) == service
    assert AuditEntry.objects.filter(
        object_type="accounts.apitoken", reason="command line: tokens create"
    ).exists()
    call_command("tokens", "list")
    listing = capsys.readouterr().out
    assert f"{record.pk}\t审批系统\t{service.username}" in listing
    assert f"有效期至 {expires_on}\t最近使用 {timezone.localdate()}" in listing
    assert token not in listing
    call_command("tokens", "revoke", str(record.pk))
    assert not ApiToken.objects.get().is_active
    call_command("tokens", "list", "--active")
    assert "没有令牌" in capsys.readouterr().out
    with pytest.raises(CommandError, match="已撤销"):
        call_command("tokens", "revoke", str(record.pk))


def test_the_command_refuses_an_expiry_beyond_the_maximum(service: User, settings) -> None:
    too_late = timezone.localdate() + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS + 1)
    with pytest.raises(CommandError, match="有效期最长"):
        call_command(
            "tokens", "create", service.username, "--name", "X", "--expires", str(too_late)
        )

"""The factories of this app and the users of its tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.powers.tests.fixtures import make_power_item  # noqa: F401


@pytest.fixture
def law_admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.RULE_OF_LAW_ADMIN)


@pytest.fixture
def case_officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ENFORCEMENT_OFFICER)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def registrar(make_user: Callable[..., User]) -> User:
    """A second person of the rule-of-law office: records the government's approval."""
    return make_user(Role.RULE_OF_LAW_ADMIN)


@pytest.fixture
def market(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局")


@pytest.fixture
def liaison(make_user: Callable[..., User], market: Department) -> User:
    """区市场监管局's rule-of-law liaison: proposes its department's adjustments."""
    return make_user(Role.LEGAL_AFFAIRS_OFFICER, department=market)

"""The factories of this app and the users of its tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
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

"""The factories of this app and the users of its tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.agencies.tests.fixtures import (  # noqa: F401
    make_enforcement_body,
    make_enforcement_officer,
)


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

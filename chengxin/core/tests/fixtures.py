"""Factories as fixtures: each returns a function taking overrides."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import DepartmentKind
from chengxin.accounts.models import Department, User
from chengxin.core.identifiers import make_uscc

PASSWORD = "Test-Passw0rd!"


@pytest.fixture
def make_department(db: None) -> Callable[..., Department]:
    rng = random.Random(7)
    counter = iter(range(1, 10_000))

    def make(**overrides: Any) -> Department:
        n = next(counter)
        fields: dict[str, Any] = {
            "name": f"测试部门{n}",
            "short_name": f"部门{n}",
            "credit_code": make_uscc(rng, department="1", category="1"),
            "kind": DepartmentKind.GOVERNMENT_DEPARTMENT,
        }
        fields.update(overrides)
        return Department.objects.create(**fields)

    return make


@pytest.fixture
def make_user(db: None, make_department: Callable[..., Department]) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(*roles: str, department: Department | None = None, **overrides: Any) -> User:
        n = next(counter)
        username = overrides.pop("username", f"user{n}")
        fields: dict[str, Any] = {
            "full_name": f"测试用户{n}",
            "department": department or make_department(),
        }
        fields.update(overrides)
        user = User.objects.create_user(username, PASSWORD, **fields)
        for role in roles:
            assign_role(user, role, actor=None)
        return user

    return make

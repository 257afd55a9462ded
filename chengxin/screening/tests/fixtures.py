"""Factories for 联合奖惩 tests: the national catalogue, list entries, checkers."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.core.identifiers import make_uscc
from chengxin.screening import reference
from chengxin.screening.actions import save_entry
from chengxin.screening.models import ListEntry, ListType, Scenario
from chengxin.subjects.choices import SubjectCategory


@pytest.fixture
def catalogue(db: None) -> None:
    """The national list types, scenarios and measures (also after a flushing live-server test)."""
    reference.install(apps)


@pytest.fixture
def list_type(catalogue: None) -> Callable[[str], ListType]:
    return lambda code: ListType.objects.get(code=code)


@pytest.fixture
def scenario(catalogue: None) -> Callable[[str], Scenario]:
    return lambda code: Scenario.objects.get(code=code)


@pytest.fixture
def make_entry(catalogue: None) -> Callable[..., ListEntry]:
    rng = random.Random(11)
    counter = iter(range(1, 100_000))

    def make(list_code: str = "procurement_violation", **overrides: Any) -> ListEntry:
        n = next(counter)
        id_number = overrides.pop("id_number", "")
        fields: dict[str, Any] = {
            "list_type": ListType.objects.get(code=list_code),
            "subject_name": f"枣庄市台儿庄区测试{n}建材有限公司",
            "subject_category": SubjectCategory.LEGAL_ENTITY,
            "credit_code": make_uscc(rng),
            "listing_authority": "台儿庄区财政局",
            "document_number": f"台财采罚〔2026〕{n}号",
            "basis": "提供虚假材料谋取中标",
            "listed_on": datetime.date(2026, 1, 5),
        }
        fields.update(overrides)
        entry = ListEntry(**fields)
        if id_number:
            entry.set_id_number(id_number)
        return save_entry(entry, actor=None)

    return make


@pytest.fixture
def checker(make_user: Callable[..., User], make_department: Callable[..., Department]) -> User:
    return make_user(Role.CREDIT_CHECKER, department=make_department(name="台儿庄区行政审批服务局"))

"""core.loading.RowLoader: instances from plain SQL, with the values the ORM would give."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from chengxin.accounts.models import Department, User
from chengxin.core.loading import RowLoader

pytestmark = pytest.mark.django_db


def joined(user: User) -> tuple[Any, ...]:
    users, departments = RowLoader(User, "u"), RowLoader(Department, "d")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {users.columns}, {departments.columns} FROM accounts_user u"
            " LEFT JOIN accounts_department d ON d.id = u.department_id WHERE u.id = %s",
            [user.pk],
        )
        row = cursor.fetchone()
    return users, departments, row


def values(instance: Any) -> dict[str, Any]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_joined_row_gives_both_instances_as_the_orm_loads_them(
    make_user: Callable[..., User],
) -> None:
    user = make_user()
    users, departments, row = joined(user)
    loaded = users.instance(row)
    department = departments.instance(row[users.width :])
    expected = User.objects.get(pk=user.pk)
    assert values(loaded) == values(expected)
    assert values(department) == values(Department.objects.get(pk=user.department_id))
    # Converted, not the database's raw text and integers.
    assert loaded.is_active is True and loaded.date_joined.tzinfo is not None
    assert department.created_at == expected.department.created_at
    assert not loaded._state.adding and loaded._state.db == "default"
    assert loaded._loaded_values == values(expected)  # a change-logged model knows its row


def test_nulls_of_a_missing_join_stay_nulls(make_user: Callable[..., User]) -> None:
    user = make_user(department=None)
    user.department = None
    user.save()
    users, _departments, row = joined(user)
    assert users.instance(row).department_id is None
    assert set(row[users.width :]) == {None}

"""The workflow foundation (core.workflow): its helpers on the drafts test app, and the convention
that the workflow apps use it rather than helpers of their own."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.core.permissions import CHANGE
from chengxin.core.tests.drafts.models import Draft, DraftEvent
from chengxin.core.workflow import (
    WorkflowEvent,
    actions_allowed,
    allowed,
    locked,
    record,
    require,
    subject_field,
)

WORKFLOW_APPS = ("cases", "documents", "decisions", "repair", "disputes")
PRIVATE_HELPERS = {"_allowed", "_event", "_locked", "_require"}

TABLE = {
    "draft": frozenset({"submit", "withdraw"}),
    "submitted": frozenset({"approve"}),
    "approved": frozenset(),  # terminal
}


# --- allowed ------------------------------------------------------------------------------------


def test_an_action_listed_for_the_state_is_allowed() -> None:
    assert allowed(TABLE, "draft", "submit")
    assert actions_allowed(TABLE, "draft") == {"submit", "withdraw"}


def test_an_action_not_listed_for_the_state_is_not_allowed() -> None:
    assert not allowed(TABLE, "draft", "approve")
    assert not allowed(TABLE, "submitted", "submit")


def test_a_terminal_or_unknown_state_allows_nothing() -> None:
    assert actions_allowed(TABLE, "approved") == frozenset()
    assert not allowed(TABLE, "approved", "approve")
    assert not allowed(TABLE, "no-such-state", "submit")


# --- locked, require, record --------------------------------------------------------------------


@pytest.fixture
def draft(make_department: Callable[..., object]) -> Draft:
    return Draft.objects.create(department=make_department(), title="草稿")


@pytest.mark.django_db
def test_locked_rereads_the_row_inside_the_transaction(draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).update(title="已改")
    with transaction.atomic():
        row = locked(Draft, draft.pk)
        same = locked(Draft.objects.select_related("department"), draft.pk)
    assert row.title == "已改"
    assert same.pk == draft.pk


@pytest.mark.django_db(transaction=True)
def test_locked_is_refused_outside_a_transaction(draft: Draft) -> None:
    with pytest.raises(transaction.TransactionManagementError):
        locked(Draft, draft.pk)


@pytest.mark.django_db
def test_require_lets_a_permitted_user_through(
    draft: Draft, make_user: Callable[..., User]
) -> None:
    require(make_user(Role.DEPARTMENT_REPORTER, department=draft.department), CHANGE, draft)


@pytest.mark.django_db
def test_require_refuses_another_departments_user(
    draft: Draft, make_user: Callable[..., User]
) -> None:
    with pytest.raises(PermissionDenied):
        require(make_user(Role.DEPARTMENT_REPORTER), CHANGE, draft)


@pytest.mark.django_db
def test_record_writes_the_event_about_the_object(
    draft: Draft, make_user: Callable[..., User]
) -> None:
    actor = make_user()
    event = record(DraftEvent, draft, "submitted", actor, note="提交")
    assert list(draft.events.values_list("type", "actor", "note")) == [
        ("submitted", actor.pk, "提交")
    ]
    assert event.created_at is not None


@pytest.mark.django_db
def test_record_without_an_actor(draft: Draft) -> None:
    assert record(DraftEvent, draft, "received", None).actor is None


def test_subject_field_is_the_one_foreign_key_to_the_object() -> None:
    assert subject_field(DraftEvent, Draft) == "draft"


# --- the convention -----------------------------------------------------------------------------


def test_every_workflow_event_model_derives_from_the_base() -> None:
    events = [
        model
        for app in WORKFLOW_APPS
        for model in apps.get_app_config(app).get_models()
        if model.__name__.endswith("Event")
    ]
    assert len(events) == len(WORKFLOW_APPS)
    assert [m.__name__ for m in events if not issubclass(m, WorkflowEvent)] == []


def test_no_workflow_app_defines_its_own_helpers() -> None:
    root = Path(__file__).resolve().parents[2]
    found = [
        f"{path.relative_to(root)}: {node.name}"
        for app in WORKFLOW_APPS
        for path in sorted((root / app).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in PRIVATE_HELPERS
    ]
    assert found == []

"""The workflow foundation: one event model and one set of helpers for every workflow app.

A workflow (cases, documents, decisions, repair, disputes) is a state table plus actions. Each
action in the app's `actions.py`:

1. `require(actor, action, obj)`: refuse unless the actor may (through `core.permissions`);
2. `locked(model, pk)`: re-read the row under `select_for_update`, inside the action's
   transaction, so two clerks cannot both move the same record;
3. `allowed(table, state, action)`: whether the row's state admits the action now, from the
   app's state table (state → the actions allowed in it; a terminal state maps to nothing);
4. changes the row and `record(EventModel, obj, kind, actor, ...)`s what happened, in the same
   transaction (docs/style.md, "Audit": only actions write the event table).

Core imports no app (docs/architecture.md, "Layers"): the actor is `settings.AUTH_USER_MODEL`
and the permission rules come from whichever app provides `core.permissions`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.core import permissions

ModelT = TypeVar("ModelT", bound=models.Model)
EventT = TypeVar("EventT", bound="WorkflowEvent")

StateTable = Mapping[str, Collection[str]]


class WorkflowEvent(models.Model):
    """One thing that happened in a workflow: what (`type`), who (`actor`), when (`created_at`).

    A concrete event model adds its foreign key(s) to the object the workflow moves, its own
    `type` (the app's EventType choices and length), and whatever else it records (a note, a
    payload, the step). Fields may be redeclared: disputes' actor, for one, is never empty.
    """

    type = models.CharField(_("事项"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        abstract = True


def actions_allowed(table: StateTable, state: str) -> frozenset[str]:
    """The actions `table` allows in `state` (none for a terminal or unknown state)."""
    return frozenset(table.get(state, ()))


def allowed(table: StateTable, state: str, action: str) -> bool:
    """Whether `table` allows `action` in `state`."""
    return action in actions_allowed(table, state)


def require(user: Any, action: str, obj: models.Model | type[models.Model]) -> None:
    """Raise PermissionDenied unless `user` may do `action` to `obj` (a row, or a model)."""
    if not permissions.can(user, action, obj):
        raise PermissionDenied


def locked(model: type[ModelT] | models.QuerySet[ModelT], pk: Any) -> ModelT:
    """The row `pk` of `model` (or of a queryset, for its select_related) re-read under a row
    lock, which holds until the caller's transaction ends; refused outside a transaction."""
    queryset = model if isinstance(model, models.QuerySet) else model._default_manager.all()
    if not transaction.get_connection(queryset.db).in_atomic_block:
        raise transaction.TransactionManagementError(
            "locked() must run inside the action's transaction.atomic()."
        )
    row: ModelT = queryset.select_for_update().get(pk=pk)
    return row


def record(
    event_model: type[EventT], obj: models.Model, kind: str, actor: Any, **fields: Any
) -> EventT:
    """Write the event `kind` about `obj` by `actor` (None for the public or the system);
    `fields` are the event model's own (note, payload, ...)."""
    subject = subject_field(event_model, type(obj))
    event: EventT = event_model._default_manager.create(
        **{subject: obj}, type=kind, actor=actor, **fields
    )
    return event


def subject_field(event_model: type[WorkflowEvent], model: type[models.Model]) -> str:
    """The name of `event_model`'s one foreign key to `model` (the object an event is about)."""
    names = [
        field.name
        for field in event_model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.name != "actor"
        and isinstance(field.related_model, type)
        and issubclass(model, field.related_model)
    ]
    if len(names) != 1:
        raise FieldDoesNotExist(
            f"{event_model.__name__} has {len(names)} foreign keys to {model.__name__}, not one."
        )
    return names[0]

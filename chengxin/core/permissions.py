"""The permission interface core asks through; `accounts` provides the rules.

Core's querysets, admin, navigation and personal data need to know who may do what, but core
imports no app of ours (docs/architecture.md, "Layers"). It asks these functions; the accounts app
hands them its rules (`accounts/permissions.py`, the one place that says who may do what) in its
`AppConfig.ready`.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import models

QuerySetT = TypeVar("QuerySetT", bound=models.QuerySet[Any])

# The actions, core's vocabulary: Django's four, then import a file, review/approve, export, and
# see a personal field in full.
VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"
IMPORT, REVIEW, EXPORT, REVEAL = "import", "review", "export", "reveal"


class Rules(Protocol):
    """What the provider answers (accounts.permissions does)."""

    def can(self, user: Any, action: str, obj: models.Model | type[models.Model]) -> bool: ...

    def restrict(self, queryset: QuerySetT, user: Any, action: str) -> QuerySetT: ...


_rules: list[Rules] = []


def provide(rules: Rules) -> None:
    """Install the rules (once, from the providing app's `ready`)."""
    _rules[:] = [rules]


def _provided() -> Rules:
    if not _rules:
        raise ImproperlyConfigured("No permission rules: is chengxin.accounts installed?")
    return _rules[0]


def can(user: Any, action: str, obj: models.Model | type[models.Model]) -> bool:
    """Whether `user` may do `action` to `obj` (a row, or a model for any row of it)."""
    return _provided().can(user, action, obj)


def restrict(queryset: QuerySetT, user: Any, action: str) -> QuerySetT:
    """`queryset` limited to the rows `user` may do `action` to."""
    return _provided().restrict(queryset, user, action)

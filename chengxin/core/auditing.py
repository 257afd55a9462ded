"""The audit interface core acts through; `audit` provides it.

Core refuses to change a published record without a reason, runs the demo steps and the
organisation files under a reason, and records who saw a personal field in full; the audit trail
that carries these is the audit app's (its request context and hash-chained log), and core imports
no app of ours (docs/architecture.md, "Layers"). The audit app hands an implementation to
`provide()` in its `AppConfig.ready`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models


class Trail(Protocol):
    """What the provider does (audit.context and audit.log, through audit/apps.py)."""

    def change_reason(self) -> str:
        """The reason given for the action under way ("" when none)."""
        ...

    def acting(self, *, reason: str) -> AbstractContextManager[Any]:
        """A block whose changes share one request id and carry `reason`."""
        ...

    def record_sensitive_read(self, instance: models.Model, field: str, *, actor: Any) -> None:
        """`actor` saw the full value of `field` on `instance`."""
        ...


_trail: list[Trail] = []


def provide(trail: Trail) -> None:
    """Install the audit trail (once, from the providing app's `ready`)."""
    _trail[:] = [trail]


def _provided() -> Trail:
    if not _trail:
        raise ImproperlyConfigured("No audit trail: is chengxin.audit installed?")
    return _trail[0]


def change_reason() -> str:
    return _provided().change_reason()


def acting(*, reason: str) -> AbstractContextManager[Any]:
    return _provided().acting(reason=reason)


def record_sensitive_read(instance: models.Model, field: str, *, actor: Any) -> None:
    _provided().record_sensitive_read(instance, field, actor=actor)

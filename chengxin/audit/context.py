"""Who is acting, for which request, and why: carried to the audit receivers by a context var.

The middleware sets it for each web request; commands and background jobs use `audit_context()`
so that a bulk action shares one request id.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    actor: Any = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    ip_address: str | None = None
    reason: str = ""


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    """The active context, or a fresh anonymous one (system actions outside any request)."""
    return _current.get() or AuditContext()


@contextmanager
def audit_context(
    *,
    actor: Any = None,
    request_id: uuid.UUID | None = None,
    ip_address: str | None = None,
    reason: str | None = None,
) -> Iterator[AuditContext]:
    """Run a block as `actor`, under one request id, optionally with a change reason."""
    base = _current.get()
    context = AuditContext(
        actor=actor if actor is not None else (base.actor if base else None),
        request_id=request_id or (base.request_id if base else uuid.uuid4()),
        ip_address=ip_address or (base.ip_address if base else None),
        reason=reason if reason is not None else (base.reason if base else ""),
    )
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def change_reason(reason: str) -> Iterator[AuditContext]:
    """Give the reason that edits of published records require (行政处罚法 art. 48 withdrawals…)."""
    context = replace(current(), reason=reason)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)

"""The audit trail as core asks for it (`core.auditing`): installed by `AuditConfig.ready`."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from django.db import models

from chengxin.audit import context


class AuditTrail:
    """core.auditing.Trail over the request context and the hash-chained log."""

    def change_reason(self) -> str:
        return context.current().reason

    def acting(self, *, reason: str) -> AbstractContextManager[Any]:
        return context.audit_context(reason=reason)

    def record_sensitive_read(self, instance: models.Model, field: str, *, actor: Any) -> None:
        from chengxin.audit.log import record_sensitive_read  # the log's models: after loading

        record_sensitive_read(instance, field, actor=actor)

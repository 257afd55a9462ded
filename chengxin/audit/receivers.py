"""The change log: infrastructure signal receivers (the only ones in the project).

Every save and delete of a ChangeLoggedModel writes an audit entry with the before and after
values. `QuerySet.update()` and `bulk_create()` send no signals: code that uses them (bulk imports)
calls `audit.log.append()` itself, inside the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from chengxin.audit import log
from chengxin.audit.choices import AuditAction
from chengxin.audit.context import audit_context
from chengxin.audit.middleware import client_ip
from chengxin.core.models import ChangeLoggedModel

IGNORED_FIELDS = frozenset({"updated_at"})


def on_post_save(
    sender: type, instance: ChangeLoggedModel, created: bool, raw: bool = False, **_: Any
) -> None:
    if raw or not isinstance(instance, ChangeLoggedModel):
        return
    log_saved(instance, created=created)


def log_saved(instance: ChangeLoggedModel, *, created: bool) -> None:
    """The change-log entry of a saved row, as `post_save` writes it. Also for code that stores
    a row in plain SQL on a hot path (a single credit check) and must log it the same way."""
    after = log.snapshot(instance)
    before = (
        None
        if created or instance._loaded_values is None
        else log.snapshot(instance, instance._loaded_values)
    )
    instance._loaded_values = {
        f.attname: f.value_from_object(instance) for f in instance._meta.concrete_fields
    }
    if before is not None:
        changed = {k for k in after if before.get(k) != after[k]} - IGNORED_FIELDS
        if not changed:
            return
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    action = AuditAction.CREATED if before is None else AuditAction.UPDATED
    log.append([log.event_for(action, instance, before=before, after=after)])


def on_post_delete(sender: type, instance: ChangeLoggedModel, **_: Any) -> None:
    if isinstance(instance, ChangeLoggedModel):
        log.append([log.event_for(AuditAction.DELETED, instance, before=log.snapshot(instance))])


def _with_request(request: HttpRequest | None, user: Any, action: str, name: str = "") -> None:
    ip = client_ip(request) if request is not None else None
    with audit_context(actor=user, ip_address=ip):
        event = log.Event(
            action=action,
            object_type="accounts.user",
            object_id=str(user.pk) if user is not None and user.pk else "",
            object_repr=name or (str(user) if user is not None else ""),
            actor_name=name or None,
        )
        log.append([event])


def on_logged_in(sender: type, request: HttpRequest, user: Any, **_: Any) -> None:
    _with_request(request, user, AuditAction.LOGGED_IN)


def on_logged_out(sender: type, request: HttpRequest, user: Any, **_: Any) -> None:
    if user is not None:
        _with_request(request, user, AuditAction.LOGGED_OUT)


def on_login_failed(
    sender: type, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any
) -> None:
    _with_request(
        request, None, AuditAction.LOGIN_FAILED, str(credentials.get("username", ""))[:150]
    )


def connect() -> None:
    post_save.connect(on_post_save, dispatch_uid="audit-post-save")
    post_delete.connect(on_post_delete, dispatch_uid="audit-post-delete")
    user_logged_in.connect(on_logged_in, dispatch_uid="audit-logged-in")
    user_logged_out.connect(on_logged_out, dispatch_uid="audit-logged-out")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit-login-failed")

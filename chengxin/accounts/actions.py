"""Account actions: each checks who may act, changes the data and leaves the audit trail."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from chengxin.accounts.models import User, UserRole
from chengxin.accounts.permissions import ADD, DELETE, can
from chengxin.audit.context import audit_context


def assign_role(user: User, role: str, *, actor: User | None) -> UserRole:
    """Give `user` the `role`. Only the security administrator may (None: system bootstrap).

    Refuses a combination that breaks 三员分立 (UserRole.clean).
    """
    if actor is not None and not can(actor, ADD, UserRole):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor):
        assignment = UserRole(user=user, role=role)
        assignment.full_clean()
        assignment.save()
    user.__dict__.pop("roles", None)
    return assignment


def revoke_role(user: User, role: str, *, actor: User) -> None:
    if not can(actor, DELETE, UserRole):
        raise PermissionDenied
    with transaction.atomic(), audit_context(actor=actor):
        for assignment in UserRole.objects.filter(user=user, role=role):
            assignment.delete()
    user.__dict__.pop("roles", None)

"""The one place that says who may do what to which rows.

Every model belongs to a permission *area* (`Model.permission_area`, default: its app label). A
role grants actions on areas with a scope: ALL rows or the rows of the user's own DEPARTMENT
(`Model.department_field`). Views, the admin, the API and querysets all ask this module:
`Model.objects.restrict(user, action)` for lists, `can(user, action, obj)` for one object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.db import models

from chengxin.accounts.choices import Role, Scope

# The actions are core's vocabulary (core.permissions asks these rules through the same names).
from chengxin.core.permissions import (
    ADD as ADD,
)
from chengxin.core.permissions import (
    CHANGE as CHANGE,
)
from chengxin.core.permissions import (
    DELETE as DELETE,
)
from chengxin.core.permissions import (
    EXPORT as EXPORT,
)
from chengxin.core.permissions import (
    IMPORT as IMPORT,
)
from chengxin.core.permissions import (
    REVEAL as REVEAL,
)
from chengxin.core.permissions import (
    REVIEW as REVIEW,
)
from chengxin.core.permissions import (
    VIEW as VIEW,
)

if TYPE_CHECKING:
    from chengxin.accounts.models import User

QuerySetT = TypeVar("QuerySetT", bound=models.QuerySet[Any])

CRUD = frozenset({VIEW, ADD, CHANGE, DELETE})

# Areas that are parts of other records rather than models of their own (`may()`):
# a user's department, which is their data scope (assigned like a role);
DATA_SCOPE = "data_scope"
# the accounts of the security and audit administrators (active state, department): the system
# administrator must not switch off the people who watch over them (三员分立);
ADMINISTRATOR_ACCOUNTS = "administrator_accounts"
# the security-relevant local settings and their pending changes (core.local_settings).
SECURITY_POLICY = "security_policy"

# The fields of an account, as the admin edits them.
PROFILE_FIELDS = frozenset({"username", "full_name", "phone"})
ACCOUNT_FIELDS = PROFILE_FIELDS | {"department", "is_active"}


@dataclass(frozen=True)
class Grant:
    area: str
    actions: frozenset[str]
    scope: Scope


def _grant(area: str, actions: Iterable[str], scope: Scope = Scope.ALL) -> Grant:
    return Grant(area, frozenset(actions), scope)


ROLE_GRANTS: dict[str, tuple[Grant, ...]] = {
    # Accounts, departments and reference data (calendar, code tables); not roles, not audit.
    Role.SYSTEM_ADMIN: (
        # The district's set-up files too (imports.OrganisationImport).
        _grant("departments", CRUD | {IMPORT}),
        _grant("accounts", {VIEW, ADD, CHANGE}),
        _grant("reference", CRUD),
    ),
    # Role assignment, lockouts and security policy; cannot create accounts or touch data.
    # "roles" covers API tokens too (every account's, ApiToken.permission_area).
    Role.SECURITY_ADMIN: (
        _grant("accounts", {VIEW}),
        _grant("roles", CRUD),
        _grant("axes", {VIEW, DELETE}),
        _grant(DATA_SCOPE, {CHANGE}),
        _grant(ADMINISTRATOR_ACCOUNTS, {CHANGE}),
        _grant(SECURITY_POLICY, {VIEW, CHANGE}),
    ),
    # Reads the audit log; changes nothing.
    Role.AUDIT_ADMIN: (_grant("audit", {VIEW}),),
    # The credit office: district-wide on subjects and records; sees full ID numbers.
    Role.CREDIT_ADMIN: (
        _grant("departments", {VIEW}),
        _grant("reference", {VIEW}),
        _grant("subjects", CRUD | {REVEAL, IMPORT, EXPORT}),
        _grant("records", CRUD | {IMPORT, REVIEW, EXPORT}),
        _grant("portal", {VIEW}),  # issued credit reports
        # 联合奖惩: the lists and the measures catalogue; every department's checks.
        _grant("lists", CRUD | {IMPORT, EXPORT}),
        _grant("checks", {VIEW, REVIEW, EXPORT}),
        # 信用修复: the queue and its decisions; the synchronisation outbox (dead letters).
        _grant("repair", {VIEW, CHANGE, REVIEW}),
        _grant("outbox", {VIEW, CHANGE}),
        _grant("reports", {VIEW}),
        # The annual 法治政府建设年度报告 (its 社会信用 chapter is the credit office's work): read.
        _grant("annual_reports", {VIEW}),
    ),
    # A department's reporter: its own department's records only.
    Role.DEPARTMENT_REPORTER: (
        _grant("subjects", {VIEW, ADD}),
        _grant("records", {VIEW, ADD, CHANGE, DELETE, IMPORT}, Scope.DEPARTMENT),
        # The deciding department's opinion on repair applications about its own records.
        _grant("repair", {VIEW, CHANGE}, Scope.DEPARTMENT),
    ),
    # Approval and trading staff: run credit checks for their own department.
    Role.CREDIT_CHECKER: (
        _grant("subjects", {VIEW}),
        _grant("lists", {VIEW}),
        _grant("checks", {VIEW, ADD, CHANGE, EXPORT}, Scope.DEPARTMENT),
    ),
    # The legal office: reviews the legality of enforcement decisions, normative documents and
    # major decisions, district-wide (法制审核 / 合法性审核 / 合法性审查).
    Role.LEGAL_REVIEWER: (
        _grant("subjects", {VIEW}),
        _grant("legality", {VIEW, REVIEW}),
        _grant("agencies", {VIEW}),
        _grant("powers", {VIEW}),
        _grant("cases", {VIEW}),
        _grant("documents", {VIEW}),
        _grant("decisions", {VIEW}),
    ),
    # The rule-of-law office: enforcement bodies and officers, the power list, the document
    # register and its filing, the decision catalogue, disputes, capacity and the annual report.
    Role.RULE_OF_LAW_ADMIN: (
        _grant("departments", {VIEW}),
        _grant("reference", {VIEW}),
        _grant("subjects", {VIEW}),
        _grant("records", {VIEW, EXPORT}),
        _grant("agencies", CRUD | {IMPORT, EXPORT, REVIEW}),
        # The power list: loads the list as published; reviews the departments' adjustment
        # proposals and records the government's approval (two different people, powers.rules).
        _grant("powers", CRUD | {IMPORT, EXPORT}),
        _grant("power_proposals", {VIEW, ADD, CHANGE, REVIEW}),
        _grant("cases", {VIEW, EXPORT}),
        _grant("documents", CRUD | {REVIEW, EXPORT}),
        _grant("decisions", CRUD | {EXPORT}),
        _grant("disputes", CRUD | {EXPORT}),
        _grant("capacity", CRUD | {EXPORT}),
        _grant("reports", {VIEW, EXPORT}),
        # The annual 法治政府建设年度报告: writes the government's; reviews (returns, finalises)
        # the departments' and publishes (REVIEW, reports.rules.is_office). Versions are never
        # deleted (a finalised one is filed).
        _grant("annual_reports", {VIEW, ADD, CHANGE, REVIEW, EXPORT}),
    ),
    # An enforcement body's case handler: its own department's cases, online from 立案 to 结案.
    Role.ENFORCEMENT_OFFICER: (
        _grant("subjects", {VIEW, ADD}),
        _grant("agencies", {VIEW}),
        _grant("powers", {VIEW}),
        _grant("cases", {VIEW, ADD, CHANGE}, Scope.DEPARTMENT),
    ),
    # A department's rule-of-law liaison: drafts its documents, runs its decisions' procedure,
    # records its disputes and its staff's exams and study.
    Role.LEGAL_AFFAIRS_OFFICER: (
        # The power list: reads it all; proposes its own department's adjustments (调整申请).
        _grant("powers", {VIEW}),
        _grant("power_proposals", {VIEW, ADD, CHANGE}, Scope.DEPARTMENT),
        _grant("documents", {VIEW, ADD, CHANGE}, Scope.DEPARTMENT),
        _grant("decisions", {VIEW, ADD, CHANGE}, Scope.DEPARTMENT),
        _grant("disputes", {VIEW, ADD, CHANGE, EXPORT}, Scope.DEPARTMENT),
        _grant("capacity", {VIEW, ADD, CHANGE, EXPORT}, Scope.DEPARTMENT),
        # Its own department's annual report: writes and submits it.
        _grant("annual_reports", {VIEW, ADD, CHANGE}, Scope.DEPARTMENT),
    ),
}


def area_of(model: type[models.Model] | models.Model) -> str:
    return str(getattr(model, "permission_area", model._meta.app_label))


def scope_for(user: User | Any, action: str, model: type[models.Model] | models.Model) -> Scope:
    """The widest scope any of the user's roles grants for `action` on `model`'s area."""
    return scope_for_area(user, action, area_of(model))


def scope_for_area(user: User | Any, action: str, area: str) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.NONE
    best = Scope.NONE
    for role in user.roles:
        for grant in ROLE_GRANTS.get(role, ()):
            if grant.area == area and action in grant.actions and grant.scope > best:
                best = grant.scope
    return best


def may(user: User | Any, action: str, area: str) -> bool:
    """May `user` do `action` in an area that is not a model (DATA_SCOPE, SECURITY_POLICY …)?"""
    return scope_for_area(user, action, area) is Scope.ALL


def department_id_of(obj: models.Model) -> int | None:
    field = getattr(obj, "department_field", None)
    if field is None:
        return None
    value = getattr(obj, f"{field}_id", None)
    return int(value) if value is not None else None


def can(user: User | Any, action: str, obj: models.Model | type[models.Model]) -> bool:
    """May `user` do `action` on `obj` (an instance, or a model class for "any row")?"""
    scope = scope_for(user, action, obj)
    if scope is Scope.ALL:
        return True
    if scope is Scope.NONE:
        return False
    if isinstance(obj, type):
        return True  # some rows: those of the user's department
    return user.department_id is not None and department_id_of(obj) == user.department_id


def restrict(queryset: QuerySetT, user: User | Any, action: str) -> QuerySetT:
    """The rows of `queryset` on which `user` may do `action`."""
    scope = scope_for(user, action, queryset.model)
    if scope is Scope.ALL:
        return queryset
    field = getattr(queryset.model, "department_field", None)
    if scope is Scope.DEPARTMENT and field and user.department_id is not None:
        return queryset.filter(**{field: user.department_id})
    return queryset.none()


def has_django_perm(user: User | Any, perm: str, obj: models.Model | None = None) -> bool:
    """Answer Django's `user.has_perm("app_label.action_model")` from the role grants."""
    app_label, _, codename = perm.partition(".")
    action, _, model_name = codename.partition("_")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return can(user, action, obj if obj is not None else model)


def has_module_perms(user: User | Any, app_label: str) -> bool:
    try:
        app_models = apps.get_app_config(app_label).get_models()
    except LookupError:
        return False
    return any(scope_for(user, VIEW, model) is not Scope.NONE for model in app_models)


def is_guarded_account(user: User) -> bool:
    """The accounts of the security and audit administrators: only a security administrator
    changes their active state or department."""
    return user.has_role(Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


def editable_user_fields(actor: User | Any, target: User) -> frozenset[str]:
    """The fields of `target`'s account that `actor` may change (三员分立):

    - the system administrator (accounts CHANGE): name, user name, phone, and the active state
      of any account but a security or audit administrator's;
    - the security administrator: the department of any account (DATA_SCOPE), and the active
      state of the security and audit administrators (ADMINISTRATOR_ACCOUNTS);
    - nobody switches their own account off.
    """
    fields: set[str] = set()
    guarded = is_guarded_account(target)
    if can(actor, CHANGE, target):
        fields |= PROFILE_FIELDS
        if not guarded:
            fields.add("is_active")
    if may(actor, CHANGE, DATA_SCOPE):
        fields.add("department")
    if guarded and may(actor, CHANGE, ADMINISTRATOR_ACCOUNTS):
        fields.add("is_active")
    if getattr(actor, "pk", None) == target.pk:
        fields.discard("is_active")
    return frozenset(fields)


def may_change_setting(user: User | Any, key: str) -> bool:
    """May `user` set or reset the local setting `key`? Security-relevant settings belong to the
    security administrator (SECURITY_POLICY), the rest to whoever changes reference data."""
    from chengxin.core import local_settings

    if local_settings.is_security_relevant(key):
        return may(user, CHANGE, SECURITY_POLICY)
    return can(user, CHANGE, apps.get_model("core", "LocalSetting"))

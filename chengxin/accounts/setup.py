"""First-run setup (`chengxin setup`): the district, its government and the three administrators.

`check_district` and `check_administrators` turn the operator's input into what would be
written, or raise ValidationError with a Chinese message; `set_up` writes it in one transaction,
audited like every account action. Running it again with the same values writes nothing.
"""

from __future__ import annotations

import dataclasses
import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chengxin.accounts.actions import assign_role
from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User, UserRole
from chengxin.audit.context import audit_context
from chengxin.core import regions
from chengxin.core.identifiers import validate_uscc
from chengxin.core.models import Region
from chengxin.core.public_data import notify_public_data_changed

ADMINISTRATOR_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)
SETUP_REASON = "command line: setup"


@dataclasses.dataclass(frozen=True)
class District:
    code: str
    name: str
    credit_code: str
    portal_name: str
    host: str
    credit_office: str = ""

    @property
    def government_name(self) -> str:
        return f"{self.name}人民政府"


@dataclasses.dataclass(frozen=True)
class Administrator:
    role: Role
    username: str
    password: str | None  # None: the account exists already and keeps its password


def check_district(
    code: str,
    *,
    credit_code: str,
    name: str = "",
    portal_name: str = "",
    host: str = "",
    credit_office: str = "",
) -> District:
    """The district as it would be stored: defaults filled in, every value checked."""
    code = code.strip()
    official_name = regions.division_name(code)  # checks the code even when a name is given
    name = name.strip() or official_name
    try:
        credit_code = validate_uscc(credit_code, allow_placeholder=False)
    except ValidationError as exc:
        raise ValidationError(
            _("本级人民政府的统一社会信用代码无效：") + "".join(exc.messages)
        ) from exc
    portal_name = portal_name.strip() or f"{name}公共信用信息平台"
    credit_office = credit_office.strip() or f"{name}社会信用体系建设领导小组办公室"
    return District(code, name, credit_code, portal_name, host.strip().lower(), credit_office)


def district_changes(district: District) -> list[str]:
    """What differs from the district already set up (labels), [] when nothing is set up or all
    is the same. Another 行政区划代码 is refused outright: an installation does not move."""
    region = Region.objects.select_related("government").first()
    if region is None:
        return []
    if region.code != district.code:
        raise ValidationError(
            _("本平台已设置为 %(code)s %(name)s，不能改为另一行政区划 %(other)s。"),
            code="other_region",
            params={"code": region.code, "name": region.name, "other": district.code},
        )
    stored = District(
        region.code,
        region.name,
        region.government.credit_code,
        region.portal_name,
        region.host,
        region.credit_office,
    )
    labels = {"name": _("名称"), "credit_code": _("统一社会信用代码"), "portal_name": _("平台名称")}
    labels["host"] = _("域名")
    labels["credit_office"] = _("信用主管机构")
    return [
        f"{label}：{getattr(stored, field)} → {getattr(district, field)}"
        for field, label in labels.items()
        if getattr(stored, field) != getattr(district, field)
    ]


def existing_holder(role: Role) -> User | None:
    assignment = UserRole.objects.filter(role=role).select_related("user").first()
    return assignment.user if assignment is not None else None


def check_username(role: Role, username: str, *, allow_another: bool) -> User | None:
    """The account already holding `role` under `username`, None for a new one; refuses a name
    taken by another role, or a second holder of the role unless `allow_another`."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        if role in user.roles:
            return user
        raise ValidationError(
            _("用户名 %(username)s 已被使用，且不是%(role)s。"),
            code="username_taken",
            params={"username": username, "role": role.label},
        )
    holder = existing_holder(role)
    if holder is not None and not allow_another:
        raise ValidationError(
            _("已有%(role)s %(username)s；如需再增加一名，请加 --update。"),
            code="role_held",
            params={"role": role.label, "username": holder.username},
        )
    return None


def check_password(username: str, password: str) -> None:
    try:
        validate_password(password, User(username=username))
    except ValidationError as exc:
        raise ValidationError(
            _("%(username)s 的密码不符合要求：") % {"username": username} + "；".join(exc.messages)
        ) from exc


def generate_password() -> str:
    """A random password that the project's password validators accept."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*-_=+"
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(16))
        try:
            validate_password(password)
        except ValidationError:
            continue
        return password


def set_up(district: District, administrators: list[Administrator]) -> list[str]:
    """Write the district, its government and the new administrators; return what was done
    (empty: nothing changed). Audited as done by the system, with the reason `setup`."""
    done: list[str] = []
    with transaction.atomic(), audit_context(reason=SETUP_REASON):
        government = _save_government(district, done)
        _save_region(district, government, done)
        for administrator in administrators:
            if administrator.password is not None:
                _create_administrator(administrator, government)
                done.append(_("已创建%(role)s %(username)s") % _names(administrator))
    regions.clear_cache()
    if done:  # the public pages cached under the old names are stale
        transaction.on_commit(notify_public_data_changed)
    return done


def _names(administrator: Administrator) -> dict[str, str]:
    return {"role": str(administrator.role.label), "username": administrator.username}


def _save_government(district: District, done: list[str]) -> Department:
    region = Region.objects.select_related("government").first()
    government = region.government if region is not None else None
    if government is None:
        government = Department.objects.filter(credit_code=district.credit_code).first()
    if government is None:
        government = Department(kind=DepartmentKind.PEOPLES_GOVERNMENT)
        done.append(_("已创建部门 %(name)s") % {"name": district.government_name})
    elif (government.name, government.credit_code) == (
        district.government_name,
        district.credit_code,
    ):
        return government
    else:
        done.append(_("已更新部门 %(name)s") % {"name": district.government_name})
    government.name, government.credit_code = district.government_name, district.credit_code
    government.full_clean()
    government.save()
    return government


def _save_region(district: District, government: Department, done: list[str]) -> Region:
    region = Region.objects.filter(code=district.code).first() or Region(code=district.code)
    values = {
        "name": district.name,
        "portal_name": district.portal_name,
        "host": district.host,
        "credit_office": district.credit_office,
    }
    if (
        region.pk
        and region.government_id == government.pk
        and all(getattr(region, field) == value for field, value in values.items())
    ):
        return region
    done.append(
        _("已%(verb)s行政区划 %(code)s %(name)s")
        % {
            "verb": _("更新") if region.pk else _("设置"),
            "code": district.code,
            "name": district.name,
        }
    )
    for field, value in values.items():
        setattr(region, field, value)
    region.government = government
    region.full_clean()
    region.save()
    return region


def _create_administrator(administrator: Administrator, government: Department) -> User:
    user = User(
        username=administrator.username,
        full_name=str(administrator.role.label),
        department=government,
    )
    user.set_password(administrator.password)
    user.full_clean(exclude=["password"])
    user.save()
    assign_role(user, administrator.role, actor=None)
    return user

"""`chengxin setup`: first-run setup of a district that is not the demo's (370402 市中区)."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.audit.models import AuditEntry
from chengxin.core import regions
from chengxin.core.identifiers import make_uscc
from chengxin.core.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Public pages cached by one test must not answer the next."""
    cache.clear()
    yield
    cache.clear()


GOVERNMENT_CODE = make_uscc(random.Random(19), department="1", category="1", division="370402")
ADMINS = ["--system-admin", "sys", "--security-admin", "sec", "--audit-admin", "aud"]


def flags(**overrides: str) -> list[str]:
    values = {"region-code": "370402", "credit-code": GOVERNMENT_CODE, **overrides}
    args = [part for key, value in values.items() for part in (f"--{key}", value)]
    return [*args, *ADMINS, "--generate-passwords", "--no-input"]


def setup(*args: str) -> str:
    out = io.StringIO()
    call_command("setup", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refusal(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        setup(*args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_setup_stores_the_district_its_government_and_the_three_administrators() -> None:
    output = setup(*flags())

    region = Region.objects.get()
    assert (region.code, region.name, region.portal_name) == (
        "370402",
        "市中区",
        "市中区公共信用信息平台",
    )
    government = Department.objects.get()
    assert (government.name, government.kind, government.parent) == (
        "市中区人民政府",
        DepartmentKind.PEOPLES_GOVERNMENT,
        None,
    )
    assert region.government == government
    for username, role in [
        ("sys", Role.SYSTEM_ADMIN),
        ("sec", Role.SECURITY_ADMIN),
        ("aud", Role.AUDIT_ADMIN),
    ]:
        user = User.objects.get(username=username)
        assert user.roles == {role} and user.department == government
        password = output.split(f"{role.label} {username}：")[1].split()[0]
        assert user.check_password(password)
    assert regions.site_name() == "市中区公共信用信息平台" and regions.district_name() == "市中区"


def test_everything_setup_creates_is_in_the_audit_log() -> None:
    setup(*flags())

    created = AuditEntry.objects.filter(reason="command line: setup", action="created")
    types = set(created.values_list("object_type", flat=True))
    assert {"core.region", "accounts.department", "accounts.user", "accounts.userrole"} <= types
    passwords = output_passwords(setup(*flags(**{"region-code": "370402"})))
    assert not passwords  # a second run prints none; the first run's never reach the log:
    assert all("pbkdf2" not in str(entry.after) for entry in created)


def output_passwords(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("  ")]


def test_name_portal_name_credit_office_and_host_can_be_given() -> None:
    office = "市中区发展和改革局（区信用办）"
    given = {"portal-name": "信用市中", "host": "XY.example.gov.cn", "credit-office": office}
    setup(*flags(name="枣庄市市中区", **given))

    region = Region.objects.get()
    assert (region.name, region.portal_name, region.host, region.credit_office) == (
        "枣庄市市中区",
        "信用市中",
        "xy.example.gov.cn",
        office,
    )
    assert regions.credit_office() == office
    assert f"{office} 主办" in Client().get("/").content.decode()  # the footer of every page


def test_the_credit_office_defaults_to_the_districts_leading_group_office() -> None:
    setup(*flags())
    assert Region.objects.get().credit_office == "市中区社会信用体系建设领导小组办公室"
    message = refusal(*flags(**{"credit-office": "市中区信用办"}))
    assert "信用主管机构" in message and "--update" in message


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("37040", "应为 6 位数字"),
        ("3704o2", "应为 6 位数字"),
        ("379999", "不在全国行政区划代码表中"),
        ("370400", "不是县级行政区划"),
        ("370401", "不是县级行政区划"),
        ("130405", "已撤销"),
    ],
)
def test_a_bad_or_unknown_region_code_is_refused(code: str, message: str) -> None:
    assert message in refusal(*flags(**{"region-code": code}))
    assert not Region.objects.exists() and not User.objects.exists()


def test_a_bad_credit_code_is_refused() -> None:
    wrong_check = GOVERNMENT_CODE[:17] + ("0" if GOVERNMENT_CODE[17] != "0" else "1")

    assert "统一社会信用代码无效" in refusal(*flags(**{"credit-code": wrong_check}))
    assert "统一社会信用代码无效" in refusal(*flags(**{"credit-code": "123"}))
    assert not Department.objects.exists()


def test_without_input_every_value_must_be_given() -> None:
    assert "--region-code" in refusal("--credit-code", GOVERNMENT_CODE, *ADMINS, "--no-input")
    assert "--credit-code" in refusal("--region-code", "370402", *ADMINS, "--no-input")
    without_audit = ["--region-code", "370402", "--credit-code", GOVERNMENT_CODE, *ADMINS[:4]]
    assert "--audit-admin" in refusal(*without_audit, "--generate-passwords", "--no-input")
    assert "--generate-passwords" in refusal(*flags()[:-2], "--no-input")
    assert not User.objects.exists()


def test_a_username_held_by_another_role_is_refused(make_user: Any) -> None:
    make_user(Role.CREDIT_ADMIN, username="sec")

    assert "用户名 sec 已被使用" in refusal(*flags())
    assert not Region.objects.exists()


def test_a_typed_password_too_weak_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "12345678")
    args = [a for a in flags() if a != "--generate-passwords"]
    args.remove("--no-input")

    assert "密码不符合要求" in refusal(*args)


def test_typed_passwords_must_match_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    typed = iter(["Gz-8t!pr4Q-x", "Gz-8t!pr4Q-y"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    args = [a for a in flags() if a not in {"--generate-passwords", "--no-input"}]

    assert "两次输入的密码不一致" in refusal(*args)


def test_running_again_with_the_same_values_changes_nothing() -> None:
    setup(*flags())
    entries = AuditEntry.objects.count()
    hashes = list(User.objects.order_by("username").values_list("password", flat=True))

    output = setup(*flags())

    assert "未作任何修改" in output and "密码" not in output
    assert AuditEntry.objects.count() == entries
    assert list(User.objects.order_by("username").values_list("password", flat=True)) == hashes


def test_changed_values_are_refused_without_update_and_applied_with_it() -> None:
    setup(*flags())

    message = refusal(*flags(**{"portal-name": "市中区信用网"}))
    assert "--update" in message and "平台名称" in message
    assert Region.objects.get().portal_name == "市中区公共信用信息平台"

    setup(*flags(**{"portal-name": "市中区信用网"}), "--update")
    assert Region.objects.get().portal_name == "市中区信用网"
    assert regions.site_name() == "市中区信用网"


def test_another_region_code_is_refused_even_with_update() -> None:
    setup(*flags())

    assert "不能改为另一行政区划" in refusal(*flags(**{"region-code": "370403"}), "--update")


def test_a_second_holder_of_an_administrator_role_needs_update() -> None:
    setup(*flags())
    args = flags()
    args[args.index("sys")] = "sys2"

    assert "已有系统管理员 sys" in refusal(*args)
    setup(*args, "--update")
    assert User.objects.get(username="sys2").roles == {Role.SYSTEM_ADMIN}


def test_the_portal_shows_the_configured_names_and_no_demo_district(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.get(reverse("portal:home"))  # cached under the settings' names
    with django_capture_on_commit_callbacks(execute=True):
        setup(*flags(**{"portal-name": "市中区信用信息平台"}))

    page = client.get(reverse("portal:home")).content.decode()

    assert "市中区信用信息平台" in page and "市中区信用信息查询" in page
    assert "台儿庄" not in page and "370405" not in page


def test_before_setup_the_settings_names_are_shown(client: Any, settings: Any) -> None:
    settings.SITE_NAME, settings.DISTRICT_NAME = "示例平台", "示例区"

    page = client.get(reverse("portal:home")).content.decode()

    assert "示例平台" in page and "示例区信用信息查询" in page

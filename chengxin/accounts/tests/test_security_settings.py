"""Security-relevant local settings (issue 18.5): declared with each setting, changed only by the
security administrator, with the two-person rule when the district switches it on."""

from __future__ import annotations

import decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chengxin.accounts.actions import (
    approve_setting_change,
    refuse_setting_change,
    set_local_setting,
)
from chengxin.accounts.choices import Role, SettingChangeStatus
from chengxin.accounts.models import SettingChange, User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core import local_settings
from chengxin.core.models import LocalSetting

MAJOR_FINE = "cases.major_fine_person"
REFUSED = "“cases.major_fine_person”是安全相关设置，只能由安全管理员"

# The judgement made for every declared setting; a new declaration must be judged too.
SECURITY_RELEVANT = {
    "accounts.address_failure_limit",
    "accounts.login_allowlist",
    "accounts.second_approval",
    "cases.major_fine_organisation",
    "cases.major_fine_person",
    "cases.penalty_case_required_from",
    "cases.penalty_without_case",
    "cases.submit_penalty_record_on_decision",
    "decisions.mandatory_steps",
    "publicity.publish_minor_penalties",
    "publicity.review_before_publication",
    "repair.decided_by",
    "screening.fuzzy_threshold",
}


@pytest.fixture
def system_admin(make_user) -> User:
    return make_user(Role.SYSTEM_ADMIN)


@pytest.fixture
def security_admin(make_user) -> User:
    return make_user(Role.SECURITY_ADMIN)


@pytest.fixture
def second_security_admin(make_user) -> User:
    return make_user(Role.SECURITY_ADMIN)


def stored(key: str) -> str | None:
    row = LocalSetting.objects.filter(key=key).first()
    return row.value if row else None


def test_which_settings_are_security_relevant(db) -> None:
    declared = local_settings.all_declarations()
    relevant = {key for key in declared if local_settings.is_security_relevant(key)}
    assert relevant == SECURITY_RELEVANT
    assert relevant <= set(declared)


# --- (c) the system administrator and the security-relevant settings --------------------------


def test_system_admin_cannot_add_a_security_relevant_setting_in_the_admin(
    client, system_admin
) -> None:
    client.force_login(system_admin)
    response = client.post(
        "/admin/core/localsetting/add/", {"key": MAJOR_FINE, "value": "99999999", "note": ""}
    )
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert stored(MAJOR_FINE) is None


def test_system_admin_cannot_change_or_delete_one_in_the_admin(client, system_admin) -> None:
    row = LocalSetting.objects.create(key=MAJOR_FINE, value="5000")
    client.force_login(system_admin)
    url = f"/admin/core/localsetting/{row.pk}/"
    page = client.get(url + "change/").content.decode()
    assert 'name="value"' not in page  # shown read-only
    changed = client.post(url + "change/", {"value": "99999999", "note": ""})
    assert changed.status_code == 403
    deleted = client.post(url + "delete/", {"post": "yes"})
    assert deleted.status_code == 403
    bulk = client.post(
        "/admin/core/localsetting/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )
    assert bulk.status_code == 403
    assert stored(MAJOR_FINE) == "5000"


def test_system_admin_cannot_change_one_by_the_action(system_admin) -> None:
    with pytest.raises(PermissionDenied, match=REFUSED):
        set_local_setting(MAJOR_FINE, "99999999", actor=system_admin)
    with pytest.raises(PermissionDenied):
        set_local_setting(MAJOR_FINE, None, actor=system_admin)
    assert stored(MAJOR_FINE) is None


def test_system_admin_still_changes_the_other_settings(client, system_admin) -> None:
    client.force_login(system_admin)
    response = client.post(
        "/admin/core/localsetting/add/",
        {"key": "cases.review_working_days", "value": "10", "note": "区政府令"},
    )
    assert response.status_code == 302, response.content.decode()
    assert stored("cases.review_working_days") == "10"
    row = LocalSetting.objects.get(key="cases.review_working_days")
    assert client.post(f"/admin/core/localsetting/{row.pk}/delete/", {"post": "yes"}).status_code
    assert stored("cases.review_working_days") is None


def test_security_admin_changes_one_at_once(security_admin) -> None:
    assert set_local_setting(MAJOR_FINE, "5000", actor=security_admin, note="依据") is None
    assert local_settings.get(MAJOR_FINE) == decimal.Decimal("5000")
    entry = AuditEntry.objects.filter(object_type="core.localsetting").first()
    assert entry.action == AuditAction.CREATED and entry.actor_id == security_admin.pk
    assert set_local_setting(MAJOR_FINE, None, actor=security_admin) is None
    assert stored(MAJOR_FINE) is None


def test_security_admin_cannot_change_the_ordinary_settings(security_admin) -> None:
    with pytest.raises(PermissionDenied, match="您无权修改本地设置"):
        set_local_setting("cases.review_working_days", "10", actor=security_admin)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (MAJOR_FINE, "一万", "取值格式不正确"),
        ("accounts.address_failure_limit", "0", "须为正整数"),
        ("accounts.login_allowlist", "10.0.0.0/8, 办公室", "IP 地址或网段"),
        ("no.such_setting", "1", None),
    ],
)
def test_a_value_that_does_not_parse_is_refused(security_admin, key, value, message) -> None:
    with pytest.raises((ValidationError, PermissionDenied)) as excinfo:
        set_local_setting(key, value, actor=security_admin)
    if message:
        assert message in str(excinfo.value)
    assert stored(key) is None


def test_the_security_settings_page_is_the_security_admins(
    client, security_admin, system_admin
) -> None:
    client.force_login(system_admin)
    assert client.get("/accounts/security/settings/").status_code == 403
    assert client.get(f"/accounts/security/settings/{MAJOR_FINE}/").status_code == 403
    client.force_login(security_admin)
    page = client.get("/accounts/security/settings/").content.decode()
    assert "重大执法决定：对公民（含个体工商户）的罚款或没收数额标准（元）" in page
    assert "法制审核期限（工作日）" not in page  # not security-relevant
    response = client.post(
        f"/accounts/security/settings/{MAJOR_FINE}/", {"value": "20000", "note": "区政府令"}
    )
    assert response.status_code == 302
    assert stored(MAJOR_FINE) == "20000"
    response = client.post(f"/accounts/security/settings/{MAJOR_FINE}/", {"reset": "1"})
    assert response.status_code == 302 and stored(MAJOR_FINE) is None
    refused = client.post(f"/accounts/security/settings/{MAJOR_FINE}/", {"value": "x"})
    assert refused.status_code == 400 and "取值格式不正确" in refused.content.decode()
    ordinary = client.get("/accounts/security/settings/cases.review_working_days/")
    assert ordinary.status_code == 404


# --- the two-person rule ----------------------------------------------------------------------


def switch_on(actor: User) -> None:
    assert set_local_setting("accounts.second_approval", "是", actor=actor) is None


def test_the_rule_needs_two_security_admins(security_admin) -> None:
    with pytest.raises(ValidationError, match="至少有两名启用的安全管理员"):
        set_local_setting("accounts.second_approval", "是", actor=security_admin)
    assert stored("accounts.second_approval") is None


def test_with_the_rule_a_change_waits_for_another_security_admin(
    security_admin, second_security_admin
) -> None:
    switch_on(security_admin)
    change = set_local_setting(MAJOR_FINE, "5000", actor=security_admin, note="区政府令")
    assert isinstance(change, SettingChange) and change.status == SettingChangeStatus.PENDING
    assert stored(MAJOR_FINE) is None  # not yet
    with pytest.raises(ValidationError, match="已有待审批的变更"):
        set_local_setting(MAJOR_FINE, "6000", actor=second_security_admin)
    with pytest.raises(ValidationError, match="申请人不能批准自己的变更"):
        approve_setting_change(change, actor=security_admin)
    assert stored(MAJOR_FINE) is None
    approved = approve_setting_change(change, actor=second_security_admin)
    assert approved.status == SettingChangeStatus.APPROVED
    assert approved.decided_by == second_security_admin
    assert stored(MAJOR_FINE) == "5000"
    with pytest.raises(ValidationError, match="该变更已处理"):
        approve_setting_change(change, actor=second_security_admin)
    applied = AuditEntry.objects.filter(object_type="core.localsetting").first()
    assert applied.actor_id == second_security_admin.pk


def test_with_the_rule_switching_it_off_needs_approval_too(
    security_admin, second_security_admin
) -> None:
    switch_on(security_admin)
    change = set_local_setting("accounts.second_approval", "否", actor=security_admin)
    assert change is not None and local_settings.get("accounts.second_approval") is True
    approve_setting_change(change, actor=second_security_admin)
    assert local_settings.get("accounts.second_approval") is False


def test_a_refused_change_changes_nothing(security_admin, second_security_admin) -> None:
    switch_on(security_admin)
    change = set_local_setting(MAJOR_FINE, None, actor=security_admin)
    assert change is not None and change.is_reset
    refused = refuse_setting_change(change, actor=second_security_admin)
    assert refused.status == SettingChangeStatus.REFUSED and stored(MAJOR_FINE) is None
    # The key is free for a new request.
    assert set_local_setting(MAJOR_FINE, "7000", actor=second_security_admin) is not None


def test_ordinary_settings_are_not_held_by_the_rule(
    security_admin, second_security_admin, system_admin
) -> None:
    switch_on(security_admin)
    assert set_local_setting("cases.review_working_days", "10", actor=system_admin) is None
    assert stored("cases.review_working_days") == "10"


def test_only_security_admins_decide(security_admin, second_security_admin, system_admin) -> None:
    switch_on(security_admin)
    change = set_local_setting(MAJOR_FINE, "5000", actor=security_admin)
    with pytest.raises(PermissionDenied):
        approve_setting_change(change, actor=system_admin)
    with pytest.raises(PermissionDenied):
        refuse_setting_change(change, actor=system_admin)


def test_the_page_approves_with_the_second_admin(
    client, security_admin, second_security_admin
) -> None:
    switch_on(security_admin)
    client.force_login(security_admin)
    response = client.post(f"/accounts/security/settings/{MAJOR_FINE}/", {"value": "8000"})
    assert response.status_code == 302
    change = SettingChange.objects.get(key=MAJOR_FINE)
    page = client.get("/accounts/security/settings/").content.decode()
    assert "待审批的变更" in page and f"/accounts/security/changes/{change.pk}/approve/" not in page
    own = client.post(f"/accounts/security/changes/{change.pk}/approve/", follow=True)
    assert "申请人不能批准自己的变更" in own.content.decode() and stored(MAJOR_FINE) is None
    client.force_login(second_security_admin)
    page = client.get("/accounts/security/settings/").content.decode()
    assert f"/accounts/security/changes/{change.pk}/approve/" in page
    client.post(f"/accounts/security/changes/{change.pk}/approve/")
    assert stored(MAJOR_FINE) == "8000"


def test_the_rule_holds_at_once_in_every_process(security_admin, second_security_admin) -> None:
    """Another web worker switched it on: this one's cached settings must not let a change by."""
    LocalSetting.objects.create(key="accounts.second_approval", value="否")
    assert local_settings.get("accounts.second_approval") is False  # cached here
    LocalSetting.objects.filter(key="accounts.second_approval").update(value="是")  # elsewhere
    assert local_settings.get("accounts.second_approval") is False  # still the cached value
    assert set_local_setting(MAJOR_FINE, "5000", actor=security_admin) is not None
    assert stored(MAJOR_FINE) is None

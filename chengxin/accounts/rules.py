"""The account security policy a district sets for itself (local settings, all security-relevant).

The lockout itself (5 failures of one account from one address, 15 minutes, 30 minutes idle) is
in the environment (`CHENGXIN_LOGIN_FAILURE_LIMIT`, `CHENGXIN_LOCKOUT_MINUTES`,
`CHENGXIN_IDLE_TIMEOUT_MINUTES`): GB/T 22239-2019 level 3 sets it for the installation.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.core import local_settings
from chengxin.core.client_address import Network, parse_networks


def _positive(value: Any) -> None:
    if value < 1:
        raise local_settings.InvalidSetting(_("须为正整数。"))


def _networks(value: Any) -> None:
    try:
        parse_networks(str(value))
    except ValueError as exc:
        message = _("须为以逗号分隔的 IP 地址或网段（如 10.1.2.3, 10.8.0.0/16）。")
        raise local_settings.InvalidSetting(message) from exc


SECOND_APPROVAL = local_settings.declare(
    "accounts.second_approval",
    _l("安全相关设置须经另一名安全管理员批准（双人复核）"),
    False,
    _l(
        "是：安全管理员修改安全相关设置后，须由另一名安全管理员批准才生效（含关闭本项）；"
        "开启前须至少有两名启用的安全管理员。否（默认）：安全管理员修改即生效。"
    ),
    security_relevant=True,
)
ADDRESS_FAILURE_LIMIT = local_settings.declare(
    "accounts.address_failure_limit",
    _l("登录限流：同一地址登录失败次数上限（各账户合计）"),
    30,
    _l(
        "在锁定时长（默认 15 分钟）内，来自同一地址、针对任意账户的登录失败达到此数，即暂停该地址"
        "登录（防范撞库、密码喷洒）。允许名单中的地址不受此限；单个账户在同一地址连续失败 5 次"
        "仍会锁定。"
    ),
    security_relevant=True,
    validator=_positive,
)
LOGIN_ALLOWLIST = local_settings.declare(
    "accounts.login_allowlist",
    _l("登录限流：不按地址限流的地址或网段"),
    "",
    _l(
        "以逗号分隔的 IP 地址或网段（如政务外网办公区的出口地址 10.8.0.0/16）。这些地址不受"
        "“同一地址登录失败次数上限”限制，单个账户的锁定仍然有效。"
    ),
    security_relevant=True,
    validator=_networks,
)


def login_allowlist() -> tuple[Network, ...]:
    return parse_networks(str(local_settings.get(LOGIN_ALLOWLIST.key)))

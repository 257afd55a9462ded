"""The go-live checklist's item of the outbox (core.golive): the channel to the upper platform
(CHENGXIN_SYNC_URL and its credential, outbox.delivery)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengxin.core.golive import Check, Finding, Inspection, Place, combine, missing, warning
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage


def check_upper_platform(inspection: Inspection) -> Finding:
    url = str(settings.SYNC_URL).strip()
    if not url:
        return missing(
            _(
                "未设置上级平台接口地址（CHENGXIN_SYNC_URL）：同步消息只写入本机目录 %(folder)s，"
                "不会送达上级平台。"
            )
            % {"folder": settings.SYNC_OUTBOX_DIR}
        )
    problems: list[Finding] = []
    if urlsplit(url).scheme.lower() != "https":
        problems.append(warning(_("接口地址未使用 HTTPS。")))
    if not str(settings.SYNC_TOKEN).strip():
        problems.append(warning(_("未设置接口凭据（CHENGXIN_SYNC_TOKEN）。")))
    dead = OutboxMessage.objects.filter(status=MessageStatus.DEAD).count()
    if dead:
        problems.append(
            warning(
                _("%(count)s 条同步消息发送失败，请信用管理员在“同步消息”中处理。")
                % {"count": dead}
            )
        )
    return combine(
        problems,
        when_ok=_("同步消息发往 %(host)s（HTTPS，带接口凭据）。") % {"host": urlsplit(url).netloc},
    )


CHECKS = (
    Check(
        "upper_platform",
        gettext_lazy("上级平台接口"),
        "operations",
        Place(gettext_lazy("环境变量 CHENGXIN_SYNC_URL、CHENGXIN_SYNC_TOKEN")),
        check_upper_platform,
    ),
)

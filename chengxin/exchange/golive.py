"""The go-live checklist's item of the exchange (core.golive): each channel to an upper platform
has an HTTPS address and a credential, and its payload format is known. Payloads carry full ID
numbers, so a plain http:// channel is a warning (docs/exchange.md, "Personal data")."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengxin.core.golive import Check, Finding, Inspection, Place, combine, missing, warning
from chengxin.exchange.channels import channels
from chengxin.exchange.formats import FORMATS


def check_channels(inspection: Inspection) -> Finding:
    configured = channels()
    if not configured:
        return missing(_("未配置报送渠道（CHENGXIN_EXCHANGE_CHANNELS）：变更不会报送上级平台。"))
    problems: list[Finding] = []
    for channel in configured:
        if not channel.url:
            problems.append(
                warning(
                    _("渠道 %(name)s 未设置地址：批次只写入本机目录 %(folder)s。")
                    % {"name": channel.label, "folder": channel.folder}
                )
            )
            continue
        if urlsplit(channel.url).scheme.lower() != "https":
            problems.append(
                warning(
                    _("渠道 %(name)s 未使用 HTTPS，证件号码将明文传输。") % {"name": channel.label}
                )
            )
        if not channel.token:
            problems.append(warning(_("渠道 %(name)s 未设置接口凭据。") % {"name": channel.label}))
        if channel.format not in FORMATS:
            problems.append(
                warning(
                    _("渠道 %(name)s 的报送格式 %(format)s 未注册。")
                    % {"name": channel.label, "format": channel.format}
                )
            )
    names = "、".join(channel.label for channel in configured)
    return combine(
        problems, when_ok=_("报送渠道：%(names)s（HTTPS，带接口凭据）。") % {"names": names}
    )


CHECKS = (
    Check(
        "exchange_channels",
        gettext_lazy("上级平台报送渠道"),
        "operations",
        Place(gettext_lazy("环境变量 CHENGXIN_EXCHANGE_CHANNELS、CHENGXIN_EXCHANGE_<渠道>_*")),
        check_channels,
    ),
)

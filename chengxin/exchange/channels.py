"""The channels to the upper platforms, as the operator configured them (settings.EXCHANGE_CHANNELS,
from CHENGXIN_EXCHANGE_*; docs/exchange.md, "Channels").

Routing is configuration: a channel takes the object kinds it lists, and, when it lists them,
only subjects of the given categories and records of the given departments (by their 统一社会信用
代码). 国家企业信用信息公示系统, for example, takes the penalties on enterprises that the market
regulation department decides: 《企业信息公示暂行条例》第六条 requires 市场监督管理部门 to publish
its 行政处罚信息 there within 20 working days; 第七条 lets the other departments publish their
licensing and penalty information there or through other systems (the city platform).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Channel:
    name: str
    label: str
    url: str  # empty: batches are written into `folder` (the embedded default)
    token: str
    format: str
    batch_size: int
    interval_seconds: int
    timeout_seconds: int
    objects: frozenset[str]
    subject_categories: frozenset[str]  # empty: every category
    departments: frozenset[str]  # empty: every department
    folder: Path

    def takes(self, object_kind: str, subject_category: str, department_code: str) -> bool:
        """Whether a change of this object goes to this channel."""
        return (
            object_kind in self.objects
            and (not self.subject_categories or subject_category in self.subject_categories)
            and (not self.departments or department_code in self.departments)
        )


def _channel(name: str, values: dict[str, Any]) -> Channel:
    return Channel(
        name=name,
        label=str(values.get("label", name)),
        url=str(values.get("url", "")),
        token=str(values.get("token", "")),
        format=str(values.get("format", "chengxin-v1")),
        batch_size=max(int(values.get("batch_size", 500)), 1),
        interval_seconds=max(int(values.get("interval_seconds", 60)), 0),
        timeout_seconds=max(int(values.get("timeout_seconds", 30)), 1),
        objects=frozenset(values.get("objects", ())),
        subject_categories=frozenset(values.get("subject_categories", ())),
        departments=frozenset(values.get("departments", ())),
        folder=Path(str(values.get("folder", settings.HOME / "exchange" / name))),
    )


def channels() -> list[Channel]:
    """Every configured channel, in the order of CHENGXIN_EXCHANGE_CHANNELS."""
    return [_channel(name, values) for name, values in settings.EXCHANGE_CHANNELS.items()]


def channel(name: str) -> Channel:
    values = settings.EXCHANGE_CHANNELS.get(name)
    if values is None:
        raise ImproperlyConfigured(f"No exchange channel {name!r} (CHENGXIN_EXCHANGE_CHANNELS).")
    return _channel(name, values)

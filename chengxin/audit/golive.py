"""The go-live checklist's item of the audit app (core.golive): the audit chain is anchored
outside the database, recently, in a folder of the operator's choosing (ADR 0002)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengxin.audit.anchors import Anchor, ForgedAnchor, anchor_dir, anchor_files, read_anchor
from chengxin.audit.models import ChainHead
from chengxin.core.golive import Check, Finding, Inspection, Place, combine, missing, warning

# With an interval of 0 cron anchors (`chengxin audit anchor`); a day is the longest sensible gap.
CRON_GAP = datetime.timedelta(days=1)


def stale_after() -> datetime.timedelta:
    """How old the newest anchor may be, when entries were logged after it: two intervals."""
    interval = settings.AUDIT_ANCHOR_INTERVAL_SECONDS
    return 2 * datetime.timedelta(seconds=interval) if interval > 0 else CRON_GAP


def check_anchors(inspection: Inspection) -> Finding:
    directory = anchor_dir()
    problems: list[Finding] = []
    if directory.resolve() == (Path(settings.HOME) / "audit-anchors").resolve():
        problems.append(
            warning(
                _(
                    "锚点保存在默认目录 %(folder)s（与数据库在同一主机）："
                    "请设置 CHENGXIN_AUDIT_ANCHOR_DIR，并定期将其复制到主机之外。"
                )
                % {"folder": directory}
            )
        )
    head = ChainHead.objects.filter(pk=1).values_list("last_sequence", flat=True).first() or 0
    if head:
        problems += _anchor_problems(directory, int(head), inspection.now)
    return combine(
        problems, when_ok=_("审计锚点目录：%(folder)s，锚点及时。") % {"folder": directory}
    )


def _anchor_problems(directory: Path, head: int, now: datetime.datetime) -> list[Finding]:
    try:
        files = anchor_files(directory)
    except OSError:
        files = []
    if not files:
        return [
            missing(
                _(
                    "尚无审计锚点：后台任务进程启动时写入，此后定时写入"
                    "（CHENGXIN_AUDIT_ANCHOR_INTERVAL_SECONDS）；也可由 cron 运行 chengxin audit anchor。"
                )
            )
        ]
    try:
        newest: Anchor = read_anchor(files[-1])
    except (ValueError, ForgedAnchor):
        return [missing(_("最新的审计锚点无法读取或签名不符：请运行 chengxin audit verify。"))]
    if newest.sequence > head:
        return [missing(_("最新的审计锚点超出审计日志的末端：请运行 chengxin audit verify。"))]
    written = datetime.datetime.fromisoformat(newest.created_at)
    if newest.sequence < head and now - written > stale_after():
        return [
            warning(
                _(
                    "最新的审计锚点写于 %(time)s，此后的审计日志尚未锚定："
                    "后台任务进程可能没有运行，或锚点目录不可写。"
                )
                % {"time": f"{timezone.localtime(written):%Y-%m-%d %H:%M}"}
            )
        ]
    return []


CHECKS = (
    Check(
        "audit_anchors",
        gettext_lazy("审计锚点"),
        "security",
        Place(gettext_lazy("环境变量 CHENGXIN_AUDIT_ANCHOR_DIR；后台任务进程或 cron")),
        check_anchors,
    ),
)

"""The power list on a day, as versions: for each item, the adjustment in force that day (its
snapshot is the item as listed then), unless that adjustment is a 取消. Used by the staff and
public pages, the export (CSV or XLSX, the same for staff and the public: published fields only,
no personal data) and the annual figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import gettext_noop

from chengxin.core import spreadsheets
from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.models import PowerAdjustment

LIST_EXPORT = spreadsheets.Export("powers.list", _l("行政权力清单"))

# (snapshot key, column header) of the list and its export.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", gettext_noop("权力编码")),
    ("name", gettext_noop("权力名称")),
    ("category_name", gettext_noop("权力类别")),
    ("implementing_department_name", gettext_noop("实施主体")),
    ("legal_basis", gettext_noop("设定依据")),
    ("counterpart_kind", gettext_noop("行政相对人类别")),
    ("time_limit", gettext_noop("办理时限")),
    ("fee_basis", gettext_noop("收费依据和标准")),
    ("supervision_phone", gettext_noop("监督电话")),
    ("duties", gettext_noop("责任事项")),
    ("accountability", gettext_noop("追责情形")),
)


def versions_on(
    day: datetime.date,
    *,
    category: str = "",
    department_id: int | None = None,
    text: str = "",
) -> QuerySet[PowerAdjustment]:
    """The versions of the items in the list on `day`, optionally of one category (code), one
    implementing department, or whose code or name contains `text`."""
    latest = (
        PowerAdjustment.objects.filter(item=OuterRef("item"), effective_on__lte=day)
        .order_by("-effective_on", "-id")
        .values("pk")[:1]
    )
    versions = (
        PowerAdjustment.objects.filter(effective_on__lte=day, pk=Subquery(latest))
        .exclude(kind=AdjustmentKind.CANCEL)
        .order_by("item__category__ordering", "item__code")
    )
    if category:
        versions = versions.filter(snapshot__category=category)
    if department_id is not None:
        versions = versions.filter(snapshot__implementing_department=department_id)
    if text:
        versions = versions.filter(
            Q(snapshot__code__icontains=text) | Q(snapshot__name__icontains=text)
        )
    return versions


def rows(versions: Iterable[PowerAdjustment]) -> Iterable[list[str]]:
    for version in versions:
        snapshot: dict[str, Any] = version.snapshot
        yield [
            *(str(snapshot.get(key, "")) for key, _label in COLUMNS),
            str(version.version),
            f"{version.effective_on:%Y-%m-%d}",
        ]


def header() -> list[str]:
    return [*(_(label) for _key, label in COLUMNS), _("版本"), _("本版本生效日期")]


def export(versions: Iterable[PowerAdjustment], day: datetime.date, fmt: str) -> FileResponse:
    """The list on `day` as CSV or XLSX (the XLSX with a title line naming the day)."""
    sheet = spreadsheets.Sheet(
        header(),
        rows(versions),
        name=_("权力清单"),
        title=_("行政权力清单（截至 %(day)s）") % {"day": f"{day:%Y-%m-%d}"},
        widths={col: 40 if col in (1, 4, 9, 10) else 16 for col in range(len(header()))},
    )
    return spreadsheets.download(LIST_EXPORT, fmt, sheet, filename=f"power-list-{day:%Y%m%d}")

"""行政权力清单 figures of the annual rule-of-law report (chengxin/reports).

- 年末清单事项: items in the list on 31 December (their version in force that day), by category.
- 年内新增 / 变更 / 取消: adjustments whose effective date is in the year.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from chengxin.powers.choices import AdjustmentKind
from chengxin.powers.listing import versions_on
from chengxin.powers.models import PowerAdjustment, PowerCategory
from chengxin.reports.figures import Chart, Figure, Section, list_url, year_bounds


def sections(year: int) -> list[Section]:
    first, last = year_bounds(year)
    in_force = versions_on(last)
    by_category: dict[str, int] = {}
    for snapshot in in_force.values_list("snapshot", flat=True):
        by_category[snapshot["category"]] = by_category.get(snapshot["category"], 0) + 1
    adjustments = dict(
        PowerAdjustment.objects.filter(effective_on__range=(first, last))
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    register = "powers:adjustments"
    figures = [
        Figure(
            "powers.items_in_force",
            _("年末权力清单事项"),
            sum(by_category.values()),
            _("项"),
            list_url("powers:list", on=last),
        ),
        *(
            Figure(
                f"powers.adjustments_{kind.value}",
                _("年内%(kind)s事项") % {"kind": kind.label},
                adjustments.get(kind.value, 0),
                _("项"),
                list_url(register, kind=kind.value, effective_from=first, effective_to=last),
            )
            for kind in AdjustmentKind
        ),
    ]
    categories = list(PowerCategory.objects.order_by("ordering", "code"))
    shown = [c for c in categories if c.is_active or by_category.get(c.code)]
    chart = Chart(
        "powers.items_by_category",
        _("年末权力清单事项（按类别）"),
        tuple(c.name for c in shown),
        tuple(by_category.get(c.code, 0) for c in shown),
    )
    return [Section("powers", _("行政权力清单"), tuple(figures), (chart,))]

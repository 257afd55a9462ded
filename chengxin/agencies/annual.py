"""执法主体与执法人员 figures of the annual rule-of-law report (chengxin/reports).

- 年内确认执法主体: bodies whose confirmation date is in the year.
- 年末有效执法主体: confirmed on or before 31 December and not revoked by then.
- 年内清理执法人员: officers whose status became 清理 in the year (status_changed_on).
- 年末在岗执法人员: officers whose certificate is valid on 31 December and who are 在岗 now, or
  whose last status change came after the year end (they were then in their earlier status,
  taken as 在岗; a suspension that began and ended within the year is not reconstructed).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from chengxin.agencies.choices import BodyKind, OfficerStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.reports.figures import Chart, Figure, Section, list_url, year_bounds


def sections(year: int) -> list[Section]:
    first, last = year_bounds(year)
    bodies = EnforcementBody.objects.all()
    confirmed = bodies.filter(confirmed_on__range=(first, last))
    in_force = bodies.filter(confirmed_on__lte=last).filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=last)
    )
    by_kind = dict(in_force.order_by().values_list("kind").annotate(n=Count("pk")))
    officers = EnforcementOfficer.objects.all()
    removed = officers.filter(status=OfficerStatus.REMOVED, status_changed_on__range=(first, last))
    on_duty = officers.filter(
        certificate_valid_from__lte=last, certificate_valid_until__gte=last
    ).filter(Q(status=OfficerStatus.ON_DUTY) | Q(status_changed_on__gt=last))
    figures = (
        Figure(
            "agencies.bodies_confirmed",
            _("年内确认执法主体"),
            confirmed.count(),
            _("个"),
            list_url("agencies:bodies", confirmed_from=first, confirmed_to=last),
        ),
        Figure(
            "agencies.bodies_in_force",
            _("年末有效执法主体"),
            in_force.count(),
            _("个"),
            list_url("agencies:bodies", confirmed_to=last),
            _("列表含年末后撤销的主体"),
        ),
        Figure(
            "agencies.officers_removed",
            _("年内清理执法人员"),
            removed.count(),
            _("人"),
            list_url(
                "agencies:officers",
                status=OfficerStatus.REMOVED,
                changed_from=first,
                changed_to=last,
            ),
        ),
        Figure(
            "agencies.officers_on_duty",
            _("年末在岗执法人员（持有效执法证）"),
            on_duty.count(),
            _("人"),
            list_url("agencies:officers", status=OfficerStatus.ON_DUTY),
            _("列表为当前在岗人员"),
        ),
    )
    chart = Chart(
        "agencies.bodies_by_kind",
        _("年末有效执法主体（按主体类型）"),
        tuple(str(kind.label) for kind in BodyKind),
        tuple(by_kind.get(kind.value, 0) for kind in BodyKind),
    )
    return [Section("agencies", _("执法主体与执法人员"), figures, (chart,))]

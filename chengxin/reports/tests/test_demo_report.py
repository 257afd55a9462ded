"""The demo district's report agrees with its generated data."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from chengxin.core import calendar
from chengxin.core.demodata import build_demo
from chengxin.publicity.choices import RecordStatus, Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.repair.models import RepairApplication
from chengxin.reports.collect import collect
from chengxin.screening.models import CreditCheck

pytestmark = pytest.mark.django_db

VOLUMES = {"subjects": 300, "licenses": 300, "penalties": 120, "list_entries": 40}


def counts(model, year: int) -> dict[str, int]:
    """Straight from the table: submitted records decided in `year`, and their verdicts."""
    rows = model.objects.filter(decision_date__year=year).exclude(status=RecordStatus.DRAFT)
    return rows.aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
        late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
    )


def test_the_demo_districts_report_matches_its_data() -> None:
    build_demo(370405, VOLUMES, io.StringIO())
    for year in (timezone.localdate().year - 1, timezone.localdate().year):
        content = collect(year)

        def value(key: str, content=content):
            figure = content.figure(key)
            assert figure is not None, key
            return figure.value

        licenses, penalties = counts(LicenseRecord, year), counts(PenaltyRecord, year)
        assert licenses["total"] > 0 and penalties["total"] > 0  # the demo has both years
        assert value("publicity.licenses") == licenses["total"]
        assert value("publicity.penalties") == penalties["total"]
        assert value("publicity.total") == licenses["total"] + penalties["total"]
        assert value("publicity.licenses_late") == licenses["late"]
        assert value("publicity.penalties_late") == penalties["late"]
        on_time = licenses["on_time"] + penalties["on_time"]
        judged = on_time + licenses["late"] + penalties["late"]
        rate = value("publicity.on_time_rate")
        if calendar.calendar_is_official(year):
            assert judged > 0 and rate is not None
            assert abs(float(rate) - 100 * on_time / judged) < 0.05
        else:  # the year's holidays are not official yet: every verdict is provisional, no rate
            assert judged == 0 and rate is None
        assert (
            value("screening.checks") == CreditCheck.objects.filter(created_at__year=year).count()
        )
        assert (
            value("repair.received")
            == RepairApplication.objects.filter(submitted_at__year=year).count()
        )

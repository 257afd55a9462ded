from __future__ import annotations

import io

from chengxin.cases.choices import EventType
from chengxin.cases.models import CaseEvent
from chengxin.core.demodata import build_demo
from chengxin.publicity.choices import RecordStatus, Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord


def test_demo_records_look_like_a_real_year(db) -> None:
    build_demo(3, {"subjects": 0, "licenses": 400, "penalties": 100}, io.StringIO())
    assert LicenseRecord.objects.count() == 400
    # The penalties of the volume, and those the demo's decided cases drafted.
    drafted = CaseEvent.objects.filter(type=EventType.PENALTY_DRAFTED).count()
    assert drafted > 0 and PenaltyRecord.objects.count() == 100 + drafted
    assert not LicenseRecord.objects.exclude(status=RecordStatus.PUBLISHED).exists()
    late = LicenseRecord.objects.filter(timeliness=Timeliness.LATE).count()
    assert 0 < late < 100  # most on time, some late
    assert LicenseRecord.objects.filter(department__short_name="区行政审批局").count() > 300
    record = PenaltyRecord.objects.filter(timeliness=Timeliness.ON_TIME).first()
    assert record.submitted_at.date() <= record.deadline

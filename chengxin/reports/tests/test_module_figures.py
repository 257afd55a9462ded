"""The publicity, screening and repair figures of the annual report, from hand-made data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import Department, User
from chengxin.portal.tests.fixtures import company, penalty
from chengxin.publicity import annual as publicity_annual
from chengxin.publicity.choices import RecordKind, RecordStatus, Timeliness
from chengxin.publicity.export import ExportFilters, export_response
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.repair import annual as repair_annual
from chengxin.repair.actions import (
    accept_application,
    approve_application,
    decline_application,
    refuse_application,
)
from chengxin.repair.models import RepairApplication
from chengxin.repair.tests.fixtures import agree
from chengxin.reports.figures import Figure, Section
from chengxin.reports.tests.conftest import make_record
from chengxin.screening import annual as screening_annual
from chengxin.screening.actions import check_subjects, record_feedback
from chengxin.screening.matching import Subject as Candidate
from chengxin.screening.models import ListEntry

pytestmark = pytest.mark.django_db

ON_TIME, LATE, PROVISIONAL = Timeliness.ON_TIME, Timeliness.LATE, Timeliness.PROVISIONAL


def figures(sections: list[Section]) -> dict[str, Figure]:
    return {figure.key: figure for section in sections for figure in section.figures}


def values(sections: list[Section]) -> dict[str, Any]:
    return {key: figure.value for key, figure in figures(sections).items()}


# --- 双公示 ----------------------------------------------------------------------------------


@pytest.fixture
def publicity_year(make_department: Callable[..., Department]) -> dict[str, Any]:
    """This year: 3 licences (2 on time, 1 late, one of them on 31 December) and 2 penalties
    (1 on time, 1 provisional). Not this year's: a draft licence, a licence of 31 December last
    year and one of 1 January next year."""
    market = make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")
    other = make_department(name="台儿庄区综合行政执法局", short_name="区综合执法局")
    first, last = datetime.date(localdate().year, 1, 1), datetime.date(localdate().year, 12, 31)
    made = {
        "licenses": [
            make_record(LicenseRecord, market, first, ON_TIME),
            make_record(LicenseRecord, market, datetime.date(localdate().year, 3, 5), LATE),
            make_record(LicenseRecord, other, last, ON_TIME),
        ],
        "penalties": [
            make_record(PenaltyRecord, market, datetime.date(localdate().year, 3, 9), ON_TIME),
            make_record(PenaltyRecord, other, datetime.date(localdate().year, 4, 1), PROVISIONAL),
        ],
        "outside": [
            make_record(
                LicenseRecord, market, datetime.date(localdate().year, 6, 1), status="draft"
            ),
            make_record(LicenseRecord, market, first - datetime.timedelta(days=1), LATE),
            make_record(LicenseRecord, market, last + datetime.timedelta(days=1), LATE),
        ],
    }
    return made | {"market": market, "other": other}


def test_publicity_counts_reported_records_decided_in_the_year(publicity_year) -> None:
    got = values(publicity_annual.sections(localdate().year))
    assert got["publicity.licenses"] == 3  # the draft and the neighbouring years are not counted
    assert got["publicity.penalties"] == 2
    assert got["publicity.total"] == 5
    assert got["publicity.licenses_late"] == 1 and got["publicity.penalties_late"] == 0
    # 3 on time of 4 with a verdict; the provisional one counts as neither.
    assert got["publicity.on_time_rate"] == Decimal("75.0")


def test_a_year_without_records_has_zero_records_and_no_rate(publicity_year) -> None:
    got = values(publicity_annual.sections(localdate().year - 5))
    assert got["publicity.total"] == 0  # nothing exists: zero, a count
    assert got["publicity.on_time_rate"] is None  # nothing to divide: 无数据, not 0 %
    assert (
        figures(publicity_annual.sections(localdate().year - 5))["publicity.on_time_rate"].text
        == "无数据"
    )


def test_publicity_by_month_and_department_charts(publicity_year) -> None:
    (section,) = publicity_annual.sections(localdate().year)
    by_month, by_department = section.charts
    assert len(by_month.labels) == 12 and by_month.labels[0] == "1月"
    assert by_month.values[0] == 1 and by_month.values[2] == 2 and by_month.values[11] == 1
    assert sum(by_month.values) == 5
    assert dict(zip(by_department.labels, by_department.values, strict=True)) == {
        "区市场监管局": 3,
        "区综合执法局": 2,
    }


def test_exports_for_the_upper_platform_are_counted_with_their_rows(
    publicity_year, make_user: Callable[..., User]
) -> None:
    credit = make_user(Role.CREDIT_ADMIN)
    for kind in (RecordKind.LICENSE, RecordKind.PENALTY):
        filters = ExportFilters(
            kind=kind,
            date_from=datetime.date(localdate().year, 1, 1),
            date_to=datetime.date(localdate().year, 12, 31),
            department=None,
            status=RecordStatus.PUBLISHED,
        )
        export_response(filters, "json", actor=credit)
    got = values(publicity_annual.sections(localdate().year))
    assert got["publicity.exports"] == 2
    assert got["publicity.exported_rows"] == 5  # 3 published licences + 2 penalties
    assert values(publicity_annual.sections(localdate().year - 1))["publicity.exports"] == 0


def test_a_figure_links_to_the_list_it_counts(publicity_year, make_user) -> None:
    admin = make_user(Role.RULE_OF_LAW_ADMIN)
    client = Client()
    client.force_login(admin)
    found = figures(publicity_annual.sections(localdate().year))
    page = client.get(found["publicity.licenses"].url)
    assert page.status_code == 200
    html = page.content.decode()
    for record in publicity_year["licenses"]:
        assert record.decision_number in html
    for record in publicity_year["outside"][1:]:  # the other years' licences are not listed
        assert record.decision_number not in html
    late = client.get(found["publicity.licenses_late"].url).content.decode()
    assert publicity_year["licenses"][1].decision_number in late
    assert publicity_year["licenses"][0].decision_number not in late


# --- 联合奖惩 --------------------------------------------------------------------------------

# The Wednesday before the National Day holiday: a hit checked "on" that day is due on 10-10 (a
# make-up working day), overdue from 10-11 — and so overdue on any day this test runs later.
CHECKED_ON = datetime.date(2026, 9, 30)


@pytest.fixture
def checks_made(
    checker: User,
    scenario: Any,
    make_entry: Callable[..., ListEntry],
    make_user: Callable[..., User],
    make_department: Callable[..., Department],
) -> None:
    """Procurement: 1 hit + 1 candidate + 1 clear; bidding: 1 hit with feedback (taken);
    another department: 1 hit without feedback."""
    listed = make_entry(subject_name="枣庄市台儿庄区华兴建材有限公司")

    def run(user: User, code: str, *subjects: Candidate) -> list[Any]:
        return check_subjects(
            list(subjects),
            department=user.department,
            scenario=scenario(code),
            matter="事项",
            actor=user,
            on=CHECKED_ON,
        )

    run(
        checker,
        "government_procurement",
        Candidate(credit_code=listed.credit_code),
        Candidate(name="枣庄市台儿庄区华兴建财有限公司"),
        Candidate(name="枣庄市台儿庄区永安商贸有限公司"),
    )
    (answered,) = run(checker, "bidding", Candidate(credit_code=listed.credit_code))
    record_feedback(answered, actor=checker, taken=True)
    other = make_user(Role.CREDIT_CHECKER, department=make_department(name="区公共资源交易中心"))
    run(other, "government_procurement", Candidate(credit_code=listed.credit_code))


def test_screening_figures_follow_the_checks(checks_made) -> None:
    sections = screening_annual.sections(localdate().year)
    got = values(sections)
    assert got["screening.checks"] == 5
    assert got["screening.hits"] == 3  # the candidate is not a hit
    assert got["screening.hit_rate"] == Decimal("60.0")
    assert got["screening.feedback_rate"] == Decimal("33.3")
    assert got["screening.overdue"] == 2  # the two hits without feedback, due 10-10
    from chengxin.screening.models import CheckMeasure

    applied = CheckMeasure.objects.filter(is_applied=True).count()
    assert applied > 0 and got["screening.measures_applied"] == applied
    (section,) = sections
    hits = dict(zip(section.charts[0].labels, section.charts[0].values, strict=True))
    assert sum(hits.values()) == 3


def test_no_checks_in_a_year_is_zero_checks(checks_made) -> None:
    got = values(screening_annual.sections(localdate().year - 1))
    assert got["screening.checks"] == 0 and got["screening.hits"] == 0
    assert got["screening.hit_rate"] is None


def test_the_hits_figure_links_to_the_hits_of_the_year(checks_made, make_user) -> None:
    credit = make_user(Role.CREDIT_ADMIN)
    client = Client()
    client.force_login(credit)
    url = figures(screening_annual.sections(localdate().year))["screening.hits"].url
    assert "outcome=hit" in url and f"date_from={localdate().year}-01-01" in url
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 3


# --- 信用修复 --------------------------------------------------------------------------------


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def applications(apply, credit_admin: User, market: Department) -> list[RepairApplication]:
    """Four applications on four penalties: approved, refused, not accepted, still open."""
    decided = timezone.localdate().replace(day=1) - datetime.timedelta(days=150)
    made = [apply()[0]]
    for _ in range(3):
        target = penalty(company(), market, decision_date=decided, severity="general")
        made.append(apply(target)[0])
    accepted = accept_application(made[0], actor=credit_admin)
    agree(accepted)  # 谁认定、谁修复: the deciding department's 同意 before the approval
    approve_application(accepted, actor=credit_admin)
    refuse_application(
        accept_application(made[1], actor=credit_admin), actor=credit_admin, reason="材料不全"
    )
    decline_application(made[2], actor=credit_admin, reason="不属于受理范围")
    return made


# A fixed year (2026, its National Day and make-up Saturday): the test runs in it, so the open
# application, submitted "today", is one of 2026's received ones whatever the real date.
@pytest.mark.today(datetime.date(2026, 11, 16))
def test_repair_counts_and_average_working_days(applications) -> None:
    approved, refused, declined, _open = applications
    # 2026-09-30 → 2026-10-10: 10-08, 10-09 and the make-up Saturday 10-10 are working days.
    RepairApplication.objects.filter(pk=approved.pk).update(
        submitted_at=at(datetime.date(2026, 9, 30)), decided_at=at(datetime.date(2026, 10, 10))
    )
    # Monday 2026-06-01 → Friday 06-05: 4 working days after the day of submission.
    RepairApplication.objects.filter(pk=refused.pk).update(
        submitted_at=at(datetime.date(2026, 6, 1)), decided_at=at(datetime.date(2026, 6, 5))
    )
    # Submitted on the last evening of last year, decided the same night: 0 working days.
    RepairApplication.objects.filter(pk=declined.pk).update(
        submitted_at=at(datetime.date(2025, 12, 31), 21),
        decided_at=at(datetime.date(2026, 1, 1), 9),
    )
    got = values(repair_annual.sections(2026))
    assert got["repair.received"] == 3  # the declined one was received last year
    assert (got["repair.approved"], got["repair.refused"], got["repair.not_accepted"]) == (1, 1, 1)
    assert got["repair.average_working_days"] == Decimal("2.3")  # (3 + 4 + 0) / 3
    last_year = values(repair_annual.sections(2025))
    assert last_year["repair.received"] == 1 and last_year["repair.approved"] == 0
    assert last_year["repair.average_working_days"] is None  # none closed: 无数据, not 0 days


def test_working_day_average_rounds_half_up() -> None:
    pairs = [
        (at(datetime.date(2026, 6, 1)), at(datetime.date(2026, 6, 2))),  # 1
        (at(datetime.date(2026, 6, 1)), at(datetime.date(2026, 6, 3))),  # 2
        (at(datetime.date(2026, 6, 1)), at(datetime.date(2026, 6, 3))),  # 2
        (at(datetime.date(2026, 6, 1)), at(datetime.date(2026, 6, 3))),  # 2 → 7 / 4 = 1.75
    ]
    assert repair_annual.average_working_days(pairs) == Decimal("1.8")
    assert repair_annual.average_working_days([]) is None


def test_repair_figures_link_to_the_queue_by_result(applications, credit_admin) -> None:
    client = Client()
    client.force_login(credit_admin)
    url = figures(repair_annual.sections(localdate().year))["repair.approved"].url
    page = client.get(url)
    assert page.status_code == 200
    assert [a.pk for a in page.context["page"]] == [applications[0].pk]

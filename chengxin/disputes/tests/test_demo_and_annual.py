"""The annual report's two chapters from fixture data, and the demo district's figures."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import resolve

from chengxin.accounts import demo as accounts_demo
from chengxin.core.demodata import DemoContext
from chengxin.disputes import annual
from chengxin.disputes import demo as disputes_demo
from chengxin.disputes.models import DisputeEvent, Hearing, MediationRoom, Reconsideration
from chengxin.reports.figures import REPORT_SECTIONS

pytestmark = pytest.mark.django_db
D = datetime.date


def _figures(year: int, department: object = None) -> dict[str, annual.Figure]:
    sections = annual.sections(year, department=department)  # type: ignore[arg-type]
    return {f.key: f for section in sections for f in section.figures}


def test_two_chapters_with_keys_of_the_report() -> None:
    sections = annual.sections(2026)
    keys = {key for key, _title in REPORT_SECTIONS}
    assert [section.key for section in sections] == ["disputes", "capacity"]
    assert all(section.key in keys and section.charts for section in sections)


def test_an_empty_year_gives_counts_of_zero_and_rates_of_no_data() -> None:
    figures = _figures(2026)
    assert figures["disputes.reconsiderations_received"].value == 0
    for key in (
        "disputes.correction_rate",
        "disputes.appearance_rate",
        "disputes.mediation_success_rate",
        "capacity.exam_pass_rate",
    ):
        assert figures[key].value is None, key


def test_figures_come_from_the_rows_and_link_to_the_filtered_lists(
    make_reconsideration,
    make_hearing,
    make_room,
    make_mediation_case,
    make_exam,
    make_training,
    make_study,
    bureau,
) -> None:
    make_reconsideration(decided_on=D(2026, 5, 1), result="revoked")
    make_reconsideration(decided_on=D(2026, 5, 1), result="upheld")
    make_reconsideration(received_on=D(2025, 12, 1), accepted_on=D(2025, 12, 1))
    make_hearing(appeared=True)
    make_hearing(appeared=False)
    room = make_room(is_branded=True, is_cross_province=True, partner_region="江苏省邳州市")
    make_room(established_on=D(2027 - 1, 1, 1), is_active=False)
    make_mediation_case(room=room, closed_on=D(2026, 5, 8), result="succeeded", agreement="和解")
    make_exam(score=Decimal("90"), is_congress_appointment=True)
    make_exam(score=Decimal("50"), exam_on=D(2026, 6, 18))
    make_training(hours=Decimal("16"), participant_count=40, is_enforcement_training=True)
    make_training(hours=Decimal("3.5"), participant_count=10)
    make_study(hours=Decimal("2"), is_collective=True)
    make_study(hours=Decimal("1.5"))

    figures = _figures(2026)
    values = {key: figure.value for key, figure in figures.items()}
    assert values["disputes.reconsiderations_received"] == 2
    assert values["disputes.reconsiderations_decided"] == 2
    assert values["disputes.reconsiderations_corrected"] == 1
    assert values["disputes.correction_rate"] == Decimal("50.0")
    assert values["disputes.hearings"] == 2 and values["disputes.appearance_rate"] == Decimal(
        "50.0"
    )
    assert values["disputes.litigations_received"] == 2
    assert values["disputes.mediation_rooms"] == 1  # the inactive room is not counted
    assert values["disputes.branded_mediation_rooms"] == 1
    assert values["disputes.cross_province_rooms"] == 1
    assert values["disputes.mediation_cases"] == 1
    assert values["disputes.mediation_success_rate"] == Decimal("100.0")
    assert values["capacity.exams"] == 1 and values["capacity.nominees"] == 2
    assert values["capacity.congress_nominees"] == 1
    assert values["capacity.exam_pass_rate"] == Decimal("50.0")
    assert values["capacity.trainings"] == 2 and values["capacity.enforcement_trainings"] == 1
    assert values["capacity.training_hours"] == Decimal("19.5")
    assert values["capacity.training_participants"] == 50
    assert values["capacity.study_records"] == 2 and values["capacity.collective_study"] == 1
    assert values["capacity.study_hours"] == Decimal("3.5")
    assert figures["disputes.correction_rate"].url.endswith("?decided_year=2026")
    for figure in figures.values():
        assert resolve(figure.url.split("?")[0]).namespace == "disputes"
    charts = {c.key: c for s in annual.sections(2026) for c in s.charts}
    appearance = charts["disputes.appearance_by_department"]
    assert appearance.labels == (bureau.short_name,) and appearance.values == (Decimal("50.0"),)
    assert charts["capacity.exam_results"].values == (1, 1)


def test_the_figure_urls_list_the_rows_counted(client, law_admin, make_reconsideration) -> None:
    make_reconsideration(decided_on=D(2026, 5, 1), result="varied")
    make_reconsideration(decided_on=D(2026, 5, 1), result="upheld")
    make_reconsideration(received_on=D(2025, 3, 1), accepted_on=D(2025, 3, 1))
    figures = _figures(2026)
    client.force_login(law_admin)
    for key in ("disputes.reconsiderations_received", "disputes.reconsiderations_corrected"):
        response = client.get(figures[key].url)
        assert len(response.context["rows"]) == figures[key].value, key


def test_a_departments_report_counts_its_own_rows_and_lists_them(
    client, law_admin, make_reconsideration, make_exam, bureau, other_bureau, township
) -> None:
    make_reconsideration(decided_on=D(2026, 5, 1), result="revoked")
    make_reconsideration(  # the year's first day
        received_on=D(2026, 1, 1),
        accepted_on=D(2026, 1, 1),
        decided_on=D(2026, 1, 1),
        result="upheld",
    )
    make_reconsideration(  # last year's: not in 2026's figures
        received_on=D(2025, 12, 1),
        accepted_on=D(2025, 12, 1),
        decided_on=D(2025, 12, 31),
        result="upheld",
    )
    make_reconsideration(
        received_on=D(2027 - 1, 1, 1), accepted_on=D(2026, 1, 1), department=other_bureau
    )
    for _ in range(2):
        make_reconsideration(decided_on=D(2026, 5, 1), result="upheld", department=other_bureau)
    make_exam(score=Decimal("90"))
    make_exam(score=Decimal("50"), department=other_bureau)

    own, district = _figures(2026, bureau), _figures(2026)
    assert own["disputes.reconsiderations_received"].value == 2
    assert district["disputes.reconsiderations_received"].value == 5
    assert own["disputes.correction_rate"].value == Decimal("50.0")
    assert district["disputes.correction_rate"].value == Decimal("25.0")
    assert (own["capacity.nominees"].value, district["capacity.nominees"].value) == (1, 2)
    # Each figure's list shows the department's rows, as many as counted.
    client.force_login(law_admin)
    for key in ("disputes.reconsiderations_received", "disputes.reconsiderations_corrected"):
        assert f"department={bureau.pk}" in own[key].url
        response = client.get(own[key].url)
        assert len(response.context["rows"]) == own[key].value, key
    # Another department's rows never count; a department with none reads 0 and 无数据.
    empty = _figures(2026, township)
    assert empty["disputes.reconsiderations_received"].value == 0
    assert empty["disputes.correction_rate"].value is None
    assert empty["capacity.exam_pass_rate"].value is None
    # The per-department charts are the district's only.
    charts = {c.key for s in annual.sections(2026, department=bureau) for c in s.charts}
    assert "disputes.appearance_by_department" not in charts
    assert "capacity.study_hours_by_department" not in charts


def test_demo_district(_today: datetime.date) -> None:
    today = _today  # the package's frozen day (conftest)
    ctx = DemoContext(seed=7, volumes={}, out=io.StringIO())
    accounts_demo.generate(ctx)
    disputes_demo.generate(ctx)

    rooms = MediationRoom.objects.all()
    assert rooms.filter(is_branded=True).count() == 23
    assert {"老崔调解室", "马云调解室"} <= set(rooms.values_list("name", flat=True))
    townships = {
        key
        for key, *_ in accounts_demo.DEPARTMENTS
        if key in {"yunhe", "pizhuang", "zhangshanzi", "nigou", "jiantouji", "malantun"}
    }
    assert rooms.filter(is_branded=True).values("township").distinct().count() == len(townships)
    assert rooms.filter(is_cross_province=True).exclude(partner_region="").count() >= 5
    figures = _figures(2026)
    assert figures["disputes.appearance_rate"].value == Decimal("100.0")
    assert (
        figures["disputes.hearings"].value == Hearing.objects.in_year(2026).counted(today).count()
    )
    last_year = _figures(2025)["disputes.appearance_rate"].value
    assert last_year is not None and last_year < Decimal("100")
    assert figures["disputes.branded_mediation_rooms"].value == 23
    assert Reconsideration.objects.overdue(today).exists()
    assert DisputeEvent.objects.filter(type="reconsideration_decided").count() == (
        Reconsideration.objects.decided().count()
    )
    assert (
        figures["capacity.exams"].value == 3
    )  # March, June, September and figures["capacity.trainings"].value == 8

"""Staff pages: every register's list, form, detail and export; department scoping; actions
through the pages; the dashboard; the query count of list pages."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from chengxin.accounts.choices import Role
from chengxin.disputes.models import (
    DisputeEvent,
    Hearing,
    Litigation,
    MediationCase,
    MediationRoom,
    PreAppointmentExam,
    Reconsideration,
    StudyRecord,
    TrainingSession,
)

pytestmark = pytest.mark.django_db
BASE = "/staff/disputes"


def _form_data(slug: str, department: Any, room: Any = None) -> dict[str, Any]:
    return {
        "reconsiderations": {
            "case_number": "台政复〔2026〕99号",
            "applicant_name": "枣庄市某商贸有限公司",
            "applicant_kind": "organisation",
            "department": department.pk,
            "matter": "责令停产停业决定",
            "procedure": "ordinary",
            "received_on": "2026-10-09",
            "accepted_on": "2026-10-12",
        },
        "litigations": {
            "case_number": "（2026）鲁0405行初99号",
            "court": "台儿庄区人民法院",
            "instance": "first",
            "department": department.pk,
            "plaintiff_name": "李某",
            "cause": "行政强制",
            "filed_on": "2026-09-01",
        },
        "mediation-rooms": {
            "name": "老崔调解室",
            "township": department.pk,
            "mediators": "崔某某\n王某",
            "is_branded": "on",
            "is_cross_province": "on",
            "partner_region": "江苏省邳州市",
            "established_on": "2018-06-01",
            "is_active": "on",
        },
        "mediation-cases": {
            "room": room.pk if room else "",
            "parties": "张某与刘某",
            "dispute_type": "land",
            "received_on": "2026-11-02",
        },
        "exams": {
            "nominee_name": "孙某",
            "position": "局长",
            "department": department.pk,
            "is_congress_appointment": "on",
            "exam_on": "2026-08-20",
            "score": "92.5",
        },
        "trainings": {
            "title": "行政执法人员培训班",
            "held_on": "2026-06-12",
            "organiser": department.pk,
            "hours": "12",
            "participant_count": "60",
            "is_enforcement_training": "on",
        },
        "study-records": {
            "department": department.pk,
            "person_name": "周某",
            "studied_on": "2026-05-20",
            "topic": "行政处罚法",
            "hours": "1.5",
            "is_collective": "on",
        },
    }[slug]


MODELS = {
    "reconsiderations": Reconsideration,
    "litigations": Litigation,
    "mediation-rooms": MediationRoom,
    "mediation-cases": MediationCase,
    "exams": PreAppointmentExam,
    "trainings": TrainingSession,
    "study-records": StudyRecord,
}


@pytest.mark.parametrize("slug", list(MODELS))
def test_create_show_edit_and_list_each_register(
    client, law_admin, bureau, township, make_room, slug
) -> None:
    client.force_login(law_admin)
    department = township if slug == "mediation-rooms" else bureau
    room = make_room() if slug == "mediation-cases" else None
    assert client.get(f"{BASE}/{slug}/add/").status_code == 200
    response = client.post(f"{BASE}/{slug}/add/", _form_data(slug, department, room))
    assert response.status_code == 302, response.context["form"].errors
    obj = MODELS[slug].objects.get()
    assert response["Location"] == f"{BASE}/{slug}/{obj.pk}/"
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert client.get(f"{BASE}/{slug}/{obj.pk}/edit/").status_code == 200
    listing = client.get(f"{BASE}/{slug}/")
    assert listing.status_code == 200 and len(listing.context["rows"]) == 1


def test_bad_input_comes_back_with_a_message_on_the_field(client, law_admin, bureau) -> None:
    client.force_login(law_admin)
    data = _form_data("reconsiderations", bureau) | {"accepted_on": "2026-10-01"}
    response = client.post(f"{BASE}/reconsiderations/add/", data)
    assert response.status_code == 200
    assert "受理日期不能早于收到申请日期" in response.content.decode()
    assert not Reconsideration.objects.exists()


def test_a_liaison_sees_and_writes_only_their_department(
    client, liaison, bureau, other_bureau, make_reconsideration
) -> None:
    own = make_reconsideration(department=bureau)
    other = make_reconsideration(department=other_bureau)
    client.force_login(liaison)
    listing = client.get(f"{BASE}/reconsiderations/")
    assert [obj for obj, _cells in listing.context["rows"]] == [own]
    assert client.get(f"{BASE}/reconsiderations/{other.pk}/").status_code == 404
    assert client.get(f"{BASE}/reconsiderations/{other.pk}/edit/").status_code == 404
    data = _form_data("reconsiderations", other_bureau)
    response = client.post(f"{BASE}/reconsiderations/add/", data)
    assert response.status_code == 200 and "department" in response.context["form"].errors
    response = client.post(f"{BASE}/reconsiderations/add/", _form_data("reconsiderations", bureau))
    assert response.status_code == 302
    # decisions on another department's case are refused as not found
    response = client.post(
        f"{BASE}/reconsiderations/{other.pk}/decide/",
        {"decided_on": "2026-04-01", "result": "upheld"},
    )
    assert response.status_code == 404 and not DisputeEvent.objects.exists()


def test_roles_without_the_area_are_refused(client, make_user) -> None:
    client.force_login(make_user(Role.ENFORCEMENT_OFFICER))
    assert client.get(f"{BASE}/reconsiderations/").status_code == 403
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/nothing/").status_code == 404


def _sheet(content: bytes, tmp_path: Path) -> list[list[Any]]:
    path = tmp_path / "export.xlsx"
    path.write_bytes(content)
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()  # type: ignore[no-any-return]


def test_export_of_the_filtered_list(
    client, law_admin, liaison, bureau, other_bureau, make_reconsideration, tmp_path
) -> None:
    make_reconsideration(department=bureau, applicant_name='=HYPERLINK("x")')
    make_reconsideration(
        department=other_bureau,
        decided_on=datetime.date(2026, 5, 1),
        result="varied",
    )
    client.force_login(law_admin)
    response = client.get(f"{BASE}/reconsiderations/export.xlsx?result=varied")
    assert response.status_code == 200
    rows = _sheet(response.getvalue(), tmp_path)
    assert rows[0][:2] == ["复议案号", "申请人"] and len(rows) == 2
    assert rows[1][3] == other_bureau.name and "变更" in rows[1]
    everything = _sheet(client.get(f"{BASE}/reconsiderations/export.xlsx").getvalue(), tmp_path)
    assert '=HYPERLINK("x")' in [row[1] for row in everything]  # kept as text
    client.force_login(liaison)  # a liaison exports only their own department's rows
    own = _sheet(client.get(f"{BASE}/reconsiderations/export.xlsx").getvalue(), tmp_path)
    assert [row[3] for row in own[1:]] == [bureau.name]


@pytest.mark.parametrize("slug", list(MODELS))
def test_every_register_exports_its_fields(
    client, law_admin, bureau, township, make_room, slug, tmp_path
) -> None:
    from chengxin.disputes.registers import REGISTERS, label_of

    department = township if slug == "mediation-rooms" else bureau
    room = make_room(name="老崔调解室") if slug == "mediation-cases" else None
    client.force_login(law_admin)
    client.post(f"{BASE}/{slug}/add/", _form_data(slug, department, room))
    response = client.get(f"{BASE}/{slug}/export.xlsx")
    assert response.status_code == 200
    rows = _sheet(response.getvalue(), tmp_path)
    spec = REGISTERS[slug]
    assert rows[0] == [str(label_of(spec.model, name)) for name in spec.fields]
    assert len(rows) == 1 + MODELS[slug].objects.count() and len(rows) >= 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"A", "B", "C"}),
        ("year=2025", {"C"}),
        ("decided_year=2026", {"B"}),
        ("result=open", {"A", "C"}),
        ("result=revoked", {"B"}),
        ("corrected=on", {"B"}),
        ("overdue=on", {"C"}),
    ],
)
def test_reconsideration_filters(
    client, law_admin, make_reconsideration, other_bureau, query, expected
) -> None:
    D = datetime.date
    make_reconsideration(applicant_name="A", received_on=D(2026, 11, 1), accepted_on=None)
    make_reconsideration(
        applicant_name="B", department=other_bureau, decided_on=D(2026, 4, 1), result="revoked"
    )
    make_reconsideration(applicant_name="C", received_on=D(2025, 6, 1), accepted_on=None)
    client.force_login(law_admin)
    response = client.get(f"{BASE}/reconsiderations/?{query}")
    assert {obj.applicant_name for obj, _cells in response.context["rows"]} == expected


def test_department_filter(client, law_admin, make_reconsideration, bureau, other_bureau) -> None:
    make_reconsideration(department=bureau)
    make_reconsideration(department=other_bureau)
    client.force_login(law_admin)
    response = client.get(f"{BASE}/reconsiderations/?department={other_bureau.pk}")
    assert [obj.department for obj, _cells in response.context["rows"]] == [other_bureau]


def test_hearing_year_and_room_flags(
    client, law_admin, make_hearing, make_litigation, make_room
) -> None:
    old_case = make_litigation(filed_on=datetime.date(2025, 1, 10))
    hearing = make_hearing(old_case, held_on=datetime.date(2025, 3, 1))
    make_room(is_cross_province=True, partner_region="江苏省邳州市")
    make_room(is_branded=True)
    client.force_login(law_admin)
    rows = client.get(f"{BASE}/litigations/?hearing_year=2025").context["rows"]
    assert [obj for obj, _cells in rows] == [hearing.litigation]
    assert not client.get(f"{BASE}/litigations/?hearing_year=2026").context["rows"]
    rooms = client.get(f"{BASE}/mediation-rooms/?cross_province=on").context["rows"]
    assert [obj.partner_region for obj, _cells in rooms] == ["江苏省邳州市"]
    assert len(client.get(f"{BASE}/mediation-rooms/?branded=on").context["rows"]) == 1


def test_actions_through_the_pages(client, liaison, make_reconsideration, make_hearing) -> None:
    case = make_reconsideration()
    hearing = make_hearing(held_on=datetime.date(2026, 4, 14))
    client.force_login(liaison)
    page = client.get(f"{BASE}/reconsiderations/{case.pk}/").content.decode()
    assert "登记复议决定" in page and "延长审理期限" in page
    response = client.post(
        f"{BASE}/reconsiderations/{case.pk}/extend/", {"days": "40", "reason": "复杂"}
    )
    assert response.status_code == 302 and not DisputeEvent.objects.exists()
    client.post(
        f"{BASE}/reconsiderations/{case.pk}/decide/",
        {"decided_on": "2026-04-20", "result": "confirmed_illegal", "note": ""},
    )
    case.refresh_from_db()
    assert case.result == "confirmed_illegal"
    page = client.get(f"{BASE}/reconsiderations/{case.pk}/").content.decode()
    assert f"{BASE}/reconsiderations/{case.pk}/decide/" not in page  # decided: no form

    litigation = hearing.litigation
    client.post(
        f"{BASE}/litigations/{litigation.pk}/hearings/",
        {"held_on": "2026-12-15", "appearance_required": "on"},
    )
    assert litigation.hearings.count() == 2
    response = client.post(
        f"{BASE}/hearings/{hearing.pk}/appearance/",
        {
            "appeared": "yes",
            "attendees": "王局长、张三",
            "head_name": "王局长",
            "head_position": "局长",
        },
    )
    assert response["Location"] == f"{BASE}/litigations/{litigation.pk}/"
    hearing.refresh_from_db()
    assert hearing.head_appeared is True
    page = client.get(f"{BASE}/litigations/{litigation.pk}/").content.decode()
    assert "100.0%" in page


def test_future_hearing_appearance_is_refused_with_a_message(client, liaison, make_hearing) -> None:
    hearing = make_hearing(held_on=datetime.date(2026, 12, 1))
    client.force_login(liaison)
    response = client.post(
        f"{BASE}/hearings/{hearing.pk}/appearance/",
        {"appeared": "yes", "attendees": "王局长", "head_name": "王局长"},
        follow=True,
    )
    assert "开庭日期尚未到" in response.content.decode()
    hearing.refresh_from_db()
    assert hearing.head_appeared is None


def test_close_mediation_through_the_page(client, law_admin, make_mediation_case) -> None:
    case = make_mediation_case()
    client.force_login(law_admin)
    response = client.post(
        f"{BASE}/mediation-cases/{case.pk}/close/",
        {"result": "succeeded", "closed_on": "2026-05-07", "agreement": "", "agreement_amount": ""},
        follow=True,
    )
    assert "须填写调解协议内容" in response.content.decode()
    client.post(
        f"{BASE}/mediation-cases/{case.pk}/close/",
        {
            "result": "succeeded",
            "closed_on": "2026-05-07",
            "agreement": "互谅",
            "agreement_amount": "800",
        },
    )
    case.refresh_from_db()
    assert case.agreement_amount == Decimal("800")


def test_dashboard_shows_rates_per_department(
    client, law_admin, make_reconsideration, make_hearing, bureau
) -> None:
    make_reconsideration(decided_on=datetime.date(2026, 5, 1), result="revoked")
    make_reconsideration(decided_on=datetime.date(2026, 5, 1), result="upheld")
    make_reconsideration(
        received_on=datetime.date(2026, 6, 1), accepted_on=datetime.date(2026, 6, 1)
    )
    make_hearing(appeared=True)
    client.force_login(law_admin)
    response = client.get(f"{BASE}/?year=2026")
    (row,) = response.context["rows"]
    assert row.department == bureau and str(row.correction) == "50.0%"
    assert str(row.appearance) == "100.0%" and row.overdue == 1
    page = response.content.decode()
    assert "50.0%" in page and "逾期未作出决定" in page
    empty = client.get(f"{BASE}/?year=2020")
    assert str(empty.context["total"].appearance) == "无数据"
    assert "无数据" in empty.content.decode()


@pytest.mark.parametrize("slug", ["reconsiderations", "litigations", "mediation-cases", "exams"])
def test_list_query_count_does_not_grow(
    client,
    law_admin,
    slug,
    make_reconsideration,
    make_litigation,
    make_mediation_case,
    make_exam,
    make_room,
    django_assert_max_num_queries,
) -> None:
    make = {
        "reconsiderations": make_reconsideration,
        "litigations": make_litigation,
        "mediation-cases": lambda: make_mediation_case(room=room),
        "exams": make_exam,
    }[slug]
    room = make_room()
    make()
    client.force_login(law_admin)
    client.get(f"{BASE}/{slug}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{BASE}/{slug}/")
    for _ in range(25):
        make()
    with django_assert_max_num_queries(len(few)):
        response = client.get(f"{BASE}/{slug}/")
    assert len(response.context["rows"]) == 26


def test_navigation_lists_the_section(client, law_admin, liaison) -> None:
    client.force_login(law_admin)
    page = client.get("/staff/").content.decode()
    assert f"{BASE}/reconsiderations/" in page and f"{BASE}/study-records/" in page
    assert Hearing.objects.count() == 0


def test_dashboard_of_a_liaison_shows_only_their_department(
    client, liaison, make_reconsideration, make_hearing, make_litigation, bureau, other_bureau
) -> None:
    make_reconsideration(department=bureau, decided_on=datetime.date(2026, 5, 1), result="upheld")
    make_reconsideration(
        department=other_bureau, decided_on=datetime.date(2026, 5, 1), result="revoked"
    )
    make_hearing(make_litigation(department=other_bureau), appeared=False)
    client.force_login(liaison)
    response = client.get(f"{BASE}/?year=2026")
    assert [row.department for row in response.context["rows"]] == [bureau]
    assert str(response.context["total"].correction) == "0.0%"
    assert str(response.context["total"].appearance) == "无数据"
    page = client.get("/staff/").content.decode()
    assert f"{BASE}/reconsiderations/" in page and f"{BASE}/exams/" in page


@pytest.mark.parametrize("year", ["abc", "0", "99999", "-1", "2026.5"])
def test_dashboard_with_an_odd_year_falls_back_to_this_year(client, law_admin, year) -> None:
    """A hand-typed ?year= that is no year of the list shows this year's figures, never a 500."""
    client.force_login(law_admin)
    response = client.get(f"{BASE}/", {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == response.context["today"].year

"""Factories for disputes tests: each fixture returns a function taking overrides."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.disputes.models import (
    Hearing,
    Litigation,
    MediationCase,
    MediationRoom,
    PreAppointmentExam,
    Reconsideration,
    StudyRecord,
    TrainingSession,
)

_numbers = itertools.count(1)


def _saved(model: type[Any], fields: dict[str, Any], overrides: dict[str, Any]) -> Any:
    fields.update(overrides)
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj


@pytest.fixture
def bureau(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")


@pytest.fixture
def other_bureau(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区综合行政执法局", short_name="区综合执法局")


@pytest.fixture
def township(make_department: Callable[..., Department]) -> Department:
    return make_department(
        name="台儿庄区涧头集镇人民政府", short_name="涧头集镇", kind=DepartmentKind.TOWNSHIP
    )


@pytest.fixture
def law_admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.RULE_OF_LAW_ADMIN)


@pytest.fixture
def liaison(make_user: Callable[..., User], bureau: Department) -> User:
    return make_user(Role.LEGAL_AFFAIRS_OFFICER, department=bureau)


@pytest.fixture
def make_reconsideration(bureau: Department) -> Callable[..., Reconsideration]:
    def make(**overrides: Any) -> Reconsideration:
        n = next(_numbers)
        fields: dict[str, Any] = {
            "case_number": f"台政复〔2026〕{n}号",
            "applicant_name": f"申请人{n}",
            "applicant_kind": "person",
            "department": bureau,
            "matter": "行政处罚决定",
            "received_on": datetime.date(2026, 3, 2),
            "accepted_on": datetime.date(2026, 3, 2),
        }
        return _saved(Reconsideration, fields, overrides)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def make_litigation(bureau: Department) -> Callable[..., Litigation]:
    def make(**overrides: Any) -> Litigation:
        n = next(_numbers)
        fields: dict[str, Any] = {
            "case_number": f"（2026）鲁0405行初{n}号",
            "court": "台儿庄区人民法院",
            "department": bureau,
            "plaintiff_name": f"原告{n}",
            "cause": "行政处罚",
            "filed_on": datetime.date(2026, 2, 2),
        }
        return _saved(Litigation, fields, overrides)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def make_hearing(make_litigation: Callable[..., Litigation]) -> Callable[..., Hearing]:
    """A hearing; `appeared=True/False` records the appearance as the form would."""

    def make(litigation: Litigation | None = None, appeared: bool | None = None, **kw: Any) -> Any:
        fields: dict[str, Any] = {
            "litigation": litigation or make_litigation(),
            "held_on": datetime.date(2026, 4, 14),
        }
        if appeared is not None:
            fields.update(head_appeared=appeared, attendees="张三、李四")
            if appeared:
                fields.update(head_name="王局长", head_position="副局长")
            else:
                fields.update(absence_reason="irreplaceable_duty")
        return _saved(Hearing, fields, kw)

    return make


@pytest.fixture
def make_room(township: Department) -> Callable[..., MediationRoom]:
    def make(**overrides: Any) -> MediationRoom:
        n = next(_numbers)
        fields: dict[str, Any] = {
            "name": f"调解室{n}",
            "township": township,
            "mediators": "崔某某",
            "established_on": datetime.date(2019, 5, 1),
        }
        return _saved(MediationRoom, fields, overrides)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def make_mediation_case(make_room: Callable[..., MediationRoom]) -> Callable[..., MediationCase]:
    def make(**overrides: Any) -> MediationCase:
        fields: dict[str, Any] = {
            "room": overrides.pop("room", None) or make_room(),
            "parties": "甲某与乙某",
            "dispute_type": "neighbours",
            "received_on": datetime.date(2026, 5, 6),
        }
        return _saved(MediationCase, fields, overrides)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def make_exam(bureau: Department) -> Callable[..., PreAppointmentExam]:
    def make(**overrides: Any) -> PreAppointmentExam:
        fields: dict[str, Any] = {
            "nominee_name": "赵某",
            "position": "副局长",
            "department": bureau,
            "exam_on": datetime.date(2026, 6, 18),
            "score": Decimal("85"),
        }
        return _saved(PreAppointmentExam, fields, overrides)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def make_training(bureau: Department) -> Callable[..., TrainingSession]:
    def make(**overrides: Any) -> TrainingSession:
        fields: dict[str, Any] = {
            "title": "行政执法人员培训班",
            "held_on": datetime.date(2026, 7, 8),
            "organiser": bureau,
            "hours": Decimal("16"),
            "participant_count": 40,
        }
        return _saved(TrainingSession, fields, overrides)  # type: ignore[no-any-return]

    return make


@pytest.fixture
def make_study(bureau: Department) -> Callable[..., StudyRecord]:
    def make(**overrides: Any) -> StudyRecord:
        fields: dict[str, Any] = {
            "department": bureau,
            "person_name": "钱某",
            "studied_on": datetime.date(2026, 3, 15),
            "topic": "宪法",
            "hours": Decimal("2"),
        }
        return _saved(StudyRecord, fields, overrides)  # type: ignore[no-any-return]

    return make

"""Rules about one record (Model.clean) and the reconsideration due date (复议法 arts. 30, 62, 88)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from chengxin.core.models import LocalSetting
from chengxin.disputes.models import Hearing, Reconsideration, period_end

pytestmark = pytest.mark.django_db
D = datetime.date


# --- due date and overdue --------------------------------------------------------------------------


def test_due_date_is_sixty_days_after_acceptance(make_reconsideration) -> None:
    case = make_reconsideration(received_on=D(2026, 4, 1), accepted_on=D(2026, 4, 2))
    assert case.time_limit_days == 60
    assert case.due_on == D(2026, 6, 1)  # Monday, a working day: not moved


def test_the_due_day_itself_is_in_time_and_the_next_day_is_overdue(make_reconsideration) -> None:
    case = make_reconsideration(received_on=D(2026, 4, 1), accepted_on=D(2026, 4, 2))
    overdue = Reconsideration.objects.overdue
    assert not overdue(on=D(2026, 6, 1)).exists() and not case.is_overdue(D(2026, 6, 1))
    assert overdue(on=D(2026, 6, 2)).get() == case and case.is_overdue(D(2026, 6, 2))


def test_a_period_ending_on_a_holiday_ends_on_the_next_working_day(make_reconsideration) -> None:
    # 2026-08-02 + 60 days = 2026-10-01, National Day (10-01 … 10-07 off): due 10-08.
    case = make_reconsideration(received_on=D(2026, 8, 2), accepted_on=D(2026, 8, 2))
    assert case.due_on == D(2026, 10, 8)
    # 2026-03-02 + 60 = 2026-05-01, 劳动节 (05-01 … 05-05 off): due 05-06.
    assert period_end(D(2026, 3, 2), 60) == D(2026, 5, 6)


def test_without_acceptance_date_the_case_is_deemed_accepted_after_five_working_days(
    make_reconsideration,
) -> None:
    # Received Wed 2026-09-30: the 5 working days are 10-08, 10-09, 10-10 (Saturday, a make-up
    # day), 10-12 and 10-13; deemed accepted 10-13; + 60 = 12-12 (Saturday) → Monday 12-14.
    case = make_reconsideration(received_on=D(2026, 9, 30), accepted_on=None)
    assert case.effective_accepted_on == D(2026, 10, 13)
    assert case.due_on == D(2026, 12, 14)


def test_extension_and_simplified_procedure_and_local_setting(make_reconsideration) -> None:
    extended = make_reconsideration(
        received_on=D(2026, 4, 1),
        accepted_on=D(2026, 4, 2),
        extension_days=30,
        extension_reason="案情复杂，经负责人批准",
    )
    assert extended.due_on == D(2026, 7, 1)  # 90 days
    simplified = make_reconsideration(accepted_on=D(2026, 4, 2), procedure="simplified")
    assert simplified.time_limit_days == 30 and simplified.due_on == D(2026, 5, 6)  # 05-02 off
    LocalSetting.objects.create(key="disputes.reconsideration_days", value="45")
    from chengxin.core import local_settings

    local_settings.clear_cache()
    shorter = make_reconsideration(accepted_on=D(2026, 4, 2))
    assert shorter.time_limit_days == 45 and shorter.due_on == D(2026, 5, 18)  # 05-17 Sunday
    extended.refresh_from_db()
    extended.save()
    assert extended.time_limit_days == 60  # fixed when entered


@pytest.mark.parametrize(
    ("days", "valid"), [(0, True), (30, True), (31, False)], ids=["none", "max", "over"]
)
def test_extension_at_most_thirty_days(make_reconsideration, days, valid) -> None:
    overrides = {"extension_days": days, "extension_reason": "批准延长" if days else ""}
    if valid:
        assert make_reconsideration(**overrides).extension_days == days
    else:
        with pytest.raises(ValidationError, match="30"):
            make_reconsideration(**overrides)


@pytest.mark.parametrize(("days", "valid"), [(1, True), (60, True), (61, False), (0, False)])
def test_time_limit_is_at_most_the_statutory_sixty_days(make_reconsideration, days, valid) -> None:
    if valid:
        assert make_reconsideration(time_limit_days=days).time_limit_days == days
    else:
        with pytest.raises(ValidationError) as refused:
            make_reconsideration(time_limit_days=days)
        assert "time_limit_days" in refused.value.message_dict


def test_extension_needs_a_reason(make_reconsideration) -> None:
    with pytest.raises(ValidationError) as refused:
        make_reconsideration(extension_days=10, extension_reason=" ")
    assert "extension_reason" in refused.value.message_dict


# --- reconsideration dates and result ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"accepted_on": D(2026, 3, 1)}, "accepted_on"),  # before receipt
        ({"decided_on": D(2026, 3, 1), "result": "upheld"}, "decided_on"),  # before receipt
        ({"decided_on": D(2026, 4, 1)}, "result"),  # date without result
        ({"result": "upheld"}, "decided_on"),  # result without date
        ({"decided_on": D(2026, 11, 28), "result": "upheld"}, "decided_on"),  # tomorrow
        ({"received_on": D(2026, 11, 28), "accepted_on": None}, "received_on"),
    ],
)
def test_reconsideration_date_rules(make_reconsideration, overrides, field) -> None:
    with pytest.raises(ValidationError) as refused:
        make_reconsideration(**overrides)
    assert field in refused.value.message_dict


def test_decision_on_the_day_of_receipt_and_today_are_valid(make_reconsideration) -> None:
    same_day = make_reconsideration(decided_on=D(2026, 3, 2), result="upheld")
    today = make_reconsideration(decided_on=D(2026, 11, 27), result="revoked")
    assert same_day.is_decided and today.is_corrected and not same_day.is_corrected


# --- hearings -----------------------------------------------------------------------------------------


def test_a_future_hearing_cannot_record_appearance(make_hearing) -> None:
    with pytest.raises(ValidationError) as refused:
        make_hearing(held_on=D(2026, 11, 28), appeared=True)
    assert "head_appeared" in refused.value.message_dict
    assert make_hearing(held_on=D(2026, 11, 27), appeared=True).head_appeared is True  # today
    assert make_hearing(held_on=D(2026, 11, 28)).head_appeared is None  # scheduled only


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"head_appeared": True, "attendees": "张三"}, "head_name"),
        ({"head_appeared": False, "attendees": "张三"}, "absence_reason"),
        ({"head_appeared": False, "absence_reason": "accident"}, "attendees"),
        (
            {
                "head_appeared": True,
                "attendees": "王局长",
                "head_name": "王局长",
                "absence_reason": "accident",
            },
            "absence_reason",
        ),
    ],
)
def test_appearance_rules(make_litigation, fields, problem) -> None:
    hearing = Hearing(litigation=make_litigation(), held_on=D(2026, 4, 1), **fields)
    with pytest.raises(ValidationError) as refused:
        hearing.full_clean()
    assert problem in refused.value.message_dict


def test_litigation_conclusion_rules(make_litigation) -> None:
    with pytest.raises(ValidationError, match="结案日期不能早于"):
        make_litigation(concluded_on=D(2026, 2, 1), result="claim_dismissed")
    with pytest.raises(ValidationError, match="须选择裁判结果"):
        make_litigation(concluded_on=D(2026, 5, 1))
    assert make_litigation(concluded_on=D(2026, 2, 2), result="withdrawn").result == "withdrawn"


@pytest.mark.parametrize(
    ("instance", "result", "valid"),
    [
        ("first", "appeal_dismissed", False),
        ("second", "appeal_dismissed", True),
        ("retrial", "remanded", True),
        ("first", "claim_dismissed", True),
    ],
)
def test_appeal_results_belong_to_second_instance(make_litigation, instance, result, valid) -> None:
    fields = {"instance": instance, "result": result, "concluded_on": D(2026, 6, 1)}
    if valid:
        assert make_litigation(**fields).result == result
    else:
        with pytest.raises(ValidationError, match="二审或再审"):
            make_litigation(**fields)


def test_a_hearing_is_not_before_the_notice_to_respond(make_litigation) -> None:
    litigation = make_litigation(filed_on=D(2026, 2, 2))
    with pytest.raises(ValidationError, match="2026-02-02"):
        Hearing(litigation=litigation, held_on=D(2026, 2, 1)).full_clean()
    Hearing(litigation=litigation, held_on=D(2026, 2, 2)).full_clean()  # the same day is valid


# --- mediation ------------------------------------------------------------------------------------------


def test_cross_province_room_needs_its_partner_region(make_room) -> None:
    with pytest.raises(ValidationError, match="协作地区"):
        make_room(is_cross_province=True)
    with pytest.raises(ValidationError, match="勾选跨省"):
        make_room(partner_region="江苏省邳州市")
    with pytest.raises(ValidationError, match="调解员"):
        make_room(mediators="  \n ")
    room = make_room(is_cross_province=True, partner_region="江苏省邳州市", mediators="崔某\n马某")
    assert room.mediator_list == ["崔某", "马某"]


def test_mediation_case_takes_its_department_from_the_room(make_mediation_case, township) -> None:
    assert make_mediation_case().department == township


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closed_on": D(2026, 5, 5), "result": "failed"}, "closed_on"),
        ({"closed_on": D(2026, 5, 7), "result": "succeeded"}, "agreement"),
        ({"closed_on": D(2026, 5, 7), "result": "failed", "agreement": "赔偿"}, "agreement"),
        ({"follow_up_on": D(2026, 5, 8)}, "follow_up_on"),  # not closed
        (
            {
                "closed_on": D(2026, 5, 7),
                "result": "succeeded",
                "agreement": "赔偿",
                "follow_up_on": D(2026, 5, 6),
            },
            "follow_up_on",
        ),
    ],
)
def test_mediation_case_rules(make_mediation_case, overrides, field) -> None:
    with pytest.raises(ValidationError) as refused:
        make_mediation_case(**overrides)
    assert field in refused.value.message_dict


def test_mediation_closed_on_the_day_received_with_follow_up_the_same_day(
    make_mediation_case,
) -> None:
    case = make_mediation_case(
        closed_on=D(2026, 5, 6),
        result="succeeded",
        agreement="乙某赔偿甲某 2000 元",
        agreement_amount=Decimal("2000"),
        follow_up_on=D(2026, 5, 6),
    )
    assert case.result == "succeeded"


# --- capacity -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "passed"), [("59.9", False), ("60", True), ("100", True), ("0", False)]
)
def test_exam_passes_at_the_pass_mark(make_exam, score, passed) -> None:
    exam = make_exam(score=Decimal(score))
    assert exam.pass_mark == Decimal("60") and exam.is_passed is passed


def test_exam_score_range_and_date(make_exam) -> None:
    with pytest.raises(ValidationError, match="score"):
        make_exam(score=Decimal("100.5"))
    with pytest.raises(ValidationError) as refused:
        make_exam(exam_on=D(2026, 11, 28))
    assert "exam_on" in refused.value.message_dict


def test_training_participant_list_and_count(make_training) -> None:
    with pytest.raises(ValidationError, match="3 人"):
        make_training(participant_count=2, participants="甲\n乙\n丙")
    assert make_training(participant_count=3, participants="甲\n乙\n丙\n").participant_count == 3
    with pytest.raises(ValidationError) as refused:
        make_training(hours=Decimal("0"))
    assert "hours" in refused.value.message_dict


def test_study_record_rules(make_study) -> None:
    with pytest.raises(ValidationError) as refused:
        make_study(studied_on=D(2026, 11, 28), hours=Decimal("25"))
    assert {"studied_on", "hours"} <= set(refused.value.message_dict)
    assert make_study(is_collective=True).is_collective

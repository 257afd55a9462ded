"""Actions: given a case, when the action runs, then the row, its event and its change log."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chengxin.audit.models import AuditEntry
from chengxin.disputes import actions
from chengxin.disputes.choices import EventType
from chengxin.disputes.models import DisputeEvent

pytestmark = pytest.mark.django_db
D = datetime.date


def _changes(obj) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            object_type=obj._meta.label_lower, object_id=str(obj.pk), action="updated"
        )
    )


def test_decide_reconsideration(make_reconsideration, liaison) -> None:
    # given an undecided case of the liaison's department
    case = make_reconsideration()
    # when the liaison records a 撤销 decision
    decided = actions.decide_reconsideration(
        case, actor=liaison, decided_on=D(2026, 4, 20), result="revoked", note="事实不清"
    )
    # then the case is decided and corrected, with an event and a logged change by the liaison
    assert decided.decided_on == D(2026, 4, 20) and decided.is_corrected
    event = DisputeEvent.objects.get(reconsideration=case)
    assert event.type == EventType.RECONSIDERATION_DECIDED and event.actor == liaison
    assert event.payload == {
        "decided_on": "2026-04-20",
        "result": "revoked",
        "corrected": True,
        "late": False,
    }
    (change,) = _changes(case)
    assert change.after["result"] == "revoked" and change.actor == liaison
    # and a second decision is refused
    with pytest.raises(ValidationError, match="已于"):
        actions.decide_reconsideration(
            case, actor=liaison, decided_on=D(2026, 5, 1), result="upheld"
        )


def test_a_late_decision_is_recorded_as_late(make_reconsideration, liaison) -> None:
    case = make_reconsideration(received_on=D(2026, 4, 1), accepted_on=D(2026, 4, 2))
    actions.decide_reconsideration(case, actor=liaison, decided_on=D(2026, 6, 2), result="upheld")
    assert DisputeEvent.objects.get(reconsideration=case).payload["late"] is True


def test_decision_without_acceptance_sets_the_deemed_acceptance(
    make_reconsideration, liaison
) -> None:
    case = make_reconsideration(received_on=D(2026, 9, 30), accepted_on=None)
    decided = actions.decide_reconsideration(
        case, actor=liaison, decided_on=D(2026, 11, 2), result="dismissed"
    )
    assert decided.accepted_on == D(2026, 10, 13)


def test_decision_rules_and_permissions(
    make_reconsideration, liaison, make_user, other_bureau
) -> None:
    from chengxin.accounts.choices import Role

    case = make_reconsideration()
    with pytest.raises(ValidationError):
        actions.decide_reconsideration(
            case, actor=liaison, decided_on=D(2026, 3, 1), result="upheld"
        )
    with pytest.raises(ValidationError):
        actions.decide_reconsideration(case, actor=liaison, decided_on=D(2026, 4, 1), result="nope")
    stranger = make_user(Role.LEGAL_AFFAIRS_OFFICER, department=other_bureau)
    with pytest.raises(PermissionDenied):
        actions.decide_reconsideration(
            case, actor=stranger, decided_on=D(2026, 4, 1), result="upheld"
        )
    assert not DisputeEvent.objects.exists() and not _changes(case)


def test_extend_reconsideration(make_reconsideration, law_admin) -> None:
    # given a case due 2026-06-01
    case = make_reconsideration(received_on=D(2026, 4, 1), accepted_on=D(2026, 4, 2))
    # when the office extends it by 20 days, then by 10 more
    actions.extend_reconsideration(case, actor=law_admin, days=20, reason="案情复杂")
    extended = actions.extend_reconsideration(case, actor=law_admin, days=10, reason="需鉴定")
    # then it is due 90 days after acceptance, with two events and logged changes
    assert extended.extension_days == 30 and extended.due_on == D(2026, 7, 1)
    events = DisputeEvent.objects.filter(
        reconsideration=case, type=EventType.RECONSIDERATION_EXTENDED
    )
    assert [event.payload["days"] for event in events] == [20, 10]
    assert events[0].payload["due_before"] == "2026-06-01"
    assert _changes(case)[0].after["due_on"] == "2026-07-01"
    # and no more than 30 days in all, never without a reason
    with pytest.raises(ValidationError, match="不得超过 30 日"):
        actions.extend_reconsideration(case, actor=law_admin, days=1, reason="再延")
    with pytest.raises(ValidationError, match="理由"):
        actions.extend_reconsideration(case, actor=law_admin, days=1, reason=" ")


def test_record_hearing_appearance(make_hearing, liaison) -> None:
    # given a hearing held but not recorded
    hearing = make_hearing(held_on=D(2026, 4, 14))
    # when the head's absence is recorded
    recorded = actions.record_hearing_appearance(
        hearing,
        actor=liaison,
        appeared=False,
        attendees="法制科 张三",
        head_name="ignored",
        absence_reason="irreplaceable_duty",
    )
    # then the hearing counts as absent, with the event and the change log
    assert recorded.head_appeared is False and recorded.head_name == ""
    event = DisputeEvent.objects.get(hearing=hearing)
    assert event.type == EventType.HEARING_APPEARANCE_RECORDED
    assert event.payload["absence_reason"] == "irreplaceable_duty"
    assert _changes(hearing)[0].after["head_appeared"] is False
    # and a correction to "appeared" replaces it
    actions.record_hearing_appearance(
        hearing, actor=liaison, appeared=True, attendees="王局长", head_name="王局长"
    )
    hearing.refresh_from_db()
    assert hearing.head_appeared is True and hearing.absence_reason == ""


def test_a_future_hearing_cannot_be_recorded(make_hearing, liaison) -> None:
    hearing = make_hearing(held_on=D(2026, 12, 1))
    with pytest.raises(ValidationError, match="开庭日期尚未到"):
        actions.record_hearing_appearance(
            hearing, actor=liaison, appeared=True, attendees="王局长", head_name="王局长"
        )
    assert not DisputeEvent.objects.exists()


def test_close_mediation_case(make_mediation_case, make_user, township) -> None:
    from chengxin.accounts.choices import Role

    # given an open case in a township's room, and the township's liaison
    case = make_mediation_case()
    township_liaison = make_user(Role.LEGAL_AFFAIRS_OFFICER, department=township)
    # when it closes with an agreement
    closed = actions.close_mediation_case(
        case,
        actor=township_liaison,
        result="succeeded",
        closed_on=D(2026, 5, 10),
        agreement="乙某赔偿甲某医药费",
        agreement_amount=Decimal("3200"),
    )
    # then it is closed with its agreement, an event and the change log
    assert closed.result == "succeeded" and closed.agreement_amount == Decimal("3200")
    event = DisputeEvent.objects.get(mediation_case=case)
    assert event.type == EventType.MEDIATION_CLOSED and event.payload["amount"] == "3200"
    assert _changes(case)[0].after["result"] == "succeeded"
    # and it cannot be closed twice
    with pytest.raises(ValidationError, match="已于"):
        actions.close_mediation_case(
            case, actor=township_liaison, result="failed", closed_on=D(2026, 5, 11)
        )


def test_success_needs_an_agreement_and_others_cannot_close(
    make_mediation_case, liaison, law_admin
) -> None:
    case = make_mediation_case()
    with pytest.raises(PermissionDenied):  # the market bureau's liaison, not the township's
        actions.close_mediation_case(case, actor=liaison, result="failed", closed_on=D(2026, 5, 9))
    with pytest.raises(ValidationError, match="调解协议"):
        actions.close_mediation_case(
            case, actor=law_admin, result="succeeded", closed_on=D(2026, 5, 9)
        )
    assert actions.close_mediation_case(
        case, actor=law_admin, result="terminated", closed_on=D(2026, 5, 9)
    ).closed_on == D(2026, 5, 9)

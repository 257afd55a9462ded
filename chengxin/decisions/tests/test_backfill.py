"""A consultation whose start lies before the day it is recorded (ADR 0011): the days before the
recording day count toward the 30 of art. 14 only with a backfill reason; the public page never
shows it as open online before the recording day."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.decisions import actions
from chengxin.decisions.choices import EventType, Stage
from chengxin.decisions.models import Consultation, DecisionEvent, MajorDecision
from chengxin.decisions.tests.fixtures import days_ago

pytestmark = pytest.mark.django_db

BACKFILL = "线下征求意见补录：2026-05 在《台儿庄报》刊登征求意见稿"


def consult(
    decision: MajorDecision, actor: User, opens: int, closes: int, **kw: str
) -> Consultation:
    return actions.open_consultation(
        decision,
        actor=actor,
        draft_title="征求意见稿",
        draft_text="草案全文",
        opens_on=days_ago(opens),
        closes_on=days_ago(closes),
        **kw,
    )


def test_a_past_start_without_a_reason_counts_from_the_recording_day(
    make_decision, liaison: User
) -> None:
    """Given a period that "started" 30 days ago and ends today, when it is recorded without a
    backfill reason, then it is refused: only 1 day was open online, the field is named."""
    decision = make_decision()
    with pytest.raises(ValidationError) as refused:
        consult(decision, liaison, opens=29, closes=0)
    messages = refused.value.message_dict["backfill_reason"]
    assert "补录理由" in messages[0] and "自录入之日起仅 1 日" in messages[0]
    assert not Consultation.objects.filter(decision=decision).exists()
    decision.refresh_from_db()
    assert decision.stage == Stage.PLANNED


def test_a_period_ended_before_it_was_recorded_needs_a_backfill_reason(
    make_decision, liaison: User
) -> None:
    """Even with a reason for a short period: a period over before recording had no online day."""
    with pytest.raises(ValidationError, match="之前已经结束") as refused:
        consult(make_decision(), liaison, opens=40, closes=1, shortened_reason="急需")
    assert "backfill_reason" in refused.value.message_dict


def test_a_past_start_without_a_reason_is_fine_when_30_days_remain_from_today(
    make_decision, liaison: User
) -> None:
    """The minimum counted from the recording day is met: no reason needed, the online start is
    today and the recorded start stays as entered."""
    consultation = consult(make_decision(), liaison, opens=5, closes=-29)
    assert consultation.period_days == 30
    assert consultation.online_opens_on == localdate()
    assert consultation.opens_on == days_ago(5) and not consultation.is_backfilled


def test_a_backfill_reason_counts_the_days_before_recording_and_is_logged(
    make_decision, liaison: User
) -> None:
    """Given the draft was put out offline, when the period is recorded with the backfill reason,
    then the 30 days count from the start, the event note and the change log keep the reason."""
    decision = make_decision()
    consultation = consult(decision, liaison, opens=29, closes=0, backfill_reason=BACKFILL)
    assert consultation.period_days == 30 and consultation.is_backfilled
    assert consultation.recorded_on == localdate()
    decision.refresh_from_db()
    assert decision.stage == Stage.PUBLIC_PARTICIPATION
    event = DecisionEvent.objects.get(decision=decision, type=EventType.CONSULTATION_OPENED)
    assert BACKFILL in event.note and "补录理由" in event.note and event.actor == liaison
    created = AuditEntry.objects.get(
        object_type="decisions.consultation",
        object_id=str(consultation.pk),
        action=AuditAction.CREATED,
    )
    assert created.after is not None and created.after["backfill_reason"] == BACKFILL


def test_a_backfilled_period_still_needs_a_reason_when_shorter_than_30_days(
    make_decision, liaison: User
) -> None:
    """The existing rule stays: a backfill does not excuse a short period."""
    with pytest.raises(ValidationError, match="少于30日（条例第14条），必须说明理由"):
        consult(make_decision(), liaison, opens=20, closes=0, backfill_reason=BACKFILL)


@pytest.mark.parametrize(("opens", "closes"), [(0, -29), (-3, -32)])
def test_a_start_today_or_later_is_unchanged(
    make_decision, liaison: User, opens: int, closes: int
) -> None:
    """Boundary: a start on the recording day counts in full, as does a future start."""
    consultation = consult(make_decision(), liaison, opens=opens, closes=closes)
    assert consultation.period_days == 30 and not consultation.is_backfilled
    assert consultation.online_opens_on == days_ago(opens)
    with pytest.raises(ValidationError, match="必须说明理由"):
        consult(make_decision(), liaison, opens=opens, closes=closes + 1)


def test_a_start_one_day_before_recording_is_counted_from_the_recording_day(
    make_decision, liaison: User
) -> None:
    """Boundary: yesterday's start without a reason loses that one day (29 days from today)."""
    with pytest.raises(ValidationError, match="自录入之日起仅 29 日"):
        consult(make_decision(), liaison, opens=1, closes=-28)


def test_the_public_page_shows_online_comment_only_from_the_recording_day(
    client: Client, make_decision, liaison: User
) -> None:
    decision = make_decision()
    consultation = consult(decision, liaison, opens=29, closes=-1, backfill_reason=BACKFILL)
    assert not consultation.is_open(days_ago(1)) and consultation.is_open()
    assert not Consultation.objects.open_on(days_ago(1)).exists()
    assert not Consultation.objects.publicly_visible(days_ago(1)).exists()
    page = client.get(reverse("decisions_public:comment", args=[consultation.pk])).content.decode()
    today = f"{localdate():%Y-%m-%d}"
    assert f"自 {today} 起" in page
    assert BACKFILL not in page and "补录理由" not in page  # an internal note, staff pages only
    listing = client.get(reverse("decisions_public:consultations")).content.decode()
    assert f"{today} — {days_ago(-1):%Y-%m-%d}" in listing
    assert f"{days_ago(29):%Y-%m-%d}" not in listing

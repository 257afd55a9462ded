"""A comment period whose start lies before the day it is recorded (ADR 0010): the working days
before the recording day count toward documents.comment_min_working_days only with a backfill
reason; the portal never shows the draft open for online comment before the recording day."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.audit.models import AuditEntry
from chengxin.documents import actions, rules
from chengxin.documents.choices import DocumentStatus, EventType
from chengxin.documents.models import NormativeDocument

pytestmark = pytest.mark.django_db

MINIMUM = 7  # the default of documents.comment_min_working_days
BACKFILL = "线下征求意见补录：2026-05 在《台儿庄报》刊登征求意见稿"


def days(n: int) -> datetime.date:
    return localdate() + datetime.timedelta(days=n)


def minimal_end(start: datetime.date) -> datetime.date:
    """The first end on which a period from `start` has the minimum of working days."""
    end = start
    while rules.comment_working_days(start, end) < MINIMUM:
        end += datetime.timedelta(days=1)
    return end


def change_log(document: NormativeDocument) -> list[dict[str, object]]:
    entries = AuditEntry.objects.filter(
        object_type="documents.normativedocument", object_id=str(document.pk)
    ).order_by("sequence")
    return [entry.after or {} for entry in entries]


def test_a_past_start_without_a_reason_counts_from_the_recording_day(
    make_document, lawadmin: User
) -> None:
    """Given a period that "started" 30 days ago and ends today, when it is recorded without a
    backfill reason, then it is refused, the message names 补录理由, the draft stays a draft."""
    document = make_document()
    with pytest.raises(ValidationError) as refused:
        actions.open_comment(document, actor=lawadmin, starts_on=days(-30), ends_on=localdate())
    message = refused.value.message_dict["comment_backfill_reason"][0]
    assert "未填写“补录理由”不计入期限" in message and f"少于 {MINIMUM} 个工作日" in message
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and document.comment_starts_on is None


def test_a_period_ended_before_it_was_recorded_needs_a_backfill_reason(
    make_document, lawadmin: User
) -> None:
    """Even with a reason for a short period: it had no day of online comment."""
    with pytest.raises(ValidationError, match="之前已经结束") as refused:
        actions.open_comment(
            make_document(),
            actor=lawadmin,
            starts_on=days(-30),
            ends_on=days(-1),
            shortened_reason="上级文件要求限期出台",
        )
    assert "comment_backfill_reason" in refused.value.message_dict


def test_a_backfill_reason_counts_the_days_before_recording_and_is_logged(
    make_document, lawadmin: User
) -> None:
    """Given the draft was put out offline, when the period is recorded with the backfill reason,
    then it counts from its start; the event note and the change log keep the reason."""
    document = actions.open_comment(
        make_document(),
        actor=lawadmin,
        starts_on=days(-30),
        ends_on=localdate(),
        backfill_reason=BACKFILL,
    )
    assert document.status == DocumentStatus.COMMENTING and document.is_comment_backfilled
    assert document.comment_recorded_on == localdate()
    event = document.events.get(type=EventType.COMMENT_OPENED)
    assert BACKFILL in event.note and event.actor == lawadmin
    assert change_log(document)[-1]["comment_backfill_reason"] == BACKFILL
    assert change_log(document)[-1]["comment_recorded_on"] == localdate().isoformat()


def test_a_past_start_is_fine_when_the_minimum_remains_from_today(
    make_document, lawadmin: User
) -> None:
    """No backfill reason needed when the minimum is met from the recording day; the event says
    the period counts from then and the draft is open online from today only."""
    document = actions.open_comment(
        make_document(), actor=lawadmin, starts_on=days(-5), ends_on=minimal_end(localdate())
    )
    assert not document.is_comment_backfilled and document.comment_online_starts_on == localdate()
    assert "期限自录入之日起计算" in document.events.get(type=EventType.COMMENT_OPENED).note
    assert document.is_open_for_comment


@pytest.mark.parametrize("offset", [0, 3])
def test_a_start_today_or_later_is_unchanged(make_document, lawadmin: User, offset: int) -> None:
    """Boundary: a start on the recording day (and a future one) counts in full: the minimal end
    is accepted, one working day fewer asks for the shortened-period reason as before."""
    start = days(offset)
    end = minimal_end(start)
    short_end = end - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match=f"少于 {MINIMUM} 个工作日，须说明理由") as refused:
        actions.open_comment(make_document(), actor=lawadmin, starts_on=start, ends_on=short_end)
    assert "comment_shortened_reason" in refused.value.message_dict
    document = actions.open_comment(make_document(), actor=lawadmin, starts_on=start, ends_on=end)
    assert document.comment_online_starts_on == start and not document.is_comment_backfilled


def test_a_start_before_today_loses_its_earlier_working_days_without_a_reason(
    make_document, lawadmin: User
) -> None:
    """Boundary: the last working day before today as the start, and the end on which the period
    from that start has just the minimum: refused without a backfill reason, accepted with it."""
    start = days(-1)
    while not rules.comment_working_days(start, start):
        start -= datetime.timedelta(days=1)
    end = minimal_end(start)
    with pytest.raises(ValidationError, match="补录理由"):
        actions.open_comment(make_document(), actor=lawadmin, starts_on=start, ends_on=end)
    document = actions.open_comment(
        make_document(), actor=lawadmin, starts_on=start, ends_on=end, backfill_reason=BACKFILL
    )
    assert document.status == DocumentStatus.COMMENTING


def test_the_portal_shows_online_comment_only_from_the_recording_day(
    make_document, lawadmin: User
) -> None:
    document = actions.open_comment(
        make_document(title="补录的征求意见稿"),
        actor=lawadmin,
        starts_on=days(-30),
        ends_on=days(5),
        backfill_reason=BACKFILL,
    )
    assert not NormativeDocument.objects.open_for_comment(days(-1)).exists()
    assert list(NormativeDocument.objects.open_for_comment(localdate())) == [document]
    client = Client()
    listing = client.get(reverse("documents_public:drafts")).content.decode()
    assert f"{localdate():%Y-%m-%d} — {days(5):%Y-%m-%d}" in listing
    assert f"{days(-30):%Y-%m-%d}" not in listing
    page = client.get(reverse("documents_public:draft", args=[document.pk])).content.decode()
    assert f"网上提出意见自 {localdate():%Y-%m-%d} 起" in page
    assert BACKFILL not in page and "补录理由" not in page  # an internal note, staff pages only


def test_the_staff_form_names_the_backfill_reason(make_document, lawadmin: User) -> None:
    document = make_document()
    client = Client()
    client.force_login(lawadmin)
    url = reverse("documents:action", args=[document.pk, "open_comment"])
    data = {"open_comment-starts_on": f"{days(-30)}", "open_comment-ends_on": f"{localdate()}"}
    page = client.post(url, data, follow=True).content.decode()
    assert "未填写“补录理由”不计入期限" in page
    data["open_comment-backfill_reason"] = BACKFILL
    client.post(url, data)
    document.refresh_from_db()
    assert document.comment_backfill_reason == BACKFILL

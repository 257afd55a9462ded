"""The document procedure, given/when/then: each action's status, event row and change log;
the legality-review gate; the comment period; publication dates; filing; clean-up."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import localdate

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.audit.models import AuditEntry
from chengxin.core.models import LocalSetting
from chengxin.documents import actions
from chengxin.documents.choices import (
    CleanupResult,
    CommentHandling,
    DeliberationResult,
    DocumentStatus,
    EventType,
    ReviewResult,
    Validity,
)
from chengxin.documents.models import DocumentEvent, IssuingBody, NormativeDocument
from chengxin.documents.tests.fixtures import URGENT

pytestmark = pytest.mark.django_db

BACKFILL = "线下征求意见补录：2026-03 在《台儿庄报》刊登征求意见稿"


def last_change(document: NormativeDocument) -> AuditEntry:
    entry: AuditEntry = AuditEntry.objects.filter(
        object_type="documents.normativedocument", object_id=str(document.pk)
    ).order_by("-sequence")[0]
    return entry


def last_event(document: NormativeDocument) -> DocumentEvent:
    event: DocumentEvent = document.events.order_by("-id")[0]
    return event


def test_register_a_draft(market_body: IssuingBody, liaison: User) -> None:
    # given a liaison of the body's department; when they register a 暂行 draft
    document = actions.register_document(
        actor=liaison,
        issuing_body=market_body,
        title="台儿庄区网络交易监督管理暂行办法",
        drafting_unit="网络交易监管科",
        body="第一条 …",
    )
    # then it is a draft of the body's department, provisional from its title, with an event
    # and a change-log entry by the liaison
    assert document.status == DocumentStatus.DRAFT and document.is_provisional
    assert document.department_id == market_body.department_id
    assert last_event(document).type == EventType.REGISTERED
    entry = last_change(document)
    assert entry.action == "created" and entry.actor_id == liaison.pk


def test_a_liaison_cannot_register_for_another_department(
    make_body: Callable[..., IssuingBody], liaison: User
) -> None:
    other = make_body()
    with pytest.raises(PermissionDenied):
        actions.register_document(
            actor=liaison, issuing_body=other, title="某文件", drafting_unit="某科", body="…"
        )
    assert not NormativeDocument.objects.exists()


def test_an_unconfirmed_body_cannot_register(make_body, lawadmin: User) -> None:
    body = make_body(is_confirmed=False)
    with pytest.raises(ValidationError, match="不是已确认的制定主体"):
        actions.register_document(
            actor=lawadmin, issuing_body=body, title="某文件", drafting_unit="某科", body="…"
        )


# --- public comment ------------------------------------------------------------------------


def test_open_comment_for_seven_working_days(make_document, lawadmin: User) -> None:
    document = make_document()
    start = datetime.date(2026, 3, 2)  # a Monday; 2026-03-10 is the 7th working day
    document = actions.open_comment(
        document,
        actor=lawadmin,
        starts_on=start,
        ends_on=datetime.date(2026, 3, 10),
        backfill_reason=BACKFILL,
    )
    assert document.status == DocumentStatus.COMMENTING
    assert last_event(document).type == EventType.COMMENT_OPENED
    assert last_change(document).after["status"] == DocumentStatus.COMMENTING


def test_a_comment_period_one_working_day_short_needs_a_reason(
    make_document, lawadmin: User
) -> None:
    document = make_document()
    start, short_end = datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)  # 6 working days
    with pytest.raises(ValidationError, match="少于 7 个工作日，须说明理由"):
        actions.open_comment(
            document, actor=lawadmin, starts_on=start, ends_on=short_end, backfill_reason=BACKFILL
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT
    actions.open_comment(
        document,
        actor=lawadmin,
        starts_on=start,
        ends_on=short_end,
        shortened_reason="上级文件要求限期出台",
        backfill_reason=BACKFILL,
    )
    document.refresh_from_db()
    assert document.comment_shortened_reason == "上级文件要求限期出台"


def test_the_comment_period_counts_working_days_over_a_holiday(
    make_document, lawadmin: User
) -> None:
    """National Day 2026 (10/1–10/7 rest, chinesecalendar 1.11.0): 9/30 to 10/9 is ten calendar
    days but three working days (9/30, 10/8, 10/9)."""
    document = make_document()
    with pytest.raises(ValidationError, match="征求意见期限为 3 个工作日"):
        actions.open_comment(
            document,
            actor=lawadmin,
            starts_on=datetime.date(2026, 9, 30),
            ends_on=datetime.date(2026, 10, 9),
            backfill_reason=BACKFILL,
        )


@pytest.mark.parametrize(
    ("ends_on", "refused"),
    [(datetime.date(2027, 3, 2), False), (datetime.date(2027, 3, 3), True)],
)
def test_a_comment_period_longer_than_a_year_is_a_typo(
    make_document, lawadmin: User, ends_on: datetime.date, refused: bool
) -> None:
    """A year such as 2206 for 2026 would keep the draft open for comment (and unreviewable) for
    centuries, and count its working days for seconds: a period of more than a year is refused."""
    document = make_document()
    start = datetime.date(2026, 3, 2)
    if refused:
        with pytest.raises(ValidationError, match="征求意见期限不能超过一年"):
            actions.open_comment(
                document, actor=lawadmin, starts_on=start, ends_on=ends_on, backfill_reason=BACKFILL
            )
        document.refresh_from_db()
        assert document.status == DocumentStatus.DRAFT
    else:
        actions.open_comment(
            document, actor=lawadmin, starts_on=start, ends_on=ends_on, backfill_reason=BACKFILL
        )
        document.refresh_from_db()
        assert document.status == DocumentStatus.COMMENTING


def test_the_minimum_comment_period_is_a_local_setting(make_document, lawadmin: User) -> None:
    LocalSetting.objects.create(key="documents.comment_min_working_days", value="10")
    document = make_document()
    with pytest.raises(ValidationError, match="少于 10 个工作日"):
        actions.open_comment(
            document,
            actor=lawadmin,
            starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 3, 10),
            backfill_reason=BACKFILL,
        )


def _commenting(document: NormativeDocument, actor: User) -> NormativeDocument:
    return actions.open_comment(
        document,
        actor=actor,
        starts_on=localdate() - datetime.timedelta(days=20),
        ends_on=localdate(),
        backfill_reason=BACKFILL,
    )


def test_comments_are_received_only_during_the_period_and_each_is_handled(
    make_document, lawadmin: User
) -> None:
    document = _commenting(make_document(), lawadmin)
    comment = actions.submit_comment(document, content="建议明确办理时限。", name="张三")
    assert last_event(document).type == EventType.COMMENT_RECEIVED
    # not adopted needs a reason
    with pytest.raises(ValidationError, match="必须说明理由"):
        actions.handle_comment(comment, actor=lawadmin, handling=CommentHandling.NOT_ADOPTED)
    actions.handle_comment(
        comment, actor=lawadmin, handling=CommentHandling.PARTLY_ADOPTED, reason="时限另行规定"
    )
    comment.refresh_from_db()
    assert comment.handling == CommentHandling.PARTLY_ADOPTED and comment.handled_by == lawadmin
    assert last_event(document).type == EventType.COMMENT_HANDLED


def test_no_comment_after_the_period(make_document, lawadmin: User) -> None:
    document = actions.open_comment(
        make_document(),
        actor=lawadmin,
        starts_on=localdate() - datetime.timedelta(days=20),
        ends_on=localdate() - datetime.timedelta(days=1),
        backfill_reason=BACKFILL,
    )
    with pytest.raises(ValidationError, match="不在征求意见期内"):
        actions.submit_comment(document, content="迟到的意见")


def test_review_waits_for_the_end_of_the_period_and_every_comment_handled(
    make_document, lawadmin: User
) -> None:
    document = _commenting(make_document(), lawadmin)
    comment = actions.submit_comment(document, content="建议删除第三条。")
    with pytest.raises(ValidationError, match="结束后方可提请审核"):
        actions.submit_for_review(document, actor=lawadmin)
    NormativeDocument.objects.filter(pk=document.pk).update(
        comment_ends_on=localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="1 条意见未处理"):
        actions.submit_for_review(document, actor=lawadmin)
    actions.handle_comment(comment, actor=lawadmin, handling=CommentHandling.ADOPTED)
    review = actions.submit_for_review(document, actor=lawadmin)
    assert review.result == ReviewResult.PENDING


def test_review_needs_public_comment_or_a_recorded_waiver(make_document, lawadmin: User) -> None:
    document = make_document()
    with pytest.raises(ValidationError, match="须公开征求意见"):
        actions.submit_for_review(document, actor=lawadmin)
    with pytest.raises(ValidationError, match="必须说明理由"):
        actions.waive_comment(document, actor=lawadmin, reason=" ")
    actions.waive_comment(document, actor=lawadmin, reason="涉及国家秘密")
    assert actions.submit_for_review(document, actor=lawadmin).document_id == document.pk


# --- legality review -----------------------------------------------------------------------


def test_submit_for_review_sets_the_due_date_in_working_days(make_document, lawadmin: User) -> None:
    from chengxin.core import calendar

    document = make_document()
    actions.waive_comment(document, actor=lawadmin, reason="内部管理")
    review = actions.submit_for_review(document, actor=lawadmin)
    document.refresh_from_db()
    assert document.status == DocumentStatus.UNDER_REVIEW
    assert review.due_on == calendar.add_working_days(localdate(), 15)
    assert last_event(document).type == EventType.SUBMITTED_FOR_REVIEW
    assert last_change(document).after["status"] == DocumentStatus.UNDER_REVIEW


def test_only_a_legal_reviewer_reviews(make_document, lawadmin: User, liaison: User) -> None:
    document = make_document(DocumentStatus.UNDER_REVIEW)
    review = document.reviews.get()
    for outsider in (lawadmin, liaison):
        with pytest.raises(PermissionDenied):
            actions.review_document(review, reviewer=outsider, passed=True, opinion="合法")


def test_a_passed_review(make_document, reviewer: User) -> None:
    document = make_document(DocumentStatus.UNDER_REVIEW)
    review = actions.review_document(
        document.reviews.get(),
        reviewer=reviewer,
        passed=True,
        opinion="制定主体适格，程序合法。",
        urgent_reason=URGENT,
    )
    document.refresh_from_db()
    assert review.result == ReviewResult.PASSED and review.reviewer == reviewer
    assert document.status == DocumentStatus.REVIEW_PASSED
    assert last_event(document).type == EventType.REVIEW_PASSED
    assert last_change(document).actor_id == reviewer.pk


def test_the_opinion_is_required(make_document, reviewer: User) -> None:
    document = make_document(DocumentStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="审核意见"):
        actions.review_document(document.reviews.get(), reviewer=reviewer, passed=True, opinion="")


def test_a_document_never_reviewed_cannot_be_deliberated_or_issued(
    make_document, lawadmin: User
) -> None:
    document = make_document()
    with pytest.raises(ValidationError, match="不能进行此操作"):
        actions.deliberate_document(
            document, actor=lawadmin, meeting="常务会议", held_on=localdate(), result="approved"
        )
    # even forced into the deliberated state, the issue re-checks the review
    NormativeDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.DELIBERATED)
    with pytest.raises(ValidationError, match="未经合法性审核") as refused:
        actions.issue_document(document, actor=lawadmin)
    assert refused.value.code == "not_reviewed"
    document.refresh_from_db()
    assert document.document_number == "" and document.status == DocumentStatus.DELIBERATED


def test_a_failed_document_cannot_be_issued_until_a_new_review_passes(
    make_document, lawadmin: User, reviewer: User
) -> None:
    document = make_document(DocumentStatus.UNDER_REVIEW)
    actions.review_document(
        document.reviews.get(),
        reviewer=reviewer,
        passed=False,
        opinion="第五条增设了行政许可。",
        urgent_reason=URGENT,
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.REVIEW_FAILED
    assert last_event(document).type == EventType.REVIEW_FAILED
    with pytest.raises(ValidationError, match="不能进行此操作"):
        actions.deliberate_document(
            document, actor=lawadmin, meeting="常务会议", held_on=localdate(), result="approved"
        )
    NormativeDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.DELIBERATED)
    with pytest.raises(ValidationError, match="审核未通过") as refused:
        actions.issue_document(document, actor=lawadmin)
    assert refused.value.code == "review_not_passed"
    # revised and submitted again: the new review passes, then it may be deliberated and issued
    NormativeDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.REVIEW_FAILED)
    second = actions.submit_for_review(document, actor=lawadmin)
    actions.review_document(
        second, reviewer=reviewer, passed=True, opinion="已删除第五条，合法。", urgent_reason=URGENT
    )
    actions.deliberate_document(
        document, actor=lawadmin, meeting="常务会议", held_on=localdate(), result="approved"
    )
    issued = actions.issue_document(document, actor=lawadmin)
    assert issued.status == DocumentStatus.ISSUED and issued.number_sequence == 1


def test_a_rejected_deliberation_returns_to_drafting(make_document, lawadmin: User) -> None:
    document = make_document(DocumentStatus.REVIEW_PASSED)
    document = actions.deliberate_document(
        document,
        actor=lawadmin,
        meeting="区政府第12次常务会议",
        held_on=localdate(),
        result=DeliberationResult.REJECTED,
    )
    assert document.status == DocumentStatus.DRAFT
    assert last_event(document).type == EventType.DELIBERATED


def test_issue(make_document, lawadmin: User) -> None:
    document = make_document(DocumentStatus.DELIBERATED)
    document = actions.issue_document(document, actor=lawadmin)
    assert document.status == DocumentStatus.ISSUED and document.issued_on == localdate()
    event = last_event(document)
    assert event.type == EventType.ISSUED and event.note == document.document_number
    assert last_change(document).after["document_number"] == document.document_number


# --- publication, entry into force, validity -----------------------------------------------


def test_publish_in_force_after_30_days_valid_5_years(make_document, lawadmin: User) -> None:
    published = datetime.date(2024, 3, 1)
    document = make_document(DocumentStatus.ISSUED, published_on=published)
    document = actions.publish_document(
        document, actor=lawadmin, published_on=published, channel="区政府网站"
    )
    assert document.status == DocumentStatus.PUBLISHED
    assert document.effective_on == datetime.date(2024, 3, 31)
    assert document.validity_years == 5 and document.valid_until == datetime.date(2029, 3, 30)
    assert document.filing_due == datetime.date(2024, 3, 31)
    assert document.filed_with == "区人民政府（区司法局）"
    assert last_event(document).type == EventType.PUBLISHED
    assert last_change(document).after["status"] == DocumentStatus.PUBLISHED


def test_a_provisional_document_is_valid_2_years(make_document) -> None:
    published = datetime.date(2024, 3, 1)
    document = make_document(
        DocumentStatus.PUBLISHED, published_on=published, title="台儿庄区食品摊贩管理试行办法"
    )
    assert document.is_provisional and document.validity_years == 2
    assert document.valid_until == datetime.date(2026, 3, 30)


def test_earlier_entry_into_force_needs_a_reason(make_document, lawadmin: User) -> None:
    document = make_document(DocumentStatus.ISSUED)
    with pytest.raises(ValidationError, match="须说明理由"):
        actions.publish_document(
            document,
            actor=lawadmin,
            published_on=localdate(),
            channel="区政府网站",
            effective_on=localdate() + datetime.timedelta(days=29),
        )
    document = actions.publish_document(
        document,
        actor=lawadmin,
        published_on=localdate(),
        channel="区政府网站",
        effective_on=localdate(),
        early_effect_reason="涉及汇率政策，公布后不立即施行将有碍执行",
    )
    assert document.effective_on == localdate()


def test_validity_is_computed_without_a_job(make_document) -> None:
    published = datetime.date(2020, 1, 2)
    document = make_document(DocumentStatus.PUBLISHED, published_on=published)
    last_day = document.valid_until
    assert last_day == datetime.date(2025, 1, 31)
    in_force = NormativeDocument.objects.in_force
    assert document.validity_on(datetime.date(2020, 1, 31)) == Validity.NOT_YET_EFFECTIVE
    assert not in_force(datetime.date(2020, 1, 31)).exists()
    assert in_force(datetime.date(2020, 2, 1)).exists()
    assert in_force(last_day).exists()  # the last day of validity is in force
    day_after = last_day + datetime.timedelta(days=1)
    assert not in_force(day_after).exists()
    assert NormativeDocument.objects.lapsed(day_after).get() == document
    annotated = NormativeDocument.objects.with_validity(day_after).get()
    assert annotated.validity == Validity.EXPIRED == document.validity_on(day_after)


def test_the_expiry_reminder_starts_six_months_before(make_document) -> None:
    document = make_document(DocumentStatus.PUBLISHED, published_on=datetime.date(2020, 1, 2))
    assert document.valid_until == datetime.date(2025, 1, 31)
    expiring = NormativeDocument.objects.expiring
    assert not expiring(datetime.date(2024, 7, 30)).exists()  # 6 months + 1 day before
    assert expiring(datetime.date(2024, 7, 31)).exists()  # exactly 6 months before
    assert expiring(datetime.date(2025, 1, 31)).exists()  # the last day
    assert not expiring(datetime.date(2025, 2, 1)).exists()  # lapsed: no longer a reminder


# --- filing --------------------------------------------------------------------------------


def test_filing_deadline_and_alert_on_the_boundary_day(make_document, lawadmin: User) -> None:
    published = datetime.date(2025, 6, 3)
    document = make_document(DocumentStatus.PUBLISHED, published_on=published)
    due = datetime.date(2025, 7, 3)  # 30 days after publication, the publication day not counted
    assert document.filing_due == due
    overdue = NormativeDocument.objects.filing_overdue
    assert not overdue(due).exists()  # the deadline day itself is still in time
    assert overdue(due + datetime.timedelta(days=1)).get() == document
    assert document.filing_timeliness_on(due) == "pending"
    assert document.filing_timeliness_on(due + datetime.timedelta(days=1)) == "overdue"


def test_filed_on_the_last_day_is_on_time_one_day_later_is_late(
    make_document, lawadmin: User
) -> None:
    published = datetime.date(2025, 6, 3)
    on_time = make_document(DocumentStatus.PUBLISHED, published_on=published)
    late = make_document(DocumentStatus.PUBLISHED, published_on=published)
    on_time = actions.file_document(on_time, actor=lawadmin, filed_on=datetime.date(2025, 7, 3))
    late = actions.file_document(
        late, actor=lawadmin, filed_on=datetime.date(2025, 7, 4), reference="备2025-17"
    )
    assert on_time.filing_timeliness_on() == "on_time"
    assert late.filing_timeliness_on() == "late" and late.filing_reference == "备2025-17"
    assert last_event(late).type == EventType.FILED
    assert last_change(late).after["filed_on"] == "2025-07-04"
    rows = dict(
        NormativeDocument.objects.with_filing_timeliness().values_list("pk", "filing_timeliness")
    )
    assert rows == {on_time.pk: "on_time", late.pk: "late"}
    assert not NormativeDocument.objects.filing_overdue().exists()
    with pytest.raises(ValidationError, match="已报送备案"):
        actions.file_document(late, actor=lawadmin, filed_on=datetime.date(2025, 7, 5))


def test_the_filing_deadline_is_a_local_setting_in_working_days(make_document) -> None:
    LocalSetting.objects.create(key="documents.filing_days", value="3")
    LocalSetting.objects.create(key="documents.filing_in_working_days", value="是")
    # published Tuesday 2026-09-29: 9/30 is the first working day, 10/1–10/7 are the National
    # Day holiday, 10/8 and 10/9 the second and third
    document = make_document(DocumentStatus.PUBLISHED, published_on=datetime.date(2026, 9, 29))
    assert document.filing_due == datetime.date(2026, 10, 9)


# --- clean-up ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "status", "in_force"),
    [
        (CleanupResult.CONTINUED, DocumentStatus.PUBLISHED, True),
        (CleanupResult.AMENDED, DocumentStatus.PUBLISHED, True),
        (CleanupResult.ABOLISHED, DocumentStatus.ABOLISHED, False),
        (CleanupResult.DECLARED_INVALID, DocumentStatus.DECLARED_INVALID, False),
    ],
)
def test_clean_up_results(make_document, lawadmin: User, result, status, in_force) -> None:
    document = make_document(
        DocumentStatus.PUBLISHED, published_on=localdate() - datetime.timedelta(days=400)
    )
    cleanup = actions.clean_up_document(
        document, actor=lawadmin, result=result, decided_on=localdate(), note="2026 年度清理"
    )
    document.refresh_from_db()
    assert cleanup.result == result and document.status == status
    assert NormativeDocument.objects.in_force().filter(pk=document.pk).exists() is in_force
    assert last_event(document).type == EventType.CLEANED_UP
    if not in_force:
        assert document.ended_on == localdate() and document.document_number  # keeps its number
        assert last_change(document).after["status"] == status


def test_department_scope_for_the_liaison(
    make_document, make_body, liaison: User, make_user
) -> None:
    own = make_document()
    other = make_document(issuing_body=make_body())
    visible = NormativeDocument.objects.restrict(liaison, "view")
    assert list(visible) == [own]
    with pytest.raises(PermissionDenied):
        actions.waive_comment(other, actor=liaison, reason="内部")
    stranger = make_user(Role.LEGAL_AFFAIRS_OFFICER)
    assert not NormativeDocument.objects.restrict(stranger, "view").exists()
    actions.waive_comment(own, actor=liaison, reason="内部")


def test_public_comment_is_opened_or_waived_once(make_document, lawadmin: User) -> None:
    document = make_document()
    actions.waive_comment(document, actor=lawadmin, reason="涉及国家秘密")
    with pytest.raises(ValidationError, match="已记录不公开的理由"):
        actions.open_comment(
            document,
            actor=lawadmin,
            starts_on=datetime.date(2026, 3, 2),
            ends_on=datetime.date(2026, 3, 10),
            backfill_reason=BACKFILL,
        )
    with pytest.raises(ValidationError, match="已记录不公开的理由"):
        actions.waive_comment(document, actor=lawadmin, reason="再次")

"""The normative document procedure. Each action checks the actor's permission and the
document's status, locks the row, changes it, writes a DocumentEvent and (through the model's
change log) the audit chain, all in one transaction. Views never set a status.

    register → open comment (or waive it, with the reason) → handle every comment
             → submit for legality review → passed | failed (revise, submit again)
             → deliberate → issue (unified number) → publish → file (备案) → clean up

A document that was never reviewed, or whose latest review failed, is not deliberated and not
issued (国办发〔2018〕115号: 未经合法性审核或者经审核不合法的，不得提交集体审议). The review is
the issuing body's reviewing unit's (115号: the government's 司法行政部门 for the government's
documents, a department's own 法制机构 for the department's), and takes at least 5 working days
unless the urgent reason is recorded. A clean-up that continues a document re-evaluates and
re-publishes it, and its new validity (at most the district's ceiling) runs from the
re-publication.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW
from chengxin.audit.context import audit_context
from chengxin.core.workflow import allowed, locked, record, require
from chengxin.documents import numbering, rules
from chengxin.documents.choices import (
    HANDLING_NEEDS_REASON,
    CleanupResult,
    CommentHandling,
    DeliberationResult,
    DocumentStatus,
    EventType,
    ReviewResult,
)
from chengxin.documents.models import (
    DocumentCleanup,
    DocumentComment,
    DocumentEvent,
    IssuingBody,
    LegalityReview,
    NormativeDocument,
)

# Which actions each status allows (a status not listed allows none). The actions' names are
# those `_lock_for` is given; a new step is a row here plus its action below.
STATUS_ACTIONS: dict[str, frozenset[str]] = {
    DocumentStatus.DRAFT: frozenset(
        {"open_comment", "waive_comment", "handle_comment", "submit_for_review"}
    ),
    DocumentStatus.COMMENTING: frozenset({"submit_comment", "handle_comment", "submit_for_review"}),
    DocumentStatus.UNDER_REVIEW: frozenset({"review"}),
    DocumentStatus.REVIEW_FAILED: frozenset({"submit_for_review"}),
    DocumentStatus.REVIEW_PASSED: frozenset({"deliberate"}),
    DocumentStatus.DELIBERATED: frozenset({"issue"}),
    DocumentStatus.ISSUED: frozenset({"publish"}),
    DocumentStatus.PUBLISHED: frozenset({"file", "clean_up"}),
    DocumentStatus.ABOLISHED: frozenset({"file"}),
    DocumentStatus.DECLARED_INVALID: frozenset({"file"}),
}


def _lock_for(document: NormativeDocument, action: str) -> NormativeDocument:
    """The document locked in the caller's transaction, refused unless its status allows
    `action` (STATUS_ACTIONS)."""
    row = locked(NormativeDocument, document.pk)
    if not allowed(STATUS_ACTIONS, row.status, action):
        raise ValidationError(
            _("文件当前状态为“%(status)s”，不能进行此操作。")
            % {"status": row.get_status_display()},
            code="wrong_status",
        )
    return row


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise ValidationError({field: message})
    return value.strip()


# --- drafting ---------------------------------------------------------------------------------


def register_document(
    *,
    actor: User,
    issuing_body: IssuingBody,
    title: str,
    drafting_unit: str,
    body: str,
    summary: str = "",
    is_provisional: bool = False,
) -> NormativeDocument:
    """统一登记: the drafting unit registers a draft of a confirmed, active issuing body.
    A liaison registers only for the body of their own department."""
    if not (issuing_body.is_confirmed and issuing_body.is_active):
        raise ValidationError({"issuing_body": _("该单位不是已确认的制定主体。")})
    document = NormativeDocument(
        issuing_body=issuing_body,
        department_id=issuing_body.department_id,
        title=title.strip(),
        drafting_unit=drafting_unit.strip(),
        body=body.strip(),
        summary=summary.strip(),
        is_provisional=is_provisional,
        registered_on=timezone.localdate(),
    )
    require(actor, ADD, document)
    document.full_clean()
    with transaction.atomic(), audit_context(actor=actor):
        document.save()
        record(DocumentEvent, document, EventType.REGISTERED, actor)
    return document


def open_comment(
    document: NormativeDocument,
    *,
    actor: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    shortened_reason: str = "",
    backfill_reason: str = "",
) -> NormativeDocument:
    """公开征求意见: the draft is shown on the portal with a comment form from `starts_on` to
    `ends_on` (both included), at least documents.comment_min_working_days working days unless
    the reason for a shorter period is recorded. Online comment starts no earlier than today, the
    recording day: the working days before it count only with a backfill reason (ADR 0010)."""
    require(actor, CHANGE, document)
    recorded_on = timezone.localdate()
    rules.check_comment_period(
        starts_on,
        ends_on,
        shortened_reason,
        recorded_on=recorded_on,
        backfill_reason=backfill_reason,
    )
    backfilled = starts_on < recorded_on and bool(backfill_reason.strip())
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "open_comment")
        if document.comment_starts_on is not None or document.comment_waiver_reason:
            raise ValidationError(_("该文件已公开征求过意见或已记录不公开的理由。"))
        document.status = DocumentStatus.COMMENTING
        document.comment_starts_on, document.comment_ends_on = starts_on, ends_on
        document.comment_shortened_reason = shortened_reason.strip()
        document.comment_recorded_on = recorded_on
        document.comment_backfill_reason = backfill_reason.strip() if backfilled else ""
        document.save()
        note = f"{starts_on:%Y-%m-%d} — {ends_on:%Y-%m-%d}"
        if backfilled:
            note += " · " + _("%(recorded)s 录入，补录理由：%(reason)s") % {
                "recorded": f"{recorded_on:%Y-%m-%d}",
                "reason": backfill_reason.strip(),
            }
        elif starts_on < recorded_on:
            note += " · " + _("%(recorded)s 录入，期限自录入之日起计算") % {
                "recorded": f"{recorded_on:%Y-%m-%d}"
            }
        if shortened_reason.strip():
            note += " · " + shortened_reason.strip()
        record(DocumentEvent, document, EventType.COMMENT_OPENED, actor, note=note)
    return document


def waive_comment(document: NormativeDocument, *, actor: User, reason: str) -> NormativeDocument:
    """No public comment (e.g. 涉及国家秘密 or an urgent matter): the reason is recorded."""
    require(actor, CHANGE, document)
    reason = _required(reason, "reason", _("不公开征求意见必须说明理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "waive_comment")
        if document.comment_starts_on is not None or document.comment_waiver_reason:
            raise ValidationError(_("该文件已公开征求过意见或已记录不公开的理由。"))
        document.comment_waiver_reason = reason
        document.save()
        record(DocumentEvent, document, EventType.COMMENT_WAIVED, actor, note=reason)
    return document


def submit_comment(
    document: NormativeDocument, *, content: str, name: str = "", contact: str = ""
) -> DocumentComment:
    """A member of the public comments on a draft while its comment period is open."""
    content = _required(content, "content", _("请填写意见内容。"))
    with transaction.atomic():
        document = _lock_for(document, "submit_comment")
        if not document.is_open_for_comment:
            raise ValidationError(_("该草案不在征求意见期内。"))
        comment = DocumentComment(
            document=document,
            content=content,
            commenter_name=name.strip(),
            commenter_contact=contact.strip(),
        )
        comment.full_clean()
        comment.save()
        record(
            DocumentEvent,
            document,
            EventType.COMMENT_RECEIVED,
            None,
            note=_("意见 #%s") % comment.pk,
        )
    return comment


def handle_comment(
    comment: DocumentComment, *, actor: User, handling: str, reason: str = ""
) -> DocumentComment:
    """Record how a comment was handled; partly adopted and not adopted give the reason."""
    require(actor, CHANGE, comment.document)
    if handling not in CommentHandling.values or handling == CommentHandling.PENDING:
        raise ValidationError({"handling": _("请选择采纳情况。")})
    if handling in HANDLING_NEEDS_REASON:
        reason = _required(reason, "reason", _("部分采纳或不予采纳的，必须说明理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        _lock_for(comment.document, "handle_comment")
        comment = DocumentComment.objects.select_for_update().get(pk=comment.pk)
        comment.handling, comment.handling_reason = handling, reason.strip()
        comment.handled_by, comment.handled_at = actor, timezone.now()
        comment.save()
        label = CommentHandling(handling).label
        record(
            DocumentEvent,
            comment.document,
            EventType.COMMENT_HANDLED,
            actor,
            note=f"#{comment.pk} {label}",
        )
    return comment


# --- legality review --------------------------------------------------------------------------


def submit_for_review(document: NormativeDocument, *, actor: User) -> LegalityReview:
    """提请合法性审核. Requires the comment period to be over with every comment handled (or
    public comment waived with a reason); a failed document may be submitted again after
    revision. The review is due within documents.review_working_days working days."""
    require(actor, CHANGE, document)
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "submit_for_review")
        _check_comment_done(document)
        unit = IssuingBody.objects.get(pk=document.issuing_body_id).review_unit()
        if unit is None:
            raise ValidationError(
                _("制定主体“%(body)s”未确定合法性审核机构，请先在制定主体中设置。")
                % {"body": document.issuing_body.name},
                code="no_reviewing_unit",
            )
        today = timezone.localdate()
        review = LegalityReview.objects.create(
            document=document,
            submitted_on=today,
            due_on=rules.review_due(today),
            submitted_by=actor,
            reviewing_unit=unit,
        )
        document.status = DocumentStatus.UNDER_REVIEW
        document.save()
        record(
            DocumentEvent,
            document,
            EventType.SUBMITTED_FOR_REVIEW,
            actor,
            note=_("审核机构 %(unit)s，审核期限 %(day)s")
            % {"unit": unit.name, "day": f"{review.due_on:%Y-%m-%d}"},
        )
    return review


def _check_comment_done(document: NormativeDocument) -> None:
    if document.comment_starts_on is None:
        if not document.comment_waiver_reason:
            raise ValidationError(_("提请审核前须公开征求意见，或记录不公开征求意见的理由。"))
        return
    assert document.comment_ends_on is not None
    if document.comment_ends_on >= timezone.localdate():
        raise ValidationError(
            _("征求意见期至 %(day)s 结束，结束后方可提请审核。")
            % {"day": f"{document.comment_ends_on:%Y-%m-%d}"}
        )
    pending = document.comments.filter(handling=CommentHandling.PENDING).count()
    if pending:
        raise ValidationError(
            _("还有 %(count)s 条意见未处理，须逐条说明采纳情况。") % {"count": pending}
        )


def review_document(
    review: LegalityReview,
    *,
    reviewer: User,
    passed: bool,
    opinion: str,
    reviewed_on: datetime.date | None = None,
    urgent_reason: str = "",
) -> LegalityReview:
    """The reviewing unit gives its opinion: a legal reviewer (area "legality") of the unit the
    request went to (国办发〔2018〕115号). The review takes at least 5 working days from the
    request (115号: 审核时间一般不少于5个工作日), counted on the official calendar; an earlier
    opinion records the urgent reason. A failed document goes back to the drafting unit and
    cannot be deliberated or issued."""
    require(reviewer, REVIEW, review)
    opinion = _required(opinion, "opinion", _("请填写合法性审核意见。"))
    day = reviewed_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"reviewed_on": _("审核日期不能晚于今天。")})
    with transaction.atomic(), audit_context(actor=reviewer):
        document = _lock_for(review.document, "review")
        review = LegalityReview.objects.select_for_update().get(pk=review.pk)
        if review.result != ReviewResult.PENDING:
            raise ValidationError(_("该审核已出具意见。"))
        _check_reviewing_unit(review, reviewer)
        _check_review_time(review, day, urgent_reason)
        review.result = ReviewResult.PASSED if passed else ReviewResult.FAILED
        review.reviewer, review.opinion, review.reviewed_on = reviewer, opinion, day
        review.urgent_reason = urgent_reason.strip()
        review.save()
        document.status = DocumentStatus.REVIEW_PASSED if passed else DocumentStatus.REVIEW_FAILED
        document.save()
        record(
            DocumentEvent,
            document,
            EventType.REVIEW_PASSED if passed else EventType.REVIEW_FAILED,
            reviewer,
            note=opinion,
        )
    return review


def _check_reviewing_unit(review: LegalityReview, reviewer: User) -> None:
    """Only the reviewing unit's own legal reviewers give its opinion (115号)."""
    unit = review.unit()
    if unit is None or reviewer.department_id != unit.pk:
        raise PermissionDenied(
            _("该文件的合法性审核机构是“%(unit)s”，应由该机构的审核人员出具意见。")
            % {"unit": unit.name if unit else _("未确定")}
        )


def _check_review_time(review: LegalityReview, day: datetime.date, urgent_reason: str) -> None:
    if day < review.submitted_on:
        raise ValidationError({"reviewed_on": _("审核日期不能早于提请日期。")})
    worked = rules.review_working_days(review.submitted_on, day)
    if worked < rules.REVIEW_MIN_WORKING_DAYS and not urgent_reason.strip():
        raise ValidationError(
            {
                "urgent_reason": _(
                    "审核时间为 %(days)s 个工作日，少于5个工作日（国办发〔2018〕115号），"
                    "须说明紧急情况；不说明的，最早可于 %(day)s 出具意见。"
                )
                % {"days": worked, "day": f"{review.earliest_normal_review:%Y-%m-%d}"}
            }
        )


def latest_review(document: NormativeDocument) -> LegalityReview | None:
    review: LegalityReview | None = document.reviews.order_by("-submitted_on", "-id").first()
    return review


def _check_review_passed(document: NormativeDocument) -> None:
    review = latest_review(document)
    if review is None:
        raise ValidationError(_("未经合法性审核的文件不得提交审议或印发。"), code="not_reviewed")
    if review.result != ReviewResult.PASSED:
        raise ValidationError(
            _("合法性审核未通过的文件不得提交审议或印发。"), code="review_not_passed"
        )


# --- deliberation, issue, publication ---------------------------------------------------------


def deliberate_document(
    document: NormativeDocument,
    *,
    actor: User,
    meeting: str,
    held_on: datetime.date,
    result: str,
) -> NormativeDocument:
    """集体审议 at a meeting (常务会议 / 办公会议). Only after the legality review passed; a
    rejected draft goes back to drafting."""
    require(actor, CHANGE, document)
    meeting = _required(meeting, "meeting", _("请填写审议会议。"))
    if result not in DeliberationResult.values:
        raise ValidationError({"result": _("请选择审议结果。")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("审议日期不能晚于今天。")})
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "deliberate")
        _check_review_passed(document)
        document.meeting, document.deliberated_on = meeting, held_on
        document.deliberation_result = result
        rejected = result == DeliberationResult.REJECTED
        document.status = DocumentStatus.DRAFT if rejected else DocumentStatus.DELIBERATED
        document.save()
        note = f"{meeting} {held_on:%Y-%m-%d} {DeliberationResult(result).label}"
        record(DocumentEvent, document, EventType.DELIBERATED, actor, note=note)
    return document


def issue_document(
    document: NormativeDocument, *, actor: User, issued_on: datetime.date | None = None
) -> NormativeDocument:
    """统一编号印发: the next number of the issuing body for the year of issue, in the body's
    pattern (or documents.number_pattern). Assigned once; the legality gate is checked again."""
    require(actor, CHANGE, document)
    day = issued_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"issued_on": _("印发日期不能晚于今天。")})
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "issue")
        _check_review_passed(document)
        if document.number_sequence is not None:
            raise ValidationError(_("该文件已有文号，文号不得重新分配。"))
        body = IssuingBody.objects.get(pk=document.issuing_body_id)
        pattern = body.effective_pattern()
        sequence = numbering.next_sequence(body, day.year)
        document.number_year, document.number_sequence = day.year, sequence
        document.document_number = _number(pattern, body, day.year, sequence)
        document.issued_on, document.status = day, DocumentStatus.ISSUED
        document.save()
        record(DocumentEvent, document, EventType.ISSUED, actor, note=document.document_number)
    return document


def _number(pattern: str, body: IssuingBody, year: int, sequence: int) -> str:
    """The formatted number, refused (rolling the drawn sequence back) when it would not fit."""
    number = rules.format_number(pattern, code=body.code, year=year, seq=sequence)
    limit = NormativeDocument._meta.get_field("document_number").max_length or 0
    if len(number) > limit:
        raise ValidationError(
            _("文号“%(number)s”超过 %(limit)s 个字符，请缩短制定主体“%(body)s”的代字或编号格式。")
            % {"number": number, "limit": limit, "body": body.name}
        )
    return number


def publish_document(
    document: NormativeDocument,
    *,
    actor: User,
    published_on: datetime.date,
    channel: str,
    effective_on: datetime.date | None = None,
    early_effect_reason: str = "",
    validity_years: int | None = None,
) -> NormativeDocument:
    """统一发布: published on the government site or gazette. In force 30 days after publication
    unless an earlier date is given with its reason; valid from then for `validity_years`, by
    default and at most the district's ceiling (documents.validity_ceilings: 5 years, 暂行/试行
    2); the filing deadline starts (documents.filing_days after publication)."""
    require(actor, CHANGE, document)
    channel = _required(channel, "channel", _("请填写公布载体。"))
    default_effective = rules.default_effective_on(published_on)
    effective = effective_on or default_effective
    if effective < published_on:
        raise ValidationError({"effective_on": _("施行日期不能早于公布日期。")})
    if effective < default_effective and not early_effect_reason.strip():
        raise ValidationError(
            {"early_effect_reason": _("自公布之日起 30 日内施行的，须说明理由。")}
        )
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "publish")
        assert document.issued_on is not None
        if published_on < document.issued_on or published_on > timezone.localdate():
            raise ValidationError({"published_on": _("公布日期须在印发日期之后，且不晚于今天。")})
        years = rules.check_validity_years(validity_years, document.is_provisional, effective)
        document.published_on, document.publication_channel = published_on, channel
        document.effective_on, document.early_effect_reason = effective, early_effect_reason.strip()
        document.validity_years, document.validity_starts_on = years, effective
        document.valid_until = rules.valid_until(effective, years)
        document.filing_due = rules.filing_due(published_on)
        document.filed_with = document.filed_with or document.issuing_body.filing_authority
        document.status = DocumentStatus.PUBLISHED
        document.save()
        record(DocumentEvent, document, EventType.PUBLISHED, actor, note=channel)
    return document


def file_document(
    document: NormativeDocument,
    *,
    actor: User,
    filed_on: datetime.date,
    filed_with: str = "",
    reference: str = "",
) -> NormativeDocument:
    """报送备案 to the upper body. Late filing is recorded as late, never refused."""
    require(actor, CHANGE, document)
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "file")
        if document.filed_on is not None:
            raise ValidationError(_("该文件已报送备案。"))
        assert document.published_on is not None
        if filed_on < document.published_on or filed_on > timezone.localdate():
            raise ValidationError({"filed_on": _("备案日期须在公布日期之后，且不晚于今天。")})
        document.filed_on = filed_on
        document.filed_with = filed_with.strip() or document.issuing_body.filing_authority
        document.filing_reference = reference.strip()
        document.save()
        record(
            DocumentEvent,
            document,
            EventType.FILED,
            actor,
            note=f"{filed_on:%Y-%m-%d} {document.filed_with}",
        )
    return document


# --- clean-up ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Republication:
    """What continues a document with a new validity (继续有效并重新公布): the re-evaluation, the
    day and channel of re-publication, and the years of the new validity (the ceiling when
    None)."""

    evaluation: str
    published_on: datetime.date
    channel: str
    validity_years: int | None = None


def clean_up_document(
    document: NormativeDocument,
    *,
    actor: User,
    result: str,
    decided_on: datetime.date,
    note: str = "",
    republication: Republication | None = None,
) -> DocumentCleanup:
    """Record a clean-up result. 废止 and 失效 end the document on `decided_on` (its number stays
    with it); 修改 is recorded (the amended text is a new document with its own number).

    继续有效 keeps the document in force until its validity ends; to run longer it is
    re-evaluated and re-published (`republication`), and the new validity, at most the ceiling
    in force that day, is counted from the re-publication (《山东省行政程序规定》第五十三条:
    重新登记、编制登记号、公布，并自公布之日起重新计算有效期). A document past its validity has
    lapsed by itself and is not continued: it is made again by the full procedure."""
    require(actor, CHANGE, document)
    if result not in CleanupResult.values:
        raise ValidationError({"result": _("请选择清理结果。")})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("清理日期不能晚于今天。")})
    if republication is not None and result != CleanupResult.CONTINUED:
        raise ValidationError({"republished_on": _("只有继续有效的文件可以重新公布。")})
    if result == CleanupResult.AMENDED:
        note = _required(note, "note", _("修改的，请说明修改情况或新文件文号。"))
    with transaction.atomic(), audit_context(actor=actor):
        document = _lock_for(document, "clean_up")
        if result == CleanupResult.CONTINUED:
            _check_not_lapsed(document, decided_on)
        if republication is not None:
            _republish(document, republication, decided_on)
        if result in (CleanupResult.ABOLISHED, CleanupResult.DECLARED_INVALID):
            document.status = (
                DocumentStatus.ABOLISHED
                if result == CleanupResult.ABOLISHED
                else DocumentStatus.DECLARED_INVALID
            )
            document.ended_on = decided_on
        document.save()
        cleanup = DocumentCleanup.objects.create(
            document=document,
            result=result,
            decided_on=decided_on,
            continued_until=document.valid_until if republication else None,
            evaluation=republication.evaluation.strip() if republication else "",
            republished_on=republication.published_on if republication else None,
            republication_channel=republication.channel.strip() if republication else "",
            validity_years=document.validity_years if republication else None,
            note=note.strip(),
            actor=actor,
        )
        record(
            DocumentEvent,
            document,
            EventType.CLEANED_UP,
            actor,
            note=_cleanup_note(result, note, document if republication else None),
        )
    return cleanup


def _check_not_lapsed(document: NormativeDocument, decided_on: datetime.date) -> None:
    assert document.valid_until is not None
    if decided_on > document.valid_until:
        raise ValidationError(
            {
                "result": _(
                    "该文件有效期已于 %(day)s 届满，自动失效，不能继续有效；"
                    "需要继续执行的，应按制定程序重新制定。"
                )
                % {"day": f"{document.valid_until:%Y-%m-%d}"}
            }
        )


def _republish(
    document: NormativeDocument, given: Republication, decided_on: datetime.date
) -> None:
    """The new validity from the re-publication, within the ceiling in force that day."""
    _required(given.evaluation, "evaluation", _("继续有效并重新公布的，须填写评估情况。"))
    _required(given.channel, "republication_channel", _("请填写重新公布的载体。"))
    assert document.valid_until is not None
    day = given.published_on
    if day < decided_on or day > timezone.localdate():
        raise ValidationError({"republished_on": _("重新公布日期须在清理日期之后，且不晚于今天。")})
    if day > document.valid_until:
        raise ValidationError(
            {
                "republished_on": _(
                    "有效期于 %(day)s 届满，重新公布须在届满之前（含当日），"
                    "否则文件已经失效，应按制定程序重新制定。"
                )
                % {"day": f"{document.valid_until:%Y-%m-%d}"}
            }
        )
    years = rules.check_validity_years(given.validity_years, document.is_provisional, day)
    document.validity_years, document.validity_starts_on = years, day
    document.valid_until = rules.valid_until(day, years)
    document.republished_on, document.republication_channel = day, given.channel.strip()


def _cleanup_note(result: str, note: str, continued: NormativeDocument | None) -> str:
    text = f"{CleanupResult(result).label} {note.strip()}".strip()
    if continued is None:
        return text
    assert continued.republished_on is not None and continued.valid_until is not None
    return (
        text
        + " · "
        + _("%(day)s 重新公布，有效期 %(years)s 年，至 %(until)s")
        % {
            "day": f"{continued.republished_on:%Y-%m-%d}",
            "years": continued.validity_years,
            "until": f"{continued.valid_until:%Y-%m-%d}",
        }
    )

"""法制审核: the request, the reviewer's result, the extension of its time limit, and the record of
a reviewer's qualification (法制审核人员)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.choices import Role
from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW
from chengxin.audit.context import audit_context
from chengxin.cases import rules
from chengxin.cases.actions.common import (
    add_step,
    check_officers,
    handled,
    latest_review,
    step_time,
)
from chengxin.cases.choices import REVIEW_EVENTS, CaseStatus, EventType, ReviewResult, StepKind
from chengxin.cases.models import CHECKLIST, Case, CaseEvent, LegalityReview, LegalReviewer
from chengxin.core import calendar, local_settings, workflow
from chengxin.core.workflow import locked, require


def request_legality_review(case: Case, *, actor: User, submission: str) -> LegalityReview:
    """Send the proposed decision for 法制审核 after 告知 (and the hearing if requested), to the
    body's reviewing unit (cases.rules.reviewing_department: its own 法制机构 by default, the
    district-wide legal reviewers when it has none). Due in cases.review_working_days working
    days on the official calendar. The officers acting that day must still be able to act."""
    require(actor, CHANGE, case)
    if not submission.strip():
        raise ValidationError(_("请填写拟作出的决定及理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        latest = latest_review(case)
        if latest is not None and latest.result == ReviewResult.PENDING:
            raise ValidationError(_("该案件已在法制审核中。"))
        if latest is not None and latest.result == ReviewResult.PASSED:
            raise ValidationError(_("该案件已通过法制审核。"))
        if case.status not in (CaseStatus.NOTIFIED, CaseStatus.HEARD):
            raise ValidationError(
                _("案件当前为“%(status)s”：须在告知（及听证）之后、决定之前提请法制审核。")
                % {"status": case.get_status_display()}
            )
        if case.is_hearing_requested and not case.is_hearing_held:
            raise ValidationError(_("当事人要求听证：须先举行听证，再提请法制审核。"))
        check_officers(case, timezone.now())
        unit = rules.reviewing_department(case.body)
        review = LegalityReview.objects.create(
            case=case,
            department_id=case.department_id,
            reviewing_department=unit,
            requested_by=actor,
            submission=submission.strip(),
            fine_amount=case.fine_amount,
            confiscation_amount=case.confiscation_amount,
            due_on=rules.review_due(timezone.localdate()),
        )
        workflow.record(
            CaseEvent, case, EventType.REVIEW_REQUESTED, actor, note=submission.strip()[:200]
        )
    return review


def record_legality_review(
    review: LegalityReview,
    *,
    actor: User,
    result: str,
    opinion: str,
    checklist: Mapping[str, bool],
    other_findings: str = "",
) -> LegalityReview:
    """The 法制审核员's result: 通过 (every checklist item confirmed), 不通过 or 退回补充.

    Only a reviewer of the review's unit (or any, when it has none), who did not handle the
    case; for a 行政处罚 case only one who may review penalty decisions (行政处罚法 art. 58
    para. 2: a first-time reviewer holds the 法律职业资格, cases.rules.reviewer_problem) — whose
    first such review is recorded here. Writes the 法制审核 step on the case; a passed review
    moves the case to 法制审核通过, which lets the decision be made. 不通过 / 退回补充 let the
    handlers investigate again."""
    require(actor, REVIEW, review)
    if result not in REVIEW_EVENTS:
        raise ValidationError(_("请选择审核结果。"))
    if not opinion.strip():
        raise ValidationError(_("请填写审核意见。"))
    missing = [str(label) for field, label in CHECKLIST if not checklist.get(field)]
    if result == ReviewResult.PASSED and missing:
        raise ValidationError(
            _("审核通过须逐项确认审核内容，尚未确认：%(items)s。") % {"items": "；".join(missing)}
        )
    with transaction.atomic(), audit_context(actor=actor):
        review = LegalityReview.objects.select_for_update().get(pk=review.pk)
        if review.result != ReviewResult.PENDING:
            raise ValidationError(_("该法制审核已有结果。"))
        case = locked(Case.objects.select_related("body", "power_item__category"), review.case.pk)
        if handled(case, actor):
            raise ValidationError(
                _("承办本案的人员不能审核本案：法制审核由承办人员以外的法制审核人员进行。"),
                code="own_case",
            )
        if problem := rules.reviewer_unit_problem(review.reviewing_department_id, actor):
            raise ValidationError(problem, code="reviewing_unit")
        today = timezone.localdate()
        if rules.is_penalty_item(case.power_item):
            if problem := rules.reviewer_problem(actor, today):
                raise ValidationError(problem, code="reviewer_qualification")
            _note_first_review(actor, today)
        review.result, review.opinion = result, opinion.strip()
        review.reviewer, review.reviewed_at = actor, timezone.now()
        review.other_findings = other_findings.strip()
        for field, _label in CHECKLIST:
            setattr(review, field, bool(checklist.get(field)))
        review.save()
        note = f"{ReviewResult(result).label}：{review.opinion}"
        add_step(
            case,
            StepKind.LEGALITY_REVIEW,
            actor=actor,
            occurred_at=step_time(case, None),
            notes=note,
            files=(),
            recordings=(),
        )
        if result == ReviewResult.PASSED:
            case.status = CaseStatus.REVIEWED
            case.save()
        workflow.record(CaseEvent, case, REVIEW_EVENTS[result], actor, note=review.opinion[:200])
    return review


def _note_first_review(user: User, day: datetime.date) -> None:
    """Record the day of `user`'s first review of a penalty decision (once)."""
    record, _created = LegalReviewer.objects.get_or_create(user=user)
    if record.first_reviewed_on is None:
        record.first_reviewed_on = day
        record.save()


def extend_legality_review(review: LegalityReview, *, actor: User, reason: str) -> LegalityReview:
    """Extend a pending review once by cases.review_extension_working_days working days."""
    require(actor, REVIEW, review)
    if not reason.strip():
        raise ValidationError(_("请说明延长理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        review = LegalityReview.objects.select_for_update().get(pk=review.pk)
        if review.result != ReviewResult.PENDING:
            raise ValidationError(_("该法制审核已有结果。"))
        if problem := rules.reviewer_unit_problem(review.reviewing_department_id, actor):
            raise ValidationError(problem, code="reviewing_unit")
        if review.is_extended:
            raise ValidationError(_("审核期限只能延长一次。"))
        days = int(local_settings.get(rules.REVIEW_EXTENSION_WORKING_DAYS.key))
        review.due_on, review.is_extended = calendar.add_working_days(review.due_on, days), True
        review.save()
        workflow.record(
            CaseEvent, review.case, EventType.REVIEW_EXTENDED, actor, note=reason.strip()
        )
    return review


def save_legal_reviewer(record: LegalReviewer, *, actor: User) -> LegalReviewer:
    """Register or change a legal reviewer's qualification (the rule-of-law office): whether
    they hold the 法律职业资格 (with the certificate number), and — for someone who reviewed
    penalty decisions before 2021-07-15 — since when, with the evidence in the note. The person
    is an account holding the 法制审核员 role."""
    is_new = record.pk is None
    require(actor, ADD if is_new else CHANGE, record if not is_new else LegalReviewer)
    if not record.user.has_role(Role.LEGAL_REVIEWER):
        raise ValidationError({"user": _("该账号不是法制审核员。")})
    with transaction.atomic(), audit_context(actor=actor):
        if not is_new:
            stored = LegalReviewer.objects.select_for_update().get(pk=record.pk)
            record.user_id = stored.user_id  # the person does not change
        record.full_clean()
        record.save()
    return record

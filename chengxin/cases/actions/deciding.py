"""From the heads' collective discussion to the decision and its publication: 负责人集体讨论,
负责人签批, 延长办案期限, 决定, 事后公开, the link to the 双公示 penalty records, and the deadlines
recomputed when the calendar changes."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE
from chengxin.audit.context import audit_context, change_reason
from chengxin.cases import penalty_records, rules
from chengxin.cases.actions.common import (
    RecordingData,
    add_step,
    check_officers,
    handled,
    last_step_time,
    latest_review,
    refuse_in_status,
    set_amounts,
    start_of,
    step_time,
)
from chengxin.cases.choices import (
    READY_TO_DECIDE,
    CaseStatus,
    DiscussionResult,
    EventType,
    ReviewResult,
    StepKind,
)
from chengxin.cases.models import (
    Case,
    CaseEvent,
    CollectiveDiscussion,
    DecisionApproval,
    HandlingExtension,
    LegalityReview,
)
from chengxin.cases.penalty_records import PenaltyFacts
from chengxin.core import calendar, local_settings, workflow
from chengxin.core.workflow import locked, require

MIN_PARTICIPANTS = 2  # 集体讨论: more than one head


def _locked_case(case: Case) -> Case:
    row: Case = locked(Case.objects.select_related("body", "power_item__category"), case.pk)
    return row


def _latest_discussion(case: Case) -> CollectiveDiscussion | None:
    found: CollectiveDiscussion | None = case.discussions.order_by("-held_on", "-id").first()
    return found


def _review_missing(case: Case, fine: decimal.Decimal | None, other: decimal.Decimal | None) -> str:
    """The art. 58 triggers of `case` when its latest review has not passed ("" when none)."""
    triggers = rules.major_triggers(case, fine_amount=fine, confiscation_amount=other)
    latest = latest_review(case)
    if triggers and (latest is None or latest.result != ReviewResult.PASSED):
        return "；".join(str(t.label) for t in triggers)
    return ""


def _discussion_missing(
    case: Case, fine: decimal.Decimal | None, other: decimal.Decimal | None
) -> ValidationError | None:
    """Why the heads' collective discussion stands in the way of a decision, or None: the case
    needs one (cases.rules.discussion_triggers) and has no agreeing one as its last step, or its
    last discussion did not agree."""
    discussion = _latest_discussion(case) if case.status == CaseStatus.DISCUSSED else None
    if discussion is not None and discussion.result == DiscussionResult.NOT_AGREED:
        return ValidationError(
            _("负责人集体讨论未同意拟定的处罚，请补充调查或另行处理。"), code="discussion_refused"
        )
    triggers = rules.discussion_triggers(case, fine_amount=fine, confiscation_amount=other)
    if triggers and discussion is None:
        return ValidationError(
            _(
                "本案属于情节复杂或者重大违法行为（%(reasons)s），给予行政处罚应当由行政机关负责人"
                "集体讨论决定（行政处罚法第五十七条第二款），请先记录负责人集体讨论。"
            )
            % {"reasons": "；".join(triggers)},
            code="discussion_required",
        )
    return None


# --- 负责人集体讨论 ----------------------------------------------------------------------------------


def record_collective_discussion(
    case: Case,
    *,
    actor: User,
    held_on: datetime.date,
    participants: str,
    conclusion: str,
    result: str,
    occurred_at: datetime.datetime | None = None,
    files: Sequence[UploadedFile] = (),
    recordings: Sequence[RecordingData] = (),
) -> CollectiveDiscussion:
    """负责人集体讨论 (行政处罚法 art. 57 para. 2): the heads' meeting on the proposed decision,
    with its date, at least two participants and its conclusion, recorded as a step after 告知
    (the hearing, if requested) and after a passed 法制审核 when the case needs one (art. 58:
    the review comes before the 负责人 decide). 同意 lets the head sign the decision off;
    不同意 sends the case back to investigation."""
    require(actor, CHANGE, case)
    names = [line.strip() for line in participants.splitlines() if line.strip()]
    problems = []
    if result not in DiscussionResult.values:
        problems.append(_("请选择讨论结果。"))
    if not conclusion.strip():
        problems.append(_("请填写讨论结论。"))
    if len(names) < MIN_PARTICIPANTS:
        problems.append(_("集体讨论须有两名以上负责人参加：请每行填写一名参加人员。"))
    if held_on > timezone.localdate():
        problems.append(_("讨论日期不能晚于今天。"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), audit_context(actor=actor):
        case = _locked_case(case)
        latest = latest_review(case)
        if latest is not None and latest.result == ReviewResult.PENDING:
            raise ValidationError(_("法制审核正在进行，审核结束前不能集体讨论。"))
        if case.status not in (CaseStatus.NOTIFIED, CaseStatus.HEARD, CaseStatus.REVIEWED):
            raise refuse_in_status(case, StepKind.DISCUSSION)
        if case.is_hearing_requested and not case.is_hearing_held:
            raise ValidationError(_("当事人要求听证：须先举行听证，再集体讨论。"))
        if reasons := _review_missing(case, case.fine_amount, case.confiscation_amount):
            raise ValidationError(
                _("本案须先经法制审核（%(reasons)s），再由负责人集体讨论（行政处罚法第五十八条）。")
                % {"reasons": reasons},
                code="review_required",
            )
        # Entered the day it was held: now; a meeting of an earlier day: that afternoon.
        moment = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(15)))
        default = timezone.now() if held_on == timezone.localdate() else moment
        when = step_time(case, occurred_at or default)
        if timezone.localdate(when) != held_on:
            raise ValidationError(_("讨论日期与环节发生时间不一致。"))
        step = add_step(
            case,
            StepKind.DISCUSSION,
            actor=actor,
            occurred_at=when,
            notes=conclusion,
            files=files,
            recordings=recordings,
        )
        discussion = CollectiveDiscussion(
            case=case,
            step=step,
            held_on=held_on,
            participants="\n".join(names),
            conclusion=conclusion.strip(),
            result=result,
        )
        discussion.full_clean()
        discussion.save()
        case.status = CaseStatus.DISCUSSED
        case.save()
        label = DiscussionResult(result).label
        workflow.record(CaseEvent, case, EventType.DISCUSSED, actor, note=f"{label}：{conclusion}")
    return discussion


# --- 负责人签批 ---------------------------------------------------------------------------------------


def approve_decision(
    case: Case,
    *,
    actor: User,
    opinion: str,
    approved_at: datetime.datetime | None = None,
    fine_amount: decimal.Decimal | None = None,
    confiscation_amount: decimal.Decimal | None = None,
) -> DecisionApproval:
    """负责人签批: a head of the body (EnforcementBody.heads; an entrusted organisation's or its
    entrusting body's) who did not handle the case approves the proposed decision and its
    amounts (行政处罚法 art. 57: 行政机关负责人 … 作出行政处罚决定). Only when the case is ready
    to decide: after 告知 and the hearing, a passed review where one is needed, and the heads'
    agreeing collective discussion where one is needed. The head approves the amounts given, by
    default those proposed at 告知; the decision that follows may not exceed them, nor come
    before the approval."""
    # The heads are designated on the body by the rule-of-law office: that is the grant (an
    # entrusting body's head may not see the entrusted organisation's department's cases).
    if not opinion.strip():
        raise ValidationError(_("请填写签批意见。"))
    with transaction.atomic(), audit_context(actor=actor):
        case = _locked_case(case)
        if not actor.is_active or actor.pk not in rules.heads_of(case.body):
            raise ValidationError(
                _("只有执法主体登记的负责人可以签批执法决定（行政处罚法第五十七条）。"),
                code="not_head",
            )
        if handled(case, actor):
            raise ValidationError(
                _("承办本案的人员不能签批本案决定：须由未参与办案的负责人签批。"), code="own_case"
            )
        if case.decided_on is not None or case.status not in READY_TO_DECIDE:
            raise ValidationError(
                _("案件当前为“%(status)s”，尚不能签批决定。")
                % {"status": case.get_status_display()}
            )
        latest = latest_review(case)
        if latest is not None and latest.result == ReviewResult.PENDING:
            raise ValidationError(_("法制审核尚未完成，不能签批决定。"))
        if case.is_hearing_requested and not case.is_hearing_held:
            raise ValidationError(_("当事人要求听证：须先举行听证，再签批决定。"))
        fine = case.fine_amount if fine_amount is None else fine_amount
        other = case.confiscation_amount if confiscation_amount is None else confiscation_amount
        for amount in (fine, other):
            if amount is not None and amount < 0:
                raise ValidationError(_("签批的罚没数额不能为负数。"))
        # As for the decision: an amount proposed at 告知 counts even when the head lowers it.
        larger_fine = rules.larger_amount(case.fine_amount, fine)
        larger_other = rules.larger_amount(case.confiscation_amount, other)
        if reasons := _review_missing(case, larger_fine, larger_other):
            raise ValidationError(
                _("本案须先经法制审核（%(reasons)s）。") % {"reasons": reasons},
                code="review_required",
            )
        if refused := _discussion_missing(case, larger_fine, larger_other):
            raise refused
        when = approved_at or timezone.now()
        last = last_step_time(case)
        if when > timezone.now() + datetime.timedelta(minutes=5):
            raise ValidationError(_("签批时间不能晚于当前时间。"))
        if last is not None and when < last:
            raise ValidationError(_("签批时间不能早于本案上一环节。"))
        approval = DecisionApproval.objects.create(
            case=case,
            approver=actor,
            approved_at=when,
            opinion=opinion.strip(),
            fine_amount=fine,
            confiscation_amount=other,
        )
        workflow.record(
            CaseEvent, case, EventType.DECISION_APPROVED, actor, note=opinion.strip()[:200]
        )
    return approval


def _latest_approval(case: Case) -> DecisionApproval | None:
    found: DecisionApproval | None = case.approvals.order_by("-approved_at", "-id").first()
    return found


def _after_approval(case: Case, when: datetime.datetime) -> datetime.datetime:
    """A decision entered to the minute (the form's precision) in the sign-off's minute is at
    the sign-off's time, not before it."""
    approval = _latest_approval(case)
    if approval is not None and approval.approved_at.replace(second=0, microsecond=0) <= when:
        return max(when, approval.approved_at)
    return when


def sign_off_problem(case: Case) -> str:
    """What still stands before a head may sign `case`'s decision off ("" when nothing): the
    review or the heads' discussion it needs. For the case page, which offers the sign-off
    form only when approve_decision would accept it."""
    if reasons := _review_missing(case, case.fine_amount, case.confiscation_amount):
        return str(_("须先经法制审核（%(reasons)s）。") % {"reasons": reasons})
    refused = _discussion_missing(case, case.fine_amount, case.confiscation_amount)
    return "；".join(refused.messages) if refused else ""


def _approval_problem(case: Case, when: datetime.datetime) -> ValidationError | None:
    """Why the decision at `when` lacks its sign-off, or None: the latest approval must come
    after the case's last step and no later than the decision, and cover its amounts."""
    approval = _latest_approval(case)
    last = last_step_time(case)
    if approval is None or (last is not None and approval.approved_at < last):
        return ValidationError(
            _(
                "执法决定须经执法主体负责人签批（行政处罚法第五十七条），本案尚无签批，或签批后"
                "又记录了其他环节：请负责人签批后再作出决定。"
            ),
            code="approval_required",
        )
    if when < approval.approved_at:
        return ValidationError(_("决定时间不能早于负责人签批时间。"), code="approval_time")
    pairs = (
        (case.fine_amount, approval.fine_amount),
        (case.confiscation_amount, approval.confiscation_amount),
    )
    if any(decided is not None and decided > (signed or 0) for decided, signed in pairs):
        return ValidationError(
            _("决定的罚没数额超过负责人签批的数额，须重新签批。"), code="approval_amount"
        )
    return None


# --- 办案期限 ------------------------------------------------------------------------------------


def extend_handling_deadline(
    case: Case,
    *,
    actor: User,
    days: int,
    reason: str,
    approved_on: datetime.date | None = None,
) -> HandlingExtension:
    """Extend a penalty case's handling period once, approved by a head of the body, within the
    days the body's field allows (cases.rules.extension_rule: 行政处罚法 art. 60, 法律、法规、
    规章另有规定的，从其规定). The approval comes before the period has run out. Writes the
    extension, the new deadline and a DEADLINE_EXTENDED event."""
    # A head of the body (checked below) is the one who may: no other permission is asked.
    if not reason.strip():
        raise ValidationError(_("请说明延长理由。"))
    day = approved_on or timezone.localdate()
    with transaction.atomic(), audit_context(actor=actor):
        case = _locked_case(case)
        if not actor.is_active or actor.pk not in rules.heads_of(case.body):
            raise ValidationError(
                _("延长办案期限须经执法主体负责人批准：您不是登记的负责人。"), code="not_head"
            )
        if case.decided_on is not None or case.handling_deadline is None:
            raise ValidationError(_("只有尚未作出决定的行政处罚案件可以延长办案期限。"))
        rule = rules.extension_rule(case.body, case.registered_on)
        if rule is None:
            raise ValidationError(
                _(
                    "本执法主体所属领域没有延长办案期限的规定：须自立案之日起九十日内作出决定"
                    "（行政处罚法第六十条）。"
                ),
                code="no_extension",
            )
        if case.extensions.exists():
            raise ValidationError(_("办案期限只能延长一次。"), code="extended")
        if not 1 <= days <= rule.days:
            raise ValidationError(
                _("延长天数应在 1 至 %(days)d 日之间（%(basis)s）。")
                % {"days": rule.days, "basis": rule.basis}
            )
        if not case.registered_on <= day <= timezone.localdate():
            raise ValidationError(_("批准日期应在立案日期与今天之间。"))
        if day > case.handling_deadline:
            raise ValidationError(
                _("办案期限已于 %(day)s 届满，不能再批准延长。")
                % {"day": case.handling_deadline.isoformat()},
                code="expired",
            )
        extension = HandlingExtension.objects.create(
            case=case,
            approver=actor,
            approved_on=day,
            days=days,
            previous_deadline=case.handling_deadline,
            new_deadline=case.handling_deadline + datetime.timedelta(days=days),
            basis=rule.basis[:300],
            reason=reason.strip(),
        )
        case.handling_deadline = extension.new_deadline
        case.save()
        workflow.record(
            CaseEvent,
            case,
            EventType.DEADLINE_EXTENDED,
            actor,
            note=_("延长 %(days)d 日至 %(day)s：%(reason)s")
            % {"days": days, "day": extension.new_deadline.isoformat(), "reason": reason.strip()},
        )
    return extension


# --- 决定 and after -----------------------------------------------------------------------------


def decide_case(
    case: Case,
    *,
    actor: User,
    decision_number: str,
    decision_summary: str,
    fine_amount: decimal.Decimal | None = None,
    confiscation_amount: decimal.Decimal | None = None,
    occurred_at: datetime.datetime | None = None,
    notes: str = "",
    files: Sequence[UploadedFile] = (),
    recordings: Sequence[RecordingData] = (),
    penalty: PenaltyFacts | None = None,
    overdue_reason: str = "",
) -> Case:
    """决定, in the name of the deciding authority (the entrusting body for an entrusted
    organisation, 行政处罚法 art. 20: cases.rules.deciding_authority). Refused
    - while a legality review is pending, and when the case (with the larger of the amounts
      proposed at 告知 and decided) meets an art. 58 trigger and its latest review has not passed;
    - for 情节复杂或者重大违法行为 without the heads' agreeing collective discussion (art. 57
      para. 2);
    - without a head's sign-off after the last step, or beyond the amounts signed (art. 57);
    - when an officer acting that day may no longer enforce (art. 42);
    - after the handling period (art. 60) without a written reason, which is then recorded.
    Sets the 事后公开 deadline and links the authority's penalty records with this 决定书文号. A
    penalty case given its `penalty` facts with no such record yet drafts its 双公示 record
    (cases.penalty_records), in this transaction: a record the standard refuses refuses the
    decision. Without the facts the record is expected from the department's own system."""
    require(actor, CHANGE, case)
    decision_number = decision_number.strip()
    if not decision_number:
        raise ValidationError(_("请填写决定书文号。"))
    if not decision_summary.strip():
        raise ValidationError(_("请填写决定内容。"))
    with transaction.atomic(), audit_context(actor=actor):
        case = _locked_case(case)
        latest = latest_review(case)
        if latest is not None and latest.result == ReviewResult.PENDING:
            raise ValidationError(_("法制审核尚未完成，不得作出决定。"), code="review_pending")
        proposed = (case.fine_amount, case.confiscation_amount)
        set_amounts(case, fine_amount, confiscation_amount)
        # 拟作出较大数额罚款: an amount proposed at 告知 over the threshold needs the review even
        # when the decision lowers it or leaves it blank.
        fine = rules.larger_amount(proposed[0], case.fine_amount)
        other = rules.larger_amount(proposed[1], case.confiscation_amount)
        triggers = rules.major_triggers(case, fine_amount=fine, confiscation_amount=other)
        if triggers and (latest is None or latest.result != ReviewResult.PASSED):
            raise ValidationError(
                _(
                    "本案属于应当进行法制审核的情形（%(reasons)s），未经法制审核或者审核未通过的，"
                    "不得作出决定（行政处罚法第五十八条）。"
                )
                % {"reasons": "；".join(str(t.label) for t in triggers)},
                code="review_required",
            )
        if triggers and latest is not None and _exceeds_review(case, latest):
            raise ValidationError(
                _("决定的罚没数额超过法制审核时的拟处罚数额，须重新提请法制审核。"),
                code="review_amount",
            )
        if case.status not in READY_TO_DECIDE:
            raise refuse_in_status(case, StepKind.DECISION)
        if case.is_hearing_requested and not case.is_hearing_held:
            raise ValidationError(_("当事人要求听证：须先举行听证，再作出决定。"))
        if refused := _discussion_missing(case, fine, other):
            raise refused
        when = _after_approval(case, step_time(case, occurred_at))
        if refused := _approval_problem(case, when):
            raise refused
        check_officers(case, when)
        authority = rules.deciding_authority(case.body)
        taken = Case.objects.filter(
            authority_credit_code=authority.credit_code, decision_number=decision_number
        )
        if taken.exists():
            raise ValidationError(_("本决定机关已有相同决定书文号的案件。"))
        decided_on = timezone.localdate(when)
        late = case.handling_deadline is not None and decided_on > case.handling_deadline
        if late and not overdue_reason.strip():
            assert case.handling_deadline is not None
            raise ValidationError(
                _(
                    "本案办案期限已于 %(day)s 届满（行政处罚法第六十条：自立案之日起九十日内作出"
                    "行政处罚决定）：超过期限作出决定的，须写明超期说明。"
                )
                % {"day": case.handling_deadline.isoformat()},
                code="overdue",
            )
        case.decision_number, case.decision_summary = decision_number, decision_summary.strip()
        case.authority_name, case.authority_credit_code = authority.name, authority.credit_code
        case.decided_on = decided_on
        case.overdue_reason = overdue_reason.strip() if late else ""
        case.publicity_deadline = rules.publicity_deadline(
            case.decided_on, case.power_item.category.code
        )
        case.status = CaseStatus.DECIDED
        case.save()
        add_step(
            case,
            StepKind.DECISION,
            actor=actor,
            occurred_at=when,
            notes=notes or decision_summary,
            files=files,
            recordings=recordings,
        )
        workflow.record(CaseEvent, case, EventType.DECIDED, actor, note=decision_number)
        if late:
            workflow.record(
                CaseEvent, case, EventType.DECIDED_LATE, actor, note=case.overdue_reason
            )
        linked = link_penalty_records(case)
        if penalty is not None and not linked and penalty_records.is_penalty_case(case):
            record = penalty_records.draft_penalty_record(case, penalty, actor=actor)
            workflow.record(
                CaseEvent, case, EventType.PENALTY_DRAFTED, actor, note=record.decision_number
            )
    return case


def _exceeds_review(case: Case, review: LegalityReview) -> bool:
    """Whether the decided amounts are above those the passed review saw."""
    pairs = (
        (case.fine_amount, review.fine_amount),
        (case.confiscation_amount, review.confiscation_amount),
    )
    return any(decided is not None and decided > (reviewed or 0) for decided, reviewed in pairs)


def record_case_publication(case: Case, *, actor: User, published_on: datetime.date) -> Case:
    """事后公开 of a decision other than a penalty: made public on `published_on`. A penalty
    case's 事后公开 is the publication of its 双公示 record (penalty_records.note_publication),
    never a typed date."""
    require(actor, CHANGE, case)
    with transaction.atomic(), audit_context(actor=actor):
        case = locked(Case.objects.select_related("body", "power_item"), case.pk)
        if case.decided_on is None:
            raise ValidationError(_("案件尚未作出决定，无需事后公开。"))
        if penalty_records.is_penalty_case(case):
            raise ValidationError(
                _("行政处罚案件的事后公开以其双公示行政处罚信息的公示为准，无需另行登记。")
            )
        if case.published_on is not None:
            raise ValidationError(_("已记录公开日期。"))
        if not case.decided_on <= published_on <= timezone.localdate():
            raise ValidationError(_("公开日期应在决定日期与今天之间。"))
        case.published_on = published_on
        case.save()
        workflow.record(CaseEvent, case, EventType.PUBLISHED, actor, note=published_on.isoformat())
    return case


def link_penalty_records(case: Case) -> int:
    """Link the 双公示 penalty records of the case's deciding authority (处罚机关) with its
    决定书文号 to the case (and its power item); a published one counts as the decision's 事后
    公开. Returns how many."""
    from chengxin.publicity.models import PenaltyRecord

    if not case.decision_number:
        return 0
    code = case.authority_credit_code or rules.deciding_authority(case.body).credit_code
    records = PenaltyRecord.objects.filter(
        case__isnull=True, authority_credit_code=code, decision_number=case.decision_number
    )
    count = 0
    with change_reason(_("关联执法案件 %(number)s") % {"number": case.number}):
        for record in records:
            record.case = case
            record.power_item_id = record.power_item_id or case.power_item_id
            record.save()
            count += 1
            if record.published_at is not None and case.published_on is None:
                case.published_on = timezone.localdate(record.published_at)
                case.save()
            workflow.record(
                CaseEvent, case, EventType.PENALTY_LINKED, None, note=record.decision_number
            )
    return count


# --- the calendar changed ----------------------------------------------------------------------


def refresh_deadlines(day: datetime.date) -> int:
    """`day` became a rest day or a workday after deadlines were computed (next year's State
    Council notice is entered in November, when December's deadlines already reach into it):
    recompute the stored 事后公开 deadlines and pending review due dates whose period contains
    `day`. Returns how many changed. Connected to WorkdayOverride in CasesConfig.ready. The
    handling periods (行政处罚法 art. 60) are calendar days: a changed holiday moves none."""
    calendar.clear_cache()
    changed = 0
    extension = int(local_settings.get(rules.REVIEW_EXTENSION_WORKING_DAYS.key))
    with audit_context(reason=_("节假日安排调整，重算期限")):
        cases = Case.objects.filter(decided_on__lt=day, publicity_deadline__gte=day)
        for case in cases.select_related("power_item__category"):
            assert case.decided_on is not None
            deadline = rules.publicity_deadline(case.decided_on, case.power_item.category.code)
            if deadline != case.publicity_deadline:
                case.publicity_deadline = deadline
                case.save(update_fields=["publicity_deadline"])
                changed += 1
        reviews = LegalityReview.objects.pending().filter(due_on__gte=day)
        for review in reviews.filter(requested_at__lt=start_of(day)):
            due = rules.review_due(timezone.localdate(review.requested_at))
            if review.is_extended:
                due = calendar.add_working_days(due, extension)
            if due != review.due_on:
                review.due_on = due
                review.save(update_fields=["due_on"])
                changed += 1
    return changed

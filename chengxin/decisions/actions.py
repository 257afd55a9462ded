"""The procedure of a major decision (《重大行政决策程序暂行条例》, 国务院令第713号).

Each action checks the actor's permission and its preconditions, locks the decision row, changes
the record, writes a DecisionEvent and (through ChangeLoggedModel) the audit log, all in one
transaction. The steps run in the regulation's order (choices.STEP_ORDER):

    公众参与 → 专家论证 → 风险评估 → 合法性审查 → 集体讨论决定 → 公布 → (后评估, art. 36)

Which procedures every decision goes through is the local setting decisions.mandatory_steps
(default: all five of art. 4); 合法性审查, 集体讨论决定 and 公布 always (arts. 25, 30, 32). A step
the district did not make mandatory is skipped only when one person proposes it with the reason
and another approves it. The request for legality review brings the materials of art. 26, the
opinion records the legal advisers' (art. 28), a draft on market activity its 公平竞争审查
(art. 29 (一)); collective discussion is refused until the last legality review passed (art. 25).
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW
from chengxin.audit.context import audit_context
from chengxin.core.workflow import locked, record, require
from chengxin.decisions import rules
from chengxin.decisions.choices import (
    STEP_ORDER,
    CommentHandling,
    EventType,
    HeadDecision,
    LegalityConclusion,
    Stage,
    StepKind,
    StepStatus,
)
from chengxin.decisions.models import (
    CollectiveDiscussion,
    Consultation,
    DecisionCatalogue,
    DecisionEvent,
    ExpertOpinion,
    Hearing,
    LegalityReview,
    MajorDecision,
    PostEvaluation,
    ProcedureStep,
    PublicComment,
    RiskAssessment,
    StepDocument,
)


def _required(value: str, message: str) -> str:
    if not value.strip():
        raise ValidationError(message)
    return value.strip()


def _not_future(day: datetime.date, label: str) -> datetime.date:
    if day > timezone.localdate():
        raise ValidationError(_("%(label)s不能晚于今天。") % {"label": label})
    return day


def _steps(decision: MajorDecision) -> list[ProcedureStep]:
    return list(ProcedureStep.objects.filter(decision=decision).order_by("sequence"))


def _current_step(decision: MajorDecision, kind: str) -> ProcedureStep:
    """The step `kind`, refused unless every earlier step is done and this one is not."""
    if decision.stage == Stage.NOT_ADOPTED:
        raise ValidationError(_("该决策事项未予通过，程序已终止。"))
    steps = _steps(decision)
    for step in steps:
        if step.kind == kind:
            if step.is_done:
                raise ValidationError(
                    _("“%(step)s”环节当前为“%(status)s”，不能再办理。")
                    % {"step": step.get_kind_display(), "status": step.get_status_display()}
                )
            return step
        if not step.is_done:
            raise ValidationError(
                _("请先完成“%(earlier)s”环节，再进行“%(step)s”（条例规定的程序顺序）。")
                % {"earlier": step.get_kind_display(), "step": StepKind(kind).label}
            )
    raise ProcedureStep.DoesNotExist(kind)


def _stage_after(decision: MajorDecision) -> str:
    """The stage from the steps: the first one not done (planned while nothing has started)."""
    for step in _steps(decision):
        if not step.is_done:
            if step.kind == StepKind.PUBLIC_PARTICIPATION and step.status == StepStatus.PENDING:
                return Stage.PLANNED
            return str(step.kind)
    return Stage.IMPLEMENTED


def _finish(
    decision: MajorDecision,
    step: ProcedureStep,
    actor: User,
    *,
    on: datetime.date,
    status: str = StepStatus.COMPLETED,
    note: str = "",
) -> None:
    step.status, step.completed_on, step.completed_by = status, on, actor
    step.started_on = step.started_on or on
    if status == StepStatus.COMPLETED and step.skip_proposed_by_id is not None:
        # Done after all: a skip still awaiting approval lapses.
        step.skip_reason, step.skip_proposed_by, step.skip_proposed_on = "", None, None
    if note:
        step.note = note
    step.save()
    decision.stage = _stage_after(decision)
    decision.save()


# --- the catalogue ---------------------------------------------------------------------------


def create_catalogue(
    *,
    actor: User,
    year: int,
    title: str,
    approval_note: str = "",
    approved_on: datetime.date | None = None,
) -> DecisionCatalogue:
    """A new yearly catalogue, not yet published (catalogue actions are in the change log)."""
    catalogue = DecisionCatalogue(
        year=year, title=title.strip(), approval_note=approval_note.strip(), approved_on=approved_on
    )
    require(actor, ADD, catalogue)
    catalogue.full_clean()
    with transaction.atomic(), audit_context(actor=actor):
        catalogue.save()
    return catalogue


def publish_catalogue(
    catalogue: DecisionCatalogue, *, actor: User, published_on: datetime.date | None = None
) -> DecisionCatalogue:
    """Publish the catalogue: only after the same-level Party committee agreed (art. 3 para. 2),
    which is recorded as the approval note and date."""
    require(actor, CHANGE, catalogue)
    with transaction.atomic(), audit_context(actor=actor):
        catalogue = DecisionCatalogue.objects.select_for_update().get(pk=catalogue.pk)
        if catalogue.is_published:
            raise ValidationError(_("该目录已经公布。"))
        if not catalogue.approval_note.strip() or catalogue.approved_on is None:
            raise ValidationError(
                _("决策事项目录须经同级党委同意后公布（条例第3条），请先填写报批情况和同意日期。")
            )
        catalogue.is_published = True
        catalogue.published_on = _not_future(published_on or timezone.localdate(), _("公布日期"))
        catalogue.save()
    return catalogue


def add_decision(
    catalogue: DecisionCatalogue,
    *,
    actor: User,
    title: str,
    lead_unit: Department,
    scope_category: str,
    planned_completion: datetime.date,
    summary: str = "",
) -> MajorDecision:
    """Add an item to the catalogue (an adjustment once published, art. 3) with its six steps."""
    require(actor, CHANGE, catalogue)
    decision = MajorDecision(
        catalogue=catalogue,
        title=title.strip(),
        lead_unit=lead_unit,
        scope_category=scope_category,
        planned_completion=planned_completion,
        summary=summary.strip(),
    )
    decision.full_clean()
    with transaction.atomic(), audit_context(actor=actor):
        decision.save()
        for sequence, kind in enumerate(STEP_ORDER, start=1):
            ProcedureStep.objects.create(decision=decision, kind=kind, sequence=sequence)
        record(DecisionEvent, decision, EventType.DECISION_ADDED, actor, note=catalogue.title)
    return decision


def plan_step(
    step: ProcedureStep,
    *,
    actor: User,
    responsible_person: str,
    planned_end: datetime.date | None,
) -> ProcedureStep:
    """Name the person responsible for a step and its planned end (the due date on the
    dashboard)."""
    require(actor, CHANGE, step.decision)
    responsible = _required(responsible_person, _("请填写责任人。"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), step.decision.pk)
        step = ProcedureStep.objects.get(pk=step.pk)
        if step.is_done:
            raise ValidationError(_("该环节已经结束，不能再调整安排。"))
        step.responsible_person, step.planned_end = responsible, planned_end
        step.save()
        note = f"{responsible} {planned_end:%Y-%m-%d}" if planned_end else responsible
        record(
            DecisionEvent, decision, EventType.STEP_PLANNED, actor, step_kind=step.kind, note=note
        )
    return step


def add_document(
    step: ProcedureStep, *, actor: User, title: str, file: File[Any], is_public: bool
) -> StepDocument:
    """Attach a document to a step; `is_public` puts it on the decision's public page."""
    require(actor, CHANGE, step.decision)
    title = _required(title, _("请填写材料名称。"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), step.decision.pk)
        document = StepDocument(
            step=step,
            title=title,
            is_public=is_public,
            uploaded_by=actor,
            **_store(decision, file),
        )
        document.save()
        record(
            DecisionEvent,
            decision,
            EventType.DOCUMENT_ADDED,
            actor,
            step_kind=step.kind,
            note=title,
        )
    return document


def _store(decision: MajorDecision, file: File[Any]) -> dict[str, Any]:
    """Save the upload under a generated name (never the uploader's path) and describe it."""
    original = Path(file.name or "document").name[:200]
    digest, size = hashlib.sha256(), 0
    for chunk in file.chunks():
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    suffix = Path(original).suffix.lower()[:10]
    name = default_storage.save(f"decisions/{decision.pk}/{uuid.uuid4().hex}{suffix}", file)
    return {
        "stored_name": name,
        "original_name": original,
        "size": size,
        "sha256": digest.hexdigest(),
    }


# --- 公众参与 (arts. 14–18) -------------------------------------------------------------------


def open_consultation(
    decision: MajorDecision,
    *,
    actor: User,
    draft_title: str,
    draft_text: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    shortened_reason: str = "",
    backfill_reason: str = "",
) -> Consultation:
    """Put the draft to the public online. The period is at least 30 days unless a reason for a
    shorter one is recorded (art. 14); the catalogue must be published so the page is public.
    Online comment starts no earlier than today, the recording day: a start in the past counts
    the days before today only with a backfill reason (the draft was put out offline, ADR 0011)."""
    require(actor, CHANGE, decision)
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, StepKind.PUBLIC_PARTICIPATION)
        if not decision.catalogue.is_published:
            raise ValidationError(_("决策事项目录尚未公布，不能在网站公开征求意见。"))
        if Consultation.objects.filter(decision=decision).exists():
            raise ValidationError(_("该决策事项已经公开征求过意见。"))
        consultation = Consultation(
            decision=decision,
            draft_title=draft_title.strip(),
            draft_text=draft_text.strip(),
            opens_on=opens_on,
            closes_on=closes_on,
            shortened_reason=shortened_reason.strip(),
            recorded_on=timezone.localdate(),
            # Kept only for a start before the recording day, the only case it explains.
            backfill_reason=backfill_reason.strip() if opens_on < timezone.localdate() else "",
        )
        consultation.full_clean()
        consultation.save()
        step.status, step.started_on = StepStatus.IN_PROGRESS, opens_on
        step.save()
        decision.stage = Stage.PUBLIC_PARTICIPATION
        decision.save()
        note = _("%(start)s 至 %(end)s，共 %(days)s 日") % {
            "start": f"{opens_on:%Y-%m-%d}",
            "end": f"{closes_on:%Y-%m-%d}",
            "days": consultation.period_days,
        }
        if consultation.is_backfilled:
            note += _("；%(recorded)s 录入，补录理由：%(reason)s") % {
                "recorded": f"{consultation.recorded_on:%Y-%m-%d}",
                "reason": consultation.backfill_reason,
            }
        elif consultation.opens_on < consultation.recorded_on:
            note += _("；%(recorded)s 录入，期限自录入之日起计算") % {
                "recorded": f"{consultation.recorded_on:%Y-%m-%d}"
            }
        if consultation.shortened_reason:
            note += _("；期限少于30日的理由：%s") % consultation.shortened_reason
        record(
            DecisionEvent,
            decision,
            EventType.CONSULTATION_OPENED,
            actor,
            step_kind=step.kind,
            note=note,
        )
    return consultation


def submit_comment(
    consultation: Consultation, *, content: str, name: str = "", contact: str = ""
) -> PublicComment:
    """A member of the public comments online while the consultation is open (no login). Not a
    step of the procedure: the comment row and the change log record it, no event."""
    content = _required(content, _("请填写意见建议。"))
    with transaction.atomic():
        consultation = Consultation.objects.select_related("decision__catalogue").get(
            pk=consultation.pk
        )
        if not consultation.is_open() or not consultation.decision.catalogue.is_published:
            raise ValidationError(_("该事项的征求意见期限已过或尚未开始，不能提交意见。"))
        comment = PublicComment(
            consultation=consultation, content=content, name=name.strip(), contact=contact.strip()
        )
        comment.full_clean()
        comment.save()
    return comment


def handle_comment(
    comment: PublicComment, *, actor: User, handling: str, note: str = ""
) -> PublicComment:
    """Record whether a public opinion was adopted and why (art. 18)."""
    decision = comment.consultation.decision
    require(actor, CHANGE, decision)
    if handling not in CommentHandling.values or handling == CommentHandling.PENDING:
        raise ValidationError(_("请选择处理情况。"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        comment = PublicComment.objects.get(pk=comment.pk)
        comment.handling, comment.handling_note = handling, note.strip()
        comment.save()
        record(
            DecisionEvent,
            decision,
            EventType.COMMENT_HANDLED,
            actor,
            step_kind=StepKind.PUBLIC_PARTICIPATION,
            note=f"#{comment.pk} {comment.get_handling_display()}",
        )
    return comment


def record_hearing(
    decision: MajorDecision,
    *,
    actor: User,
    held_on: datetime.date,
    place: str,
    materials_sent_on: datetime.date,
    participants_published_on: datetime.date,
    participants: str,
    record_summary: str = "",
) -> Hearing:
    """A hearing held during public participation: the materials reached the participants at
    least 7 days before and the list of participants was published in advance (art. 16)."""
    require(actor, CHANGE, decision)
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, StepKind.PUBLIC_PARTICIPATION)
        hearing = Hearing(
            decision=decision,
            held_on=held_on,
            place=place.strip(),
            materials_sent_on=materials_sent_on,
            participants_published_on=participants_published_on,
            participants=participants.strip(),
            record_summary=record_summary.strip(),
        )
        hearing.full_clean()
        hearing.save()
        record(
            DecisionEvent,
            decision,
            EventType.HEARING_RECORDED,
            actor,
            step_kind=step.kind,
            note=f"{held_on:%Y-%m-%d}",
        )
    return hearing


def complete_public_participation(
    decision: MajorDecision,
    *,
    actor: User,
    result_summary: str,
    hearing_not_held_reason: str = "",
    completed_on: datetime.date | None = None,
) -> ProcedureStep:
    """Close public participation after the comment period, with the summary of adopted and
    rejected opinions (art. 18, published); a hearing was held or the reason it was not is
    recorded (art. 16: hearings are for matters of direct, major interest)."""
    require(actor, CHANGE, decision)
    summary = _required(result_summary, _("请填写公众意见采纳情况及理由（条例第18条）。"))
    day = _not_future(completed_on or timezone.localdate(), _("完成日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, StepKind.PUBLIC_PARTICIPATION)
        consultation = Consultation.objects.filter(decision=decision).first()
        if consultation is None:
            raise ValidationError(_("公众参与不能跳过：请先在网站公开征求意见（条例第14条）。"))
        if day <= consultation.closes_on:
            raise ValidationError(
                _("征求意见期限至 %(day)s 届满，期满后才能结束公众参与。")
                % {"day": f"{consultation.closes_on:%Y-%m-%d}"}
            )
        if not Hearing.objects.filter(decision=decision).exists():
            consultation.hearing_not_held_reason = _required(
                hearing_not_held_reason, _("未举行听证会的，请说明理由。")
            )
        consultation.result_summary = summary
        consultation.save()
        _finish(decision, step, actor, on=day)
        record(
            DecisionEvent,
            decision,
            EventType.PUBLIC_PARTICIPATION_COMPLETED,
            actor,
            step_kind=step.kind,
            note=summary,
        )
    return step


# --- 专家论证 and 风险评估 (arts. 19–24), and skipping them -------------------------------------


@dataclass(frozen=True)
class ExpertInput:
    expert_name: str
    affiliation: str
    agrees: bool
    opinion: str


def complete_expert_review(
    decision: MajorDecision,
    *,
    actor: User,
    opinions: list[ExpertInput],
    handling_note: str,
    completed_on: datetime.date | None = None,
) -> ProcedureStep:
    """Record the experts' opinions, dissenting ones included (art. 20), and how the lead unit
    dealt with them (submitted with the draft, art. 29)."""
    require(actor, CHANGE, decision)
    if not opinions:
        raise ValidationError(_("请至少填写一位专家的论证意见。"))
    note = _required(handling_note, _("请填写专家意见的采纳情况。"))
    day = _not_future(completed_on or timezone.localdate(), _("完成日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, StepKind.EXPERT_REVIEW)
        for given in opinions:
            opinion = ExpertOpinion(
                decision=decision,
                expert_name=given.expert_name.strip(),
                affiliation=given.affiliation.strip(),
                agrees=given.agrees,
                opinion=given.opinion.strip(),
            )
            opinion.full_clean()
            opinion.save()
        _finish(decision, step, actor, on=day, note=note)
        dissenting = sum(not given.agrees for given in opinions)
        record(
            DecisionEvent,
            decision,
            EventType.EXPERT_REVIEW_COMPLETED,
            actor,
            step_kind=step.kind,
            note=_("专家 %(n)s 人，其中持不同意见 %(d)s 人")
            % {"n": len(opinions), "d": dissenting},
        )
    return step


def complete_risk_assessment(
    decision: MajorDecision,
    *,
    actor: User,
    risk_points: str,
    risk_level: str,
    is_controllable: bool,
    adjustment_note: str = "",
    completed_on: datetime.date | None = None,
) -> ProcedureStep:
    """Record the risk assessment; an uncontrollable risk is accepted only with the adjustment of
    the draft recorded (art. 24)."""
    require(actor, CHANGE, decision)
    day = _not_future(completed_on or timezone.localdate(), _("完成日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, StepKind.RISK_ASSESSMENT)
        assessment = RiskAssessment(
            decision=decision,
            risk_points=risk_points.strip(),
            risk_level=risk_level,
            is_controllable=is_controllable,
            adjustment_note=adjustment_note.strip(),
        )
        assessment.full_clean()
        assessment.save()
        _finish(decision, step, actor, on=day)
        record(
            DecisionEvent,
            decision,
            EventType.RISK_ASSESSMENT_COMPLETED,
            actor,
            step_kind=step.kind,
            note=str(assessment.get_risk_level_display()),
        )
    return step


def propose_skip(
    decision: MajorDecision,
    kind: str,
    *,
    actor: User,
    reason: str,
    proposed_on: datetime.date | None = None,
) -> ProcedureStep:
    """Propose that the current step does not apply, with the reason. Refused for a step the
    district made mandatory (decisions.mandatory_steps) and always for 合法性审查 (art. 25),
    集体讨论决定 (art. 30) and 公布 (art. 32). It takes effect only when someone other than the
    proposer approves it (`decide_skip`)."""
    require(actor, CHANGE, decision)
    label = StepKind(kind).label
    if kind in rules.mandatory_steps():
        raise ValidationError(
            _("“%(step)s”是必经程序（条例规定或本地设置），不能不履行。") % {"step": label}
        )
    reason = _required(reason, _("“%(step)s”不适用，必须说明理由。") % {"step": label})
    day = _not_future(proposed_on or timezone.localdate(), _("日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, kind)
        if step.skip_proposed_by_id is not None:
            raise ValidationError(_("已提出该环节不适用，等待批准。"))
        if kind == StepKind.PUBLIC_PARTICIPATION and hasattr(decision, "consultation"):
            raise ValidationError(_("已公开征求意见的，公众参与应当履行完毕。"))
        step.skip_reason, step.skip_proposed_by, step.skip_proposed_on = reason, actor, day
        step.save()
        record(
            DecisionEvent,
            decision,
            EventType.STEP_SKIP_PROPOSED,
            actor,
            step_kind=kind,
            note=reason,
        )
    return step


def decide_skip(
    decision: MajorDecision,
    kind: str,
    *,
    actor: User,
    approve: bool,
    note: str,
    decided_on: datetime.date | None = None,
) -> ProcedureStep:
    """Approve or refuse a proposed skip. The approver is someone other than the proposer (a
    second person answers for it); approved, the step is 不适用 and the procedure moves on;
    refused, the proposal is withdrawn and the step is carried out."""
    require(actor, CHANGE, decision)
    note = _required(note, _("请填写批准意见。"))
    day = _not_future(decided_on or timezone.localdate(), _("日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, kind)
        if step.skip_proposed_by_id is None:
            raise ValidationError(_("该环节没有待批准的不适用申请。"))
        if step.skip_proposed_by_id == actor.pk:
            raise PermissionDenied(_("环节不适用须由提出人以外的人员批准。"))
        if not approve:
            step.skip_reason, step.skip_proposed_by, step.skip_proposed_on = "", None, None
            step.save()
            record(
                DecisionEvent,
                decision,
                EventType.STEP_SKIP_REFUSED,
                actor,
                step_kind=kind,
                note=note,
            )
            return step
        if kind in rules.mandatory_steps():  # the setting changed since the proposal
            raise ValidationError(
                _("“%(step)s”已是必经程序，不能批准不履行。") % {"step": StepKind(kind).label}
            )
        assert step.skip_proposed_on is not None
        if day < step.skip_proposed_on:
            raise ValidationError(_("批准日期不能早于提出日期。"))
        step.skip_approved_by, step.skip_approved_on, step.skip_approval_note = actor, day, note
        step.status = StepStatus.SKIPPED
        step.full_clean()
        _finish(decision, step, actor, on=day, status=StepStatus.SKIPPED)
        record(
            DecisionEvent,
            decision,
            EventType.STEP_SKIPPED,
            actor,
            step_kind=kind,
            note=f"{step.skip_reason}（{note}）",
        )
    return step


def procedure_statement(decision: MajorDecision) -> str:
    """The 履行决策法定程序的说明 of art. 26 as the record shows it, to start the request from."""
    lines = []
    for step in _steps(decision):
        if step.kind in (StepKind.LEGALITY_REVIEW, StepKind.COLLECTIVE_DISCUSSION):
            break
        done = f"{step.completed_on:%Y-%m-%d}" if step.completed_on else ""
        text = f"{step.get_kind_display()}：{step.get_status_display()} {done}".strip()
        if step.status == StepStatus.SKIPPED:
            text += _("；理由：%(reason)s") % {"reason": step.skip_reason}
        lines.append(text)
    return "\n".join(lines)


@dataclass(frozen=True)
class ReviewMaterials:
    """What a request for legality review brings (art. 26 para. 1: 决策草案及相关材料，包括有关
    法律、法规、规章等依据和履行决策法定程序的说明等), and the 公平竞争审查 of a draft on market
    players' economic activity (art. 29 (一))."""

    draft_text: str
    legal_basis: str
    procedure_statement: str
    affects_market_activity: bool = False
    fair_competition_review: str = ""

    def checked(self) -> ReviewMaterials:
        problems: dict[str, str] = {}
        for field, label in (
            ("draft_text", _("决策草案")),
            ("legal_basis", _("有关法律、法规、规章等依据")),
            ("procedure_statement", _("履行决策法定程序的说明")),
        ):
            if not str(getattr(self, field)).strip():
                problems[field] = _("送请合法性审查应当提供%(item)s（条例第26条）。") % {
                    "item": label
                }
        if self.affects_market_activity and not self.fair_competition_review.strip():
            problems["fair_competition_review"] = _(
                "决策草案涉及市场主体经济活动的，应当包含公平竞争审查的有关情况（条例第29条）。"
            )
        if problems:
            raise ValidationError(problems)
        return ReviewMaterials(
            self.draft_text.strip(),
            self.legal_basis.strip(),
            self.procedure_statement.strip(),
            self.affects_market_activity,
            self.fair_competition_review.strip() if self.affects_market_activity else "",
        )


# --- 合法性审查 (arts. 25–28) -----------------------------------------------------------------


def submit_for_legality_review(
    decision: MajorDecision,
    *,
    actor: User,
    materials: ReviewMaterials,
    submitted_on: datetime.date | None = None,
) -> LegalityReview:
    """Send the draft with its materials to the legal office (a new round after a failed one):
    the draft, its legal basis and the statement of the procedure followed (art. 26), and the
    公平竞争审查 where the draft concerns market players' economic activity (art. 29 (一)). The
    due date is decisions.legality_review_due_working_days working days on the official
    calendar."""
    require(actor, CHANGE, decision)
    given = materials.checked()
    day = _not_future(submitted_on or timezone.localdate(), _("送审日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, StepKind.LEGALITY_REVIEW)
        earlier = list(LegalityReview.objects.filter(decision=decision).order_by("round"))
        if earlier and earlier[-1].conclusion == LegalityConclusion.PENDING:
            raise ValidationError(_("该决策草案正在合法性审查中，不能重复送审。"))
        review = LegalityReview.objects.create(
            decision=decision,
            round=len(earlier) + 1,
            submitted_on=day,
            submitted_by=actor,
            due_on=rules.legality_review_due(day),
            draft_text=given.draft_text,
            legal_basis=given.legal_basis,
            procedure_statement=given.procedure_statement,
            affects_market_activity=given.affects_market_activity,
            fair_competition_review=given.fair_competition_review,
        )
        if step.status == StepStatus.PENDING:
            step.status, step.started_on = StepStatus.IN_PROGRESS, day
            step.save()
        decision.stage = Stage.LEGALITY_REVIEW
        decision.save()
        record(
            DecisionEvent,
            decision,
            EventType.LEGALITY_SUBMITTED,
            actor,
            step_kind=step.kind,
            note=_("第 %(round)s 次送审，审查期限 %(due)s")
            % {"round": review.round, "due": f"{review.due_on:%Y-%m-%d}"},
        )
    return review


def conclude_legality_review(
    review: LegalityReview,
    *,
    actor: User,
    conclusion: str,
    opinion: str,
    concluded_on: datetime.date | None = None,
    short_review_reason: str = "",
    counsel: str = "",
    counsel_opinion: str = "",
) -> LegalityReview:
    """The legal office's opinion, with the legal opinion of the legal advisers or public-service
    lawyers it organised (art. 28: 应当组织法律顾问、公职律师提出法律意见). The review normally
    takes at least 7 working days (art. 26 para. 2): a shorter one needs a recorded reason.
    Passed: the step is complete and the draft may go to collective discussion; failed: the
    draft is revised and submitted again."""
    require(actor, REVIEW, review)
    if conclusion not in (LegalityConclusion.PASSED, LegalityConclusion.FAILED):
        raise ValidationError(_("请选择审查结论。"))
    opinion = _required(opinion, _("请填写合法性审查意见。"))
    if not counsel.strip() or not counsel_opinion.strip():
        raise ValidationError(
            {
                "counsel_opinion": _(
                    "合法性审查过程中应当组织法律顾问、公职律师提出法律意见（条例第28条），"
                    "请填写提出意见的人员及其意见。"
                )
            }
        )
    day = _not_future(concluded_on or timezone.localdate(), _("出具意见日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), review.decision.pk)
        review = LegalityReview.objects.select_for_update().get(pk=review.pk)
        if review.conclusion != LegalityConclusion.PENDING:
            raise ValidationError(_("该次合法性审查已经出具意见。"))
        if day < review.submitted_on:
            raise ValidationError(_("出具意见日期不能早于送审日期。"))
        worked = rules.review_working_days(review.submitted_on, day)
        if worked < rules.LEGALITY_REVIEW_MIN_WORKING_DAYS and not short_review_reason.strip():
            raise ValidationError(
                _(
                    "审查时间为 %(days)s 个工作日，少于7个工作日（条例第26条），必须说明理由；"
                    "不说明理由的，最早可于 %(day)s 出具意见。"
                )
                % {"days": worked, "day": f"{review.earliest_normal_conclusion:%Y-%m-%d}"}
            )
        review.conclusion, review.opinion, review.reviewer = conclusion, opinion, actor
        review.concluded_on, review.short_review_reason = day, short_review_reason.strip()
        review.counsel, review.counsel_opinion = counsel.strip(), counsel_opinion.strip()
        review.save()
        step = decision.steps.get(kind=StepKind.LEGALITY_REVIEW)
        if conclusion == LegalityConclusion.PASSED:
            _finish(decision, step, actor, on=day)
            record(
                DecisionEvent,
                decision,
                EventType.LEGALITY_PASSED,
                actor,
                step_kind=step.kind,
                note=f"#{review.round}",
            )
        else:
            record(
                DecisionEvent,
                decision,
                EventType.LEGALITY_FAILED,
                actor,
                step_kind=step.kind,
                note=f"#{review.round}",
            )
    return review


def legality_passed(decision: MajorDecision) -> LegalityReview | None:
    """The last legality review, when it passed; None when not reviewed, pending or failed."""
    last = LegalityReview.objects.filter(decision=decision).order_by("-round").first()
    return last if last is not None and last.conclusion == LegalityConclusion.PASSED else None


# --- 集体讨论决定, 公布 (arts. 29–32), 后评估 (art. 36) -----------------------------------------


def record_collective_discussion(
    decision: MajorDecision,
    *,
    actor: User,
    meeting_type: str,
    meeting_name: str,
    meeting_date: datetime.date,
    minutes: str,
    head_decision: str,
    departs_from_majority: bool = False,
    departure_reason: str = "",
    dissent: str = "",
) -> CollectiveDiscussion:
    """The meeting that discussed the draft and the head's decision. Refused while the draft has
    not passed the legality review: not reviewed, under review or found unlawful (arts. 25, 28)."""
    require(actor, CHANGE, decision)
    _not_future(meeting_date, _("会议日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        passed = legality_passed(decision)
        if passed is None:
            raise ValidationError(
                _("决策草案未经合法性审查或者经审查不合法的，不得提交集体讨论（条例第25条）。")
            )
        step = _current_step(decision, StepKind.COLLECTIVE_DISCUSSION)
        assert passed.concluded_on is not None
        if meeting_date < passed.concluded_on:
            raise ValidationError(_("会议日期不能早于合法性审查意见出具日期。"))
        discussion = CollectiveDiscussion(
            decision=decision,
            meeting_type=meeting_type,
            meeting_name=meeting_name.strip(),
            meeting_date=meeting_date,
            minutes=minutes.strip(),
            head_decision=head_decision,
            departs_from_majority=departs_from_majority,
            departure_reason=departure_reason.strip(),
            dissent=dissent.strip(),
        )
        discussion.full_clean()
        discussion.save()
        _finish(decision, step, actor, on=meeting_date)
        decision.decided_on = meeting_date
        if head_decision == HeadDecision.NOT_ADOPTED:
            decision.stage = Stage.NOT_ADOPTED
        decision.save()
        record(
            DecisionEvent,
            decision,
            EventType.DISCUSSED,
            actor,
            step_kind=step.kind,
            note=f"{discussion.meeting_name} {discussion.get_head_decision_display()}",
        )
    return discussion


def publish_decision(
    decision: MajorDecision,
    *,
    actor: User,
    published_on: datetime.date,
    document_number: str,
    published_text: str,
    channels: str,
    party_committee_reported_on: datetime.date | None = None,
) -> MajorDecision:
    """Publish an adopted decision (art. 32: gazette, website, newspapers)."""
    require(actor, CHANGE, decision)
    _not_future(published_on, _("公布日期"))
    text = _required(published_text, _("请填写公布的决策内容。"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        step = _current_step(decision, StepKind.PUBLICATION)
        assert decision.decided_on is not None
        if published_on < decision.decided_on:
            raise ValidationError(_("公布日期不能早于决定日期。"))
        decision.published_on, decision.document_number = published_on, document_number.strip()
        decision.published_text, decision.publication_channels = text, channels.strip()
        decision.party_committee_reported_on = party_committee_reported_on
        _finish(decision, step, actor, on=published_on)
        record(
            DecisionEvent,
            decision,
            EventType.PUBLISHED,
            actor,
            step_kind=step.kind,
            note=decision.document_number,
        )
    return decision


def start_post_evaluation(
    decision: MajorDecision,
    *,
    actor: User,
    trigger: str,
    evaluator: str,
    started_on: datetime.date | None = None,
) -> PostEvaluation:
    """Start a post-evaluation of a published decision in one of the cases of art. 36."""
    require(actor, CHANGE, decision)
    day = _not_future(started_on or timezone.localdate(), _("启动日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), decision.pk)
        if decision.stage != Stage.IMPLEMENTED:
            raise ValidationError(_("只有已公布实施且不在评估中的决策才能启动后评估。"))
        evaluation = PostEvaluation(
            decision=decision, trigger=trigger, evaluator=evaluator.strip(), started_on=day
        )
        evaluation.full_clean()
        evaluation.save()
        decision.stage = Stage.POST_EVALUATION
        decision.save()
        record(
            DecisionEvent,
            decision,
            EventType.EVALUATION_STARTED,
            actor,
            note=evaluation.get_trigger_display(),
        )
    return evaluation


def complete_post_evaluation(
    evaluation: PostEvaluation,
    *,
    actor: User,
    conclusion: str,
    completed_on: datetime.date | None = None,
) -> PostEvaluation:
    """Record the evaluation's conclusion; the decision is back to 已公布实施."""
    require(actor, CHANGE, evaluation.decision)
    text = _required(conclusion, _("请填写评估结论。"))
    day = _not_future(completed_on or timezone.localdate(), _("完成日期"))
    with transaction.atomic(), audit_context(actor=actor):
        decision = locked(MajorDecision.objects.select_related("catalogue"), evaluation.decision.pk)
        evaluation = PostEvaluation.objects.get(pk=evaluation.pk)
        if evaluation.completed_on is not None:
            raise ValidationError(_("该次后评估已经完成。"))
        if day < evaluation.started_on:
            raise ValidationError(_("完成日期不能早于启动日期。"))
        evaluation.conclusion, evaluation.completed_on = text, day
        evaluation.save()
        decision.stage = Stage.IMPLEMENTED
        decision.save()
        record(DecisionEvent, decision, EventType.EVALUATION_COMPLETED, actor, note=text[:200])
    return evaluation

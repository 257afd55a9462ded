"""立案 and the officers of a case: registration under an item within the body's competence, with
its parties and at least two assignable officers, and later changes of the officers."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, CHANGE
from chengxin.agencies.choices import BodyStatus
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.audit.context import audit_context
from chengxin.cases import rules
from chengxin.cases.actions.common import (
    MIN_OFFICERS,
    PartyData,
    RecordingData,
    add_step,
)
from chengxin.cases.choices import EventType, StepKind
from chengxin.cases.models import Case, CaseEvent, CaseOfficer, CaseParty
from chengxin.core import workflow
from chengxin.core.identifiers import normalise, validate_resident_id, validate_uscc
from chengxin.core.personal_data import blind_index
from chengxin.core.workflow import locked, require
from chengxin.powers.models import PowerItem
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject


def register_case(
    *,
    actor: User,
    body: EnforcementBody,
    power_item: PowerItem,
    parties: Sequence[PartyData],
    officers: Sequence[EnforcementOfficer],
    summary: str,
    registered_on: datetime.date | None = None,
    notes: str = "",
    is_major_public_interest: bool = False,
    is_major_rights: bool = False,
    is_complex: bool = False,
    is_other_by_law: bool = False,
    other_by_law_basis: str = "",
    is_serious_violation: bool = False,
    files: Sequence[UploadedFile] = (),
    recordings: Sequence[RecordingData] = (),
) -> Case:
    """立案: a case of an active body under a power item in force and within the body's
    competence (行政处罚法 art. 17: the item's 实施主体 in its version of that day is the body's
    department, or the entrusting body's), with its parties and at least two officers assignable
    on the registration date. A 行政处罚 case gets its handling period (art. 60: 90 days).
    Refused (ValidationError) naming every problem; PermissionDenied when the actor may not add
    cases of the body's department."""
    day = registered_on or timezone.localdate()
    if body.department_id is None:
        raise ValidationError(_("该执法主体未关联所属部门，不能在线立案。"))
    case = Case(
        body=body,
        power_item=power_item,
        department_id=body.department_id,
        registered_on=day,
        summary=summary.strip(),
        is_major_public_interest=is_major_public_interest,
        is_major_rights=is_major_rights,
        is_complex=is_complex,
        is_other_by_law=is_other_by_law,
        other_by_law_basis=other_by_law_basis.strip(),
        is_serious_violation=is_serious_violation,
    )
    require(actor, ADD, case)
    problems: list[str] = []
    if body.status != BodyStatus.ACTIVE:
        problems.append(_("执法主体“%(name)s”已撤销，不能立案。") % {"name": body})
    if day > timezone.localdate():
        problems.append(_("立案日期不能晚于今天。"))
    if not PowerItem.objects.in_force(on=day).filter(pk=power_item.pk).exists():
        problems.append(
            _("权力事项“%(item)s”在 %(day)s 不在权力清单内。") % {"item": power_item, "day": day}
        )
    elif problem := rules.competence_problem(body, power_item, day):
        problems.append(problem)
    if not case.summary:
        problems.append(_("请填写案情摘要。"))
    if is_other_by_law and not case.other_by_law_basis:
        problems.append(_("“法律、法规规定的其他情形”须写明依据。"))
    cleaned_parties = _clean_parties(parties, problems)
    problems += _officer_problems(officers, body.pk, day)
    if problems:
        raise ValidationError(problems)
    case.power_item_version = rules.item_version_on(power_item, day)
    if rules.is_penalty_item(power_item):
        case.handling_deadline = rules.handling_deadline(day)
    with transaction.atomic(), audit_context(actor=actor):
        _save_with_number(case, day)
        for party in cleaned_parties:
            party.case = case
            party.save()
        for officer in {officer.pk: officer for officer in officers}.values():
            CaseOfficer.objects.create(case=case, officer=officer, assigned_on=day)
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        if day == timezone.localdate():
            when = min(when, timezone.now())
        add_step(
            case,
            StepKind.REGISTRATION,
            actor=actor,
            occurred_at=when,
            notes=notes,
            files=files,
            recordings=recordings,
        )
        workflow.record(CaseEvent, case, EventType.REGISTERED, actor, note=case.summary[:200])
    return case


def _officer_problems(
    officers: Sequence[EnforcementOfficer], body_id: int, day: datetime.date
) -> list[str]:
    distinct = {officer.pk: officer for officer in officers}
    problems = [
        problem
        for officer in distinct.values()
        if (problem := officer.assignment_problem(body_id, day))
    ]
    if len(distinct) < MIN_OFFICERS:
        problems.append(
            _("执法人员不得少于两人（行政处罚法第四十二条），已选 %(count)d 人。")
            % {"count": len(distinct)}
        )
    return problems


def _clean_parties(parties: Sequence[PartyData], problems: list[str]) -> list[CaseParty]:
    if not parties:
        problems.append(_("请至少填写一名当事人。"))
    cleaned = []
    for number, data in enumerate(parties, start=1):
        party = CaseParty(name=data.name.strip(), category=data.category)
        where = _("第 %(n)d 名当事人") % {"n": number}
        if not party.name:
            problems.append(_("%(where)s：请填写名称。") % {"where": where})
        if data.category not in SubjectCategory.values:
            problems.append(_("%(where)s：类别不正确。") % {"where": where})
            continue
        try:
            if data.category == SubjectCategory.NATURAL_PERSON:
                number_text = normalise(data.id_number)
                if len(number_text) == 18:
                    number_text = validate_resident_id(number_text)
                if not number_text:
                    raise ValidationError(_("自然人须填写证件号码。"))
                party.set_id_number(number_text)
                party.subject = Subject.objects.filter(
                    id_number_index=blind_index(number_text)
                ).first()
            else:
                party.credit_code = validate_uscc(data.credit_code, allow_placeholder=False)
                party.subject = Subject.objects.filter(credit_code=party.credit_code).first()
        except ValidationError as exc:
            problems.append(
                _("%(where)s（%(name)s）：%(problem)s")
                % {"where": where, "name": party.name, "problem": "；".join(exc.messages)}
            )
            continue
        cleaned.append(party)
    return cleaned


def _save_with_number(case: Case, day: datetime.date) -> None:
    """Save with the body's next number of the year, e.g. AJ2026-0003-00012."""
    taken = Case.objects.filter(body_id=case.body_id, registered_on__year=day.year).count()
    for attempt in range(1, 20):
        case.number = f"AJ{day.year}-{case.body_id:04d}-{taken + attempt:05d}"
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            if not Case.objects.filter(number=case.number).exists():
                raise
    raise RuntimeError("no free case number")


def change_case_officers(
    case: Case,
    *,
    actor: User,
    on: datetime.date | None,
    reason: str,
    add: Sequence[EnforcementOfficer] = (),
    release: Sequence[EnforcementOfficer] = (),
) -> Case:
    """变更承办执法人员: from `on`, the `release`d officers no longer act in the case and the
    `add`ed ones (of the body, assignable that day) do; at least two remain (行政处罚法 art. 42).
    How a case goes on when an officer's certificate lapses or the officer leaves. Refused after
    结案. Writes the change log and an OFFICERS_CHANGED event."""
    require(actor, CHANGE, case)
    if not reason.strip():
        raise ValidationError(_("请说明变更原因。"))
    if not add and not release:
        raise ValidationError(_("请选择增加或退出的执法人员。"))
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError(_("变更日期不能晚于今天。"))
    with transaction.atomic(), audit_context(actor=actor, reason=reason.strip()):
        case = locked(Case.objects.select_related("body"), case.pk)
        if case.closed_on is not None:
            raise ValidationError(_("案件已结案，不能变更承办执法人员。"))
        if day < case.registered_on:
            raise ValidationError(_("变更日期不能早于立案日期。"))
        current = {a.officer_id: a for a in case.assignments.select_related("officer")}
        problems = [
            problem for officer in add if (problem := officer.assignment_problem(case.body_id, day))
        ]
        if problems:
            raise ValidationError(problems)
        for officer in release:
            assignment = current.get(officer.pk)
            if assignment is None or not assignment.acts_on(day):
                raise ValidationError(
                    _("%(name)s 当日不是本案承办执法人员。") % {"name": officer.name}
                )
            assignment.released_on, assignment.release_reason = day, reason.strip()[:300]
            assignment.save()
        for officer in add:
            if officer.pk in current:  # on the case, or released from it (kept as it was)
                raise ValidationError(
                    _("%(name)s 已是或曾是本案承办执法人员。") % {"name": officer.name}
                )
            CaseOfficer.objects.create(case=case, officer=officer, assigned_on=day)
        acting = [a for a in case.assignments.all() if a.acts_on(day)]
        if len(acting) < MIN_OFFICERS:
            raise ValidationError(
                _("变更后承办执法人员不足两人（行政处罚法第四十二条）。"), code="officers"
            )
        names = "、".join(o.name for o in add) or "—"
        gone = "、".join(o.name for o in release) or "—"
        workflow.record(
            CaseEvent,
            case,
            EventType.OFFICERS_CHANGED,
            actor,
            note=_("%(day)s 增加：%(added)s；退出：%(gone)s。%(reason)s")
            % {"day": day.isoformat(), "added": names, "gone": gone, "reason": reason.strip()},
        )
    return case

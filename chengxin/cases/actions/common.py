"""What the case actions share: the input records, the step timeline, the checks every step
repeats (its order in time, the officers acting that day) and who counts as a handler."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import User
from chengxin.cases import attachments, rules
from chengxin.cases.choices import StepKind
from chengxin.cases.models import (
    Case,
    CaseStep,
    LegalityReview,
    RecordingReference,
)

MIN_OFFICERS = 2  # 行政处罚法 art. 42: 执法人员不得少于两人

# Steps that are not the handlers' own work: a reviewer's result, the heads' discussion.
NOT_HANDLING = (StepKind.LEGALITY_REVIEW, StepKind.DISCUSSION)


@dataclass(frozen=True)
class PartyData:
    """A party as entered at registration (the ID number in plaintext, stored encrypted)."""

    name: str
    category: str
    credit_code: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class RecordingData:
    """A reference to an audio-visual record of a step (全过程记录)."""

    media_kind: str
    reference: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None = None
    device: str = ""


def latest_review(case: Case) -> LegalityReview | None:
    review: LegalityReview | None = case.reviews.order_by("-requested_at", "-id").first()
    return review


def refuse_in_status(case: Case, kind: str) -> ValidationError:
    return ValidationError(
        _(
            "案件当前为“%(status)s”，不能记录“%(step)s”：请按立案、调查取证、告知、听证、法制审核、"
            "集体讨论、决定、送达、执行、结案的顺序办理。"
        )
        % {"status": case.get_status_display(), "step": StepKind(kind).label},
        code="step_order",
    )


def last_step_time(case: Case) -> datetime.datetime | None:
    last: datetime.datetime | None = (
        case.steps.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    )
    return last


def step_time(case: Case, occurred_at: datetime.datetime | None) -> datetime.datetime:
    """A step's time: not in the future, not before the case's latest step."""
    now = timezone.now()
    when = occurred_at or now
    if when > now + datetime.timedelta(minutes=5):
        raise ValidationError(_("环节发生时间不能晚于当前时间。"))
    last = last_step_time(case)
    if last is not None and last.replace(second=0, microsecond=0) <= when < last:
        return last  # entered to the minute (the form's precision) in the previous step's minute
    if last is not None and when < last:
        raise ValidationError(
            _("环节发生时间不能早于上一环节（%(time)s）。")
            % {"time": timezone.localtime(last).strftime("%Y-%m-%d %H:%M")}
        )
    return when


def add_step(
    case: Case,
    kind: str,
    *,
    actor: User,
    occurred_at: datetime.datetime,
    notes: str,
    files: Sequence[UploadedFile],
    recordings: Sequence[RecordingData],
) -> CaseStep:
    checked = attachments.check_files(list(files))
    step = CaseStep.objects.create(
        case=case, kind=kind, occurred_at=occurred_at, actor=actor, notes=notes.strip()
    )
    attachments.attach(step, checked)
    for item in recordings:
        recording = RecordingReference(
            step=step,
            media_kind=item.media_kind,
            reference=item.reference.strip(),
            device=item.device.strip(),
            started_at=item.started_at,
            ended_at=item.ended_at,
        )
        recording.full_clean()
        recording.save()
    return step


def check_officers(case: Case, when: datetime.datetime) -> None:
    """Refuse a step when an officer acting in the case that day may no longer enforce (the
    certificate lapsed, suspended …) or fewer than two act (行政处罚法 art. 42; cases.rules)."""
    problems = rules.acting_officer_problems(case, timezone.localdate(when))
    if problems:
        raise ValidationError(problems, code="officers")


def handled(case: Case, user: User) -> bool:
    """Whether `user` handled `case`: asked for one of its reviews or recorded one of its own
    steps (not a review result, not the heads' discussion)."""
    if case.reviews.filter(requested_by=user).exists():
        return True
    return bool(case.steps.filter(actor=user).exclude(kind__in=NOT_HANDLING).exists())


def set_amounts(
    case: Case, fine: decimal.Decimal | None, confiscation: decimal.Decimal | None
) -> None:
    for label, value in ((_("罚款金额"), fine), (_("没收金额"), confiscation)):
        if value is not None and value < 0:
            raise ValidationError(_("%(label)s不能为负数。") % {"label": label})
    case.fine_amount, case.confiscation_amount = fine, confiscation


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

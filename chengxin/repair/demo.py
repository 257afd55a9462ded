"""Demo credit repair applications in each state of the workflow, each step on its own day
(`DemoContext.at`): the older applications were decided weeks ago, the newest were submitted
in the last days and wait for acceptance, so every deadline agrees with the state."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chengxin.accounts.models import User
from chengxin.core import calendar
from chengxin.core.demodata import DemoContext
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import actions, rules
from chengxin.repair.choices import OpinionVerdict
from chengxin.repair.models import RepairApplication

DEMO_PDF = b"%PDF-1.4\n% chengxin demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STEPS = ["submitted", "accepted", "material", "approved", "refused", "approved", "submitted"]


# Working days before today each application was submitted, by its last step.
SUBMITTED_AGO = {"submitted": (1, 2), "accepted": (3, 6), "material": (8, 14)}
DECIDED_AGO = (15, 45)


def generate(ctx: DemoContext) -> None:
    credit = User.objects.filter(username="credit").first()
    if credit is None:
        return
    rng = ctx.rng("repair")
    today = timezone.localdate()
    candidates = list(
        PenaltyRecord.objects.publicly_visible(today)
        .filter(subject__isnull=False)
        .select_related("subject")
        .order_by("id")[:400]
    )
    rng.shuffle(candidates)
    made: list[tuple[RepairApplication, str, datetime.date]] = []
    for record in candidates:
        if len(made) == len(STEPS):
            break
        assert record.subject is not None
        step = STEPS[len(made)]
        submitted_on = calendar.add_working_days(
            today, -rng.randint(*SUBMITTED_AGO.get(step, DECIDED_AGO))
        )
        if record.decision_date >= submitted_on:
            continue  # a repair is applied for after the decision
        if step == "approved" and not _has_staff(record.department_id):
            continue  # 谁认定、谁修复: its department must be there to agree
        try:
            with ctx.at(submitted_on, hour=rng.randint(8, 16), minute=rng.randint(0, 59)):
                application, _code = actions.submit_application(
                    record.subject,
                    record,
                    contact_person=rng.choice(["王经理", "李会计", "张主任", "刘女士"]),
                    contact_phone=f"0632-66{rng.randint(10000, 99999)}",
                    statement="罚款已全额缴纳，违法行为已整改到位，并建立了内部合规制度。",
                    commitment_confirmed=True,
                    files=[SimpleUploadedFile("缴款凭证.pdf", DEMO_PDF)],
                )
        except ValidationError:
            continue  # not eligible yet (minimum period) or not repairable
        made.append((application, step, submitted_on))
    for application, step, submitted_on in made:
        _advance(ctx, rng, application, step, credit, submitted_on, today)
    ctx.out.write(f"    repair applications: {len(made)}\n")


def _advance(
    ctx: DemoContext,
    rng: random.Random,
    application: RepairApplication,
    step: str,
    credit: User,
    submitted_on: datetime.date,
    today: datetime.date,
) -> None:
    """Take the application to `step`, each action a few working days after the one before
    (never after today)."""
    if step == "submitted":
        return
    day = submitted_on

    def later(low: int, high: int) -> datetime.date:
        nonlocal day
        day = min(calendar.add_working_days(day, rng.randint(low, high)), today)
        return day

    with ctx.at(later(1, 2), hour=rng.randint(9, 11)):
        actions.accept_application(application, actor=credit)
    if step == "material":
        with ctx.at(later(1, 3), hour=rng.randint(14, 16)):
            actions.request_material(
                application, actor=credit, reason="请补充罚款缴纳凭证原件扫描件。"
            )
    elif step == "approved":
        # 谁认定、谁修复: the deciding department agrees first; without a demo account in that
        # department the application waits for its opinion.
        staff = _department_staff(application)
        if staff is None:
            return
        if rules.department_decides(application):  # repair.decided_by = deciding_department
            credit = staff
        else:
            with ctx.at(later(1, 3), hour=rng.randint(9, 16)):
                actions.give_opinion(
                    application,
                    actor=staff,
                    verdict=OpinionVerdict.AGREE,
                    reason="经核实，罚款已缴清。",
                )
        with ctx.at(later(1, 4), hour=rng.randint(9, 16)):
            actions.approve_application(
                application, actor=credit, reason="已履行法定义务，材料齐全，同意修复。"
            )
    elif step == "refused":
        with ctx.at(later(2, 5), hour=rng.randint(9, 16)):
            actions.refuse_application(
                application, actor=credit, reason="罚款尚未缴清，不符合修复条件。"
            )


def _has_staff(department_id: int | None) -> bool:
    if department_id is None:
        return False
    return User.objects.filter(department_id=department_id, is_active=True).exists()


def _department_staff(application: RepairApplication) -> User | None:
    """A demo account of the department that decided the record, if there is one."""
    if application.department_id is None:
        return None
    for user in User.objects.filter(department_id=application.department_id, is_active=True):
        if actions.is_deciding_department(user, application):
            return user
    return None

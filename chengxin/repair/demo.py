"""Demo credit repair applications in each state of the workflow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chengxin.accounts.models import User
from chengxin.core.demodata import DemoContext
from chengxin.publicity.models import PenaltyRecord
from chengxin.repair import actions, rules
from chengxin.repair.choices import OpinionVerdict
from chengxin.repair.models import RepairApplication

DEMO_PDF = b"%PDF-1.4\n% chengxin demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STEPS = ["submitted", "accepted", "material", "approved", "refused", "approved", "submitted"]


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
    made: list[RepairApplication] = []
    for record in candidates:
        if len(made) == len(STEPS):
            break
        assert record.subject is not None
        try:
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
        made.append(application)
    for application, step in zip(made, STEPS, strict=False):
        _advance(application, step, credit)
    ctx.out.write(f"    repair applications: {len(made)}\n")


def _advance(application: RepairApplication, step: str, credit: User) -> None:
    if step == "submitted":
        return
    actions.accept_application(application, actor=credit)
    if step == "material":
        actions.request_material(application, actor=credit, reason="请补充罚款缴纳凭证原件扫描件。")
    elif step == "approved":
        # 谁认定、谁修复: the deciding department agrees first; without a demo account in that
        # department the application waits for its opinion.
        staff = _department_staff(application)
        if staff is None:
            return
        if rules.department_decides(application):  # repair.decided_by = deciding_department
            credit = staff
        else:
            actions.give_opinion(
                application,
                actor=staff,
                verdict=OpinionVerdict.AGREE,
                reason="经核实，罚款已缴清。",
            )
        actions.approve_application(
            application, actor=credit, reason="已履行法定义务，材料齐全，同意修复。"
        )
    elif step == "refused":
        actions.refuse_application(
            application, actor=credit, reason="罚款尚未缴清，不符合修复条件。"
        )


def _department_staff(application: RepairApplication) -> User | None:
    """A demo account of the department that decided the record, if there is one."""
    if application.department_id is None:
        return None
    for user in User.objects.filter(department_id=application.department_id, is_active=True):
        if actions.is_deciding_department(user, application):
            return user
    return None

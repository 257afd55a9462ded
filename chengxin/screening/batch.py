"""Batch credit checks: an uploaded applicant or bidder list, checked in a background job.

The upload is stored and a `CheckBatch` recorded (`store_batch`); `tasks.start_batch` queues its
job (`tasks.run_check_batch`) once the batch is committed. The job reads the file (CSV in UTF-8 or GBK, or XLSX, through
`core.readers`), reports each unreadable row (row number, field, problem) in
`CheckBatch.rejections`, checks every readable row through `actions.check_subjects` in one go and
deletes the upload: it holds ID numbers, so it is kept sealed (core.sealed_files) while it waits
and read through the key into memory, never onto disk in plaintext. The results are the batch's `CreditCheck`
rows; `results_download` hands them over as a workbook, one row per checked subject (names of
the checked, natural persons among them: each copy is written to the audit log).
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.accounts.models import User
from chengxin.accounts.permissions import ADD, can
from chengxin.audit.context import audit_context
from chengxin.core import spreadsheets, supervision
from chengxin.core.readers import UnreadableFile, open_table
from chengxin.core.sealed_files import write_sealed
from chengxin.screening import actions
from chengxin.screening.choices import (
    BatchStatus,
    CheckChannel,
    CheckOutcome,
    Feedback,
    MeasureEffect,
)
from chengxin.screening.forms_checks import clean_credit_code, clean_id_number
from chengxin.screening.matching import Subject
from chengxin.screening.models import CheckBatch, CreditCheck, Scenario

logger = logging.getLogger(__name__)

MAX_ROWS = 100_000
# Header cells accepted for each column (after stripping spaces); the first is the documented one.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("名称", "主体名称", "单位名称", "申请人名称", "投标人名称", "姓名"),
    "credit_code": ("统一社会信用代码", "信用代码"),
    "id_number": ("证件号码", "身份证号码", "公民身份号码"),
}


@dataclass(frozen=True)
class Rejection:
    """A row that could not be checked: where, which field, what is wrong."""

    row: int
    field: str
    problem: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "problem": self.problem}


def field_label(name: str) -> str:
    return COLUMNS[name][0]


# --- starting a batch ------------------------------------------------------------------------


def store_batch(
    upload: UploadedFile, *, scenario: Scenario, matter: str, actor: User
) -> tuple[CheckBatch, Path]:
    """Store the upload (sealed) and record the batch for the actor's department; the batch and
    where its upload waits for the job.

    Precondition: the actor may run checks (`checks` ADD) for their department.
    """
    department = actor.department
    if department is None or not can(actor, ADD, CheckBatch(department=department)):
        raise PermissionDenied
    if not matter.strip():
        raise ValidationError(_("请填写审批事项或项目编号。"))
    folder = upload_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    write_sealed(path, upload.chunks())
    with transaction.atomic(), audit_context(actor=actor):
        batch = CheckBatch.objects.create(
            department=department,
            requested_by=actor,
            scenario=scenario,
            matter=matter.strip(),
            file_name=(upload.name or "")[:255],
        )
    return batch, path


# --- running it ------------------------------------------------------------------------------


def run_batch(batch: CheckBatch, path: Path) -> CheckBatch:
    """Read the file at `path` and check its subjects; the batch ends DONE or FAILED.

    The checks are stored a few hundred per transaction, hidden until the whole batch is stored
    (`CreditCheck.is_staged`); a failed batch keeps none. The process holds the batch's lock
    file while it runs, so that a recovery can tell a batch whose process died
    (`recover_abandoned`)."""
    with supervision.holding(run_lock(batch.pk), wait_seconds=0) as held:
        if not held:  # another process runs it
            batch.refresh_from_db()
            return batch
        _run_held(batch, path)
    batch.refresh_from_db()
    return batch


def run_lock(batch_id: int) -> str:
    return supervision.lock_name("check-batch", batch_id)


def _run_held(batch: CheckBatch, path: Path) -> None:
    claimed = CheckBatch.objects.filter(
        pk=batch.pk, status__in=(BatchStatus.QUEUED, BatchStatus.RUNNING)
    ).update(status=BatchStatus.RUNNING, runner_host=supervision.host_name())
    if not claimed:
        return  # ended already (failed by a recovery)
    try:
        actions.discard_batch_checks(batch)  # an earlier attempt's, if any
        subjects, rejections = read_subjects(path)
        checks = _check(batch, subjects) if subjects else []
        CheckBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.DONE,
            total=len(checks),
            hits=sum(1 for c in checks if c.outcome == CheckOutcome.HIT),
            candidates=sum(1 for c in checks if c.outcome == CheckOutcome.CANDIDATE),
            rejected=len(rejections),
            rejections=[r.as_json() for r in rejections],
            finished_at=timezone.now(),
        )
    except UnreadableFile as exc:
        _fail(batch, str(exc))
    except Exception as exc:
        logger.exception("check batch %s failed", batch.pk)
        _fail(
            batch,
            _("核查失败，本批次未保存任何核查记录（%(error)s）。请联系系统管理员。")
            % {"error": type(exc).__name__},
        )


ABANDONED_MESSAGE = _l("核查中断（处理进程意外停止），本批次未保存任何核查记录。请重新上传。")
UPLOAD_GRACE = datetime.timedelta(minutes=10)


def upload_folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "screening"


def recover_abandoned() -> int:
    """Fail the RUNNING batches of this host whose process died (their lock is free), deleting
    the checks they stored; how many. Their uploads go with the other strays
    (tasks.recover_abandoned)."""
    running = CheckBatch.objects.filter(
        status=BatchStatus.RUNNING, runner_host=supervision.host_name()
    )
    failed = 0
    for batch in running:
        if supervision.is_held(run_lock(batch.pk)):
            continue
        if CheckBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
            status=BatchStatus.FAILED, error=str(ABANDONED_MESSAGE), finished_at=timezone.now()
        ):
            logger.warning("check batch %s was abandoned by its process: marked failed", batch.pk)
            actions.discard_batch_checks(batch)
            failed += 1
    return failed


def _check(batch: CheckBatch, subjects: list[Subject]) -> list[CreditCheck]:
    return actions.check_subjects(
        subjects,
        department=batch.department,
        scenario=batch.scenario,
        matter=batch.matter,
        actor=batch.requested_by,
        channel=CheckChannel.BATCH,
        batch=batch,
    )


def _fail(batch: CheckBatch, message: str) -> None:
    CheckBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED, error=message, finished_at=timezone.now()
    )
    actions.discard_batch_checks(batch)


def read_subjects(path: Path) -> tuple[list[Subject], list[Rejection]]:
    """The subjects of the file in file order, and the rows that cannot be checked.

    Raises UnreadableFile when the file as a whole cannot be used (type, encoding, no known
    column, too many rows).
    """
    table = open_table(path)
    positions = _positions(table.header)
    subjects: list[Subject] = []
    rejections: list[Rejection] = []
    for number, cells in table.rows:
        if len(subjects) + len(rejections) >= MAX_ROWS:
            raise UnreadableFile(_("文件超过 %(limit)d 行，请拆分后上传。") % {"limit": MAX_ROWS})
        subject, problems = read_row(number, positions, cells)
        if problems:
            rejections.extend(problems)
        else:
            assert subject is not None
            subjects.append(subject)
    return subjects, rejections


def _positions(header: list[str]) -> dict[str, int]:
    cleaned = ["".join(str(cell).split()) for cell in header]
    positions = {}
    for name, titles in COLUMNS.items():
        for index, title in enumerate(cleaned):
            if title in titles:
                positions[name] = index
                break
    if not positions:
        raise UnreadableFile(_("表头中没有“名称”“统一社会信用代码”或“证件号码”列，无法核查。"))
    return positions


def read_row(
    number: int, positions: dict[str, int], cells: list[Any]
) -> tuple[Subject | None, list[Rejection]]:
    """One row as a Subject, or the problems that keep it from being checked."""
    values = {
        name: str(cells[index]).strip() if index < len(cells) and cells[index] is not None else ""
        for name, index in positions.items()
    }
    problems: list[Rejection] = []
    cleaned: dict[str, str] = {}
    for name, clean in (("credit_code", clean_credit_code), ("id_number", clean_id_number)):
        try:
            cleaned[name] = clean(values.get(name, ""))
        except ValidationError as exc:
            problems.append(Rejection(number, field_label(name), " ".join(exc.messages)))
    name = " ".join(values.get("name", "").split())
    if len(name) > 200:
        problems.append(Rejection(number, field_label("name"), _("名称超过 200 个字符。")))
    if not problems and not (name or cleaned["credit_code"] or cleaned["id_number"]):
        problems.append(
            Rejection(
                number,
                field_label("name"),
                _("统一社会信用代码、证件号码和名称至少填写一项。"),
            )
        )
    if problems:
        return None, problems
    return Subject(name, cleaned["credit_code"], cleaned["id_number"]), []


# --- the results workbook --------------------------------------------------------------------

RESULT_HEADER = (
    _l("序号"),
    _l("名称"),
    _l("统一社会信用代码"),
    _l("证件号码（脱敏）"),
    _l("核查结果"),
    _l("命中名单"),
    _l("适用措施"),
    _l("疑似（相似度）"),
    _l("反馈"),
)


def result_row(number: int, check: CreditCheck) -> list[Any]:
    """One checked subject as a row of the results workbook (from the stored result)."""
    result = check.result
    hits = "；".join(
        f"{hit['list_type']}（{hit['listing_authority']} {hit['document_number']}）"
        for hit in result.get("hits", [])
    )
    measures = "；".join(
        f"{m['code']} {m['name']}【{MeasureEffect(m['effect']).label}】"
        for m in result.get("measures", [])
    )
    candidates = "；".join(
        f"{c['subject_name']}（{c['list_type']}，{c['score']}）"
        for c in result.get("candidates", [])
    )
    return [
        number,
        check.input_name,
        check.input_credit_code,
        check.id_number_masked,
        CheckOutcome(check.outcome).label,
        hits,
        measures,
        candidates,
        Feedback(check.feedback).label,
    ]


def batch_checks(batch: CheckBatch) -> Iterable[CreditCheck]:
    """The batch's checks in file order (they were stored in one bulk insert, in order)."""
    fields = (
        "pk",
        "input_name",
        "input_credit_code",
        "id_number_masked",
        "outcome",
        "result",
        "feedback",
    )
    checks: Iterable[CreditCheck] = (
        CreditCheck.objects.filter(batch=batch).order_by("pk").only(*fields).iterator(2000)
    )
    return checks


RESULTS_EXPORT = spreadsheets.Export(
    "screening.batch_results", _l("批量核查结果"), personal_data=True
)


def results_sheets(batch: CheckBatch) -> list[spreadsheets.Sheet]:
    """The results workbook: a sheet of checked subjects and a sheet of rows not checked."""
    checked = spreadsheets.Sheet(
        RESULT_HEADER,
        (result_row(number, check) for number, check in enumerate(batch_checks(batch), start=1)),
        name=_("核查结果"),
    )
    rejected = spreadsheets.Sheet(
        [_("行号"), _("字段"), _("问题")],
        ([item["row"], str(item["field"]), str(item["problem"])] for item in batch.rejections),
        name=_("无法核查的行"),
    )
    return [checked, rejected]


def results_download(batch: CheckBatch, *, actor: User) -> FileResponse:
    """The results workbook as a download, recorded in the audit log."""
    return spreadsheets.download(
        RESULTS_EXPORT,
        spreadsheets.XLSX,
        results_sheets(batch),
        filename=f"check-batch-{batch.pk}",
        actor=actor,
        object_id=batch.pk,
    )

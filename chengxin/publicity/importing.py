"""Importing 双公示 records: rows of the national standard into LicenseRecord / PenaltyRecord.

Called by the import pipeline (imports/pipeline.py) one chunk of rows at a time. Each row goes
through the same rules as a form (`standard.check`); valid rows are upserted on
数据来源单位 + 决定文书号: a new number is created, an identical row is left alone, a changed row is
a correction (更正) whose previous version is kept. Both are staged, invisible, until the batch
is released (publicity.release).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import timezone

from chengxin.accounts.models import Department
from chengxin.core import calendar, local_settings
from chengxin.core.bulk import insert_rows
from chengxin.core.identifiers import mask_id_number
from chengxin.core.personal_data import blind_index, encrypt
from chengxin.core.readers import UnreadableFile
from chengxin.core.text import header_key
from chengxin.publicity import hooks, release, standard, visibility
from chengxin.publicity.choices import RecordKind, RecordStatus, Timeliness
from chengxin.publicity.models import (
    PERSONAL_NUMBERS,
    RECORD_MODELS,
    DecisionRecord,
    StagedCorrection,
    content_hash,
)
from chengxin.publicity.rules import PUBLICATION_WORKING_DAYS

REVIEW_BEFORE_PUBLICATION = local_settings.declare(
    "publicity.review_before_publication",
    "双公示信息经信用办审核后再公示",
    False,
    "否：通过校验即公示（默认）；是：提交后等待信用办审核。",
    # Switching the credit office's review off publishes unreviewed records.
    security_relevant=True,
)


@lru_cache(maxsize=4)
def header_lookup(kind: str) -> dict[str, str]:
    """Header text → model attribute: by field code, old code, and the standard's Chinese name."""
    lookup: dict[str, str] = {}
    for item in standard.FIELDS[kind]:
        lookup[header_key(item.code)] = item.attr
        lookup[header_key(item.label)] = item.attr
        lookup[header_key(item.code.lower())] = item.attr
    for code, attr in standard.ALIASES[kind].items():
        lookup[header_key(code)] = attr
    prefix = "XK" if kind == RecordKind.LICENSE else "CF"
    # The standard's long names of the six subject codes: 行政相对人代码_1(统一社会信用代码) …
    for number, attr in enumerate(
        (
            "subject_credit_code",
            "business_registration_number",
            "organisation_code",
            "tax_registration_number",
            "institution_certificate_number",
            "social_organisation_number",
        ),
        start=1,
    ):
        label = standard.field_map(kind)[attr].label
        lookup[header_key(f"行政相对人代码_{number}({label})")] = attr
        lookup[header_key(f"行政相对人代码{number}")] = attr
    lookup[header_key(f"{prefix}_XDR_ZJHM")] = "id_number"
    # Optional columns of the apps built on this one (the cases app's 权力编码; publicity.hooks).
    for attr, headers in hooks.IMPORT_COLUMNS.items():
        lookup.update({header_key(text): attr for text in headers})
    return lookup


def map_header(kind: str, header: Sequence[Any]) -> list[str | None]:
    """Which model attribute each column holds; fails when the file has no usable header."""
    lookup = header_lookup(kind)
    columns = [lookup.get(header_key(cell)) for cell in header]
    required = [f for f in standard.FIELDS[kind] if f.required]
    found = set(columns)
    missing = [f for f in required if f.attr not in found]
    if len(missing) == len(required):
        raise UnreadableFile(
            "未找到可识别的表头：第一行应为国家标准的字段代码（如 "
            f"{required[0].code}）或中文名称（如 {required[0].label}）。"
        )
    return columns


@dataclass
class RowError:
    row_number: int
    cells: list[str]
    problems: list[str]
    decision_number: str = ""


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)


@dataclass
class ValidRow:
    row_number: int
    values: dict[str, Any]
    digest: str
    sealed: dict[str, str]
    cells: Sequence[Any]  # as read, for the report should a later check refuse the row


@dataclass
class RowValidator:
    """Checks rows without touching the database, so it can run in a worker process.

    Everything it needs is in its (picklable) fields: the column mapping, the department's
    code and name, today's date and the local amount threshold.
    """

    kind: str
    columns: list[str | None]
    department_code: str
    department_name: str
    today: datetime.date
    fine_unit_threshold: Any

    def validate(self, row_number: int, cells: Sequence[Any]) -> ValidRow | RowError:
        raw = {attr: cells[i] for i, attr in enumerate(self.columns) if attr and i < len(cells)}
        values, problems = standard.parse_row(self.kind, raw)
        if str(raw.get("power_item_code") or "").strip():
            values["power_item_code"] = str(raw["power_item_code"]).strip()
        standard.normalise_choices(self.kind, values)
        if not values.get("data_source_credit_code"):
            values["data_source_credit_code"] = self.department_code
        if not values.get("data_source"):
            values["data_source"] = self.department_name
        problems += standard.check(
            self.kind,
            values,
            today=self.today,
            department_code=self.department_code,
            fine_unit_threshold=self.fine_unit_threshold,
        )
        number = values.get("decision_number") or ""
        if problems:
            texts = [_text(cell) for cell in cells]
            return RowError(row_number, texts, [str(p) for p in problems], number)
        sealed = sealed_numbers(
            values.get("id_number") or "", values.get("legal_representative_id_number") or ""
        )
        return ValidRow(row_number, values, content_hash(self.kind, values), sealed, cells)

    def validate_chunk(
        self, chunk: Sequence[tuple[int, Sequence[Any]]]
    ) -> list[ValidRow | RowError]:
        return [self.validate(row_number, cells) for row_number, cells in chunk]


class RecordImporter:
    """Validates and upserts one batch's rows for one department."""

    def __init__(
        self,
        kind: str,
        department: Department,
        *,
        batch: Any = None,
        actor: Any = None,
        dry_run: bool = False,
    ) -> None:
        self.kind = kind
        self.model: type[DecisionRecord] = RECORD_MODELS[kind]
        self.department = department
        self.batch = batch
        self.actor = actor
        self.dry_run = dry_run
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.status = (
            RecordStatus.SUBMITTED
            if local_settings.get(REVIEW_BEFORE_PUBLICATION.key)
            else RecordStatus.PUBLISHED
        )
        self.seen_numbers: dict[str, int] = {}
        self.validator = RowValidator(
            kind,
            [],
            department.credit_code,
            department.name,
            self.today,
            local_settings.get(standard.FINE_UNIT_THRESHOLD.key),
        )
        self.constants = self.constant_columns()
        self._deadlines: dict[datetime.date, tuple[datetime.date, str]] = {}
        self.stored_fields = [
            (f.attr, f.kind) for f in standard.FIELDS[kind] if f.attr not in PERSONAL_NUMBERS
        ]

    def set_header(self, header: Sequence[Any]) -> None:
        self.validator.columns = map_header(self.kind, header)

    # --- writing -----------------------------------------------------------------------

    def process(self, chunk: Sequence[tuple[int, Sequence[Any]]]) -> ChunkResult:
        """Validate, stage and release one chunk at once, in this process: for callers outside
        the import pipeline (the demo district, tests), which stages a whole batch first."""
        result = self.write(self.validator.validate_chunk(chunk))
        if not self.dry_run:
            release.release_batch(self.kind, self.batch.pk if self.batch else None)
        return result

    def write(self, outcomes: list[ValidRow | RowError]) -> ChunkResult:
        """Stage a validated chunk: refuse numbers seen earlier in the batch, then insert the new
        records as STAGED and stage the corrections of existing ones; no output shows either
        until the batch is released (publicity.release)."""
        result = ChunkResult()
        valid: list[ValidRow] = []
        decision_field = standard.field_map(self.kind)["decision_number"]
        for outcome in outcomes:
            number = (
                outcome.values["decision_number"]
                if isinstance(outcome, ValidRow)
                else outcome.decision_number
            )
            first = (
                self.seen_numbers.setdefault(number, outcome.row_number)
                if number
                else outcome.row_number
            )
            if isinstance(outcome, RowError):
                result.rejected.append(outcome)
            elif first != outcome.row_number:
                problem = standard.Problem(decision_field, f"与第 {first} 行的决定文书号重复")
                cells = [_text(cell) for cell in outcome.cells]
                result.rejected.append(RowError(outcome.row_number, cells, [str(problem)], number))
            else:
                valid.append(outcome)
        valid = self.link(valid, result)
        if not valid:
            return result
        existing = {
            number: (pk, digest)
            for pk, number, digest in self.model.objects.filter(
                department=self.department,
                decision_number__in=[row.values["decision_number"] for row in valid],
            ).values_list("pk", "decision_number", "content_hash")
        }
        new = [row for row in valid if row.values["decision_number"] not in existing]
        changed = [
            row
            for row in valid
            if row.values["decision_number"] in existing
            and existing[row.values["decision_number"]][1] != row.digest
        ]
        result.unchanged = len(valid) - len(new) - len(changed)
        result.created, result.updated = len(new), len(changed)
        if not self.dry_run:
            insert_rows(self.model, [self.columns_for(row) for row in new])
            self.stage_corrections(changed, {n: existing[n] for n in self._numbers(changed)})
        return result

    @staticmethod
    def _numbers(rows: list[ValidRow]) -> list[str]:
        return [row.values["decision_number"] for row in rows]

    def link(self, valid: list[ValidRow], result: ChunkResult) -> list[ValidRow]:
        """The power item (权力编码 column) and, for penalties, the online case of each row;
        rows the cases app refuses go to the rejected ones (cases.importing, publicity.hooks)."""
        refused = [found for linker in hooks.ROW_LINKERS for found in linker(self.kind, valid)]
        for row, problem in refused:
            cells = [_text(cell) for cell in row.cells]
            number = row.values["decision_number"]
            result.rejected.append(RowError(row.row_number, cells, [problem], number))
        refused_ids = {id(row) for row, _problem in refused}
        return [row for row in valid if id(row) not in refused_ids]

    def constant_columns(self) -> dict[str, Any]:
        return {
            "department_id": self.department.pk,
            "batch_id": self.batch.pk if self.batch else None,
            "status": RecordStatus.STAGED,  # until the batch is released
            "submitted_at": self.now,
            "published_at": self.now if self.status == RecordStatus.PUBLISHED else None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def columns_for(self, row: ValidRow) -> dict[str, Any]:
        """The database columns of a new record: the standard's fields plus the workflow's."""
        values = row.values
        columns = self.constants | {
            attr: (";".join(values[attr]) if kind == standard.CATEGORIES else values[attr])
            for attr, kind in self.stored_fields
        }
        columns.update(row.sealed)
        columns["subject_id"] = None  # linked set-based on release (subjects.link_subjects)
        columns["deadline"], columns["timeliness"] = self.deadline_and_timeliness(
            values["decision_date"]
        )
        columns["content_hash"] = row.digest
        columns["public_until"] = visibility.public_until(self.kind, values)
        for link in ("power_item_id", "case_id"):  # set by link(); absent keeps a correction's
            if values.get(link) is not None:
                columns[link] = values[link]
        return columns

    def deadline_and_timeliness(self, decision_date: datetime.date) -> tuple[datetime.date, str]:
        """Per decision date, once per batch: the batch's rows share a few hundred dates."""
        known = self._deadlines.get(decision_date)
        if known is None:
            deadline = calendar.add_working_days(decision_date, PUBLICATION_WORKING_DAYS)
            known = self._deadlines[decision_date] = (
                deadline,
                timeliness(decision_date, deadline, self.today),
            )
        return known

    def stage_corrections(self, rows: list[ValidRow], existing: dict[str, tuple[int, str]]) -> None:
        """Stage the changed records' new values (更正), to be applied with their previous
        version kept when the batch is released (publicity.release.apply_corrections)."""
        if not rows:
            return
        versions = dict(
            self.model.objects.filter(pk__in=[pk for pk, _digest in existing.values()]).values_list(
                "pk", "version"
            )
        )
        reason = f"导入更正（批次 #{self.batch.pk if self.batch else '-'}）"
        StagedCorrection.objects.bulk_create(
            StagedCorrection(
                batch=self.batch,
                kind=self.kind,
                record_id=(pk := existing[row.values["decision_number"]][0]),
                base_version=versions[pk],
                values=self.corrected_values(row),
                reason=reason,
            )
            for row in rows
        )

    def corrected_values(self, row: ValidRow) -> dict[str, Any]:
        """The columns a correction replaces: all but the workflow's constants, which the
        record keeps (its status, department, first submission), and its batch, now this one."""
        return {
            attr: value
            for attr, value in self.columns_for(row).items()
            if attr not in self.constants or attr in ("batch_id", "updated_at")
        }


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


NO_NUMBERS = {
    "id_number_ciphertext": "",
    "id_number_index": "",
    "id_number_masked": "",
    "legal_representative_id_ciphertext": "",
    "legal_representative_id_masked": "",
}


def sealed_numbers(id_number: str, legal_representative_id_number: str) -> dict[str, str]:
    """ID numbers as stored: ciphertext, blind index and masked copy; never the plaintext."""
    if not id_number and not legal_representative_id_number:
        return NO_NUMBERS
    return {
        "id_number_ciphertext": encrypt(id_number) if id_number else "",
        "id_number_index": blind_index(id_number) if id_number else "",
        "id_number_masked": mask_id_number(id_number),
        "legal_representative_id_ciphertext": (
            encrypt(legal_representative_id_number) if legal_representative_id_number else ""
        ),
        "legal_representative_id_masked": mask_id_number(legal_representative_id_number),
    }


def timeliness(
    decision_date: datetime.date, deadline: datetime.date, submitted_on: datetime.date
) -> str:
    years = range(decision_date.year, deadline.year + 1)
    if not all(calendar.calendar_is_official(year) for year in years):
        return Timeliness.PROVISIONAL
    return Timeliness.ON_TIME if submitted_on <= deadline else Timeliness.LATE

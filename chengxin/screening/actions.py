"""What staff and systems do in 联合奖惩: maintain lists, run checks, give feedback.

Each action checks the actor's permission and its precondition and writes the audit trail in
its own transaction. A check is stored with its result as it was at the time (who, when,
department, scenario, matter, input, result); a check that hit a list waits for feedback,
due after `screening.feedback_working_days` working days on the official calendar.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from functools import cache, partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max, Min
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import ADD, CHANGE, REVIEW, can
from chengxin.audit.choices import AuditAction
from chengxin.audit.context import audit_context, change_reason
from chengxin.audit.log import Event, append, event_for
from chengxin.audit.receivers import log_saved
from chengxin.core import calendar, local_settings, upward
from chengxin.core.bulk import collector_paused, insert_row, insert_rows, reserve_ids
from chengxin.core.identifiers import mask_id_number, normalise
from chengxin.core.parallel import helper_map
from chengxin.core.personal_data import encrypt
from chengxin.core.public_data import notify_public_data_changed
from chengxin.screening import matching
from chengxin.screening.catalogue import Catalogue, current_catalogue
from chengxin.screening.choices import CheckChannel, CheckOutcome, EntryStatus, Feedback
from chengxin.screening.models import (
    CheckBatch,
    CheckMeasure,
    ClearedCandidate,
    CreditCheck,
    ListEntry,
    ListType,
    Measure,
    Scenario,
)
from chengxin.subjects.models import Subject

FEEDBACK_WORKING_DAYS = local_settings.declare(
    "screening.feedback_working_days",
    _l("信用核查：命中后反馈期限（工作日）"),
    3,
    _l("核查命中名单后，核查单位应在此期限内反馈措施采取情况（触发—响应—反馈）。"),
)
# Batches from this size run with the garbage collector paused (see core.bulk.collector_paused).
PAUSE_COLLECTOR_FROM = 1000
# Subjects matched together; a batch of several parts has them matched by a helper process.
PART = 10_000
# Checks of a batch stored per transaction (SQLite has one writer: a staff member saving a form
# waits for this transaction; docs/performance.md).
BATCH_WRITE_ROWS = 250


# --- lists -----------------------------------------------------------------------------------


def save_entry(entry: ListEntry, *, actor: User | None) -> ListEntry:
    """Validate and store a list entry (new or edited), linked to its subject when known."""
    if actor is not None and not can(actor, CHANGE if entry.pk else ADD, entry):
        raise PermissionDenied
    entry.set_name_keys()  # before full_clean, so the unique constraint is checked on them
    entry.full_clean()
    if entry.subject_id is None:
        entry.subject = _find_subject(entry.credit_code, entry.id_number_index)
    is_new = entry.pk is None
    with transaction.atomic(), audit_context(actor=actor):
        entry.save()
        notify_public_data_changed()  # the portal shows list memberships
        if is_new:
            upward.report(upward.Change.LIST_ENTRY_ADDED, entry)
    return entry


def remove_entry(
    entry: ListEntry, *, actor: User | None, reason: str, removed_on: datetime.date
) -> ListEntry:
    """Take a subject off a list (移出名单): kept as history with the reason and the date.

    From `removed_on` the entry triggers no measure (ListEntry.objects.in_force). Credit repair
    calls this on approval with the repair decision as the reason.
    """
    if actor is not None and not can(actor, CHANGE, entry):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("移出名单必须填写原因。"))
    with transaction.atomic(), audit_context(actor=actor), change_reason(reason):
        entry = ListEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.status == EntryStatus.REMOVED:
            raise ValidationError(_("该主体已移出名单。"))
        if removed_on < entry.listed_on:
            raise ValidationError(_("移出日期不能早于列入日期。"))
        entry.status, entry.removed_on, entry.removal_reason = (
            EntryStatus.REMOVED,
            removed_on,
            reason,
        )
        entry.save()
        notify_public_data_changed()
        upward.report(upward.Change.LIST_ENTRY_REMOVED, entry)
    return entry


def save_measure(
    measure: Measure,
    *,
    actor: User | None,
    list_types: Iterable[ListType],
    scenarios: Iterable[Scenario],
    departments: Iterable[Department] = (),
) -> Measure:
    """Store a catalogued measure with the lists, scenarios and departments it applies to.

    The caller has validated it (forms_lists.MeasureForm: kind matches the lists' kind, at least
    one list and one scenario, a legal basis). The relations go into the audit log as well, since
    saving many-to-many links sends no change-log signal.
    """
    if actor is not None and not can(actor, CHANGE if measure.pk else ADD, measure):
        raise PermissionDenied
    measure.full_clean(exclude=["list_types", "scenarios", "departments"])
    with transaction.atomic(), audit_context(actor=actor):
        measure.save()
        measure.list_types.set(list_types)
        measure.scenarios.set(scenarios)
        measure.departments.set(departments)
        links = {
            "list_types": sorted(t.code for t in measure.list_types.all()),
            "scenarios": sorted(s.code for s in measure.scenarios.all()),
            "departments": sorted(d.pk for d in measure.departments.all()),
        }
        append([event_for(AuditAction.UPDATED, measure, after=links)])
    return measure


def _find_subject(credit_code: str, id_index: str) -> Subject | None:
    if credit_code:
        return Subject.objects.filter(credit_code=credit_code).first()
    if id_index:
        return Subject.objects.filter(id_number_index=id_index).first()
    return None


# --- checks ----------------------------------------------------------------------------------


def check_subjects(
    subjects: Sequence[matching.Subject],
    *,
    department: Department,
    scenario: Scenario,
    matter: str,
    actor: User,
    channel: str = CheckChannel.WEB,
    batch: CheckBatch | None = None,
    on: datetime.date | None = None,
) -> list[CreditCheck]:
    """Check `subjects` for `department` in `scenario` and store one CreditCheck each.

    Hits (same code, ID number, or an organisation's normalised name) bring the catalogued
    measures for this scenario and department; fuzzy candidates are listed with their score and
    never bring measures. One transaction: a failure stores none of the batch.
    """
    if not can(actor, ADD, CreditCheck(department=department)):
        raise PermissionDenied
    if not matter.strip():
        raise ValidationError(_("请填写审批事项或项目编号。"))
    # A large batch builds a few long-lived objects per subject and no cycles (core.bulk).
    pause = collector_paused() if len(subjects) >= PAUSE_COLLECTOR_FROM else nullcontext()
    with pause:
        return _check_and_store(
            subjects,
            department=department,
            scenario=scenario,
            matter=matter,
            actor=actor,
            channel=channel,
            batch=batch,
            day=on or timezone.localdate(),
        )


def _check_and_store(
    subjects: Sequence[matching.Subject],
    *,
    department: Department,
    scenario: Scenario,
    matter: str,
    actor: User,
    channel: str,
    batch: CheckBatch | None,
    day: datetime.date,
) -> list[CreditCheck]:
    """`check_subjects` once permitted, part by part: match (a large batch's parts in a helper
    process while the parts before are stored, `core.parallel`), build the rows, store them;
    then the audit entry. The first part is matched and its rows built before the transaction
    opens: on SQLite that transaction holds the write lock the other web worker waits for."""
    now = timezone.now()
    base = {
        **CHECK_DEFAULTS,
        "department_id": department.pk,
        "requested_by_id": actor.pk,
        "channel": channel,
        "batch_id": batch.pk if batch else None,
        "scenario_id": scenario.pk,
        "matter": matter,
        "created_at": now,
        "updated_at": now,
    }
    parts = [subjects[start : start + PART] for start in range(0, len(subjects), PART)]
    # What callers show of each check, without a query per check.
    related = {"department": department, "scenario": scenario, "requested_by": actor}
    catalogue = current_catalogue()
    # The feedback deadline of hits, worked out at the first hit (most calls have none).
    feedback_due = cache(
        lambda: calendar.add_working_days(day, local_settings.get(FEEDBACK_WORKING_DAYS.key))
    )

    def rows_of(part: Sequence[matching.Subject], found: Found) -> Rows:
        codes, matches, details, known = found
        rows, measures = [], []
        for subject, code, matched in zip(part, codes, matches, strict=True):
            row, proposed = _check_row(
                subject, code, matched, details, catalogue, department.pk, scenario.pk
            )
            row = {**base, **row}  # every column: the check's instance adopts it
            row["subject_id"] = known.get(_subject_key(subject, code))
            if row["outcome"] == CheckOutcome.HIT:
                row["feedback_due"] = feedback_due()
            rows.append(row)
            measures.append(proposed)
        return rows, measures

    checks: list[CreditCheck] = []
    single = len(subjects) == 1 and batch is None  # the API's or a staff member's single check

    def store(rows: list[dict[str, Any]], measures: list[list[tuple[int, int]]]) -> None:
        stored = _insert(rows, related, single=single)
        if any(measures):
            insert_rows(
                CheckMeasure,
                (
                    {"credit_check_id": check.pk, "measure_id": m_id, "entry_id": e_id}
                    for check, proposed in zip(stored, measures, strict=True)
                    for m_id, e_id in proposed
                ),
            )
        checks.extend(stored)

    with helper_map(partial(_found, day=day), parts) as results, audit_context(actor=actor):
        built = map(rows_of, parts, results)
        first = list(itertools.islice(built, 1))  # built before the transaction opens
        if batch is None:
            with transaction.atomic():
                for rows, measures in itertools.chain(first, built):
                    store(rows, measures)
                if single:
                    log_saved(checks[0], created=True)  # as for any saved row
                else:
                    append([_batch_event(checks, batch, actor)])
            return checks
        # A batch: stored staged, a few hundred checks per transaction, so that other writers
        # wait for one of them, not for the batch; then let out, and the audit entry written.
        for rows, measures in itertools.chain(first, built):
            for row in rows:
                row["is_staged"] = True
            for start in range(0, len(rows), BATCH_WRITE_ROWS):
                with transaction.atomic():
                    store(
                        rows[start : start + BATCH_WRITE_ROWS],
                        measures[start : start + BATCH_WRITE_ROWS],
                    )
    release_batch_checks(batch)
    for check in checks:
        check.is_staged = False
    with transaction.atomic(), audit_context(actor=actor):
        append([_batch_event(checks, batch, actor)])
    return checks


def release_batch_checks(batch: CheckBatch) -> None:
    """Let a batch's stored checks out, `BATCH_WRITE_ROWS` × 4 per transaction (a plain update
    by primary-key range)."""
    staged = CreditCheck.staging.filter(batch=batch, is_staged=True)
    bounds = staged.aggregate(first=Min("pk"), last=Max("pk"))
    if bounds["first"] is None:
        return
    step = BATCH_WRITE_ROWS * 4
    for start in range(bounds["first"], bounds["last"] + 1, step):
        with transaction.atomic():
            staged.filter(pk__range=(start, start + step - 1)).update(is_staged=False)


def discard_batch_checks(batch: CheckBatch) -> None:
    """Delete every check a batch stored (a failed batch keeps none), in short transactions."""
    checks = CreditCheck.staging.filter(batch=batch)
    while ids := list(checks.values_list("pk", flat=True)[: BATCH_WRITE_ROWS * 4]):
        with transaction.atomic():
            CheckMeasure.objects.filter(credit_check_id__in=ids).delete()
            CreditCheck.staging.filter(pk__in=ids).delete()


Found = tuple[list[str], list[list[matching.Match]], dict[int, dict[str, Any]], dict[str, int]]
Rows = tuple[list[dict[str, Any]], list[list[tuple[int, int]]]]  # a part's checks and measures


def _found(subjects: Sequence[matching.Subject], *, day: datetime.date) -> Found:
    """What the lists and the registry hold on each subject: its normalised credit code, its
    matches, the details of the entries matched, and the registered subjects by key. Only
    reads: a helper process may run it (`core.parallel`)."""
    codes = [normalise(s.credit_code) if s.credit_code else "" for s in subjects]
    matches = matching.Matcher(day).match(subjects)
    details = _entry_details({m.entry_id for found in matches for m in found})
    return codes, matches, details, _subjects_by_key(subjects, codes)


def _insert(
    rows: list[dict[str, Any]], related: dict[str, Any], *, single: bool
) -> list[CreditCheck]:
    """Insert the checks: one (the API's, a staff member's single check) in one statement
    without the ORM's compilation of the insert; many in one bulk insert with reserved ids."""
    if single:
        (row,) = rows
        row["id"] = insert_row(CreditCheck, row)
        return [_loaded(row, related)]
    for pk, row in zip(reserve_ids(CreditCheck, len(rows)), rows, strict=True):
        row["id"] = pk
    insert_rows(CreditCheck, rows, with_pk=True)
    return [_loaded(row, related) for row in rows]


CLEAR, NOT_REQUIRED = CheckOutcome.CLEAR.value, Feedback.NOT_REQUIRED.value  # hot path: plain str
CHECK_DEFAULTS = {f.attname: f.get_default() for f in CreditCheck._meta.concrete_fields}


def _loaded(row: dict[str, Any], related: dict[str, Any]) -> CreditCheck:
    """The stored row (every column) as a model instance, as `Model.from_db` would give it but
    without running `__init__` per field (a batch has a hundred thousand): the row becomes the
    instance's `__dict__`, where Django keeps the field values."""
    check = CreditCheck.__new__(CreditCheck)
    check.__dict__ = row
    state = check._state = ModelState()
    state.adding, state.db, state.fields_cache = False, "default", dict(related)
    return check


def _check_row(
    subject: matching.Subject,
    code: str,
    found: list[matching.Match],
    details: dict[int, dict[str, Any]],
    catalogue: Catalogue,
    department_id: int,
    scenario_id: int,
) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """The columns of one check (without the ones all checks of a call share), and the measures
    it proposes as (measure, entry) pairs."""
    if not found:  # most checks: nothing to describe
        row: dict[str, Any] = {
            "input_name": subject.name[:200],
            "input_credit_code": code[:18],
            "outcome": CLEAR,
            "hit_count": 0,
            "candidate_count": 0,
            "feedback": NOT_REQUIRED,
            "result": {"hits": [], "candidates": [], "measures": []},
        }
        _add_id_number(row, subject)
        return row, []
    hits = [m for m in found if m.is_hit]
    candidates = [m for m in found if not m.is_hit]
    proposed: list[tuple[int, int]] = []
    measures: list[dict[str, Any]] = []
    for hit in hits:
        for measure in catalogue.measures_for(hit.list_type_id, scenario_id, department_id):
            proposed.append((measure.id, hit.entry_id))
            measures.append(
                {
                    "id": measure.id,
                    "code": measure.code,
                    "name": measure.name,
                    "kind": measure.kind,
                    "effect": measure.effect,
                    "legal_basis": measure.legal_basis,
                    "entry": hit.entry_id,
                }
            )
    outcome = (
        CheckOutcome.HIT if hits else CheckOutcome.CANDIDATE if candidates else CheckOutcome.CLEAR
    )
    row = {
        "input_name": subject.name[:200],
        "input_credit_code": code[:18],
        "outcome": outcome,
        "hit_count": len(hits),
        "candidate_count": len(candidates),
        "feedback": Feedback.PENDING if hits else Feedback.NOT_REQUIRED,
        "result": {
            "hits": [_describe(m, details) for m in hits],
            "candidates": [_describe(m, details) for m in candidates],
            "measures": measures,
        },
    }
    _add_id_number(row, subject)
    return row, proposed


def _add_id_number(row: dict[str, Any], subject: matching.Subject) -> None:
    """The checked ID number, encrypted, with its blind index and masked form."""
    if subject.id_number:
        number = normalise(subject.id_number)
        row["id_number_ciphertext"] = encrypt(number)
        row["id_number_index"] = subject.id_index
        row["id_number_masked"] = mask_id_number(number)


def _describe(match: matching.Match, details: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {
        "entry": match.entry_id,
        "match": match.kind.value,
        "score": match.score,
        "explanation": match.explanation,
        **details[match.entry_id],
    }


ENTRY_DETAIL_COLUMNS = {  # what a result shows → the column (e: the entry, t: its list type)
    "list_type": "t.name",
    "list_kind": "t.kind",
    "subject_name": "e.subject_name",
    "credit_code": "e.credit_code",
    "id_number": "e.id_number_masked",
    "listing_authority": "e.listing_authority",
    "document_number": "e.document_number",
    "basis": "e.basis",
    "legal_basis": "t.legal_basis",
    "listed_on": "e.listed_on",
    "ends_on": "e.ends_on",
}


def _entry_details(entry_ids: set[int]) -> dict[int, dict[str, Any]]:
    """What a check result shows of each entry it found (kept in the result as it was).

    Plain SQL: a hit's single check built this two-table query with the ORM each time, which
    cost as much as the rest of its matching."""
    details: dict[int, dict[str, Any]] = {}
    entries, types = ListEntry._meta.db_table, ListType._meta.db_table
    select = (
        f"SELECT e.id, {', '.join(ENTRY_DETAIL_COLUMNS.values())}"  # noqa: S608 (names from code)
        f" FROM {entries} e JOIN {types} t ON t.id = e.list_type_id WHERE e.id IN "
    )
    with connection.cursor() as cursor:
        for chunk in matching.chunks(sorted(entry_ids), matching.SQL_CHUNK):
            cursor.execute(select + f"({', '.join(['%s'] * len(chunk))})", chunk)
            for values in cursor.fetchall():
                item = dict(zip(ENTRY_DETAIL_COLUMNS, values[1:], strict=True))
                item["listed_on"] = _iso(item["listed_on"])
                item["ends_on"] = _iso(item["ends_on"])
                details[values[0]] = item
    return details


def _iso(day: datetime.date | str | None) -> str | None:
    """A date as ISO text (SQLite may give the stored text itself)."""
    return day if day is None or isinstance(day, str) else day.isoformat()


def _subject_key(subject: matching.Subject, code: str) -> str:
    if code:
        return "code:" + code
    if subject.id_number:
        return "id:" + subject.id_index
    return ""


def _subjects_by_key(subjects: Sequence[matching.Subject], codes: list[str]) -> dict[str, int]:
    """Known subjects (by code or ID index) for linking checks to the subject registry."""
    lookups = {
        "credit_code": {code for code in codes if code},
        "id_number_index": {
            s.id_index for s, c in zip(subjects, codes, strict=True) if s.id_number and not c
        },
    }
    prefix = {"credit_code": "code:", "id_number_index": "id:"}
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for column, values in lookups.items():
            for chunk in matching.chunks(sorted(values), matching.SQL_CHUNK):
                placeholders = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT id, {column} FROM subjects_subject"  # noqa: S608 (names above)
                    f" WHERE {column} IN ({placeholders})",
                    chunk,
                )
                for pk, value in cursor.fetchall():
                    found[prefix[column] + value] = pk
    return found


def _batch_event(checks: list[CreditCheck], batch: CheckBatch | None, actor: User) -> Event:
    hits = sum(1 for check in checks if check.outcome == CheckOutcome.HIT)
    return Event(
        action=AuditAction.CREATED,
        object_type="screening.creditcheck",
        object_id=str(batch.pk) if batch else "",
        object_repr=_("批量信用核查 %(count)d 个主体，命中 %(hits)d 个")
        % {"count": len(checks), "hits": hits},
        after={"count": len(checks), "hits": hits, "batch": batch.pk if batch else None},
        actor=actor,
    )


def record_feedback(
    check: CreditCheck,
    *,
    actor: User,
    taken: bool,
    reason: str = "",
    applied_measure_ids: set[int] | None = None,
) -> CreditCheck:
    """The department says whether it applied the proposed measures (反馈).

    Not taking them needs a reason. `applied_measure_ids` narrows "taken" to some measures; by
    default all proposed measures count as applied.
    """
    if not can(actor, CHANGE, check):
        raise PermissionDenied
    if not taken and not reason.strip():
        raise ValidationError(_("未采取措施的，必须说明理由。"))
    with transaction.atomic(), audit_context(actor=actor):
        check = CreditCheck.objects.select_for_update().get(pk=check.pk)
        if check.feedback == Feedback.NOT_REQUIRED:
            raise ValidationError(_("该核查未命中名单，无需反馈。"))
        check.feedback = Feedback.TAKEN if taken else Feedback.NOT_TAKEN
        check.feedback_reason = reason.strip()
        check.feedback_at, check.feedback_by = timezone.now(), actor
        check.save()
        for proposed in CheckMeasure.objects.filter(credit_check=check):
            applied = taken and (
                applied_measure_ids is None or proposed.measure_id in applied_measure_ids
            )
            CheckMeasure.objects.filter(pk=proposed.pk).update(is_applied=applied)
    return check


def clear_candidate(
    check: CreditCheck, entry_id: int, *, actor: User, reason: str
) -> ClearedCandidate:
    """A reviewer rules a 疑似 candidate out for the checked subject; it stops reappearing."""
    if not (can(actor, REVIEW, check) or can(actor, CHANGE, check)):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("排除疑似必须说明理由。"))
    if entry_id not in {c["entry"] for c in check.result.get("candidates", [])}:
        raise ValidationError(_("该名单条目不是本次核查的疑似结果。"))
    subject = matching.Subject(check.input_name, check.input_credit_code)
    keys = subject.clearance_keys(check.id_number_index)
    with transaction.atomic(), audit_context(actor=actor):
        cleared = None
        for key in keys:
            cleared, _created = ClearedCandidate.objects.get_or_create(
                entry_id=entry_id, input_key=key, defaults={"reason": reason, "cleared_by": actor}
            )
    if cleared is None:
        raise ValidationError(_("被核查主体缺少名称、代码或证件号码。"))
    return cleared

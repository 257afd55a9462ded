"""The staff statistics of the cases app, computed in the database:

- 网外循环: penalty records of enforcement bodies that reference no online case;
- 事后公开 timeliness per body: decisions made public within 7 / 20 working days
  (国办发〔2018〕118号), late, or overdue and still unpublished;
- 办案期限 per body: penalty cases undecided past their handling period (行政处罚法 art. 60),
  due soon, extended, and decided after it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from chengxin.accounts.permissions import VIEW
from chengxin.agencies.models import EnforcementBody
from chengxin.cases.choices import PublicityTimeliness
from chengxin.cases.models import Case
from chengxin.cases.rules import publicity_timeliness
from chengxin.publicity.models import PenaltyRecord


def from_enforcement_bodies(records: QuerySet[PenaltyRecord]) -> QuerySet[PenaltyRecord]:
    """Penalty records "submitted by an enforcement body": 处罚机关统一社会信用代码 (CF_CFJGDM) is
    the code of an enforcement body not revoked before the decision date. A body revoked later
    (an institutional reform) keeps its earlier penalties in the figures."""
    acting = EnforcementBody.objects.filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gte=OuterRef("decision_date")),
        credit_code=OuterRef("authority_credit_code"),
    )
    return records.filter(Exists(acting))


def online_case() -> Q:
    """A penalty record handled online: linked to a case, or a case decided in the same
    处罚机关's name has its 决定书文号 (a record imported before the link was made still counts)."""
    matching = Case.objects.filter(
        authority_credit_code=OuterRef("authority_credit_code"),
        decision_number=OuterRef("decision_number"),
    )
    return Q(case__isnull=False) | Q(Exists(matching))


def off_network_penalties(
    user: Any,
    *,
    department_id: int | None = None,
    body: EnforcementBody | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[PenaltyRecord]:
    """网外循环: the penalty records `user` may see, of enforcement bodies, with no online case;
    decided between `start` and `end` (inclusive) when given."""
    records = from_enforcement_bodies(PenaltyRecord.objects.restrict(user, VIEW))
    records = records.exclude(online_case())
    if department_id:
        records = records.filter(department_id=department_id)
    if body is not None:
        records = records.filter(authority_credit_code=body.credit_code)
    if start:
        records = records.filter(decision_date__gte=start)
    if end:
        records = records.filter(decision_date__lte=end)
    return records.select_related("department").order_by("-decision_date", "-id")


def online_share(
    start: datetime.date, end: datetime.date, *, department_id: int | None = None
) -> tuple[int, int]:
    """(penalty records of enforcement bodies decided in the period, of which with a case); with
    `department_id`, that department's records only."""
    records = from_enforcement_bodies(PenaltyRecord.objects.decided_between(start, end))
    if department_id is not None:
        records = records.filter(department_id=department_id)
    return records.count(), records.filter(online_case()).count()


def with_publication(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate `first_record_published_at`: the earliest publication of a linked penalty
    record, which counts as the decision's 事后公开 when no other date is recorded."""
    return cases.annotate(first_record_published_at=Min("penalty_records__published_at"))


def publication_date(case: Case) -> datetime.date | None:
    if case.published_on is not None:
        return case.published_on
    first = getattr(case, "first_record_published_at", None)
    return timezone.localdate(first) if first is not None else None


@dataclass
class BodyTimeliness:
    body_id: int
    body_name: str
    decided: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def on_time_rate(self) -> float | None:
        due = self.on_time + self.late + self.overdue
        return round(100 * self.on_time / due, 1) if due else None


def publicity_by_body(
    cases: QuerySet[Case], *, today: datetime.date | None = None
) -> list[BodyTimeliness]:
    """事后公开 of the decided `cases` (already scoped and limited to a period), per body, as of
    `today`."""
    day = today or timezone.localdate()
    rows: dict[int, BodyTimeliness] = {}
    decided = cases.filter(decided_on__isnull=False)
    for case in with_publication(decided).select_related("body").order_by("body__name", "id"):
        row = rows.setdefault(case.body_id, BodyTimeliness(case.body_id, case.body.name))
        row.decided += 1
        verdict = publicity_timeliness(case.publicity_deadline, publication_date(case), day)
        if verdict == PublicityTimeliness.ON_TIME:
            row.on_time += 1
        elif verdict == PublicityTimeliness.LATE:
            row.late += 1
        elif verdict == PublicityTimeliness.OVERDUE:
            row.overdue += 1
        else:
            row.pending += 1
    return list(rows.values())


@dataclass
class BodyHandling:
    """办案期限 (行政处罚法 art. 60) of one body's penalty cases."""

    body_id: int
    body_name: str
    open: int = 0
    due_soon: int = 0
    overdue: int = 0
    extended: int = 0
    decided: int = 0
    decided_late: int = 0


def handling_by_body(
    cases: QuerySet[Case],
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
    soon_days: int = 7,
) -> list[BodyHandling]:
    """Per body, of the `cases` (already scoped) with a handling period: undecided ones (of which
    due within `soon_days` days, overdue and extended) as of `today`, and those decided between
    `start` and `end` (of which after their period). One grouped query."""
    day = today or timezone.localdate()
    open_ = Q(decided_on__isnull=True)
    decided = Q(decided_on__gte=start, decided_on__lte=end)
    soon = open_ & Q(
        handling_deadline__gte=day, handling_deadline__lte=day + datetime.timedelta(days=soon_days)
    )
    counts = (
        cases.filter(handling_deadline__isnull=False)
        .values("body_id", "body__name")
        .annotate(
            open=Count("pk", filter=open_, distinct=True),
            due_soon=Count("pk", filter=soon, distinct=True),
            overdue=Count("pk", filter=open_ & Q(handling_deadline__lt=day), distinct=True),
            extended=Count("pk", filter=open_ & Q(extensions__isnull=False), distinct=True),
            decided=Count("pk", filter=decided, distinct=True),
            decided_late=Count(
                "pk", filter=decided & Q(decided_on__gt=F("handling_deadline")), distinct=True
            ),
        )
        .order_by("body__name")
    )
    return [
        BodyHandling(
            row["body_id"],
            row["body__name"],
            row["open"],
            row["due_soon"],
            row["overdue"],
            row["extended"],
            row["decided"],
            row["decided_late"],
        )
        for row in counts
        if row["open"] or row["decided"]
    ]

"""Unified document numbers (三统一: 统一编号): gap-free per issuing body and year, assigned once.

`next_sequence(body, year)` must run inside the issuing transaction. It makes sure the counter row
exists (`bulk_create(ignore_conflicts=True)`: two first issuers of a year do not collide) and
then increments it in one statement, `UPDATE … SET last_sequence = last_sequence + 1 …
RETURNING` (SQLite >= 3.35):

- PostgreSQL: the UPDATE takes the row lock, so a second issuer waits until the first commits
  and then reads the incremented value (READ COMMITTED re-reads the row after the wait);
- SQLite: there are no row locks and `select_for_update()` is a no-op, but the project opens
  every transaction with BEGIN IMMEDIATE (settings: `transaction_mode`), which takes the
  database's write lock at the start, so issuing transactions run one after another; the
  increment is a single statement anyway, so no read-modify-write window exists on either.

Because the increment is part of the issuing transaction, a failed issue rolls it back: no gap.
A committed number stays with its document whatever happens later (abolished, invalid), and the
counter only grows: never reused. The unique constraint on (body, year, sequence) is the last
line of defence. See docs/adr/0010-normative-documents-and-numbering.md.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from chengxin.documents.models import IssuingBody, NumberCounter

TABLE = NumberCounter._meta.db_table

INCREMENT_SQL = (
    f"UPDATE {TABLE} SET last_sequence = last_sequence + 1, updated_at = %s"  # noqa: S608
    " WHERE issuing_body_id = %s AND year = %s RETURNING last_sequence"
)


def next_sequence(body: IssuingBody, year: int) -> int:
    """The next sequence number of `body` in `year`, reserved in the current transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_sequence must run inside the issuing transaction")
    NumberCounter.objects.bulk_create(
        [NumberCounter(issuing_body=body, year=year, last_sequence=0)], ignore_conflicts=True
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(INCREMENT_SQL, [now, body.pk, year])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])

"""The demo district's documents: 36 bodies, every stage, valid numbers, fast."""

from __future__ import annotations

import io
import time

import pytest

from chengxin.accounts import demo as accounts_demo
from chengxin.audit.context import audit_context
from chengxin.core.demodata import DemoContext
from chengxin.documents import demo
from chengxin.documents.choices import DocumentStatus, FilingTimeliness
from chengxin.documents.models import IssuingBody, NormativeDocument

pytestmark = pytest.mark.django_db


def test_demo_documents_cover_every_stage() -> None:
    """The accounts step (departments, demo users) and then this app's, as `chengxin demo` runs
    them (the other apps' steps are not needed here)."""
    ctx = DemoContext(seed=3, volumes={}, out=io.StringIO())
    with audit_context(reason="demo data"):
        accounts_demo.generate(ctx)
        started = time.monotonic()
        demo.generate(ctx)
    elapsed = time.monotonic() - started
    assert IssuingBody.objects.confirmed().count() == 36
    documents = NormativeDocument.objects.all()
    statuses = set(documents.values_list("status", flat=True))
    assert {
        DocumentStatus.DRAFT,
        DocumentStatus.COMMENTING,
        DocumentStatus.UNDER_REVIEW,
        DocumentStatus.REVIEW_FAILED,
        DocumentStatus.REVIEW_PASSED,
        DocumentStatus.DELIBERATED,
        DocumentStatus.ISSUED,
        DocumentStatus.PUBLISHED,
        DocumentStatus.ABOLISHED,
    } <= statuses
    assert documents.in_force().exists() and documents.expiring().exists()
    assert documents.lapsed().exists() and documents.open_for_comment().exists()
    assert documents.filter(is_provisional=True).exists()
    timeliness = set(
        documents.published().with_filing_timeliness().values_list("filing_timeliness", flat=True)
    )
    assert {FilingTimeliness.ON_TIME, FilingTimeliness.LATE, FilingTimeliness.OVERDUE} <= timeliness
    # numbers are gap-free per body and year, in issue-date order
    for body_id, year in (
        documents.filter(number_year__isnull=False)
        .values_list("issuing_body", "number_year")
        .distinct()
    ):
        numbered = documents.filter(issuing_body=body_id, number_year=year).order_by(
            "number_sequence"
        )
        assert [d.number_sequence for d in numbered] == list(range(1, numbered.count() + 1))
        days = [d.issued_on for d in numbered]
        assert days == sorted(days)
    print(f"documents demo: {elapsed:.1f}s")
    assert elapsed < 60

"""Unified numbers: the pattern, gap-free per body and year, assigned once, never reused, and
unique with concurrent issuers on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils.timezone import localdate

from chengxin.accounts.models import User
from chengxin.documents import actions, numbering, rules
from chengxin.documents.choices import CleanupResult, DocumentStatus
from chengxin.documents.models import IssuingBody, NormativeDocument, NumberCounter


@pytest.mark.django_db
def test_numbers_follow_the_pattern_per_body_and_year(make_document, make_body) -> None:
    first = make_document(DocumentStatus.ISSUED)
    second = make_document(DocumentStatus.ISSUED)
    other_body = make_body(code="台政规", kind="district_government")
    other = make_document(DocumentStatus.ISSUED, issuing_body=other_body)
    year = localdate().year
    assert first.document_number == f"台市监规〔{year}〕1号"
    assert second.document_number == f"台市监规〔{year}〕2号"
    assert other.document_number == f"台政规〔{year}〕1号"  # each body counts on its own


@pytest.mark.django_db
def test_a_new_year_starts_again_at_one(make_document) -> None:
    last_year = localdate().replace(month=1, day=1) - datetime.timedelta(days=1)
    old = make_document(DocumentStatus.ISSUED, published_on=last_year)
    new = make_document(DocumentStatus.ISSUED)
    assert (old.number_year, old.number_sequence) == (last_year.year, 1)
    assert (new.number_year, new.number_sequence) == (last_year.year + 1, 1)


@pytest.mark.django_db
def test_a_body_pattern_overrides_the_local_setting(make_document, make_body) -> None:
    body = make_body(code="台教规", number_pattern="{code}字〔{year}〕第{seq:03d}号")
    document = make_document(DocumentStatus.ISSUED, issuing_body=body)
    assert document.document_number == f"台教规字〔{localdate().year}〕第001号"


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("{code}〔{year}〕{seq}号", None),
        ("{code}〔{year}〕号", "必须包含"),
        ("{code}〔{yr}〕{seq}号", "未知字段"),
        ("{code}〔{year}〕{seq", "编号格式不正确"),
        ("{code}〔{year}〕{seq:03d}号", None),
        ("{code}〔{year}〕{seq:010d}号", None),
        # A width of a billion would build a gigabyte string on every issue (and in this check).
        ("{code}〔{year}〕{seq:0999999999d}号", "宽度"),
        ("{code:>99999999}〔{year}〕{seq}号", "宽度"),
    ],
)
def test_pattern_check(pattern: str, problem: str | None) -> None:
    if problem is None:
        rules.check_pattern(pattern)
    else:
        with pytest.raises(ValidationError, match=problem):
            rules.check_pattern(pattern)


@pytest.mark.django_db
def test_an_abolished_document_keeps_its_number_and_it_is_not_reused(
    make_document, lawadmin: User
) -> None:
    first = make_document(DocumentStatus.PUBLISHED)
    actions.clean_up_document(
        first, actor=lawadmin, result=CleanupResult.ABOLISHED, decided_on=localdate()
    )
    second = make_document(DocumentStatus.ISSUED)
    first.refresh_from_db()
    assert first.status == DocumentStatus.ABOLISHED and first.number_sequence == 1
    assert second.number_sequence == 2


@pytest.mark.django_db
def test_a_rolled_back_issue_leaves_no_gap(make_document, market_body: IssuingBody) -> None:
    year = localdate().year
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbering.next_sequence(market_body, year) == 1
        raise RuntimeError("the issue failed after the number was drawn")
    document = make_document(DocumentStatus.ISSUED)
    assert document.number_sequence == 1


@pytest.mark.django_db
def test_a_number_is_assigned_once(make_document, lawadmin: User) -> None:
    document = make_document(DocumentStatus.ISSUED)
    with pytest.raises(ValidationError, match="不能进行此操作"):
        actions.issue_document(document, actor=lawadmin)
    assert NumberCounter.objects.get().last_sequence == 1


@pytest.mark.django_db
def test_the_database_refuses_a_duplicate_number(make_document) -> None:
    first = make_document(DocumentStatus.ISSUED)
    second = make_document(DocumentStatus.DELIBERATED)
    with pytest.raises(IntegrityError), transaction.atomic():
        NormativeDocument.objects.filter(pk=second.pk).update(
            number_year=first.number_year, number_sequence=first.number_sequence
        )


@pytest.mark.django_db(transaction=True)
def test_next_sequence_refuses_to_run_outside_a_transaction(market_body: IssuingBody) -> None:
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        numbering.next_sequence(market_body, 2026)
    assert not NumberCounter.objects.exists()


ISSUERS = 2
PER_ISSUER = 6


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issuers_get_gap_free_unique_numbers(
    make_document: Callable[..., NormativeDocument], lawadmin: User
) -> None:
    """Two threads, each with its own database connection, issue documents of the same body at
    the same time: every number 1..N is used exactly once."""
    documents = [make_document(DocumentStatus.DELIBERATED) for _ in range(ISSUERS * PER_ISSUER)]
    batches = [documents[i::ISSUERS] for i in range(ISSUERS)]
    start = threading.Barrier(ISSUERS)
    errors: list[BaseException] = []

    def issue(batch: list[NormativeDocument]) -> None:
        try:
            start.wait()
            for document in batch:
                actions.issue_document(document, actor=lawadmin)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    sequences = sorted(
        NormativeDocument.objects.filter(status=DocumentStatus.ISSUED).values_list(
            "number_sequence", flat=True
        )
    )
    assert sequences == list(range(1, ISSUERS * PER_ISSUER + 1))
    numbers = set(NormativeDocument.objects.values_list("document_number", flat=True))
    assert len(numbers) == ISSUERS * PER_ISSUER
    assert NumberCounter.objects.get().last_sequence == ISSUERS * PER_ISSUER


@contextlib.contextmanager
def deferred_sqlite_transactions() -> Iterator[None]:
    """New SQLite connections begin plain (DEFERRED) transactions instead of the project's
    BEGIN IMMEDIATE, which alone would serialise the issuers: the increment must be atomic by
    itself. (PostgreSQL has no such option: nothing changes there.)"""
    options = connections["default"].settings_dict.setdefault("OPTIONS", {})
    if connections["default"].vendor != "sqlite":
        yield
        return
    previous = options.get("transaction_mode")
    options["transaction_mode"] = "DEFERRED"
    try:
        yield
    finally:
        options["transaction_mode"] = previous


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_of_one_counter_are_serialised(market_body: IssuingBody) -> None:
    """The counter alone, without the rest of the issue: two threads draw numbers in tight
    transactions, on SQLite without BEGIN IMMEDIATE; none is drawn twice and none is skipped.
    (A counter that reads before it writes fails this: duplicate numbers on PostgreSQL,
    "database is locked" on SQLite.)"""
    drawn: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def draw() -> None:
        try:
            start.wait()
            for _ in range(25):
                with transaction.atomic():
                    value = numbering.next_sequence(market_body, 2026)
                with lock:
                    drawn.append(value)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw) for _ in range(2)]
    with deferred_sqlite_transactions():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert not errors, errors
    assert sorted(drawn) == list(range(1, 51))


@pytest.mark.django_db
def test_a_broken_pattern_setting_refuses_the_issue_with_a_message(
    make_document, lawadmin: User
) -> None:
    """The local setting is typed by an administrator outside the body form's check: a pattern
    it would refuse makes the issue fail with a message, draws no number and keeps the status."""
    from chengxin.core import local_settings
    from chengxin.core.models import LocalSetting

    document = make_document(DocumentStatus.DELIBERATED)
    LocalSetting.objects.create(key="documents.number_pattern", value="{code}〔{yr}〕{seq}号")
    local_settings.clear_cache()
    with pytest.raises(ValidationError, match="编号格式"):
        actions.issue_document(document, actor=lawadmin)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DELIBERATED and document.number_sequence is None
    assert not NumberCounter.objects.filter(last_sequence__gt=0).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("tail", "refused"), [("", False), ("甲", True)])
def test_a_number_longer_than_its_field_refuses_the_issue_with_a_message(
    make_document, make_body, lawadmin: User, tail: str, refused: bool
) -> None:
    """A long code in a long pattern can make a number past the 文号 field's 60 characters: the
    issue is refused with a message (PostgreSQL would otherwise fail the save with an error).
    Exactly 60 characters is issued."""
    body = make_body(
        code="台儿庄区人民政府办公室规范性文件代字甲乙",
        number_pattern="{code}〔{year}〕第{seq:010d}号（本文件为行政规范性文件统一编号示例长文本"
        + tail
        + "）",
    )
    document = make_document(DocumentStatus.DELIBERATED, issuing_body=body)
    if not refused:
        actions.issue_document(document, actor=lawadmin)
        document.refresh_from_db()
        assert len(document.document_number) == 60
        return
    with pytest.raises(ValidationError, match="超过 60 个字符"):
        actions.issue_document(document, actor=lawadmin)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DELIBERATED and document.number_sequence is None

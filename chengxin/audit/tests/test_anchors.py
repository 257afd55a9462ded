"""A keyed chain and anchors outside the database: what a database writer can no longer hide.

Each attack is done straight in the database, as someone with write access to it would do it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from chengxin.accounts.choices import Role
from chengxin.audit import anchors
from chengxin.audit.chain import (
    GENESIS_HASH,
    canonical_json,
    chain_key,
    content_of,
    keyed_hash,
    unkeyed_hash,
)
from chengxin.audit.context import audit_context
from chengxin.audit.log import Event, append, verify_chain
from chengxin.audit.models import AuditEntry
from chengxin.core.tests.drafts.models import Draft


@pytest.fixture
def anchor_dir(settings, tmp_path: Path) -> Path:
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.AUDIT_ANCHOR_DIR


@pytest.fixture
def grow(db) -> Callable[[int], list[AuditEntry]]:
    """`grow(n)`: append n entries; the whole chain so far, in order."""

    def add(count: int) -> list[AuditEntry]:
        append([Event(action="created", object_repr=f"记录{i}") for i in range(count)])
        return list(AuditEntry.objects.order_by("sequence"))

    return add


def run_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def cut_tail_after(sequence: int) -> None:
    """Delete every entry after `sequence` and point the head at it: the chain verifies."""
    last = AuditEntry.objects.get(sequence=sequence)
    run_sql("DELETE FROM audit_auditentry WHERE sequence > %s", [sequence])
    run_sql(
        "UPDATE audit_chainhead SET last_sequence = %s, last_hash = %s WHERE id = 1",
        [sequence, last.entry_hash],
    )


def rewrite_chain(compute: Callable[[str, str], str]) -> None:
    """Renumber what is left from 1 and recompute every link, hash and the head with `compute`:
    what a database writer does to hide deleted entries."""
    previous = GENESIS_HASH
    for number, entry in enumerate(AuditEntry.objects.order_by("sequence"), start=1):
        entry.sequence, entry.previous_hash = number, previous
        previous = compute(previous, canonical_json(content_of(entry)))
        run_sql(
            "UPDATE audit_auditentry SET sequence = %s, previous_hash = %s, entry_hash = %s"
            " WHERE id = %s",
            [number, entry.previous_hash, previous, entry.pk],
        )
        last = number
    run_sql(
        "UPDATE audit_chainhead SET last_sequence = %s, last_hash = %s WHERE id = 1",
        [last, previous],
    )


def verify(capsys) -> tuple[int, str, str]:
    """`chengxin audit verify`: (exit code, stdout, stderr)."""
    try:
        call_command("audit", "verify")
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


# --- the key ------------------------------------------------------------------------------------


def test_hashes_are_keyed_with_the_audit_key(grow, settings) -> None:
    entry = grow(1)[-1]
    canonical = canonical_json(content_of(entry))
    assert entry.entry_hash == keyed_hash(chain_key())(entry.previous_hash, canonical)
    assert entry.entry_hash != unkeyed_hash(entry.previous_hash, canonical)
    settings.AUDIT_KEY = "another-audit-key"
    assert (verify_chain().broken_sequence, verify_chain().problem) == (1, "content")


def test_a_naive_edit_is_caught(grow, anchor_dir, capsys) -> None:
    chain = grow(5)
    run_sql("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["改", chain[2].pk])
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"#{chain[2].sequence}" in err and "被修改" in err and "changed" in err


@pytest.mark.parametrize("keyed", [False, True], ids=["unkeyed-sha256", "with-the-key"])
def test_deleting_an_accounts_entries_and_recomputing_the_chain(
    make_department, make_user, keyed: bool
) -> None:
    """The attack that used to verify OK: without the key, every recomputed hash is wrong, from
    the first entry on. (With the key it verifies: that is what anchors are for.)"""
    mallory, other = make_user(Role.CREDIT_ADMIN), make_user(Role.CREDIT_ADMIN)
    department = make_department()
    for actor in (other, mallory, other, mallory, other):
        with audit_context(actor=actor):
            Draft.objects.create(department=department, title=f"{actor.username}的记录")
    run_sql("DELETE FROM audit_auditentry WHERE actor_id = %s", [mallory.pk])
    rewrite_chain(keyed_hash(chain_key()) if keyed else unkeyed_hash)
    assert not AuditEntry.objects.filter(actor=mallory).exists()
    result = verify_chain()
    if keyed:
        assert result.ok
    else:
        assert (result.broken_sequence, result.problem) == (1, "content")


# --- anchors ------------------------------------------------------------------------------------


def test_an_anchor_at_the_chains_end_verifies(grow, anchor_dir, capsys) -> None:
    grow(5)
    anchor = anchors.write_anchor()
    assert anchor is not None and anchor.sequence == 5  # exactly at the end: fine
    code, out, err = verify(capsys)
    assert (code, err) == (0, "")
    assert "OK: 1 anchors verified, the newest at entry #5" in out
    grow(3)  # entries after the newest anchor: fine too
    assert verify(capsys)[0] == 0


def test_the_anchor_file_is_private_signed_and_not_repeated(grow, anchor_dir) -> None:
    assert anchors.write_anchor() is None  # an empty chain: nothing to anchor
    entry = grow(2)[-1]
    anchor = anchors.write_anchor()
    assert anchor is not None
    assert oct(anchor_dir.stat().st_mode & 0o777) == "0o700"
    assert oct(anchor.path.stat().st_mode & 0o777) == "0o600"
    data = json.loads(anchor.path.read_text())
    assert (data["sequence"], data["entry_hash"]) == (2, entry.entry_hash)
    assert set(data) == {"version", "sequence", "entry_hash", "created_at", "database", "signature"}
    assert anchors.write_anchor() == anchor  # nothing logged since: no second file
    grow(1)
    assert anchors.write_anchor().sequence == 3
    assert len(anchors.anchor_files(anchor_dir)) == 2


def test_a_deleted_tail_is_caught_by_the_anchor(grow, anchor_dir, capsys) -> None:
    grow(5)
    anchors.write_anchor()
    cut_tail_after(3)
    assert verify_chain().ok  # the database alone cannot tell
    code, _out, err = verify(capsys)
    assert code == 1
    assert "#5" in err and "只到第 3 条" in err and "newest entries were deleted" in err


def test_a_restored_older_copy_of_the_database_is_caught(grow, anchor_dir, capsys) -> None:
    grow(4)
    earlier = anchors.write_anchor()
    grow(3)
    later = anchors.write_anchor()
    assert (earlier.sequence, later.sequence) == (4, 7)
    cut_tail_after(4)  # the database as it was when the earlier anchor was written
    assert verify_chain().ok
    report = anchors.verify_anchors()
    assert [(p.path, p.kind) for p in report.problems] == [(later.path, "beyond_end")]
    code, _out, err = verify(capsys)
    assert code == 1 and "older copy of the database was restored" in err
    # … and once the restored copy has grown past the anchor again, the hash differs
    grow(5)
    assert [p.kind for p in anchors.verify_anchors().problems] == ["mismatch"]


def test_a_range_rewritten_with_the_key_is_caught_by_a_later_anchor(
    grow, anchor_dir, capsys
) -> None:
    grow(6)
    anchor = anchors.write_anchor()
    run_sql("UPDATE audit_auditentry SET object_repr = %s WHERE sequence = 2", ["改写"])
    rewrite_chain(keyed_hash(chain_key()))  # someone who has the key rehashes from there
    assert verify_chain().ok
    report = anchors.verify_anchors()
    assert [(p.kind, p.sequence) for p in report.problems] == [("mismatch", anchor.sequence)]
    code, _out, err = verify(capsys)
    assert code == 1 and "rewritten" in err and "被改写" in err


def test_a_rewrite_after_the_newest_anchor_is_beyond_what_anchors_show(grow, anchor_dir) -> None:
    """The limit of the design (ADR 0002): with the key, entries after the newest anchor can be
    rewritten unseen; hence an anchor every hour, and anchors copied off the host."""
    grow(3)
    anchors.write_anchor()
    grow(3)
    run_sql("UPDATE audit_auditentry SET object_repr = %s WHERE sequence = 5", ["改写"])
    rewrite_chain(keyed_hash(chain_key()))
    assert verify_chain().ok and anchors.verify_anchors().ok


def test_a_forged_anchor_is_reported(grow, anchor_dir, settings, capsys) -> None:
    grow(3)
    anchor = anchors.write_anchor()
    data = json.loads(anchor.path.read_text())
    data["sequence"] = 2  # altered without the key
    anchor.path.write_text(json.dumps(data))
    (anchor_dir / "20990101T000000000000Z-000000000001.json").write_text("{not json")
    problems = {p.path.name: p.kind for p in anchors.verify_anchors().problems}
    assert problems == {
        anchor.path.name: "forged",
        "20990101T000000000000Z-000000000001.json": "unreadable",
    }
    code, _out, err = verify(capsys)
    assert code == 1 and "伪造" in err and "forged" in err


def test_an_anchor_signed_with_another_key_is_reported(grow, anchor_dir, settings) -> None:
    grow(2)
    anchors.write_anchor()
    settings.AUDIT_KEY = "the-key-of-someone-else"
    assert [p.kind for p in anchors.verify_anchors().problems] == ["forged"]


def test_verify_without_anchors_says_so(grow, anchor_dir, capsys) -> None:
    grow(2)
    code, out, _err = verify(capsys)
    assert code == 0 and "no anchors" in out and "未找到锚点" in out


def test_chengxin_audit_anchor_writes_one(grow, anchor_dir, capsys) -> None:
    call_command("audit", "anchor")
    assert "the chain is empty" in capsys.readouterr().out
    grow(2)
    call_command("audit", "anchor")
    assert "Anchored entry #2" in capsys.readouterr().out
    assert len(anchors.anchor_files(anchor_dir)) == 1


# --- the schedule: the job worker ---------------------------------------------------------------


def test_the_job_worker_command_is_the_one_that_anchors() -> None:
    assert get_commands()["db_worker"] == "chengxin.audit"


@pytest.mark.parametrize(
    ("interval", "batch", "started"),
    [(3600, False, True), (0, False, False), (3600, True, False)],
    ids=["hourly", "interval-0", "batch-run"],
)
@pytest.mark.django_db(transaction=True)  # the worker checks its connection is in autocommit
def test_the_job_worker_starts_anchoring(
    settings, monkeypatch, interval: int, batch: bool, started: bool
) -> None:
    from chengxin.audit.management.commands import db_worker

    settings.AUDIT_ANCHOR_INTERVAL_SECONDS = interval
    calls: list[float] = []
    stop = threading.Event()
    monkeypatch.setattr(db_worker, "start_anchoring", lambda every: calls.append(every) or stop)
    call_command(
        "db_worker", batch=batch, max_tasks=0, interval=0, no_startup_delay=True, verbosity=0
    )
    assert calls == ([interval] if started else [])
    assert stop.is_set() == started  # stopped with the worker


@pytest.mark.django_db(transaction=True)
def test_anchors_are_written_at_start_and_then_every_interval(anchor_dir) -> None:
    append([Event(action="created", object_repr="第一条")])
    stop = anchors.start_anchoring(0.05)
    try:
        wait_for(lambda: len(anchors.anchor_files(anchor_dir)) == 1)
        append([Event(action="created", object_repr="第二条")])
        wait_for(lambda: len(anchors.anchor_files(anchor_dir)) == 2)
    finally:
        stop.set()
    newest = anchors.read_anchor(anchors.anchor_files(anchor_dir)[-1])
    assert newest.sequence == AuditEntry.objects.order_by("-sequence")[0].sequence


def wait_for(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)

"""Re-keying the chain: the migration that upgrades an unkeyed chain, and `chengxin audit rekey`."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from chengxin.audit import anchors
from chengxin.audit.chain import chain_key, keyed_hash, rehash_chain, unkeyed_hash
from chengxin.audit.choices import AuditAction
from chengxin.audit.log import Event, append, verify_chain
from chengxin.audit.models import AuditEntry, ChainHead

migration = importlib.import_module("chengxin.audit.migrations.0003_rekey_chain")


@pytest.fixture
def unkeyed_chain(db) -> list[AuditEntry]:
    """Five entries hashed the old way (plain SHA-256), as an installation before the upgrade."""
    append([Event(action="created", object_repr=f"旧记录{i}") for i in range(5)])
    rehash_chain(AuditEntry, ChainHead, old=keyed_hash(chain_key()), new=unkeyed_hash, batch_size=2)
    assert verify_chain().problem == "content"  # not under the key
    return list(AuditEntry.objects.order_by("sequence"))


def run_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_migration_rekeys_an_intact_chain_and_says_so(unkeyed_chain) -> None:
    migration.rekey(apps, None)
    assert verify_chain().ok and verify_chain().verified == 6
    last = AuditEntry.objects.order_by("-sequence")[0]
    assert last.action == AuditAction.CHAIN_REKEYED and last.sequence == 6
    assert last.after == {"from": "sha256", "to": "hmac-sha256", "entries": 5, "first_break": None}
    head = ChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (6, last.entry_hash)
    append([Event(action="created", object_repr="升级后")])  # the chain goes on
    assert verify_chain().ok


def test_the_migration_records_a_break_it_found(unkeyed_chain) -> None:
    run_sql("UPDATE audit_auditentry SET reason = %s WHERE sequence = 3", ["升级前被篡改"])
    migration.rekey(apps, None)
    assert AuditEntry.objects.order_by("-sequence")[0].after["first_break"] == 3


def test_the_migration_keeps_a_deleted_tail_visible(unkeyed_chain) -> None:
    run_sql("DELETE FROM audit_auditentry WHERE sequence = 5", [])
    migration.rekey(apps, None)
    rekeyed = AuditEntry.objects.order_by("-sequence")[0]
    assert (rekeyed.sequence, rekeyed.after["first_break"]) == (6, 5)
    assert (verify_chain().broken_sequence, verify_chain().problem) == (5, "missing")


def test_the_migration_leaves_an_empty_chain_alone(db) -> None:
    migration.rekey(apps, None)
    assert not AuditEntry.objects.exists()


def test_the_migration_reverses(unkeyed_chain) -> None:
    migration.rekey(apps, None)
    migration.unkey(apps, None)
    assert verify_chain().problem == "content"  # plain SHA-256 again …
    migration.rekey(apps, None)  # … and forward again
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth(settings) -> None:
    append([Event(action="created", object_repr="记录")])
    call_command("migrate", "audit", "0002", verbosity=0)
    assert verify_chain().problem == "content"
    call_command("migrate", "audit", verbosity=0)
    assert verify_chain().ok
    # (the test database was migrated empty: only this upgrade had entries to re-key)
    assert AuditEntry.objects.filter(action=AuditAction.CHAIN_REKEYED).count() == 1


def test_chengxin_audit_rekey_moves_to_a_new_key(db, settings, monkeypatch, tmp_path) -> None:
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    append([Event(action="created", object_repr=f"记录{i}") for i in range(3)])
    old_anchor = anchors.write_anchor()
    monkeypatch.setenv("CHENGXIN_AUDIT_KEY_PREVIOUS", settings.AUDIT_KEY)
    settings.AUDIT_KEY = "a-new-audit-key-0123456789"
    assert not verify_chain().ok
    call_command("audit", "rekey")
    assert verify_chain().ok
    assert AuditEntry.objects.order_by("-sequence")[0].action == AuditAction.CHAIN_REKEYED
    assert not old_anchor.path.exists()  # moved aside, out of verify's way …
    assert list(settings.AUDIT_ANCHOR_DIR.glob(f"before-rekey-*/{old_anchor.path.name}"))
    report = anchors.verify_anchors()  # … and a new one written under the new key
    assert report.ok and report.checked == 1 and report.newest.sequence == 4


def test_chengxin_audit_rekey_refuses_a_wrong_previous_key(db, settings, monkeypatch) -> None:
    append([Event(action="created", object_repr="记录")])
    before = list(AuditEntry.objects.values_list("entry_hash", flat=True))
    monkeypatch.setenv("CHENGXIN_AUDIT_KEY_PREVIOUS", "not-the-key")
    with pytest.raises(CommandError, match="does not verify"):
        call_command("audit", "rekey")
    assert list(AuditEntry.objects.values_list("entry_hash", flat=True)) == before
    monkeypatch.delenv("CHENGXIN_AUDIT_KEY_PREVIOUS")
    with pytest.raises(CommandError, match="CHENGXIN_AUDIT_KEY_PREVIOUS"):
        call_command("audit", "rekey")

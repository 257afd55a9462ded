"""`chengxin backup` and `chengxin restore`: a whole installation back, and nothing else.

These run on whichever database the run is configured with (SQLite, or PostgreSQL with
CHENGXIN_TEST_DATABASE_URL): the restore replaces the test database itself, so every test here
is transactional. The command-line round trip is in test_backup_cli.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection

from chengxin.audit import anchors
from chengxin.audit.choices import AuditAction
from chengxin.audit.log import Event, append, verify_chain
from chengxin.audit.models import AuditEntry
from chengxin.core.personal_data import decrypt
from chengxin.operations import backup
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

PERSON_ID = "370405197105086074"
UPLOAD = "身份证号,姓名\n370405197105086074,张三\n".encode()


@pytest.fixture
def site(settings, tmp_path: Path) -> dict[str, Path]:
    """Every folder of the installation under this test's own folder."""
    folders = {
        "MEDIA_ROOT": tmp_path / "media",
        "REPAIR_EVIDENCE_DIR": tmp_path / "repair-evidence",
        "CASE_ATTACHMENT_DIR": tmp_path / "case-attachments",
        "SYNC_OUTBOX_DIR": tmp_path / "outbox",
        "AUDIT_ANCHOR_DIR": tmp_path / "anchors",
    }
    for name, path in folders.items():
        setattr(settings, name, path)
    return {**folders, "backups": tmp_path / "backups"}


def person(name: str, id_number: str = PERSON_ID) -> Subject:
    subject = Subject(name=name, category=SubjectCategory.NATURAL_PERSON)
    subject.set_id_number(id_number)
    subject.save()
    return subject


def grow(count: int) -> None:
    append([Event(action="created", object_repr=f"记录{i}") for i in range(count)])


def put(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def make_backup(site: dict[str, Path]) -> Path:
    call_command("backup", output=site["backups"], stdout=open("/dev/null", "w"))  # noqa: SIM115
    (made,) = [p for p in site["backups"].iterdir() if p.is_dir()]
    return made


def restore(path: Path, **options: Any) -> None:
    call_command("restore", str(path), stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def verify(capsys) -> tuple[int, str, str]:
    """`chengxin audit verify`: (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        call_command("audit", "verify")
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def wipe(site: dict[str, Path]) -> None:
    """The database emptied (as after `migrate` on a new host) and every file area gone."""
    call_command("flush", interactive=False, verbosity=0)
    for name in ("MEDIA_ROOT", "REPAIR_EVIDENCE_DIR", "CASE_ATTACHMENT_DIR", "SYNC_OUTBOX_DIR"):
        shutil.rmtree(site[name], ignore_errors=True)


@pytest.fixture
def installation(site) -> dict[str, Any]:
    """A person with an encrypted ID number, uploaded files in every area, an anchored chain."""
    zhang = person("张三")
    files = {
        site["MEDIA_ROOT"] / "imports" / "a1.upload": UPLOAD,
        site["MEDIA_ROOT"] / "decisions" / "7" / "决定书.pdf": b"%PDF-1.4 decision",
        site["REPAIR_EVIDENCE_DIR"] / "0f3c.pdf": b"%PDF-1.4 evidence",
        site["CASE_ATTACHMENT_DIR"] / "case-9.png": b"\x89PNG attachment",
        site["SYNC_OUTBOX_DIR"] / "penalty-1.json": b'{"topic": "penalty"}',
    }
    for path, content in files.items():
        put(path, content)
    grow(3)
    anchors.write_anchor()
    return {"person": zhang, "files": files}


# --- the round trip -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_brings_everything_back_and_verifies(
    site, installation, capsys
) -> None:
    made = make_backup(site)
    head_at_backup = AuditEntry.objects.order_by("-sequence")[0]
    # after the backup: another person, a changed file, more entries, a newer anchor
    person("李四", "110101199003070011")
    put(site["MEDIA_ROOT"] / "imports" / "a1.upload", b"changed")
    grow(4)
    later = anchors.write_anchor()
    wipe(site)
    assert not Subject.objects.exists()

    restore(made)  # an empty database: no --force needed

    assert list(Subject.objects.values_list("name", flat=True)) == ["张三"]
    zhang = Subject.objects.get()
    assert decrypt(zhang.id_number_ciphertext) == PERSON_ID  # still encrypted, same key
    for path, content in installation["files"].items():
        assert path.read_bytes() == content
    assert oct(site["REPAIR_EVIDENCE_DIR"].stat().st_mode & 0o777) == "0o700"
    # the chain: the backup's, then one entry recording the restore
    entry = AuditEntry.objects.order_by("-sequence")[0]
    assert entry.action == AuditAction.RESTORED
    assert entry.sequence == head_at_backup.sequence + 1
    assert entry.previous_hash == head_at_backup.entry_hash
    assert entry.after["backup"] == made.name
    assert entry.after["restored_to"] == {
        "sequence": head_at_backup.sequence,
        "entry_hash": head_at_backup.entry_hash,
    }
    assert entry.after["superseded_anchors"] == [later.path.name]
    assert verify_chain().ok
    code, out, err = verify(capsys)
    assert (code, err) == (0, ""), err
    assert "restore" in out and "1 earlier anchors are superseded" in out
    # the site goes on: new entries pass the superseded anchor's sequence with other hashes
    grow(6)
    anchors.write_anchor()
    assert verify(capsys)[0] == 0
    report = anchors.verify_anchors()
    assert [a.path.name for a, _record in report.superseded] == [later.path.name]


@pytest.mark.django_db(transaction=True)
def test_the_backup_folder_manifest_and_what_is_left_out(site, installation) -> None:
    put(site["MEDIA_ROOT"] / "imports" / ".x.upload.4711.tmp", b"half written")
    put(site["MEDIA_ROOT"] / "big.xlsx.part", b"download in progress")
    made = make_backup(site)
    assert oct(made.stat().st_mode & 0o777) == "0o700"
    assert not list(site["backups"].glob("*.partial"))
    manifest = json.loads((made / backup.MANIFEST).read_text())
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == {
        manifest["database"]["file"],
        "files/media/imports/a1.upload",
        "files/media/decisions/7/决定书.pdf",
        "files/repair-evidence/0f3c.pdf",
        "files/case-attachments/case-9.png",
        "files/outbox/penalty-1.json",
    }
    for entry in manifest["files"]:
        size, digest = backup.file_digest(made / entry["path"])
        assert (size, digest) == (entry["size"], entry["sha256"])
        assert oct((made / entry["path"]).stat().st_mode & 0o777) == "0o600"
    head = AuditEntry.objects.order_by("-sequence")[0]
    assert manifest["audit_head"] == {"sequence": head.sequence, "entry_hash": head.entry_hash}
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["audit"] == "0004_restored_action"
    assert manifest["data_key_fingerprint"] == backup.data_key_fingerprint()
    assert manifest["chengxin_version"]
    # the upload holds an ID number in plaintext on disk: it is copied as it is, not decrypted
    assert (made / "files/media/imports/a1.upload").read_bytes() == UPLOAD


@pytest.mark.django_db(transaction=True)
def test_no_key_is_written_into_a_backup(site, installation) -> None:
    made = make_backup(site)
    keys = [django_settings.DATA_KEY, django_settings.SECRET_KEY, django_settings.AUDIT_KEY]
    contents = [path.read_bytes() for path in made.rglob("*") if path.is_file()]
    database = made / json.loads((made / backup.MANIFEST).read_text())["database"]["file"]
    if connection.vendor == "postgresql":  # a custom-format dump is compressed: read it as SQL
        contents.append(
            subprocess.run(
                [backup.postgresql_tool("pg_restore"), "--file=-", str(database)],
                capture_output=True,
                check=True,
            ).stdout
        )
    assert len(contents) >= 7
    for key in keys:
        assert key and all(key.encode() not in content for content in contents)


def test_the_case_attachment_area_is_where_the_cases_app_keeps_them(settings) -> None:
    from chengxin.cases.attachments import folder

    for value in (None, settings.HOME / "elsewhere"):
        settings.CASE_ATTACHMENT_DIR = value
        (area,) = [a for a in backup.file_areas() if a.name == "case-attachments"]
        assert area.path == folder()


# --- refusals -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_backup_made_under_another_data_key_is_refused(site, installation, settings) -> None:
    made = make_backup(site)
    wipe(site)
    settings.DATA_KEY = "another-data-key-0123456789abcdefghij"
    with pytest.raises(CommandError) as refused:
        restore(made)
    message = str(refused.value)
    assert "CHENGXIN_DATA_KEY" in message and "docs/keys.md" in message and "保险柜" in message
    assert "未做任何更改" in message
    assert not Subject.objects.exists() and not site["MEDIA_ROOT"].exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "target", ["files/repair-evidence/0f3c.pdf", "database"], ids=["upload", "database"]
)
def test_a_tampered_backup_file_is_refused_naming_it(site, installation, target: str) -> None:
    made = make_backup(site)
    manifest = json.loads((made / backup.MANIFEST).read_text())
    name = manifest["database"]["file"] if target == "database" else target
    with (made / name).open("r+b") as handle:
        handle.seek(10)
        byte = handle.read(1)
        handle.seek(10)
        handle.write(bytes([byte[0] ^ 1]))
    person("李四", "110101199003070011")
    with pytest.raises(CommandError, match=f"备份文件 {name} 的校验值与清单不符"):
        restore(made, force=True)
    assert Subject.objects.count() == 2  # nothing was changed


@pytest.mark.django_db(transaction=True)
def test_a_manifest_re_summed_after_tampering_is_refused(site, installation) -> None:
    made = make_backup(site)
    evidence = made / "files/repair-evidence/0f3c.pdf"
    evidence.write_bytes(b"%PDF-1.4 forged evidence")
    manifest = json.loads((made / backup.MANIFEST).read_text())
    for entry in manifest["files"]:
        if entry["path"] == "files/repair-evidence/0f3c.pdf":
            entry["size"], entry["sha256"] = backup.file_digest(evidence)
    (made / backup.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="签名无效"):
        restore(made, force=True)


@pytest.mark.django_db(transaction=True)
def test_a_database_in_use_is_replaced_only_with_force(site, installation) -> None:
    made = make_backup(site)
    person("李四", "110101199003070011")
    put(site["MEDIA_ROOT"] / "imports" / "b2.upload", b"newer upload")
    with pytest.raises(CommandError, match="--force"):
        restore(made)
    assert Subject.objects.count() == 2
    restore(made, force=True)
    assert list(Subject.objects.values_list("name", flat=True)) == ["张三"]
    assert not (site["MEDIA_ROOT"] / "imports" / "b2.upload").exists()
    (aside,) = site["MEDIA_ROOT"].parent.glob("media.before-restore-*")
    assert (aside / "imports" / "b2.upload").read_bytes() == b"newer upload"
    assert verify_chain().ok and anchors.verify_anchors().ok


@pytest.mark.django_db(transaction=True)
def test_a_restore_replaces_tables_made_after_the_backup(site, installation) -> None:
    made = make_backup(site)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_feature (id integer PRIMARY KEY)")
    restore(made, force=True)
    assert "later_feature" not in connection.introspection.table_names()


# --- the audit chain: a recorded restore passes, a silent rollback does not ----------------------


def database_file_of(made: Path) -> Path:
    return made / json.loads((made / backup.MANIFEST).read_text())["database"]["file"]


@pytest.mark.django_db(transaction=True)
def test_an_older_database_put_back_without_restore_is_still_reported(
    site, installation, capsys
) -> None:
    made = make_backup(site)
    grow(4)
    later = anchors.write_anchor()
    backup.load_database(database_file_of(made), connection.vendor)  # a silent rollback
    assert verify_chain().ok  # the database alone cannot tell
    problems = anchors.verify_anchors().problems
    assert [(p.path, p.kind) for p in problems] == [(later.path, "beyond_end")]
    code, _out, err = verify(capsys)
    assert code == 1 and "older copy of the database was restored" in err


@pytest.mark.django_db(transaction=True)
def test_a_silent_rollback_after_a_recorded_restore_is_reported(site, installation, capsys) -> None:
    made = make_backup(site)
    grow(2)
    anchors.write_anchor()
    restore(made, force=True)
    assert verify(capsys)[0] == 0
    grow(3)
    after_restore = anchors.write_anchor()
    # the backup put back again, by hand: the restore entry and everything after it are gone
    backup.load_database(database_file_of(made), connection.vendor)
    report = anchors.verify_anchors()
    assert report.restores == []  # its own entry is gone: the record vouches for nothing
    kinds = {p.path.name: p.kind for p in report.problems}
    assert kinds[after_restore.path.name] == "beyond_end"
    assert any(name.endswith("-restore.json") for name in kinds)
    assert verify(capsys)[0] == 1


@pytest.mark.django_db(transaction=True)
def test_a_restore_record_is_signed_with_the_audit_key(site, installation, settings) -> None:
    made = make_backup(site)
    grow(2)
    anchors.write_anchor()
    restore(made, force=True)
    (record_path,) = settings.AUDIT_ANCHOR_DIR.glob("*-restore.json")
    record = json.loads(record_path.read_text())
    assert record["kind"] == "restore" and len(record["supersedes"]) == 1
    record["supersedes"].append({"file": "x.json", "sequence": 99, "entry_hash": "0" * 64})
    record_path.write_text(json.dumps(record))  # altered without the key
    kinds = sorted(p.kind for p in anchors.verify_anchors().problems)
    assert kinds == ["beyond_end", "forged"]  # and the anchor it covered is reported again

"""`chengxin rotate_data_key`: everything encrypted under key A ends up under key B alone."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import CommandError, call_command

from chengxin.audit.choices import AuditAction
from chengxin.audit.log import verify_chain
from chengxin.audit.models import AuditEntry
from chengxin.core.personal_data import decrypt_with, encrypt_with
from chengxin.imports.models import ImportBatch, ImportRejection
from chengxin.operations.management.commands.rotate_data_key import encrypted_models
from chengxin.portal.queries import search
from chengxin.publicity import samples
from chengxin.publicity.choices import RecordKind
from chengxin.publicity.importing import ChunkResult, RecordImporter
from chengxin.publicity.models import PenaltyRecord
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

KEY_A, KEY_B = "data-key-A-0123456789abcdefghij", "data-key-B-0123456789abcdefghij"
PERSON_ID = "370405197105086074"  # a valid number: the portal searches only those


def import_penalties(department: Any, *, first_serial: int = 1) -> ChunkResult:
    rows = samples.sample_rows(
        random.Random(first_serial),
        RecordKind.PENALTY,
        30,
        (department.name, department.credit_code),
        first_serial=first_serial,
    )
    importer = RecordImporter(RecordKind.PENALTY, department)
    importer.set_header(samples.header(RecordKind.PENALTY))
    cells = [samples.as_cells(RecordKind.PENALTY, row) for row in rows]
    return importer.process(list(enumerate(cells, start=2)))


def ciphertexts() -> Iterator[tuple[str, Any, str, str]]:
    """(model, pk, field, token) of every ciphertext in the database."""
    for spec in encrypted_models():
        for row in spec.model._base_manager.values("pk", *spec.ciphertexts):
            for name in spec.ciphertexts:
                if row[name]:
                    yield spec.label, row["pk"], name, row[name]


@pytest.fixture(autouse=True)
def _own_files(settings, tmp_path) -> None:
    """The run re-seals every sealed file too (test_sealed_files.py): only this test's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPAIR_EVIDENCE_DIR = tmp_path / "repair-evidence"
    settings.CASE_ATTACHMENT_DIR = tmp_path / "case-attachments"


@pytest.fixture
def under_key_a(settings, make_department) -> dict[str, Any]:
    """Under key A: a person searched by ID number, imported penalties (persons among them, one
    with a legal representative's ID number) and an import's rejected row."""
    settings.DATA_KEY = KEY_A
    person = Subject(name="张三", category=SubjectCategory.NATURAL_PERSON)
    person.set_id_number(PERSON_ID)
    person.save()
    department = make_department()
    assert import_penalties(department).created == 30
    import_penalties(department, first_serial=1000)  # not imported again below
    organisation = PenaltyRecord.objects.filter(id_number_ciphertext="").order_by("-pk")[0]
    PenaltyRecord.objects.filter(pk=organisation.pk).update(
        legal_representative_id_ciphertext=encrypt_with(KEY_A, "370405198001011234")
    )
    batch = ImportBatch.objects.create(
        kind=RecordKind.PENALTY, department=department, source="command"
    )
    ImportRejection.objects.create(
        batch=batch,
        row_number=2,
        cells_ciphertext=ImportRejection.seal(["李四", PERSON_ID]),
        errors=[],
    )
    assert PenaltyRecord.objects.exclude(id_number_ciphertext="").exists()
    return {"person": person, "department": department}


def rotate(settings, monkeypatch, **options: Any) -> None:
    settings.DATA_KEY = KEY_B
    monkeypatch.setenv("CHENGXIN_DATA_KEY_PREVIOUS", KEY_A)
    call_command("rotate_data_key", **options)


def test_everything_is_under_the_new_key_and_still_found(under_key_a, settings, monkeypatch):
    before = list(ciphertexts())
    assert {label for label, *_ in before} >= {
        "subjects.Subject",
        "publicity.PenaltyRecord",
        "imports.ImportRejection",
    }
    rotate(settings, monkeypatch, batch_size=7)  # several batches per model
    after = list(ciphertexts())
    assert len(after) == len(before)
    for (label, pk, name, old), (_, _, _, new) in zip(before, after, strict=True):
        assert decrypt_with(KEY_B, new) == decrypt_with(KEY_A, old), (label, pk, name)
        with pytest.raises(InvalidTag):
            decrypt_with(KEY_A, new)  # nothing left under A
    # the blind index: a search by ID number still finds the person
    assert search(PERSON_ID).subjects == [under_key_a["person"]]
    assert ImportRejection.objects.get().cells == ["李四", PERSON_ID]
    for record in PenaltyRecord.objects.exclude(id_number_ciphertext=""):
        assert record.content_hash == record.compute_content_hash()
    # re-importing the unchanged file changes nothing (the fingerprints follow the new key)
    assert import_penalties(under_key_a["department"]).unchanged == 30
    entry = AuditEntry.objects.filter(action=AuditAction.DATA_KEY_ROTATED).get()
    assert entry.after["unreadable"] == 0 and entry.after["rewritten"]["subjects.Subject"] >= 1
    assert verify_chain().ok


def test_a_second_run_changes_nothing(under_key_a, settings, monkeypatch, capsys):
    rotate(settings, monkeypatch)
    first = sorted(ciphertexts())
    indexes = sorted(Subject.objects.values_list("pk", "id_number_index"))
    capsys.readouterr()
    rotate(settings, monkeypatch)
    assert sorted(ciphertexts()) == first
    assert sorted(Subject.objects.values_list("pk", "id_number_index")) == indexes
    out = capsys.readouterr().out
    assert "OK: 0 rows re-encrypted" in out and "0 rows re-encrypted" in out


def test_a_run_stopped_half_way_is_finished_by_the_next(under_key_a, settings, monkeypatch):
    """Rows already under the new key (as a stopped run leaves them) are kept as they are."""
    person = under_key_a["person"]
    done = encrypt_with(KEY_B, PERSON_ID)
    Subject.objects.filter(pk=person.pk).update(id_number_ciphertext=done)
    rotate(settings, monkeypatch)
    person.refresh_from_db()
    assert person.id_number_ciphertext == done  # detected as new, not encrypted again
    assert search(PERSON_ID).subjects == [person]  # its index was recomputed all the same


def test_a_value_under_neither_key_is_reported_and_left(under_key_a, settings, monkeypatch):
    stranger = encrypt_with("some-third-key-0123456789", "370405199202021234")
    rejection = ImportRejection.objects.get()
    ImportRejection.objects.filter(pk=rejection.pk).update(cells_ciphertext=stranger)
    with pytest.raises(CommandError, match="1 values open under neither key"):
        rotate(settings, monkeypatch)
    rejection.refresh_from_db()
    assert rejection.cells_ciphertext == stranger
    person = Subject.objects.get(pk=under_key_a["person"].pk)
    assert decrypt_with(KEY_B, person.id_number_ciphertext) == PERSON_ID  # the rest rotated


@pytest.mark.parametrize(("previous", "message"), [("", "Set"), (KEY_B, "the same")])
def test_the_previous_key_is_required_and_different(settings, monkeypatch, previous, message):
    settings.DATA_KEY = KEY_B
    monkeypatch.setenv("CHENGXIN_DATA_KEY_PREVIOUS", previous)
    with pytest.raises(CommandError, match=message):
        call_command("rotate_data_key")


def test_every_field_holding_ciphertext_is_covered() -> None:
    """Tripwire: the command finds ciphertext by the `*_ciphertext` naming rule; a field that
    holds `encrypt()` output under another name would be left under the old key."""
    covered = {(spec.label, name) for spec in encrypted_models() for name in spec.ciphertexts}
    assert covered >= {
        ("subjects.Subject", "id_number_ciphertext"),
        ("publicity.PenaltyRecord", "id_number_ciphertext"),
        ("publicity.PenaltyRecord", "legal_representative_id_ciphertext"),
        ("publicity.LicenseRecord", "legal_representative_id_ciphertext"),
        ("screening.ListEntry", "id_number_ciphertext"),
        ("screening.CreditCheck", "id_number_ciphertext"),
        ("cases.CaseParty", "id_number_ciphertext"),
        ("imports.ImportRejection", "cells_ciphertext"),
        ("screening.ListImportRejection", "cells_ciphertext"),
    }
    indexed = {spec.label: spec.indexes for spec in encrypted_models()}
    assert indexed["subjects.Subject"] == {"id_number_ciphertext": "id_number_index"}
    assert {spec.label for spec in encrypted_models() if spec.has_fingerprint} == {
        "publicity.LicenseRecord",
        "publicity.PenaltyRecord",
    }
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if "cipher" in field.name or "encrypt" in field.name:
                assert field.name.endswith("_ciphertext"), (model._meta.label, field.name)

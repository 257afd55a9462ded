"""core.sealed_files: files with personal data sealed at rest, `chengxin seal_files` for the files
from before, and `chengxin rotate_data_key` moving every sealed file to the new key."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core import sealed_files
from chengxin.core.sealed_files import (
    HEADER_SIZE,
    TAG_SIZE,
    NotSealed,
    TamperedFile,
    is_sealed,
    open_sealed,
    read_document,
    read_sealed,
    read_sealed_with,
    reseal,
    seal_in_place,
    sealed_folders,
    write_sealed,
    write_sealed_with,
)

KEY_A, KEY_B = "data-key-A-0123456789abcdefghij", "data-key-B-0123456789abcdefghij"
ID_NUMBER = b"370405197105086074"
CSV = "姓名,证件号码\n张三,370405197105086074\n".encode()
SMALL = 16  # segment size in the boundary tests: several segments from a few bytes


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sealed_files, "SEGMENT_SIZE", SMALL)


@pytest.fixture
def folders(settings: Any, tmp_path: Path) -> dict[str, Path]:
    """Every folder of sealed files in the test's own folder, under key A."""
    settings.DATA_KEY = KEY_A
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPAIR_EVIDENCE_DIR = tmp_path / "repair-evidence"
    settings.CASE_ATTACHMENT_DIR = tmp_path / "case-attachments"
    return {
        "repair-evidence": tmp_path / "repair-evidence",
        "case-attachments": tmp_path / "case-attachments",
        "import-uploads": tmp_path / "media" / "imports",
        "screening-uploads": tmp_path / "media" / "screening",
    }


# --- writing and reading ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, SMALL - 1, SMALL, SMALL + 1, 2 * SMALL, 5 * SMALL + 3])
def test_what_is_sealed_is_read_back_exactly(small_segments, settings, tmp_path, size) -> None:
    content = os.urandom(size)
    path = tmp_path / "file.pdf"
    assert write_sealed(path, content) == hashlib.sha256(content).hexdigest()
    assert read_sealed(path) == content
    with open_sealed(path) as stream:  # streamed, a few bytes at a time
        assert b"".join(iter(lambda: stream.read(5), b"")) == content
    segments = max(1, -(-size // SMALL))
    assert path.stat().st_size == HEADER_SIZE + size + segments * TAG_SIZE
    assert sealed_files.plaintext_size(path) == size


def test_chunks_are_sealed_as_one_file(small_segments, settings, tmp_path) -> None:
    chunks = [CSV[:7], b"", CSV[7:30], CSV[30:]]
    path = tmp_path / "a.upload"
    assert write_sealed(path, iter(chunks)) == hashlib.sha256(CSV).hexdigest()
    assert read_sealed(path) == CSV


def test_a_sealed_file_is_private_and_holds_no_plaintext(settings, tmp_path) -> None:
    folder = tmp_path / "new"
    path = folder / "a.upload"
    write_sealed(path, CSV * 1000)
    raw = path.read_bytes()
    assert ID_NUMBER not in raw and "张三".encode() not in raw
    assert raw.startswith(sealed_files.MAGIC) and is_sealed(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert [p.name for p in folder.iterdir()] == ["a.upload"]  # no temporary file left


def test_two_sealings_of_one_content_differ(settings, tmp_path) -> None:
    write_sealed(tmp_path / "a", CSV)
    write_sealed(tmp_path / "b", CSV)
    assert (tmp_path / "a").read_bytes() != (tmp_path / "b").read_bytes()  # a salt per file


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(settings, tmp_path) -> None:
    path = tmp_path / "a.pdf"
    write_sealed(path, b"%PDF-1.4 first")

    def broken() -> Iterator[bytes]:
        yield b"%PDF-1.4 second"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_sealed(path, broken())
    assert read_sealed(path) == b"%PDF-1.4 first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


# --- refused -------------------------------------------------------------------------------------


def _flip(path: Path, offset: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x01
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    "offset",
    [
        len(sealed_files.MAGIC),  # the version
        HEADER_SIZE - 1,  # the salt
        HEADER_SIZE,  # the first segment
        HEADER_SIZE + SMALL + TAG_SIZE + 3,  # the second segment
        -1,  # the last tag
    ],
)
def test_a_changed_byte_anywhere_is_refused(small_segments, settings, tmp_path, offset) -> None:
    path = tmp_path / "a.upload"
    write_sealed(path, CSV)
    _flip(path, offset if offset >= 0 else path.stat().st_size + offset)
    with pytest.raises(TamperedFile):
        read_sealed(path)


def test_a_file_cut_at_a_segment_boundary_or_extended_is_refused(
    small_segments, settings, tmp_path
) -> None:
    path = tmp_path / "a.upload"
    write_sealed(path, CSV)
    raw = path.read_bytes()
    sealed_segment = SMALL + TAG_SIZE
    cut = raw[: HEADER_SIZE + 2 * sealed_segment]  # whole segments, the last one missing
    extended = raw + raw[HEADER_SIZE : HEADER_SIZE + sealed_segment]
    body = raw[HEADER_SIZE:]
    swapped = (
        raw[:HEADER_SIZE]
        + body[sealed_segment : 2 * sealed_segment]
        + body[:sealed_segment]
        + body[2 * sealed_segment :]
    )
    for changed in (cut, extended, swapped, raw[:HEADER_SIZE], raw[: HEADER_SIZE - 3]):
        path.write_bytes(changed)
        with pytest.raises(TamperedFile):
            read_sealed(path)


def test_another_key_does_not_open_it(settings, tmp_path) -> None:
    path = tmp_path / "a.upload"
    write_sealed_with(KEY_A, path, CSV)
    assert read_sealed_with(KEY_A, path) == CSV
    with pytest.raises(TamperedFile):
        read_sealed_with(KEY_B, path)


def test_a_plaintext_file_is_told_apart(settings, tmp_path) -> None:
    path = tmp_path / "old.pdf"
    path.write_bytes(b"%PDF-1.4 from before")
    assert not is_sealed(path)
    with pytest.raises(NotSealed):
        read_sealed(path)


def test_a_document_is_the_one_recorded_at_upload(settings, tmp_path) -> None:
    content = b"%PDF-1.4 evidence"
    digest = hashlib.sha256(content).hexdigest()
    sealed, legacy = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_sealed(sealed, content)
    legacy.write_bytes(content)
    assert read_document(sealed, sha256=digest) == content
    assert read_document(legacy, sha256=digest) == content  # before `chengxin seal_files`
    legacy.write_bytes(b"%PDF-1.4 forged")
    with pytest.raises(TamperedFile):
        read_document(legacy, sha256=digest)


# --- sealing files from before, rotating the key -------------------------------------------------


def test_seal_in_place_and_reseal_are_idempotent(settings, tmp_path) -> None:
    path = tmp_path / "old.pdf"
    path.write_bytes(b"%PDF-1.4 from before")
    path.chmod(0o644)
    assert seal_in_place(path, secret=KEY_A) is True
    assert seal_in_place(path, secret=KEY_A) is False
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert read_sealed_with(KEY_A, path) == b"%PDF-1.4 from before"
    assert reseal(path, old=KEY_A, new=KEY_B) is True
    assert reseal(path, old=KEY_A, new=KEY_B) is False  # a stopped run is run again
    assert read_sealed_with(KEY_B, path) == b"%PDF-1.4 from before"
    with pytest.raises(TamperedFile):
        read_sealed_with(KEY_A, path)


def test_every_folder_of_personal_files_is_known(folders) -> None:
    """Tripwire: the apps that keep personal files name their folders (`<app>/sealed.py`)."""
    assert {f.name: Path(f.folder()) for f in sealed_folders()} == folders


def _put_files(folders: dict[str, Path]) -> dict[Path, bytes]:
    """In each folder a file from before sealing and one sealed under key A; beside them a
    temporary file of a write that died (ignored)."""
    files: dict[Path, bytes] = {}
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".upload" if "uploads" in name else ".pdf"
        old, new = folder / f"old{suffix}", folder / f"new{suffix}"
        old.write_bytes(CSV + name.encode())
        write_sealed_with(KEY_A, new, CSV + b"sealed " + name.encode())
        (folder / f".x{suffix}.1234.tmp").write_bytes(b"half")
        files[old] = CSV + name.encode()
        files[new] = CSV + b"sealed " + name.encode()
    return files


@pytest.mark.django_db
def test_seal_files_seals_the_files_from_before_once(folders, capsys) -> None:
    files = _put_files(folders)
    with pytest.raises(CommandError, match="4 个文件尚未加密存储"):
        call_command("seal_files", check=True)
    call_command("seal_files")
    assert "OK: 4 files sealed" in capsys.readouterr().out
    for path, content in files.items():
        assert read_sealed_with(KEY_A, path) == content
        assert ID_NUMBER not in path.read_bytes()
    sealed = {path: path.read_bytes() for path in files}
    call_command("seal_files")  # a second run changes nothing
    assert "OK: 0 files sealed" in capsys.readouterr().out
    assert {path: path.read_bytes() for path in files} == sealed
    call_command("seal_files", check=True)
    assert "OK: every file is sealed" in capsys.readouterr().out


@pytest.mark.django_db
def test_rotate_data_key_reseals_every_file(folders, settings, monkeypatch, capsys) -> None:
    files = _put_files(folders)
    settings.DATA_KEY = KEY_B
    monkeypatch.setenv("CHENGXIN_DATA_KEY_PREVIOUS", KEY_A)
    call_command("rotate_data_key")
    out = capsys.readouterr().out
    assert "repair-evidence: 1 files re-sealed, 1 sealed (were plaintext)" in out
    assert "8 files re-sealed" in out
    for path, content in files.items():
        assert read_sealed_with(KEY_B, path) == content
        with pytest.raises(TamperedFile):
            read_sealed_with(KEY_A, path)
    entry = AuditEntry.objects.filter(action=AuditAction.DATA_KEY_ROTATED).get()
    assert entry.after["files"] == dict.fromkeys(folders, 2)
    call_command("rotate_data_key")  # restartable: nothing left to do
    assert "0 files re-sealed" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_file_under_neither_key_is_reported_and_left(folders, settings, monkeypatch) -> None:
    stranger = folders["case-attachments"] / "stranger.pdf"
    write_sealed_with("some-third-key-0123456789", stranger, b"%PDF-1.4")
    before = stranger.read_bytes()
    settings.DATA_KEY = KEY_B
    monkeypatch.setenv("CHENGXIN_DATA_KEY_PREVIOUS", KEY_A)
    with pytest.raises(CommandError, match="1 values open under neither key"):
        call_command("rotate_data_key")
    assert stranger.read_bytes() == before

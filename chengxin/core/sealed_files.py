"""Files with personal data at rest: sealed with AES-256-GCM under a key derived from the data key.

Repair evidence, case attachments and the import and batch-check uploads waiting for their job
are written with `write_sealed` and read back with `read_sealed` (whole, for a download) or
`open_sealed` (a stream, for a table of up to IMPORT_MAX_UPLOAD_MB). A sealed file is

    header   b"\\x80CXSEAL" | version 0x01 | segment size (uint32, big-endian) | salt (16 bytes)
    segments ciphertext+tag of each `segment size` bytes of plaintext (the last one shorter,
             possibly empty)

The file's key is HKDF(data key → "chengxin-sealed-files" key, salt), so no two files share a
key; segment i is sealed with nonce = i (11 bytes, big-endian) | 0x01 on the last segment, 0x00
before it, and the header as associated data (the STREAM construction): a changed, reordered,
cut or extended file is refused with `TamperedFile`, never read as something else. Segments
keep memory flat for a 200 MB upload, and a reader can stream a CSV file without its plaintext
ever being whole in memory or on disk.

A file is written to a private (0600) temporary file `.<name>.<random>.tmp` in the same folder
and renamed over the target, so a reader sees the old file or the new one, never half of one.
A file without the header is a plaintext file from before sealing (`is_sealed`): `seal_in_place`
seals it (`chengxin seal_files`), `reseal` moves a sealed file to a new key (`chengxin
rotate_data_key`). Apps name their folders of sealed files in `<app>/sealed.py`
(`FOLDERS = (SealedFolder(...), ...)`), found by `core.discovery.app_modules`.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import struct
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

MAGIC = b"\x80CXSEAL"  # 0x80 begins no UTF-8, GB18030, PDF, PNG, JPEG or ZIP file
VERSION = 1
SEGMENT_SIZE = 1 << 20
SALT_SIZE = 16
TAG_SIZE = 16
_HEADER = struct.Struct(">7sBI16s")
HEADER_SIZE = _HEADER.size  # 28
TEMPORARY_SUFFIX = ".tmp"  # left out of backups (operations.backup.TEMPORARY_SUFFIXES)


class SealedFileError(Exception):
    """A sealed file that cannot be opened. The message names no content, only the problem."""


class TamperedFile(SealedFileError):
    """Not sealed under this key, or changed since it was sealed (or a wrong key)."""


class NotSealed(SealedFileError):
    """A plaintext file (from before sealing) where a sealed one was expected."""


# --- keys ---------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _files_key(secret: str) -> bytes:
    """The key all file keys derive from: its own HKDF label, apart from personal_data's keys."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"chengxin-sealed-files", info=b"v1"
    ).derive(secret.encode())


def _file_cipher(secret: str, salt: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"file").derive(
        _files_key(secret)
    )
    return AESGCM(key)


def _nonce(index: int, *, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


# --- writing ------------------------------------------------------------------------------------


def _sealed_segments(secret: str, chunks: Iterable[bytes], digest: Any) -> Iterator[bytes]:
    """The header, then each sealed segment of the concatenated `chunks` (added to `digest`)."""
    salt = os.urandom(SALT_SIZE)
    header = _HEADER.pack(MAGIC, VERSION, SEGMENT_SIZE, salt)
    cipher = _file_cipher(secret, salt)
    yield header
    pending = bytearray()
    index = 0
    for chunk in chunks:
        digest.update(chunk)
        pending += chunk
        while len(pending) > SEGMENT_SIZE:  # strictly more: the last segment is never ahead
            segment = bytes(pending[:SEGMENT_SIZE])
            del pending[:SEGMENT_SIZE]
            yield cipher.encrypt(_nonce(index, last=False), segment, header)
            index += 1
    yield cipher.encrypt(_nonce(index, last=True), bytes(pending), header)


def write_atomically(path: Path, blocks: Iterable[bytes]) -> None:
    """Write `blocks` to `path` through a 0600 temporary file in the same folder and a rename."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:  # mkstemp: 0600 whatever the umask
            for block in blocks:
                handle.write(block)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_sealed_with(secret: str, path: Path, data: bytes | Iterable[bytes]) -> str:
    """`write_sealed` under `secret` instead of settings.DATA_KEY."""
    chunks: Iterable[bytes] = (bytes(data),) if isinstance(data, bytes | bytearray) else data
    digest = hashlib.sha256()
    write_atomically(path, _sealed_segments(secret, chunks, digest))
    return digest.hexdigest()


def write_sealed(path: Path, data: bytes | Iterable[bytes]) -> str:
    """Seal `data` (bytes, or chunks such as an upload's `chunks()`) into `path`, atomically;
    returns the SHA-256 (hex) of the plaintext."""
    return write_sealed_with(settings.DATA_KEY, path, data)


# --- reading ------------------------------------------------------------------------------------


def is_sealed(path: Path) -> bool:
    """Whether the file starts with a sealed file's header (else: a plaintext file)."""
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


class SealedReader(io.RawIOBase):
    """A sealed file's plaintext as a readable binary stream, one segment in memory at a time.
    Reading a segment that does not open raises `TamperedFile`."""

    def __init__(self, handle: BinaryIO, secret: str) -> None:
        super().__init__()
        self._handle = handle
        header = handle.read(HEADER_SIZE)
        if not header.startswith(MAGIC):
            raise NotSealed("the file is not sealed")
        if len(header) < HEADER_SIZE:
            raise TamperedFile("the sealed file's header is cut short")
        _magic, version, segment_size, salt = _HEADER.unpack(header)
        if version != VERSION or not 0 < segment_size <= 64 * SEGMENT_SIZE:
            raise TamperedFile(f"unknown sealed file version {version} or segment size")
        self._header = header
        self._cipher = _file_cipher(secret, salt)
        self._sealed_size = segment_size + TAG_SIZE
        self._index = 0
        self._ahead = handle.read(self._sealed_size)
        self._buffer = b""
        self._position = 0
        self._ended = False

    def readable(self) -> bool:
        return True

    def _next_segment(self) -> bytes:
        current = self._ahead
        self._ahead = self._handle.read(self._sealed_size) if current else b""
        last = not self._ahead
        if last:
            self._ended = True
        try:
            plain = self._cipher.decrypt(_nonce(self._index, last=last), current, self._header)
        except InvalidTag as exc:
            raise TamperedFile(f"segment {self._index} of the sealed file does not open") from exc
        self._index += 1
        return plain

    def readinto(self, target: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._position >= len(self._buffer):
            if self._ended:
                return 0
            self._buffer, self._position = self._next_segment(), 0
        count = min(len(target), len(self._buffer) - self._position)
        target[:count] = self._buffer[self._position : self._position + count]
        self._position += count
        return count

    def verify_first_segment(self) -> None:
        """Open the first segment (raising `TamperedFile`), keeping it for the next read."""
        if self._index == 0 and not self._ended:
            self._buffer, self._position = self._next_segment(), 0

    def close(self) -> None:
        try:
            self._handle.close()
        finally:
            super().close()


def open_sealed_with(secret: str, path: Path) -> io.BufferedReader:
    """`open_sealed` under `secret`."""
    handle = path.open("rb")
    try:
        reader = SealedReader(handle, secret)
        reader.verify_first_segment()  # a wrong key or a changed start fails here, not mid-way
    except BaseException:
        handle.close()
        raise
    return io.BufferedReader(reader, buffer_size=SEGMENT_SIZE)


def open_sealed(path: Path) -> io.BufferedReader:
    """The plaintext of the sealed file at `path` as a binary stream (close it after use).

    Raises `NotSealed` for a plaintext file; `TamperedFile` when the first segment does not open,
    or later, from `read`, when a later one does not."""
    return open_sealed_with(settings.DATA_KEY, path)


def read_sealed_with(secret: str, path: Path) -> bytes:
    """`read_sealed` under `secret`."""
    with open_sealed_with(secret, path) as stream:
        return stream.read()


def read_sealed(path: Path) -> bytes:
    """The whole plaintext of the sealed file at `path`, checked to its last byte before it is
    returned. Raises `NotSealed` for a plaintext file, `TamperedFile` for a changed one."""
    return read_sealed_with(settings.DATA_KEY, path)


def plaintext_size(path: Path) -> int:
    """The plaintext's size from the sealed file's size (for a progress estimate: unchecked)."""
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        return 0
    segment_size = _HEADER.unpack(header)[2] or SEGMENT_SIZE
    body = path.stat().st_size - HEADER_SIZE
    segments = -(-body // (segment_size + TAG_SIZE))
    return max(0, body - segments * TAG_SIZE)


def _stream(reader: BinaryIO) -> Iterator[bytes]:
    while block := reader.read(SEGMENT_SIZE):
        yield block


# --- sealing plaintext files, rotating the key ----------------------------------------------


def seal_in_place(path: Path, *, secret: str | None = None) -> bool:
    """Seal a plaintext file where it lies (kept 0600, replaced atomically); False when it is
    sealed already. The one-off step for files from before sealing (`chengxin seal_files`)."""
    if is_sealed(path):
        return False
    with path.open("rb") as plain:
        write_sealed_with(secret or settings.DATA_KEY, path, _stream(plain))
    return True


def opens_with(secret: str, path: Path) -> bool:
    """Whether the sealed file's first segment opens under `secret` (a file is sealed whole under
    one key: a re-seal replaces it atomically)."""
    try:
        open_sealed_with(secret, path).close()
    except TamperedFile:
        return False
    return True


def reseal(path: Path, *, old: str, new: str) -> bool:
    """Re-seal the file under `new`, reading it with `old`; False when it is under `new` already
    (a stopped rotation is simply run again). Raises `TamperedFile` when it opens under neither;
    `NotSealed` for a plaintext file."""
    if opens_with(new, path):
        return False
    with open_sealed_with(old, path) as stream:
        write_sealed_with(new, path, _stream(stream))
    return True


# --- where sealed files are kept ------------------------------------------------------------


@dataclass(frozen=True)
class SealedFolder:
    """A folder whose files are sealed: a name for reports, the folder (from settings, read when
    asked), and which file names in it are sealed files."""

    name: str
    folder: Callable[[], Path]
    pattern: str = "*"

    def files(self) -> list[Path]:
        """The sealed (or still plaintext) files in the folder; temporary files left out."""
        root = Path(self.folder())
        if not root.is_dir():
            return []
        return sorted(
            path
            for path in root.glob(self.pattern)
            if path.is_file() and not path.name.startswith(".")
        )


def sealed_folders() -> list[SealedFolder]:
    """Every installed app's `sealed.FOLDERS`, in INSTALLED_APPS order."""
    from chengxin.core.discovery import app_modules

    return [folder for _label, module in app_modules("sealed") for folder in module.FOLDERS]


def stray_temporary_files(folder: Path, older_than: float) -> list[Path]:
    """Temporary files of writes that died (`.<name>.<random>.tmp`, ciphertext only) in
    `folder` last changed before the timestamp `older_than`: for a recovery to delete."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f".*{TEMPORARY_SUFFIX}"):
        try:
            if path.stat().st_mtime < older_than:
                found.append(path)
        except FileNotFoundError:
            continue
    return found


# --- a stored document (evidence, attachment) with its recorded SHA-256 ------------------------

TAMPERED_MESSAGE = _("文件已损坏或被改动，无法打开。此事已记入系统日志，请联系系统管理员。")


def read_document(path: Path, *, sha256: str) -> bytes:
    """The content of a stored document whose SHA-256 was recorded when it was uploaded.

    A sealed file is opened and checked to its last byte. A plaintext file from before sealing
    (not yet through `chengxin seal_files`) is returned only if its SHA-256 is the recorded one,
    so a file put in its place is refused either way: `TamperedFile`."""
    if is_sealed(path):
        content = read_sealed(path)
    else:
        content = path.read_bytes()
        logger.warning("%s is not sealed yet: run `chengxin seal_files`", path.name)
    if sha256 and hashlib.sha256(content).hexdigest() != sha256:
        raise TamperedFile("the file's SHA-256 is not the one recorded at upload")
    return content


# --- every folder at once: the one-off sealing and the key rotation ------------------------------


@dataclass
class FolderResult:
    """What one pass over a folder did: files sealed from plaintext, re-sealed under the new
    key, left as they were, and the names of those that open under no key given."""

    name: str
    sealed: int = 0
    resealed: int = 0
    unchanged: int = 0
    unreadable: list[str] = field(default_factory=list)


def seal_folder(folder: SealedFolder, *, secret: str) -> FolderResult:
    """Seal every plaintext file of `folder` under `secret`; sealed files are left alone."""
    result = FolderResult(folder.name)
    for path in folder.files():
        try:
            changed = seal_in_place(path, secret=secret)
        except FileNotFoundError:  # a job deleted its upload meanwhile
            continue
        if changed:
            result.sealed += 1
        else:
            result.unchanged += 1
    return result


def reseal_folder(folder: SealedFolder, *, old: str, new: str) -> FolderResult:
    """Every file of `folder` under `new`: sealed ones re-sealed (read with `old`), plaintext
    ones sealed. Restartable: a file already under `new` is left as it is."""
    result = FolderResult(folder.name)
    for path in folder.files():
        try:
            if seal_in_place(path, secret=new):
                result.sealed += 1
            elif reseal(path, old=old, new=new):
                result.resealed += 1
            else:
                result.unchanged += 1
        except FileNotFoundError:
            continue
        except SealedFileError as exc:
            logger.error("%s/%s opens under neither key: %s", folder.name, path.name, exc)
            result.unreadable.append(f"{folder.name}/{path.name}")
    return result

"""Backup and restore of an installation: the database, the uploaded files, and a manifest.

A backup is one folder, `chengxin-backup-<UTC time>/` (0700, files 0600):

    manifest.json                     what is in it (below), signed
    database/chengxin.sqlite3         SQLite: a copy made with SQLite's online backup API
    database/chengxin.pgdump          PostgreSQL: `pg_dump --format=custom`
    files/<area>/…                    the uploaded and generated files (`file_areas()`)

A folder rather than a tar file: `restore` reads the manifest first and refuses a backup made
under another data key before it reads a gigabyte; each file is checked by streaming it once;
the folder is written as `<name>.partial` and renamed when complete, so a folder with the final
name is a whole backup. To copy it off the host, `tar` or `rsync` it (docs/operations.md).

Both database copies are consistent while the site runs: SQLite's backup API copies one read
snapshot; pg_dump runs in a snapshot exported by our own REPEATABLE READ transaction, in which
the migration state and the audit chain's head are read too, so the manifest describes exactly
the copied database.

The manifest lists every file with its size and SHA-256, the chengxin version, the latest applied
migration of each app, the database vendor, the audit chain's head and a fingerprint of the data
key (HKDF of the key: it identifies the key, it does not reveal it). It is signed with HMAC under
another key derived from the data key, so a backup altered and re-summed is refused too. No key
is ever written into a backup (docs/keys.md): the data key, the secret key and the audit key stay
in the environment. Nothing is decrypted: ID numbers stay encrypted in the database copy; uploaded
files (imports, repair evidence, case attachments) are copied as they are on disk — in plaintext,
so a backup is personal data and is kept like one.

A restore replaces the database and the file areas (refused into a database in use without
`--force`), and is recorded: an audit entry `restored` and a signed restore record beside the
anchors (`audit.anchors.write_restore_record`), which is what lets `chengxin audit verify` tell
this rollback of the chain from a silent one.
"""

from __future__ import annotations

import datetime
import getpass
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from chengxin.audit import anchors
from chengxin.audit.chain import GENESIS_HASH, canonical_json
from chengxin.audit.choices import AuditAction
from chengxin.audit.log import Event, append
from chengxin.audit.models import AuditEntry, ChainHead

FORMAT, FORMAT_VERSION = "chengxin-backup", 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
SIGNED_FIELDS = "signature"
# Written beside live files by the application and never part of what it keeps: the anchors'
# and the outbox's temporary files, downloads in progress, locks.
TEMPORARY_SUFFIXES = (".tmp", ".part", ".partial", ".lock", ".writelock", "-journal")


class BackupError(Exception):
    """A refusal or a failure, in a Chinese sentence for the operator; nothing was changed
    unless the sentence says so."""


# --- keys: a fingerprint and a signature, never the key ------------------------------------------


def _derive(secret: str, purpose: bytes) -> bytes:
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"chengxin-backup", info=purpose)
    return kdf.derive(secret.encode())


def data_key_fingerprint(secret: str | None = None) -> str:
    """Identifies the data key (HKDF-SHA256 with its own salt and purpose): equal keys, equal
    fingerprints; the key cannot be computed back from it, nor the keys derived for encryption."""
    return _derive(settings.DATA_KEY if secret is None else secret, b"fingerprint-v1").hex()


def sign_manifest(body: dict[str, Any]) -> str:
    key = _derive(settings.DATA_KEY, b"manifest-signature-v1")
    return hmac.new(key, canonical_json(body).encode(), "sha256").hexdigest()


# --- what is backed up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FileArea:
    """A folder of files the database refers to, restored as a whole."""

    name: str
    path: Path


def file_areas() -> list[FileArea]:
    """Uploads (MEDIA_ROOT: imports, screening batches, decisions, annual reports), credit repair
    evidence, case attachments and the outbox's message files (when it writes files)."""
    media = Path(settings.MEDIA_ROOT)
    # As chengxin.cases.attachments.folder() (a test keeps the two the same).
    cases = getattr(settings, "CASE_ATTACHMENT_DIR", None) or media.parent / "case-attachments"
    return [
        FileArea("media", media),
        FileArea("repair-evidence", Path(settings.REPAIR_EVIDENCE_DIR)),
        FileArea("case-attachments", Path(cases)),
        FileArea("outbox", Path(settings.SYNC_OUTBOX_DIR)),
    ]


def excluded_folders() -> list[Path]:
    """Never copied, wherever the areas are: the generated keys, the anchors (the evidence a
    restore must not overwrite), static files (`collectstatic` makes them), the cache, locks,
    backups themselves."""
    home = Path(settings.HOME)
    return [
        home / "secrets",
        Path(settings.AUDIT_ANCHOR_DIR),
        Path(settings.STATIC_ROOT),
        home / "cache",
        home / "run",
        home / "backups",
    ]


def is_temporary(name: str) -> bool:
    return name.endswith(TEMPORARY_SUFFIXES) or name.startswith(".~")


def area_files(area: FileArea, excluded: list[Path]) -> Iterator[tuple[Path, str]]:
    """(file, path relative to the area) of every regular file kept in `area`."""
    if not area.path.is_dir():
        return
    root = area.path.resolve()
    skip = {folder.resolve() for folder in excluded}
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(d for d in subfolders if (here / d).resolve() not in skip)
        for name in sorted(names):
            path = here / name
            if is_temporary(name) or path.is_symlink() or not path.is_file():
                continue
            if any(part in skip for part in path.parents):
                continue
            yield path, path.relative_to(root).as_posix()


# --- creating a backup ---------------------------------------------------------------------------


@dataclass
class DatabaseCopy:
    file: Path
    vendor: str
    migrations: dict[str, str]
    audit_head: dict[str, Any]


@dataclass
class Backup:
    path: Path
    manifest: dict[str, Any]
    files: int = 0
    size: int = 0


def create_backup(destination: Path) -> Backup:
    """Write a complete backup into a new folder under `destination`; returns it."""
    now = timezone.now().astimezone(datetime.UTC)
    name = f"chengxin-backup-{now:%Y%m%dT%H%M%S%fZ}"
    partial = destination / f"{name}.partial"
    _private_folder(destination)
    partial.mkdir(mode=0o700)
    try:
        copy = dump_database(partial / "database")
        entries = [_entry(partial, copy.file)]
        entries += _copy_areas(partial / "files", partial)
        body = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "name": name,
            "created_at": now.isoformat(),
            "chengxin_version": chengxin_version(),
            "database": {
                "vendor": copy.vendor,
                "file": copy.file.relative_to(partial).as_posix(),
            },
            "migrations": copy.migrations,
            "audit_head": copy.audit_head,
            "data_key_fingerprint": data_key_fingerprint(),
            "areas": [area.name for area in file_areas()],
            "files": entries,
        }
        _write_json(partial / MANIFEST, {**body, "signature": sign_manifest(body)})
        final = destination / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    total = sum(int(e["size"]) for e in entries)
    return Backup(final, body, files=len(entries), size=total)


def chengxin_version() -> str:
    try:
        return metadata.version("chengxin")
    except metadata.PackageNotFoundError:
        return "unknown"


def _private_folder(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _write_json(path: Path, value: dict[str, Any]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def _entry(root: Path, path: Path) -> dict[str, Any]:
    size, digest = file_digest(path)
    return {"path": path.relative_to(root).as_posix(), "size": size, "sha256": digest}


def file_digest(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _copy_areas(target: Path, root: Path) -> list[dict[str, Any]]:
    """Copy every area's files, hashing what is written (a file changed while it is copied is
    described as copied)."""
    excluded = [*excluded_folders(), root]
    entries = []
    for area in file_areas():
        for source, relative in area_files(area, excluded):
            destination = target / area.name / relative
            destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            try:
                size, digest = _copy_hashing(source, destination)
            except FileNotFoundError:
                continue  # deleted since it was listed (an import's upload when it ends)
            entries.append(
                {"path": destination.relative_to(root).as_posix(), "size": size, "sha256": digest}
            )
    return entries


def _copy_hashing(source: Path, destination: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader:
        fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as writer:
            while chunk := reader.read(CHUNK):
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
    return size, digest.hexdigest()


def dump_database(folder: Path) -> DatabaseCopy:
    folder.mkdir(mode=0o700)
    if connection.vendor == "sqlite":
        return _dump_sqlite(folder / "chengxin.sqlite3")
    if connection.vendor == "postgresql":
        return _dump_postgresql(folder / "chengxin.pgdump")
    raise BackupError(f"不支持备份 {connection.vendor} 数据库（仅支持 SQLite 和 PostgreSQL）。")


HEAD_SQL = "SELECT last_sequence, last_hash FROM audit_chainhead WHERE id = 1"
MIGRATIONS_SQL = "SELECT app, name FROM django_migrations"


def _state(cursor: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """(latest applied migration per app, audit chain head) read through `cursor`."""
    cursor.execute(MIGRATIONS_SQL)
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)  # names are numbered: 0002_… > 0001_…
    cursor.execute(HEAD_SQL)
    row = cursor.fetchone()
    sequence, entry_hash = (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)
    return dict(sorted(latest.items())), {"sequence": sequence, "entry_hash": entry_hash}


def _dump_sqlite(target: Path) -> DatabaseCopy:
    """SQLite's online backup: one read snapshot, copied while others keep writing (WAL)."""
    source_name = str(connection.settings_dict["NAME"])
    if not Path(source_name).is_file():
        raise BackupError(f"数据库文件 {source_name} 不存在：没有可备份的数据。")
    source = sqlite3.connect(source_name, timeout=20)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            migrations, head = _state(copy.cursor())
        finally:
            copy.close()
    finally:
        source.close()
    target.chmod(0o600)
    return DatabaseCopy(target, "sqlite", migrations, head)


def _dump_postgresql(target: Path) -> DatabaseCopy:
    """pg_dump in the snapshot of our own REPEATABLE READ transaction, where the manifest's
    migration state and chain head are read: all three describe one moment."""
    program = postgresql_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        migrations, head = _state(cursor)
        _run_tool(
            [
                program,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={conninfo()}",
            ],
            "pg_dump",
        )
    target.chmod(0o600)
    return DatabaseCopy(target, "postgresql", migrations, head)


# libpq's connection parameters among the database settings' OPTIONS (dj-database-url puts the
# URL's query there); the others (psycopg's `pool`, Django's `isolation_level` …) are not libpq's.
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "connect_timeout",
    "target_session_attrs",
    "options",
    "application_name",
    "passfile",
    "service",
}


def conninfo() -> str:
    """The configured database as a libpq connection string, without its password (that goes
    in PGPASSWORD: a command line is visible to every user of the host)."""
    params = connection.settings_dict
    values = {
        "dbname": params.get("NAME"),
        "host": params.get("HOST"),
        "port": params.get("PORT"),
        "user": params.get("USER"),
    }
    values.update({k: v for k, v in params.get("OPTIONS", {}).items() if k in LIBPQ_OPTIONS})

    def quoted(value: Any) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{k}={quoted(v)}" for k, v in values.items() if v not in (None, ""))


def postgresql_tool(name: str) -> str:
    """`pg_dump` or `pg_restore` from PATH, or Debian's folder of the server's major version;
    refused when older than the server (it cannot read a newer server's catalogue)."""
    connection.ensure_connection()
    server_major = int(getattr(connection, "pg_version", 0)) // 10000
    candidates = [shutil.which(name), f"/usr/lib/postgresql/{server_major}/bin/{name}"]
    found = [c for c in candidates if c and Path(c).is_file()]
    for program in found:
        if _tool_major(program) >= server_major:
            return program
    if found:
        raise BackupError(
            f"{found[0]} 的版本低于数据库服务器（PostgreSQL {server_major}）：请安装 "
            f"postgresql-client-{server_major}（apt-get install postgresql-client-{server_major}）。"
        )
    raise BackupError(
        f"找不到 {name}：请安装与数据库服务器同版本的 PostgreSQL 客户端工具"
        f"（apt-get install postgresql-client-{server_major}），并确保它在 PATH 中。"
    )


def _tool_major(program: str) -> int:
    result = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    try:
        return int(result.stdout.split()[-1].split(".")[0])
    except (IndexError, ValueError):
        return 0


def _run_tool(argv: list[str], name: str) -> None:
    env = dict(os.environ)
    password = connection.settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise BackupError(f"{name} 执行失败（退出码 {result.returncode}）：" + " ".join(detail))


# --- checking a backup ---------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the backup folder `path`; BackupError if there is no readable one."""
    if not path.is_dir():
        raise BackupError(f"备份文件夹 {path} 不存在。")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{path} 中没有 {MANIFEST}：这不是 chengxin backup 生成的备份。") from exc
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path / MANIFEST} 无法读取（{exc}）：备份已损坏。") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path / MANIFEST} 不是 chengxin 备份的清单。")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本为 {manifest.get('format_version')}，本版本 chengxin 只能恢复第 "
            f"{FORMAT_VERSION} 版：请用生成该备份的 chengxin 版本恢复。"
        )
    return manifest


def check_backup(path: Path) -> dict[str, Any]:
    """The manifest of a backup that may be restored here: made under this data key, signed,
    and every listed file present with its size and SHA-256. BackupError naming what is not."""
    manifest = read_manifest(path)
    fingerprint = str(manifest.get("data_key_fingerprint", ""))
    if not hmac.compare_digest(fingerprint, data_key_fingerprint()):
        raise BackupError(
            "该备份是在另一个个人信息密钥（数据密钥，CHENGXIN_DATA_KEY）下生成的，与本机当前设置的"
            f"密钥不符（备份的密钥指纹 {fingerprint[:16]}…，本机 {data_key_fingerprint()[:16]}…）。"
            "请在环境变量 CHENGXIN_DATA_KEY 中设置备份当日使用的数据密钥后再恢复：按 docs/keys.md"
            "“Where they live”，它的副本封存在办公室保险柜中，另一份由安全管理员保管。"
            "用其他密钥恢复，身份证号将无法读取。未做任何更改。"
        )
    body = {k: v for k, v in manifest.items() if k != SIGNED_FIELDS}
    if not hmac.compare_digest(str(manifest.get(SIGNED_FIELDS, "")), sign_manifest(body)):
        raise BackupError(f"{path / MANIFEST} 的签名无效：清单被修改过。未做任何更改。")
    for entry in manifest["files"]:
        _check_file(path, entry)
    if _database_file(path, manifest) is None:
        raise BackupError(f"{path / MANIFEST} 未列出数据库文件：备份不完整。")
    return manifest


def _safe_path(root: Path, relative: str) -> Path:
    candidate = (root / relative).resolve()
    if root.resolve() not in candidate.parents:
        raise BackupError(f"清单中的路径 {relative} 超出备份文件夹：备份被修改过。")
    return candidate


def _check_file(root: Path, entry: dict[str, Any]) -> None:
    relative = str(entry["path"])
    path = _safe_path(root, relative)
    if not path.is_file():
        raise BackupError(f"备份中缺少文件 {relative}：备份不完整。未做任何更改。")
    size, digest = file_digest(path)
    if size != int(entry["size"]) or not hmac.compare_digest(digest, str(entry["sha256"])):
        raise BackupError(
            f"备份文件 {relative} 的校验值与清单不符（已损坏或被修改）。未做任何更改。"
        )


def _database_file(root: Path, manifest: dict[str, Any]) -> Path | None:
    name = manifest.get("database", {}).get("file")
    listed = {e["path"] for e in manifest["files"]}
    return _safe_path(root, name) if name in listed else None


# --- restoring -----------------------------------------------------------------------------------


@dataclass
class Restore:
    manifest: dict[str, Any]
    files: int = 0
    migrated: bool = False
    set_aside: list[Path] = field(default_factory=list)
    entry: AuditEntry | None = None
    record: anchors.Anchor | None = None
    superseded: list[anchors.Anchor] = field(default_factory=list)


def database_in_use() -> bool:
    """Whether the database holds an installation's data: any audit entry or user account
    (`chengxin migrate` alone leaves neither); a database without tables is empty."""
    try:
        return AuditEntry.objects.exists() or get_user_model().objects.exists()
    except DatabaseError:
        return False


def restore_backup(path: Path, *, force: bool = False) -> Restore:
    """Replace the database and the file areas with the backup in `path`, and record it.

    Preconditions: the services are stopped; the backup checks (`check_backup`); it is of this
    database vendor and no newer than this version's migrations; the database is empty unless
    `force`. Side effects: the database is replaced; each file area is replaced (the present
    one is renamed `<folder>.before-restore-<time>` beside it); migrations the backup lacks are
    applied; the cache is cleared; an audit entry `restored` is appended and a signed restore
    record written beside the anchors, listing the anchors the restore leaves behind.
    """
    manifest = check_backup(path)
    _check_compatible(manifest)
    if not force and database_in_use():
        raise BackupError(
            "当前数据库中已有数据（审计日志或用户账号）。恢复会用备份替换全部数据和上传文件；"
            "确认要替换时请加 --force（建议先用 chengxin backup 备份当前数据）。未做任何更改。"
        )
    before = _chain_head_or_none()
    restore = Restore(manifest)
    database = _database_file(path, manifest)
    assert database is not None  # check_backup
    load_database(database, str(manifest["database"]["vendor"]))
    restore.files, restore.set_aside = _restore_areas(path, manifest)
    restore.migrated = _migrate_if_behind()
    cache.clear()  # pages and counters of the data that was replaced
    _record(restore, path, before)
    return restore


def _check_compatible(manifest: dict[str, Any]) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"备份的数据库是 {vendor}，本机配置的是 {connection.vendor}（CHENGXIN_DATABASE_URL）："
            "只能恢复到同一种数据库。未做任何更改。"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{a}.{n}" for a, n in manifest["migrations"].items() if (a, n) not in known]
    if unknown:
        raise BackupError(
            f"备份来自更新的 chengxin 版本（{manifest.get('chengxin_version')}，迁移 "
            f"{', '.join(unknown[:3])} 本版本没有）：请先安装该版本再恢复。未做任何更改。"
        )


def _chain_head_or_none() -> dict[str, Any] | None:
    try:
        head = ChainHead.objects.filter(pk=1).values_list("last_sequence", "last_hash").first()
    except DatabaseError:
        return None
    return {"sequence": int(head[0]), "entry_hash": str(head[1])} if head else None


def load_database(file: Path, vendor: str) -> None:
    """Replace the configured database with the copy in `file`."""
    connections.close_all()
    if vendor == "sqlite":
        _load_sqlite(file)
    else:
        _load_postgresql(file)
    connections.close_all()


def _load_sqlite(file: Path) -> None:
    """SQLite's backup API in the other direction: the live file is rewritten page by page
    under SQLite's own locks (its -wal and -shm stay coherent), never copied over."""
    target = Path(str(connection.settings_dict["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        live = sqlite3.connect(target, timeout=20)
        try:
            source.backup(live)
        finally:
            live.close()
    finally:
        source.close()


def _load_postgresql(file: Path) -> None:
    """pg_restore --clean --if-exists --no-owner in one transaction, after dropping the tables
    the dump does not have (made by a later migration): a restore replaces everything."""
    program = postgresql_tool("pg_restore")
    _drop_tables_not_in(_dump_tables(program, file))
    connections.close_all()
    _run_tool(
        [
            program,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo()}",
            str(file),
        ],
        "pg_restore",
    )


def _dump_tables(program: str, file: Path) -> set[str]:
    result = subprocess.run([program, "--list", str(file)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore 无法读取 {file.name}：{result.stderr.strip()[-300:]}")
    listing = result.stdout
    tables = set()
    for line in listing.splitlines():
        parts = line.split()
        # "217; 1259 16385 TABLE public audit_auditentry postgres"
        if len(parts) >= 6 and not line.startswith(";") and parts[3] == "TABLE":
            tables.add(f"{parts[4]}.{parts[5]}")
    return tables


def _drop_tables_not_in(tables: set[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
        extra = [f"{s}.{t}" for s, t in cursor.fetchall() if f"{s}.{t}" not in tables]
        for name in extra:
            schema, table = name.split(".", 1)
            quoted = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(table)}"
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")


def _restore_areas(root: Path, manifest: dict[str, Any]) -> tuple[int, list[Path]]:
    """Each area as it was in the backup. The files it holds now are moved (renamed: same disk,
    no copy) into `<folder>.before-restore-<time>` beside it, for the operator to check and
    delete; what `area_files` leaves out (keys, anchors, temporary files) stays where it is."""
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    areas = {area.name: area for area in file_areas()}
    excluded = excluded_folders()
    set_aside = []
    for name in manifest.get("areas", []):
        area = areas.get(name)
        if area is None:
            continue
        aside = area.path.with_name(f"{area.path.name}.before-restore-{stamp}")
        for file, relative in list(area_files(area, excluded)):
            (aside / relative).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            file.rename(aside / relative)
        if aside.exists():
            set_aside.append(aside)
        _private_folder(area.path)
    count = 0
    for entry in manifest["files"]:
        parts = str(entry["path"]).split("/", 2)
        if parts[0] != "files" or len(parts) < 3 or parts[1] not in areas:
            continue
        target = areas[parts[1]].path / parts[2]
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _size, digest = _copy_hashing(root / entry["path"], target)
        if digest != entry["sha256"]:
            raise BackupError(f"复制 {entry['path']} 时校验值改变：备份在恢复过程中被修改。")
        count += 1
    return count, set_aside


def _migrate_if_behind() -> bool:
    """Apply the migrations of this version that the backup predates (the audit entry below is
    written with this version's models)."""
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True


def _record(restore: Restore, path: Path, before: dict[str, Any] | None) -> None:
    """The audit entry `restored`, then the signed restore record naming it (audit.anchors)."""
    manifest = restore.manifest
    restored_to = manifest["audit_head"]
    try:
        superseded = anchors.anchors_left_behind(restored_to)
    except ValueError as exc:
        raise BackupError(
            f"恢复后的审计链中没有备份清单所记的第 {restored_to['sequence']} 条：数据库与清单不符，"
            "未记录恢复。请检查备份（chengxin audit verify）。"
        ) from exc
    details = {
        "backup": manifest["name"],
        "backup_created_at": manifest["created_at"],
        "backup_path": str(path),
        "manifest_sha256": hashlib.sha256((path / MANIFEST).read_bytes()).hexdigest(),
        "chengxin_version": manifest["chengxin_version"],
        "restored_to": restored_to,
        "rolled_back_from": before,
        "superseded_anchors": [a.path.name for a in superseded],
        "files": restore.files,
        "migrated": restore.migrated,
    }
    with transaction.atomic():
        (restore.entry,) = append(
            [
                Event(
                    action=AuditAction.RESTORED,
                    object_type="core.backup",
                    object_id=str(manifest["name"])[:64],
                    object_repr=f"从备份 {manifest['name']} 恢复",
                    after=details,
                    actor_name=f"chengxin restore ({_operator()})"[:150],
                )
            ]
        )
    restore.superseded = superseded
    restore.record = anchors.write_restore_record(
        restore_entry=restore.entry,
        restored_to=restored_to,
        rolled_back_from=before,
        backup={"name": manifest["name"], "manifest_sha256": details["manifest_sha256"]},
        superseded=superseded,
    )


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def default_destination() -> Path:
    return Path(settings.HOME) / "backups"

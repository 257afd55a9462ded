"""Benchmark: the validated 双公示 record import against a raw bulk insert, in the same run.

    .venv/bin/python bench/import_records.py [--rows 200000] [--kind penalties|licenses]
        [--database-url postgresql://postgres@127.0.0.1:5432/chengxin_bench] [--keep] [--rss-child]

1. A fresh database: a SQLite file in a temporary CHENGXIN_HOME, or (with --database-url) a new
   PostgreSQL database named after the URL's with a unique suffix. `migrate`, then the demo
   departments (`build_demo(seed, DEMO_VOLUMES)`, no records); rows belong to 区市场监管局.
2. N rows from `publicity.samples.sample_rows` (fixed seed, 2 % invalid rows) streamed to a UTF-8
   CSV whose header is the standard's field codes. Timed on its own, not part of any rate.
3. The import: an ImportBatch as `chengxin import` creates it, then `run_batch(batch, path)`, the
   CLI's code path. Rate = rows read / wall-clock seconds of run_batch.
4. The baseline: table `bench_raw_<kind>` with the columns, indexes and constraints of the real
   record table (made by the schema editor from a copy of the model), filled from the same CSV by
   `executemany` in one transaction (SQLite) or `COPY … FROM STDIN` (PostgreSQL). Constants fill
   the columns the file has no cell for. Rows with a blank decision number are skipped (the unique
   key allows one); on PostgreSQL rows whose dates do not parse are skipped too (SQLite stores the
   text). "raw insert" times executemany/COPY + commit; "raw read+insert" adds the CSV parsing.
   ratio = import rows/s ÷ raw read+insert rows/s (both per row read).
5. Peak RSS of the import alone: VmHWM reset just before run_batch (ru_maxrss would include the
   set-up's Argon2 hashing, ~100 MB per demo user). --rss-child runs the import in a fresh child
   process, like `chengxin import`. RSS is also sampled every half second against rows read.

The last line of output is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import io
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

KINDS = {"penalties": "penalty", "licenses": "license"}  # CLI name → RecordKind value
DEPARTMENT = "区市场监管局"  # 台儿庄区市场监督管理局 in accounts/demo.py
SEED = 20261126
# The demo district without its subjects and records: departments and users only.
DEMO_VOLUMES = {"subjects": 0, "licenses": 0, "penalties": 0}
INVALID_SHARE = 0.02
BASELINE_CHUNK = 10_000
# From the issue: SQLite import ≥ 0.5 × raw insert; PostgreSQL ≥ 50,000 rows/s; 1M rows ≤ 500 MB.
TARGET_SQLITE_RATIO = 0.5
TARGET_POSTGRES_ROWS_PER_S = 50_000
TARGET_RSS_MB = 500
TARGET_RSS_ROWS = 1_000_000


# --- environment and database ----------------------------------------------------------------


def setup_django(home: Path | None, database_url: str | None) -> None:
    """Point the settings at `home` and `database_url` (before django.setup()), then set up."""
    if home is not None:
        os.environ["CHENGXIN_HOME"] = str(home)
        os.environ["CHENGXIN_DATABASE_URL"] = database_url or ""
        # The cache (import progress) stays in the temporary home: never a shared Redis, where
        # the bench's batch #1 would overwrite and delete the progress of a real batch #1.
        os.environ["CHENGXIN_REDIS_URL"] = ""
        # Throwaway keys in the bench's home (docs/keys.md); the child processes inherit this.
        os.environ["CHENGXIN_GENERATE_SECRETS"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "chengxin.settings"
    os.environ["CHENGXIN_DEBUG"] = "0"  # DEBUG keeps every query in memory: it would skew the RSS
    import django

    django.setup()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def unique_database_name(url: str) -> str:
    base = urlsplit(url).path.lstrip("/") or "chengxin_bench"
    base = re.sub(r"[^a-z0-9_]", "_", base.lower())[:40]
    return f"{base}_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"


def admin_execute(url: str, sql: str) -> None:
    """Run CREATE/DROP DATABASE on the server's `postgres` database (autocommit)."""
    import psycopg

    with psycopg.connect(url, dbname="postgres", autocommit=True) as admin:
        admin.execute(sql)


def prepare_database(out: io.StringIO) -> Any:
    """migrate + demo departments; returns the department the rows belong to."""
    from django.core.management import call_command

    from chengxin.accounts.models import Department
    from chengxin.core.demodata import build_demo
    from chengxin.publicity.models import RECORD_MODELS

    call_command("migrate", verbosity=0, interactive=False)
    build_demo(SEED, DEMO_VOLUMES, out)
    for model in RECORD_MODELS.values():
        # The demo's online cases publish their own penalties, numbered as cases (台市监罚〔2026〕…),
        # not as the samples: those stay.
        by_case = {"case__isnull": False} if hasattr(model, "case") else {}
        if count := model.objects.exclude(**by_case).count() if by_case else model.objects.count():
            # Demo records share the samples' decision numbers: rows would become corrections.
            raise SystemExit(
                f"the demo made {count} {model.__name__} rows; add their volume to DEMO_VOLUMES"
            )
    return Department.objects.get(short_name=DEPARTMENT)


def database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# --- rows ------------------------------------------------------------------------------------


def generate_csv(path: Path, kind: str, rows: int, seed: int, department: tuple[str, str]) -> None:
    """Stream `rows` sample rows to `path` (UTF-8, header = field codes)."""
    from django.utils import timezone

    from chengxin.publicity import samples

    end = min(datetime.date(2026, 11, 20), timezone.localdate())  # no accidental future dates
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(samples.header(kind))
        for row in samples.sample_rows(
            rng, kind, rows, department, end=end, invalid_share=INVALID_SHARE
        ):
            writer.writerow(samples.as_cells(kind, row))


# --- memory ----------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def high_water_mb() -> float | None:
    """VmHWM: the peak RSS of this address space (since exec, or since reset_high_water())."""
    try:
        match = re.search(r"^VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    except OSError:
        return None
    return int(match.group(1)) / 1024 if match else None


def reset_high_water() -> bool:
    """Reset VmHWM to the current RSS (Linux ≥ 4.0), so it measures only what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def current_rss_mb() -> float | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssSampler(threading.Thread):
    """Every `interval` seconds: (seconds, rows read so far per the progress cache, RSS MB)."""

    def __init__(self, batch_id: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.batch_id = batch_id
        self.interval = interval
        self.samples: list[tuple[float, int, float]] = []
        self.stopped = threading.Event()
        self.started_at = time.perf_counter()

    def run(self) -> None:
        from django.core.cache import cache

        from chengxin.imports.pipeline import progress_key

        while not self.stopped.wait(self.interval):
            rss = current_rss_mb()
            progress = cache.get(progress_key(self.batch_id)) or {}
            if rss is not None:
                elapsed = time.perf_counter() - self.started_at
                self.samples.append(
                    (round(elapsed, 1), progress.get("rows_read", 0), round(rss, 1))
                )

    def stop(self) -> list[tuple[float, int, float]]:
        self.stopped.set()
        self.join()
        return self.samples


def rss_growth_per_100k(samples: list[tuple[float, int, float]]) -> float | None:
    """RSS growth per 100,000 rows between the first and the last sample with progress."""
    with_rows = [s for s in samples if s[1] > 0]
    if len(with_rows) < 2 or with_rows[-1][1] == with_rows[0][1]:
        return None
    first, last = with_rows[0], with_rows[-1]
    return round((last[2] - first[2]) / (last[1] - first[1]) * 100_000, 1)


# --- the import (CLI code path) --------------------------------------------------------------


def run_import(kind: str, path: Path) -> dict[str, Any]:
    """Create the batch as `chengxin import` does and time run_batch."""
    from chengxin.accounts.models import Department
    from chengxin.imports.choices import BatchSource, BatchStatus
    from chengxin.imports.models import ImportBatch
    from chengxin.imports.pipeline import file_sha256, run_batch

    department = Department.objects.get(short_name=DEPARTMENT)
    batch = ImportBatch.objects.create(
        kind=kind,
        department=department,
        source=BatchSource.COMMAND,
        file_name=path.name,
        file_sha256=file_sha256(path),
        is_dry_run=False,
    )
    rss_at_start = current_rss_mb()
    peak_before = peak_rss_mb()
    # ru_maxrss so far is the set-up's peak: migrate and the demo users' Argon2 hashes (~100 MB
    # each); in a child it even includes the parent's peak (Linux carries it over exec). Reset
    # VmHWM here and it measures the import alone (and ru_maxrss follows it in this process).
    reset = reset_high_water()
    sampler = RssSampler(batch.pk)
    sampler.start()
    started = time.perf_counter()
    batch = run_batch(batch, path)
    seconds = time.perf_counter() - started
    samples = sampler.stop()
    if batch.status != BatchStatus.FINISHED:
        raise SystemExit(f"import failed ({batch.status}): {batch.error_message}")
    return {
        "batch_id": batch.pk,
        "rows_read": batch.rows_read,
        "created": batch.rows_created,
        "updated": batch.rows_updated,
        "unchanged": batch.rows_unchanged,
        "rejected": batch.rows_rejected,
        "seconds": seconds,
        "rss_at_start_mb": rss_at_start,
        "import_peak_rss_mb": (high_water_mb() if reset else None) or peak_rss_mb(),
        "peak_rss_method": "VmHWM reset before run_batch" if reset else "ru_maxrss",
        "setup_peak_rss_mb": peak_before,
        "rss_samples": samples,
    }


def run_import_in_child(cli_kind: str, path: Path) -> dict[str, Any]:
    """The same import in a child process (it inherits CHENGXIN_HOME / CHENGXIN_DATABASE_URL)."""
    from django.db import connections

    connections.close_all()
    child = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child-import",
            str(path),
            "--kind",
            cli_kind,
        ],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        raise SystemExit(f"child import exited with {child.returncode}:\n{child.stdout}")
    result: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def check_import(kind: str, result: dict[str, Any]) -> list[str]:
    """What the database holds after the import, against the batch's counts."""
    from chengxin.imports.models import ImportRejection
    from chengxin.publicity.models import RECORD_MODELS

    model = RECORD_MODELS[kind]
    stored = model.objects.count()  # the table was empty before the import
    rejections = ImportRejection.objects.filter(batch_id=result["batch_id"]).count()
    problems = []
    if stored != result["created"]:
        problems.append(f"{stored} records stored, batch says {result['created']} created")
    if result["updated"] or result["unchanged"]:
        problems.append(
            f"{result['updated']} corrections and {result['unchanged']} unchanged rows "
            "in an import into an empty table"
        )
    if rejections != result["rejected"]:
        problems.append(f"{rejections} rejections stored, batch says {result['rejected']}")
    if (
        result["created"] + result["updated"] + result["unchanged"] + result["rejected"]
        != result["rows_read"]
    ):
        problems.append("created + updated + unchanged + rejected ≠ rows read")
    return problems


def rejection_reasons(batch_id: int) -> Counter[str]:
    """Rejections by the field code of their first problem."""
    from chengxin.imports.models import ImportRejection

    counts: Counter[str] = Counter()
    for errors in ImportRejection.objects.filter(batch_id=batch_id).values_list(
        "errors", flat=True
    ):
        first = errors[0] if errors else "?"
        counts[first.split("（", 1)[0]] += 1
    return counts


# --- the baseline ----------------------------------------------------------------------------


def mirror_model(model: Any, table: str) -> Any:
    """A copy of `model` on `table` (in no migration): its fields, indexes and constraints."""
    from django.db import models

    indexes = []
    for index in model._meta.indexes:
        copy = index.clone()
        copy.name = f"bench_{index.name}"[:30]
        indexes.append(copy)
    constraints = []
    for constraint in model._meta.constraints:
        copy = constraint.clone()
        copy.name = f"bench_{constraint.name}"
        constraints.append(copy)
    meta = type(
        "Meta",
        (),
        {
            "app_label": model._meta.app_label,
            "db_table": table,
            "managed": True,  # the schema editor skips the indexes of unmanaged models
            "indexes": indexes,
            "constraints": constraints,
        },
    )
    attrs: dict[str, Any] = {"__module__": __name__, "Meta": meta}
    for field in model._meta.local_concrete_fields:
        attrs[field.name] = field.clone()
    return type(f"BenchRaw{model.__name__}", (models.Model,), attrs)


def index_signature(table: str) -> Counter[tuple[Any, ...]]:
    """The table's indexes and constraints without their names, to compare two tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return Counter(
        (
            tuple(info["columns"] or ()),
            bool(info["primary_key"]),
            bool(info["unique"]),
            bool(info["index"]),
            tuple(info["foreign_key"] or ()),
            bool(info["check"]),
        )
        for info in found.values()
    )


def create_baseline_table(kind: str, cli_kind: str) -> tuple[Any, str]:
    from django.db import connection

    from chengxin.publicity.models import RECORD_MODELS

    model = RECORD_MODELS[kind]
    table = f"bench_raw_{cli_kind}"
    mirror = mirror_model(model, table)
    with connection.schema_editor() as editor:
        editor.create_model(mirror)
    if index_signature(table) != index_signature(model._meta.db_table):
        raise SystemExit(f"{table} does not mirror the indexes of {model._meta.db_table}")
    return model, table


def baseline_plan(
    model: Any, kind: str, header: list[str], department_id: int, vendor: str
) -> tuple[list[str], list[tuple[int, bool, bool]], tuple[Any, ...], int, int]:
    """Columns to insert, how to take each from the CSV, and the constants for the rest.

    Returns (columns, [(cell index, nullable, is_date)], constants, decision-number cell index,
    decision-date cell index); the insert row is the file cells + constants + decision date again
    (the deadline).
    """
    from django.db import models
    from django.utils import timezone

    from chengxin.publicity import standard

    raw_columns = {
        "id_number": "id_number_masked",
        "legal_representative_id_number": "legal_representative_id_masked",
    }
    position = {code: i for i, code in enumerate(header)}
    fields = {f.name: f for f in model._meta.concrete_fields}
    columns: list[str] = []
    plan: list[tuple[int, bool, bool]] = []
    for item in standard.FIELDS[kind]:
        field = fields[raw_columns.get(item.attr, item.attr)]
        columns.append(field.column)
        plan.append((position[item.code], field.null, isinstance(field, models.DateField)))
    now = timezone.now()
    wanted = {
        "department": department_id,
        "status": "published",
        "timeliness": "on_time",
        "submitted_at": now,
        "published_at": now,
        "is_withdrawal_late": False,
        "version": 1,
        "content_hash": "0" * 64,
        "created_at": now,
        "updated_at": now,
    }
    if vendor == "sqlite":
        wanted = {
            k: v.isoformat(" ") if isinstance(v, datetime.datetime) else v
            for k, v in wanted.items()
        }
    constants: list[Any] = []
    for name, field in fields.items():
        if field.primary_key or field.column in columns or name == "deadline":
            continue
        if name in wanted:
            value = wanted[name]
        elif field.null:
            continue  # subject, batch, withdrawn_at, revoked_on …: NULL
        elif isinstance(field, models.CharField | models.TextField):
            value = ""
        elif field.has_default():
            value = field.get_default()
        else:
            raise SystemExit(f"no baseline value for the NOT NULL column {field.column}")
        columns.append(field.column)
        constants.append(value)
    columns.append(fields["deadline"].column)
    number_cell = position[standard.field_map(kind)["decision_number"].code]
    date_cell = position[standard.field_map(kind)["decision_date"].code]
    return columns, plan, tuple(constants), number_cell, date_cell


def parse_iso_date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text.replace("/", "-"))


def baseline_rows(
    reader: Any,
    plan: list[tuple[int, bool, bool]],
    constants: tuple[Any, ...],
    number_cell: int,
    date_cell: int,
    parse_dates: bool,
) -> Any:
    """Yield (row tuple | None) per CSV row; None for a row the table cannot take."""
    for cells in reader:
        if not cells[number_cell].strip():
            yield None
            continue
        values: list[Any] = []
        for index, nullable, is_date in plan:
            cell = cells[index]
            if cell == "" and nullable:
                values.append(None)
            elif is_date and parse_dates:
                try:
                    values.append(parse_iso_date(cell))
                except ValueError:
                    break
            else:
                values.append(cell)
        else:
            deadline = parse_iso_date(cells[date_cell]) if parse_dates else cells[date_cell]
            yield (*values, *constants, deadline)
            continue
        yield None


def run_baseline(kind: str, cli_kind: str, path: Path, department_id: int) -> dict[str, Any]:
    """Fill bench_raw_<kind> from the CSV with one raw bulk insert; time parse and insert apart."""
    from django.db import connection, transaction

    model, table = create_baseline_table(kind, cli_kind)
    vendor = connection.vendor
    read_s = insert_s = 0.0
    rows_read = inserted = 0
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns, plan, constants, number_cell, date_cell = baseline_plan(
            model, kind, header, department_id, vendor
        )
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        rows = baseline_rows(reader, plan, constants, number_cell, date_cell, vendor != "sqlite")
        connection.ensure_connection()
        raw = connection.connection
        read_s += time.perf_counter() - started
        with transaction.atomic():
            if vendor == "sqlite":
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(columns))})"
                cursor = raw.cursor()
                while True:
                    t0 = time.perf_counter()
                    chunk = [row for _, row in zip(range(BASELINE_CHUNK), rows, strict=False)]
                    good = [row for row in chunk if row is not None]
                    t1 = time.perf_counter()
                    if not chunk:
                        break
                    cursor.executemany(sql, good)
                    insert_s += time.perf_counter() - t1
                    read_s += t1 - t0
                    rows_read += len(chunk)
                    inserted += len(good)
                cursor.close()
            else:
                with (
                    raw.cursor() as cursor,
                    cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
                ):
                    while True:
                        t0 = time.perf_counter()
                        chunk = [row for _, row in zip(range(BASELINE_CHUNK), rows, strict=False)]
                        good = [row for row in chunk if row is not None]
                        t1 = time.perf_counter()
                        if not chunk:
                            break
                        for row in good:
                            copy.write_row(row)
                        insert_s += time.perf_counter() - t1
                        read_s += t1 - t0
                        rows_read += len(chunk)
                        inserted += len(good)
                    t1 = time.perf_counter()
                insert_s += time.perf_counter() - t1  # the end of COPY
            t1 = time.perf_counter()
        insert_s += time.perf_counter() - t1  # the commit
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        stored = cursor.fetchone()[0]
    if stored != inserted:
        raise SystemExit(f"{table} holds {stored} rows, {inserted} were inserted")
    return {
        "table": table,
        "rows_read": rows_read,
        "inserted": inserted,
        "skipped": rows_read - inserted,
        "insert_seconds": insert_s,
        "read_insert_seconds": read_s + insert_s,
    }


# --- report ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "nproc": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory,
        "python": sys.version.split()[0],
    }


def rate(rows: int, seconds: float) -> float:
    return rows / seconds if seconds > 0 else 0.0


def print_report(
    figures: dict[str, Any], samples: list[tuple[float, int, float]], reasons: Counter[str]
) -> None:
    rows = [
        ("kind", figures["kind"]),
        ("database", f"{figures['database']} ({figures['database_version']})"),
        ("rows in file", f"{figures['rows']:,}"),
        (
            "generate CSV (not in rates)",
            f"{figures['generate_seconds']:.1f} s, {figures['csv_mb']:.1f} MB",
        ),
        ("accepted", f"{figures['accepted']:,} (created {figures['created']:,})"),
        ("rejected", f"{figures['rejected']:,}"),
        ("import (run_batch)", f"{figures['import_seconds']:.1f} s"),
        ("import rows/s", f"{figures['import_rows_per_s']:,.0f}"),
        ("raw inserted / skipped", f"{figures['raw_inserted']:,} / {figures['raw_skipped']:,}"),
        ("raw insert (+commit)", f"{figures['raw_insert_seconds']:.2f} s"),
        ("raw insert rows/s", f"{figures['raw_insert_rows_per_s']:,.0f}"),
        ("raw read+insert", f"{figures['raw_read_insert_seconds']:.2f} s"),
        ("raw read+insert rows/s", f"{figures['raw_read_insert_rows_per_s']:,.0f}"),
        ("ratio import ÷ raw read+insert", f"{figures['ratio']:.3f}"),
        (
            "peak RSS",
            f"{figures['peak_rss_mb']:.0f} MB ({figures['rss_measured_in']}, "
            f"{figures['peak_rss_method']})",
        ),
        (
            "RSS at the import's start",
            f"{figures['rss_at_import_start_mb']:.0f} MB (ru_maxrss before it: "
            f"{figures['setup_peak_rss_mb']:.0f} MB, the set-up's Argon2 hashing)",
        ),
        (
            "RSS during the import",
            f"max {figures['rss_sampled_max_mb'] or 0:.0f} MB sampled, growth "
            + (
                "n/a"
                if figures["rss_growth_mb_per_100k_rows"] is None
                else f"{figures['rss_growth_mb_per_100k_rows']:.1f} MB per 100k rows"
            ),
        ),
        (
            "machine",
            f"{figures['nproc']} CPUs, {figures['cpu']}, {figures['memory_gib']} GiB, "
            f"Python {figures['python']}",
        ),
        ("date", figures["date"]),
    ]
    width = max(len(label) for label, _ in rows)
    print()
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if reasons:
        print(
            "\n  rejected rows by first problem: "
            + ", ".join(f"{k} {v}" for k, v in reasons.most_common())
        )
    if samples:
        step = max(1, len(samples) // 8)
        points = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
        print(
            "  RSS during the import (s, rows read, MB): "
            + "  ".join(f"{t:.0f}s/{r:,}/{m:.0f}" for t, r, m in points)
        )
    print("\n  targets (issue):")
    for line in figures["targets"]:
        print(f"    {line}")
    for problem in figures["problems"]:
        print(f"  ! {problem}")
    print()


def targets(figures: dict[str, Any]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = []
    if figures["database"] == "sqlite":
        lines.append(
            f"SQLite: import ≥ {TARGET_SQLITE_RATIO} × raw read+insert rate — "
            f"{figures['ratio']:.3f}, {verdict(figures['ratio'] >= TARGET_SQLITE_RATIO)}"
        )
    else:
        lines.append(
            f"PostgreSQL: import ≥ {TARGET_POSTGRES_ROWS_PER_S:,} rows/s — "
            f"{figures['import_rows_per_s']:,.0f}, "
            f"{verdict(figures['import_rows_per_s'] >= TARGET_POSTGRES_ROWS_PER_S)}"
        )
    if figures["rows"] >= TARGET_RSS_ROWS:
        lines.append(
            f"{TARGET_RSS_ROWS:,}-row CSV: peak RSS ≤ {TARGET_RSS_MB} MB — "
            f"{figures['peak_rss_mb']:.0f} MB, {verdict(figures['peak_rss_mb'] <= TARGET_RSS_MB)}"
        )
    else:
        lines.append(
            f"peak RSS ≤ {TARGET_RSS_MB} MB applies to a {TARGET_RSS_ROWS:,}-row CSV: "
            f"run with --rows {TARGET_RSS_ROWS}"
        )
    return lines


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--rows", type=int, default=200_000, help="rows in the CSV (default 200000)"
    )
    parser.add_argument("--kind", choices=sorted(KINDS), default="penalties")
    parser.add_argument(
        "--database-url", help="postgresql://…: a fresh database is created beside it"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and database"
    )
    parser.add_argument(
        "--rss-child", action="store_true", help="run the import in a child process"
    )
    parser.add_argument("--child-import", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def child_main(args: argparse.Namespace) -> None:
    setup_django(None, None)  # CHENGXIN_HOME / CHENGXIN_DATABASE_URL come from the parent
    result = run_import(KINDS[args.kind], args.child_import)
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child_import:
        child_main(args)
        return
    if args.database_url and not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url must be a postgresql:// URL (SQLite is the default)")
    kind = KINDS[args.kind]
    with fresh_environment(args.database_url, "chengxin-bench-", keep=args.keep) as workdir:
        figures = bench(args, kind, workdir)
    print(json.dumps(figures, ensure_ascii=False))


@contextlib.contextmanager
def fresh_environment(admin_url: str | None, prefix: str, *, keep: bool) -> Iterator[Path]:
    """A temporary folder and a fresh database (a new PostgreSQL database when `admin_url` is
    given, else SQLite in the folder), Django set up on them; both removed afterwards unless kept."""
    database_url = None
    created_database = None
    if admin_url:
        created_database = unique_database_name(admin_url)
        admin_execute(admin_url, f'CREATE DATABASE "{created_database}"')
        database_url = with_database(admin_url, created_database)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        setup_django(workdir / "home", database_url)
        yield workdir
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(
                f"kept: {workdir}" + (f", database {created_database}" if created_database else "")
            )
        else:
            shutil.rmtree(workdir, ignore_errors=True)
            if created_database and admin_url:
                admin_execute(
                    admin_url, f'DROP DATABASE IF EXISTS "{created_database}" WITH (FORCE)'
                )


def bench(args: argparse.Namespace, kind: str, workdir: Path) -> dict[str, Any]:
    from django.db import connection

    setup_log = io.StringIO()
    started = time.perf_counter()
    department = prepare_database(setup_log)
    print(
        f"fresh {connection.vendor} database ready in {time.perf_counter() - started:.1f} s "
        f"({connection.settings_dict['NAME']})",
        flush=True,
    )

    path = workdir / f"{args.kind}-{args.rows}.csv"
    started = time.perf_counter()
    generate_csv(path, kind, args.rows, args.seed, (department.name, department.credit_code))
    generate_seconds = time.perf_counter() - started
    print(f"generated {args.rows:,} rows in {generate_seconds:.1f} s → {path}", flush=True)

    print("importing (run_batch) …", flush=True)
    result = run_import_in_child(args.kind, path) if args.rss_child else run_import(kind, path)
    print(f"imported in {result['seconds']:.1f} s", flush=True)
    problems = check_import(kind, result)
    reasons = rejection_reasons(result["batch_id"])

    print("baseline (raw bulk insert) …", flush=True)
    raw = run_baseline(kind, args.kind, path, department.pk)

    accepted = result["created"] + result["updated"] + result["unchanged"]
    samples = [(float(t), int(r), float(m)) for t, r, m in result["rss_samples"]]  # JSON lists
    import_rate = rate(result["rows_read"], result["seconds"])
    raw_read_insert_rate = rate(raw["rows_read"], raw["read_insert_seconds"])
    if raw["rows_read"] != result["rows_read"]:
        problems.append(f"baseline read {raw['rows_read']} rows, the import {result['rows_read']}")
    figures: dict[str, Any] = {
        "kind": args.kind,
        "rows": result["rows_read"],
        "accepted": accepted,
        "rejected": result["rejected"],
        "created": result["created"],
        "generate_seconds": round(generate_seconds, 2),
        "csv_mb": round(path.stat().st_size / 2**20, 1),
        "import_seconds": round(result["seconds"], 2),
        "import_rows_per_s": round(import_rate),
        "raw_inserted": raw["inserted"],
        "raw_skipped": raw["skipped"],
        "raw_insert_seconds": round(raw["insert_seconds"], 2),
        "raw_read_insert_seconds": round(raw["read_insert_seconds"], 2),
        "raw_insert_rows_per_s": round(rate(raw["inserted"], raw["insert_seconds"])),
        "raw_read_insert_rows_per_s": round(raw_read_insert_rate),
        "ratio": round(import_rate / raw_read_insert_rate, 3) if raw_read_insert_rate else 0.0,
        "peak_rss_mb": round(result["import_peak_rss_mb"], 1),
        "peak_rss_method": result["peak_rss_method"],
        "rss_at_import_start_mb": round(result["rss_at_start_mb"] or 0, 1),
        "setup_peak_rss_mb": round(result["setup_peak_rss_mb"], 1),
        "rss_measured_in": "child process" if args.rss_child else "this process",
        "rss_sampled_max_mb": max((m for _, _, m in samples), default=None),
        "rss_growth_mb_per_100k_rows": rss_growth_per_100k(samples),
        "database": connection.vendor,
        "database_version": database_version(),
        "seed": args.seed,
        **machine(),
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "problems": problems,
    }
    figures["targets"] = targets(figures)
    print_report(figures, samples, reasons)
    return figures


if __name__ == "__main__":
    main()

"""Benchmark: 联合奖惩 credit checks — batch throughput, API latency, name-matching quality.

    .venv/bin/python bench/checks.py [--entries 1000000] [--subjects 100000] [--small]
        [--database-url postgresql://postgres@127.0.0.1:5432/chengxin_checks_bench] [--keep]

1. A fresh database (`bench.import_records.fresh_environment`): `migrate` (which installs the
   national list types, scenarios and measures), one department with a credit checker.
2. `--entries` list entries over the six national list types, written with `core.bulk.insert_rows`
   (name keys from `screening.names`, ID numbers encrypted with their blind index): 85 %
   organisations with a 统一社会信用代码, 15 % natural persons; 90 % in force, the rest ended or
   removed. Names: place + trade name + industry + organisation form, some with brackets or
   Latin letters. Timed on its own.
3. `--subjects` subjects: 90 % clean (new names and codes), 10 % interesting — half exact
   codes or ID numbers of entries in force, half planted variants of the names of organisations
   in force: full/half-width brackets, spaces, case, 有限公司↔有限责任公司, no place prefix, a
   typo (one character changed after the start of the 字号; a changed 字号 is another name).
   Checked through `screening.actions.check_subjects` in one call, as a batch job checks its
   file (one transaction, one audit entry; the call matches its parts of 10,000 in a helper
   process while it stores the parts before, `core.parallel`); `--chunk N` makes calls of N
   subjects instead (below two parts: no helper). The time runs until the checks are committed
   and written to disk (WAL checkpoint, fsync). checks/s = subjects ÷ seconds. The database is
   settled the same way after the list entries are written, so the batch does not pay for them.
4. Quality: every code subject must hit its entry (no missed exact-code hit); a planted variant is
   found when its entry is a hit or a candidate; precision = found ÷ all name hits and candidates
   reported for the planted subjects. No measure may come from a candidate (asserted on the stored
   CheckMeasure rows). Candidates on clean subjects are counted (false alarms).
5. Latency: `chengxin serve --workers 2` (gunicorn, production settings) on loopback, an API token
   for the checker, `--concurrency` threads POSTing single checks to /api/v1/checks (a mix of clean
   subjects and hits) for `--http-seconds`; p50/p99 after a warm-up. Then the same client and
   load on a bare view (GET /healthz), the baseline of the same run: what loopback, gunicorn and
   Django cost on this machine at that moment, and the ratio of the two p99s.

The last line of output is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.import_records import (  # noqa: E402 (after the path set-up)
    database_version,
    fresh_environment,
    machine,
)
from bench.portal import PROXY_HEADERS, Server, percentile  # noqa: E402

SEED = 20261127
ON = datetime.date(2026, 11, 27)
SCENARIO = "government_procurement"
MATTER = "BENCH-2026-001 政府采购项目"
INSERT_CHUNK = 50_000
TARGET_CHECKS_PER_S = 20_000
TARGET_API_P99_MS = 20.0
TARGET_RECALL = 0.99
BARE_VIEW = ("GET", "/healthz")

PLACES = [
    "枣庄市台儿庄区",
    "枣庄市",
    "山东省枣庄市",
    "枣庄市薛城区",
    "枣庄市市中区",
    "枣庄市峄城区",
    "滕州市",
    "济南市历下区",
    "临沂市兰山区",
    "徐州市",
    "济宁市",
    "山东省",
    "江苏省邳州市",
    "",
]
# Trade-name characters: the 3,755 characters of GB 2312 level 1 (常用字), so that a million
# organisations have as varied names as real ones (a pool of a few dozen characters would make
# every name a one-character neighbour of dozens of others).
TRADE = "".join(
    bytes([high, low]).decode("gb2312")
    for high in range(0xB0, 0xD8)
    for low in range(0xA1, 0xFF)
    if not (high == 0xD7 and low > 0xF9)
)
INDUSTRIES = [
    "商贸",
    "建筑工程",
    "食品",
    "餐饮管理",
    "运输",
    "化工",
    "机械制造",
    "农业科技",
    "旅游开发",
    "医药",
    "建材",
    "物流",
    "环保科技",
    "劳务",
    "房地产开发",
    "电子科技",
    "信息技术",
    "装饰工程",
    "市政工程",
    "石材",
    "服装",
    "纺织",
    "家具",
    "印务",
]
FORMS = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"]
SWAP_FORM = {"有限公司": "有限责任公司", "有限责任公司": "有限公司"}
LIST_TYPES = [
    "judgment_defaulter",
    "major_tax_violation",
    "procurement_violation",
    "work_safety",
    "wage_arrears",
    "a_grade_taxpayer",
]
PERSON_NUMBERS: dict[str, str] = {}  # blind index → number, of some generated natural persons
VARIANTS = ["brackets", "spaces", "case", "form", "place", "character"]
FULL_WIDTH = str.maketrans("()", "（）")
HALF_WIDTH = str.maketrans("（）", "()")


# --- names -----------------------------------------------------------------------------------


def organisation_name(rng: random.Random) -> str:
    trade = "".join(rng.sample(TRADE, rng.choice((2, 2, 3))))
    if rng.random() < 0.05:
        trade = "".join(rng.sample("ABCDEFGHJKMNPRSTXYZ", 3)) + trade
    if rng.random() < 0.08:
        trade += rng.choice(("（台儿庄）", "（枣庄）", "（山东）"))
    return f"{rng.choice(PLACES)}{trade}{rng.choice(INDUSTRIES)}{rng.choice(FORMS)}"


def person_name(rng: random.Random) -> str:
    from chengxin.subjects import demo

    return demo.person_name(rng)


def variant(rng: random.Random, name: str, kind: str) -> str | None:
    """A planted variant of `name`, or None when the name has nothing to vary that way."""
    if kind == "brackets":
        if "（" in name:
            return name.translate(HALF_WIDTH)
        return name.translate(FULL_WIDTH) if "(" in name else None
    if kind == "spaces":
        cut = rng.randrange(1, len(name))
        return f" {name[:cut]} {name[cut:]}\u3000"
    if kind == "case":
        changed = name.lower() if any(c.isascii() and c.isalpha() for c in name) else None
        return changed if changed != name else None
    if kind == "form":
        for form, other in SWAP_FORM.items():
            if name.endswith(form) and not name.endswith("股份" + form):
                return name[: -len(form)] + other
        return None
    if kind == "place":
        place = next(
            (p for p in sorted(PLACES, key=len, reverse=True) if p and name.startswith(p)), ""
        )
        return name[len(place) :] if place else None
    return changed_character(rng, name)


def changed_character(rng: random.Random, name: str) -> str | None:
    """A typo: one character of the core after the start of the 字号 replaced by another.

    A changed 字号 is another enterprise's name (《企业名称登记管理规定》 art. 6; see
    screening/names.py), so the first two characters of the core are left alone."""
    from chengxin.screening import names

    core = names.core_key(name)
    start = names.name_key(name).find(core)
    if len(core) < 3 or start < 0 or names.name_key(name) != name.casefold():
        return None
    position = start + 2 + rng.randrange(len(core) - 2)
    replacement = rng.choice([c for c in TRADE if c != name[position]])
    return name[:position] + replacement + name[position + 1 :]


# --- data ------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> tuple[Any, Any]:
    """migrate; one department and its credit checker (no password: a service account)."""
    from django.core.management import call_command

    from chengxin.accounts.actions import assign_role
    from chengxin.accounts.choices import DepartmentKind, Role
    from chengxin.accounts.models import Department, User
    from chengxin.core.identifiers import make_uscc

    call_command("migrate", verbosity=0, interactive=False)
    department = Department.objects.create(
        name="台儿庄区公共资源交易中心",
        short_name="交易中心",
        credit_code=make_uscc(random.Random(args.seed), department="1", category="1"),
        kind=DepartmentKind.GOVERNMENT_DEPARTMENT,
    )
    checker = User.objects.create_user("bench-checker", None, department=department)
    assign_role(checker, Role.CREDIT_CHECKER, actor=None)
    return department, checker


def entry_rows(args: argparse.Namespace, department_id: int) -> Iterator[dict[str, Any]]:
    from django.utils import timezone

    from chengxin.core.identifiers import make_resident_id, make_uscc, mask_id_number
    from chengxin.core.personal_data import blind_index, encrypt
    from chengxin.screening import names
    from chengxin.screening.models import ListType

    rng = random.Random(args.seed)
    types = dict(ListType.objects.values_list("code", "id"))
    now = timezone.now()
    seen: set[str] = set()
    for n in range(args.entries):
        person = rng.random() < 0.15
        name = person_name(rng) if person else organisation_name(rng)
        key = names.name_key(name)
        while not person and key in seen:
            name = organisation_name(rng)
            key = names.name_key(name)
        seen.add(key)
        core = names.core_key(name)
        listed = ON - datetime.timedelta(days=rng.randrange(30, 2000))
        fate = rng.random()
        ends = None if fate < 0.7 else listed + datetime.timedelta(days=rng.randrange(400, 3000))
        if 0.9 <= fate < 0.95:
            ends = ON - datetime.timedelta(days=rng.randrange(1, 20))  # ended
        removed = fate >= 0.97
        row: dict[str, Any] = {
            "list_type_id": types[rng.choice(LIST_TYPES)],
            "subject_name": name,
            "subject_category": "natural_person" if person else "legal_entity",
            "credit_code": "" if person else make_uscc(rng),
            "name_key": key[:200],
            "core_key": core[:200],
            "prefix_key": names.prefix_key(core),
            "listing_authority": "台儿庄区财政局",
            "document_number": f"BENCH〔2026〕{n}号",
            "basis": "基准测试数据",
            "listed_on": listed,
            "ends_on": ends,
            "status": "removed" if removed else "active",
            "removed_on": ON - datetime.timedelta(days=5) if removed else None,
            "removal_reason": "信用修复" if removed else "",
            "department_id": department_id,
            "created_at": now,
            "updated_at": now,
        }
        if person:
            number = make_resident_id(rng)
            row["id_number_ciphertext"] = encrypt(number)
            row["id_number_index"] = blind_index(number)
            row["id_number_masked"] = mask_id_number(number)
            if len(PERSON_NUMBERS) < 50_000:
                PERSON_NUMBERS[row["id_number_index"]] = number
        yield row


def build_entries(args: argparse.Namespace, department_id: int) -> float:
    from django.db import connection, transaction

    from chengxin.core.bulk import insert_rows
    from chengxin.screening.models import ListEntry

    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    for row in entry_rows(args, department_id):
        batch.append(row)
        if len(batch) == INSERT_CHUNK:
            with transaction.atomic():
                insert_rows(ListEntry, batch)
            batch = []
    if batch:
        with transaction.atomic():
            insert_rows(ListEntry, batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    settle()  # the lists were written long before any check, in life
    return time.perf_counter() - started


def in_force_entries() -> list[dict[str, Any]]:
    from chengxin.screening.models import ListEntry

    columns = ("id", "subject_name", "subject_category", "credit_code", "id_number_index")
    return list(ListEntry.objects.in_force(ON).values(*columns))


def draw_subjects(args: argparse.Namespace) -> tuple[list[Any], list[dict[str, Any]]]:
    """The subjects, and what each is expected to find: kind, entry id, variant."""
    from chengxin.core.identifiers import make_uscc
    from chengxin.core.personal_data import blind_index
    from chengxin.screening import names
    from chengxin.screening.matching import Subject
    from chengxin.screening.models import ListEntry

    rng = random.Random(args.seed + 1)
    entries = in_force_entries()
    organisations = [e for e in entries if e["credit_code"]]
    persons = {e["id_number_index"]: e for e in entries if e["id_number_index"]}
    listed_keys = set(ListEntry.objects.values_list("name_key", flat=True))
    listed_codes = set(ListEntry.objects.values_list("credit_code", flat=True))
    person_numbers = [n for index, n in PERSON_NUMBERS.items() if index in persons]
    subjects: list[Any] = []
    expected: list[dict[str, Any]] = []
    while len(subjects) < args.subjects:
        roll = rng.random()
        if roll < 0.01 and person_numbers:
            number = rng.choice(person_numbers)
            subjects.append(Subject(name="", id_number=number))
            expected.append({"kind": "code", "entry": persons[blind_index(number)]["id"]})
        elif roll < 0.05:
            entry = rng.choice(organisations)
            subjects.append(Subject(credit_code=entry["credit_code"].lower()))
            expected.append({"kind": "code", "entry": entry["id"]})
        elif roll < 0.10:
            entry = rng.choice(organisations)
            kind = VARIANTS[len(subjects) % len(VARIANTS)]
            name = variant(rng, entry["subject_name"], kind)
            if name is None:
                continue
            subjects.append(Subject(name=name))
            expected.append({"kind": "variant", "entry": entry["id"], "variant": kind})
        else:
            name = organisation_name(rng)
            code = make_uscc(rng)
            if names.name_key(name) in listed_keys or code in listed_codes:
                continue
            subjects.append(Subject(name=name, credit_code=code))
            expected.append({"kind": "clean"})
    return subjects, expected


# --- batch -----------------------------------------------------------------------------------


def run_batch(args: argparse.Namespace, department: Any, checker: Any, subjects: list[Any]) -> Any:
    from chengxin.screening.actions import check_subjects
    from chengxin.screening.models import Scenario

    scenario = Scenario.objects.get(code=SCENARIO)
    results: list[dict[str, Any]] = []
    ids: list[int] = []
    chunk = args.chunk or len(subjects)
    started = time.perf_counter()
    for start in range(0, len(subjects), chunk):
        checks = check_subjects(
            subjects[start : start + chunk],
            department=department,
            scenario=scenario,
            matter=MATTER,
            actor=checker,
            channel="batch",
            on=ON,
        )
        results.extend(check.result for check in checks)
        ids.extend(check.pk for check in checks)
    settle()
    return time.perf_counter() - started, results, ids


def settle() -> None:
    """Write what is committed to the database files and to disk: the WAL checkpointed into
    the database (SQLite) or a checkpoint (PostgreSQL), then fsync."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("CHECKPOINT")
    os.sync()


def quality(expected: list[dict[str, Any]], results: list[dict[str, Any]]) -> dict[str, Any]:
    found_by_variant: Counter[str] = Counter()
    planted_by_variant: Counter[str] = Counter()
    missed_codes = reported = correct = clean_alarms = clean_hits = 0
    for want, result in zip(expected, results, strict=True):
        hits = {h["entry"] for h in result["hits"]}
        candidates = {c["entry"] for c in result["candidates"]}
        if want["kind"] == "code":
            missed_codes += want["entry"] not in hits
        elif want["kind"] == "variant":
            planted_by_variant[want["variant"]] += 1
            named = [h["entry"] for h in result["hits"] if h["match"] == "name"]
            reported += len(named) + len(candidates)
            if want["entry"] in hits or want["entry"] in candidates:
                found_by_variant[want["variant"]] += 1
                correct += 1
        else:
            clean_alarms += bool(candidates)
            clean_hits += bool(hits)
    planted = sum(planted_by_variant.values())
    return {
        "planted": planted,
        "recall": round(correct / planted, 4) if planted else None,
        "precision": round(correct / reported, 4) if reported else None,
        "recall_by_variant": {
            k: round(found_by_variant[k] / planted_by_variant[k], 4) for k in planted_by_variant
        },
        "code_subjects": sum(1 for w in expected if w["kind"] == "code"),
        "missed_code_hits": missed_codes,
        "clean_subjects_with_candidates": clean_alarms,
        "clean_subjects_with_hits": clean_hits,
    }


def measures_only_from_hits(ids: list[int], results: list[dict[str, Any]]) -> int:
    """Stored CheckMeasure rows whose entry was not a hit of their check (must be 0)."""
    from chengxin.screening.models import CheckMeasure

    hits = {pk: {h["entry"] for h in r["hits"]} for pk, r in zip(ids, results, strict=True)}
    wrong = 0
    rows = CheckMeasure.objects.values_list("credit_check_id", "entry_id")
    for check_id, entry_id in rows.iterator(chunk_size=20_000):
        wrong += entry_id not in hits.get(check_id, set())
    return wrong


# --- HTTP ------------------------------------------------------------------------------------


def api_latency(
    args: argparse.Namespace, workdir: Path, checker: Any, bodies: list[bytes]
) -> dict[str, Any]:
    from chengxin.accounts.tokens import issue_token

    token = issue_token(checker, "基准测试系统")[1]
    headers = {
        **PROXY_HEADERS,
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
    }
    server = Server(workdir, args.workers)
    try:
        server.wait_ready()
        load_before = os.getloadavg()
        post_many(server.port, headers, bodies, 2.0, args.concurrency)  # warm-up
        result = post_many(server.port, headers, bodies, args.http_seconds, args.concurrency)
        # The baseline in the same run: the same client, server and load on a bare view (no
        # database, no work), what this machine's loopback, gunicorn and Django cost alone.
        bare = post_many(
            server.port, headers, [b""], args.http_seconds, args.concurrency, BARE_VIEW
        )
        result["bare_view"] = {k: bare[k] for k in ("requests", "per_s", "p50_ms", "p99_ms")}
        result["load_before"] = [round(x, 2) for x in load_before]
        result["load_after"] = [round(x, 2) for x in os.getloadavg()]
        result["server"] = server.command
    finally:
        server.stop()
    return result


def post_many(
    port: int,
    headers: dict[str, str],
    bodies: list[bytes],
    seconds: float,
    concurrency: int,
    request: tuple[str, str] = ("POST", "/api/v1/checks"),
) -> dict[str, Any]:
    """`concurrency` threads sending `request` (with the bodies in turn) for `seconds`."""
    method, path = request
    expected = 201 if method == "POST" else 200
    lock = threading.Lock()
    state = {"next": 0, "ok": 0, "failed": 0}
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            with lock:
                body = bodies[state["next"] % len(bodies)]
                state["next"] += 1
            started = time.perf_counter()
            try:
                connection.request(method, path, body or None, headers)
                response = connection.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except OSError:
                status = 0
                connection.close()
            took = (time.perf_counter() - started) * 1000
            with lock:
                statuses[status] += 1
                state["ok" if status == expected else "failed"] += 1
                latencies.append(took)
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "per_s": round(len(latencies) / took, 1),
        "failed": state["failed"],
        "statuses": dict(statuses),
        "p50_ms": round(percentile(latencies, 50), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 2) if latencies else None,
        "concurrency": concurrency,
    }


def api_bodies(subjects: list[Any], count: int = 2000) -> list[bytes]:
    bodies = []
    for subject in subjects[:count]:
        body = {"scenario": SCENARIO, "matter": MATTER, "name": subject.name}
        if subject.credit_code:
            body["credit_code"] = subject.credit_code
        if subject.id_number:
            body["id_number"] = subject.id_number
        bodies.append(json.dumps(body, ensure_ascii=False).encode())
    return bodies


# --- report ----------------------------------------------------------------------------------


def bench(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from django.db import connection

    department, checker = prepare(args)
    print(f"fresh {connection.vendor} database ({database_version()})", flush=True)
    build_seconds = build_entries(args, department.pk)
    print(f"{args.entries:,} list entries in {build_seconds:.1f} s", flush=True)
    subjects, expected = draw_subjects(args)
    calls = f"calls of {args.chunk:,}" if args.chunk else "one call"
    print(f"{len(subjects):,} subjects drawn; checking them in {calls} …", flush=True)
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    seconds, results, ids = run_batch(args, department, checker, subjects)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    rate = len(subjects) / seconds
    print(f"batch: {len(subjects):,} checks in {seconds:.1f} s = {rate:,.0f} checks/s", flush=True)
    figures: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "database": database_version(),
        "entries": args.entries,
        "subjects": len(subjects),
        "chunk": args.chunk or len(subjects),
        "build_seconds": round(build_seconds, 1),
        "batch_seconds": round(seconds, 2),
        "checks_per_s": round(rate),
        **quality(expected, results),
        "measures_from_non_hits": measures_only_from_hits(ids, results),
    }
    if args.http_seconds > 0:
        print("API latency (gunicorn, loopback) …", flush=True)
        figures["api"] = api_latency(args, workdir, checker, api_bodies(subjects))
    print_report(figures, args)
    return figures


def print_report(f: dict[str, Any], args: argparse.Namespace) -> None:
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    full = args.entries >= 1_000_000 and args.subjects >= 100_000
    scale = "" if full else " (targets are for 1,000,000 entries and 100,000 subjects)"
    print(f"\n联合奖惩 checks — {f['database']}, {f['machine']}{scale}")
    print(
        f"  batch checks/s           {f['checks_per_s']:>10,}  target ≥ {TARGET_CHECKS_PER_S:,}: "
        f"{verdict(f['checks_per_s'] >= TARGET_CHECKS_PER_S)}"
    )
    print(
        f"  missed exact-code hits   {f['missed_code_hits']:>10}  of {f['code_subjects']:,}: "
        f"{verdict(f['missed_code_hits'] == 0)}"
    )
    print(
        f"  name-variant recall      {f['recall']!s:>10}  target ≥ {TARGET_RECALL}: "
        f"{verdict((f['recall'] or 0) >= TARGET_RECALL)}  {f['recall_by_variant']}"
    )
    print(f"  name-variant precision   {f['precision']!s:>10}  ({f['planted']:,} planted)")
    print(f"  measures from non-hits   {f['measures_from_non_hits']:>10}  (must be 0)")
    print(
        f"  clean subjects with candidates {f['clean_subjects_with_candidates']:,}, with hits "
        f"{f['clean_subjects_with_hits']:,}"
    )
    if "api" in f:
        api = f["api"]
        print(
            f"  API single check p50/p99 {api['p50_ms']} / {api['p99_ms']} ms  target p99 ≤ "
            f"{TARGET_API_P99_MS}: {verdict((api['p99_ms'] or 1e9) <= TARGET_API_P99_MS)}  "
            f"({api['requests']:,} requests, {api['per_s']}/s, ×{api['concurrency']} threads, "
            f"load {api['load_before']} → {api['load_after']})"
        )
        bare = api["bare_view"]
        print(
            f"  bare view (GET /healthz) p50/p99 {bare['p50_ms']} / {bare['p99_ms']} ms, "
            f"{bare['per_s']}/s under the same load: the check's p99 is "
            f"{api['p99_ms'] / bare['p99_ms']:.1f} × the bare view's"
        )
    assert f["measures_from_non_hits"] == 0, "a measure was applied from a fuzzy candidate"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=0, help="subjects per call (0: one call)")
    parser.add_argument("--small", action="store_true", help="50,000 entries, 5,000 subjects")
    parser.add_argument("--database-url")
    parser.add_argument("--http-seconds", type=float, default=20.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile of the batch")
    args = parser.parse_args(argv)
    if args.small:
        args.entries, args.subjects, args.http_seconds = 50_000, 5_000, 8.0
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.database_url and not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url must be a postgresql:// URL (SQLite is the default)")
    with fresh_environment(args.database_url, "chengxin-checks-bench-", keep=args.keep) as workdir:
        figures = bench(args, workdir)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Benchmark: the site under ordinary traffic while a large 双公示 import runs, against the same
traffic with no import, in one run.

    .venv/bin/python bench/import_under_load.py [--rows 200000] [--baseline-seconds 20]
        [--database-url postgresql://postgres@127.0.0.1:5432/chengxin_load_bench] [--keep]

1. A fresh database (bench/import_records.py's helpers): a SQLite file in a temporary
   CHENGXIN_HOME, or a new PostgreSQL database beside --database-url. `migrate`,
   `collectstatic`, the demo district with --subjects subjects and no records; two credit
   checkers (the demo's `checker` and a second one) in the approval bureau.
2. --rows penalty rows of 区市场监管局 (2 % invalid) written to a CSV, as bench/import_records.py.
3. `chengxin serve --workers 2 --no-job-worker` on a free loopback port (production settings).
4. The load, four clients back to back, each with its own connection per request:
   - 2 **portal** clients, in turn: a subject page, a name search (the results page), the
     public API's subject lookup by credit code;
   - 2 **staff** clients, in turn: log in (GET the form, POST it), save the credit-check form
     five times (GET the form, POST a check: a write), log out.
   Every answer must be 200 or a redirect (302 after a login or a check); anything else, or a
   connection error, is an error.
5. **Baseline**: the load alone for --baseline-seconds. **Under import**: the same load while
   `chengxin import penalties <csv> --department 区市场监管局` runs in its own process, until it
   ends. Then the import's own figures, and the batch must be finished with every valid row.

Figures: p50 / p99 / max latency and errors per request class, in both phases. Targets (issue
18): no error; staff write p99 ≤ 200 ms and portal p99 ≤ 100 ms during the import. The last
line of output is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.import_records import (  # noqa: E402 (after the path set-up)
    database_version,
    fresh_environment,
    generate_csv,
    machine,
)
from bench.portal import PROXY_HEADERS, Server, percentile  # noqa: E402

SEED = 20261207
DEPARTMENT = "区市场监管局"
TARGETS_MS = {"staff_write": 200.0, "portal": 100.0}
CHECKS_PER_LOGIN = 5
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
OK = {200, 302}


class Client:
    """One user's requests: a cookie jar and http.client, a new connection per request (gunicorn's
    sync workers close them), headers as from the TLS proxy in front."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        headers = dict(PROXY_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
            headers["Origin"] = "https://127.0.0.1"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: http.cookies.SimpleCookie = http.cookies.SimpleCookie(header)
                for name, morsel in jar.items():
                    self.cookies[name] = morsel.value
            return response.status, content
        finally:
            connection.close()


class Recorder:
    """Latencies and errors per request class, for the current phase."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.phase = "baseline"
        self.latencies: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.errors: dict[tuple[str, str], list[str]] = defaultdict(list)

    def timed(
        self, kind: str, client: Client, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        phase = self.phase
        started = time.perf_counter()
        try:
            status, body = client.request(method, path, form)
        except OSError as exc:
            status, body = 0, str(exc).encode()
        took = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies[phase, kind].append(took)
            if status not in OK:
                self.errors[phase, kind].append(f"{status}: {body[:120]!r}")
        return status, body

    def figures(self, phase: str) -> dict[str, Any]:
        result = {}
        for (seen, kind), values in sorted(self.latencies.items()):
            if seen == phase and values:
                result[kind] = {
                    "requests": len(values),
                    "errors": len(self.errors[seen, kind]),
                    "p50_ms": round(percentile(values, 50), 1),
                    "p99_ms": round(percentile(values, 99), 1),
                    "max_ms": round(max(values), 1),
                }
        return result


def portal_client(
    port: int, subjects: list[tuple[str, str, str]], rec: Recorder, stop: Any
) -> None:
    rng = random.Random(SEED)
    client = Client(port)
    while not stop.is_set():
        public_id, name, code = rng.choice(subjects)
        query = urlencode({"q": name[2:6]})
        rec.timed("portal", client, "GET", f"/subjects/{public_id}/")
        rec.timed("portal", client, "GET", f"/search/?{query}")
        rec.timed("portal", client, "GET", f"/api/v1/public/subjects?q={code}")


def staff_client(
    port: int, username: str, password: str, scenario: int, rec: Recorder, stop: Any
) -> None:
    rng = random.Random(username)
    while not stop.is_set():
        client = Client(port)
        _status, page = client.request("GET", "/accounts/login/")
        token = CSRF.search(page)
        form = {"username": username, "password": password}
        form["csrfmiddlewaretoken"] = token.group(1).decode() if token else ""
        rec.timed("staff_login", client, "POST", "/accounts/login/", form)
        for _ in range(CHECKS_PER_LOGIN):
            _status, page = rec.timed("staff_read", client, "GET", "/staff/screening/checks/new/")
            token = CSRF.search(page)
            check = {
                "csrfmiddlewaretoken": token.group(1).decode() if token else "",
                "name": f"台儿庄区测试商贸有限公司{rng.randrange(10_000)}",
                "scenario": str(scenario),
                "matter": "政府采购项目 TEZ-2026-118",
            }
            rec.timed("staff_write", client, "POST", "/staff/screening/checks/new/", check)
            if stop.is_set():
                break
        client.request(
            "POST", "/accounts/logout/", {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"]}
        )


def prepare(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """The database, the two checkers, the CSV; what the clients need."""
    import io

    from django.core.management import call_command

    from chengxin.accounts.actions import assign_role
    from chengxin.accounts.choices import Role
    from chengxin.accounts.models import Department, User
    from chengxin.core.demodata import DEMO_PASSWORD, build_demo
    from chengxin.screening.models import Scenario
    from chengxin.subjects.models import Subject

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    build_demo(SEED, {"subjects": args.subjects, "licenses": 0, "penalties": 0}, io.StringIO())
    checker = User.objects.get(username="checker")
    second = User.objects.create_user(
        "checker2", DEMO_PASSWORD, full_name="钱明", department=checker.department
    )
    assign_role(second, Role.CREDIT_CHECKER, actor=None)
    organisations = Subject.objects.exclude(credit_code="").exclude(category="natural_person")
    subjects = [
        (str(s.public_id), s.name, s.credit_code) for s in organisations.order_by("pk")[:500]
    ]
    department = Department.objects.get(short_name=DEPARTMENT)
    csv_path = workdir / "penalties.csv"
    started = time.perf_counter()
    generate_csv(csv_path, "penalty", args.rows, SEED, (department.name, department.credit_code))
    print(f"{args.rows:,} rows written in {time.perf_counter() - started:.1f} s", flush=True)
    return {
        "subjects": subjects,
        "users": [("checker", DEMO_PASSWORD), ("checker2", DEMO_PASSWORD)],
        "scenario": Scenario.objects.order_by("pk").first().pk,
        "csv": csv_path,
        "department": department.credit_code,
    }


def run_import(path: Path, department: str, workdir: Path) -> tuple[dict[str, Any], float, str]:
    command = [
        sys.executable,
        "-c",
        "from chengxin.cli import main; main(['chengxin'] + __import__('sys').argv[1:])",
        "import",
        "penalties",
        str(path),
        "--department",
        department,
        "--json",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, env=dict(os.environ))
    took = time.perf_counter() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {}
    # The pipeline logs how long its write transactions held the database, per phase.
    result["transactions"] = re.findall(r"import batch \d+ (\w+ in .*)", done.stderr)
    return result, took, done.stderr[-2000:] if done.returncode not in (0, 1) else ""


def bench(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    from chengxin.imports.models import ImportBatch
    from chengxin.publicity.models import PenaltyRecord

    context = prepare(args, workdir)
    server = Server(workdir, args.workers)
    rec = Recorder()
    stop = threading.Event()
    try:
        server.wait_ready()
        threads = [
            threading.Thread(
                target=portal_client, args=(server.port, context["subjects"], rec, stop)
            )
            for _ in range(2)
        ] + [
            threading.Thread(
                target=staff_client,
                args=(server.port, user, password, context["scenario"], rec, stop),
            )
            for user, password in context["users"]
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.baseline_seconds)
        rec.phase = "import"
        result, took, failure = run_import(context["csv"], context["department"], workdir)
        transactions = result.pop("transactions")
        rec.phase = "after"
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        server.stop()
    batch = ImportBatch.objects.order_by("-pk").first()
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "database": database_version(),
        "rows": args.rows,
        "import": {
            "seconds": round(took, 1),
            "rows_per_second": round(args.rows / took) if took else None,
            "status": batch.status if batch else None,
            "created": batch.rows_created if batch else None,
            "rejected": batch.rows_rejected if batch else None,
            "visible": PenaltyRecord.objects.filter(batch=batch).exclude(status="staged").count(),
            "transactions": transactions,
            "cli": result,
            "failure": failure,
        },
        "baseline": rec.figures("baseline"),
        "under_import": rec.figures("import"),
        "errors": {f"{p}/{k}": v[:5] for (p, k), v in rec.errors.items() if v},
    }
    print_report(figures)
    return figures


def print_report(figures: dict[str, Any]) -> None:
    print(f"\n{figures['database']}, {figures['rows']:,} rows: import {figures['import']}")
    print(
        f"{'class':<12} {'phase':<13} {'requests':>8} {'errors':>6} {'p50':>8} {'p99':>8} {'max':>8}"
    )
    for phase in ("baseline", "under_import"):
        for kind, row in figures[phase].items():
            print(
                f"{kind:<12} {phase:<13} {row['requests']:>8} {row['errors']:>6} "
                f"{row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} {row['max_ms']:>7.1f}"
            )
    under = figures["under_import"]
    errors = sum(
        row["errors"] for phase in ("baseline", "under_import") for row in figures[phase].values()
    )
    verdicts = [f"errors: {errors} (target 0) — {'met' if errors == 0 else 'NOT met'}"]
    for kind, target in TARGETS_MS.items():
        if kind in under:
            p99 = under[kind]["p99_ms"]
            verdict = "met" if p99 <= target else "NOT met"
            verdicts.append(f"{kind} p99 under import {p99} ms (target ≤ {target:.0f}) — {verdict}")
    print("\n".join(verdicts))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--baseline-seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="postgresql://… (default: SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the database and folder")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # The clients are four users behind one address, asking far more often than people do.
    os.environ["CHENGXIN_SEARCH_PER_MINUTE"] = str(10**9)
    with fresh_environment(args.database_url, "chengxin-load-bench-", keep=args.keep) as workdir:
        figures = bench(args, workdir)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()

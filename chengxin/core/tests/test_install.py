"""Installing chengxin for a district that is not the demo's, as README "Running in production"
says, end to end with the real `chengxin` command, on the database this test leg runs on.

An empty database (a fresh PostgreSQL database when CHENGXIN_TEST_DATABASE_URL names a server,
else the embedded SQLite file), production keys given in the environment, then: `migrate`,
`setup` for 370402 市中区, the departments template printed, filled in and loaded, a reporter
created, `serve` behind a (simulated) HTTPS proxy, the reporter logs in and uploads a penalty
file, the job worker publishes it, and the public finds it and takes a credit report. Every page
seen on the way, the staff menus, the credit report and the annual report are then searched for
the demo district's name and division code: none may appear (issue 19, items 4 and 6).

The commands run on the machine's clock; the dates the test writes come from the installation
itself (`localdate()` in a `chengxin shell`), never from the test's own (possibly shifted) clock.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import secrets
import subprocess
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import docx
import psycopg
import pytest
from pypdf import PdfReader

from chengxin.core.identifiers import make_uscc
from chengxin.core.tests.test_supervision import SCRIPT, serving, wait_for

DEMO_TRACES = ("台儿庄", "370405")
REGION = "370402"
GOVERNMENT_CODE = make_uscc(random.Random(402), department="1", category="1", division=REGION)
MARKET_CODE = make_uscc(random.Random(403), department="1", category="1", division=REGION)
STREET_CODE = make_uscc(random.Random(404), department="1", category="1", division=REGION)
COMPANY_CODE = make_uscc(random.Random(405), category="1", division=REGION)
COMPANY = "枣庄市市中区鸿运建材有限公司"
PASSWORD = "Reporter-2026-secure!"


# --- the installation -----------------------------------------------------------------------


@pytest.fixture
def database_url() -> Iterator[str]:
    """Empty for the embedded SQLite database; on the PostgreSQL leg, a new empty database."""
    server = os.environ.get("CHENGXIN_TEST_DATABASE_URL", "")
    if not server.startswith("postgres"):
        yield ""
        return
    name = f"chengxin_install_{uuid.uuid4().hex[:12]}"
    admin = server.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Installation:
    """The `chengxin` command with a production environment: keys given, no demo mode."""

    def __init__(self, home: Path, database_url: str) -> None:
        home.mkdir(mode=0o700)
        self.home = home
        self.env = {
            "CHENGXIN_HOME": str(home),
            "CHENGXIN_SECRET_KEY": secrets.token_urlsafe(48),
            "CHENGXIN_DATA_KEY": secrets.token_urlsafe(48),
            "CHENGXIN_AUDIT_KEY": secrets.token_urlsafe(48),
            "CHENGXIN_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CHENGXIN_GENERATE_SECRETS": "0",
        }
        if database_url:
            self.env["CHENGXIN_DATABASE_URL"] = database_url

    def run(self, *args: str | Path, expect: int = 0, **extra: str) -> str:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CHENGXIN_", "DJANGO_"))}
        done = subprocess.run(
            [str(SCRIPT), *map(str, args)],
            env=env | self.env | extra,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == expect, f"chengxin {args}: {done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        return done.stdout


class Browser:
    """A staff member's or the public's browser behind the district's HTTPS proxy: every request
    says it came over HTTPS (`X-Forwarded-Proto`), so the production settings apply as they
    would, secure cookies included (kept here by hand: urllib would not send them over http)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.origin = "https://" + url.split("://", 1)[1]
        self.cookies: dict[str, str] = {}
        self.seen: dict[str, bytes] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(
        self, path: str, data: bytes | None = None, **headers: str
    ) -> tuple[int, str, bytes]:
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **headers,
        }
        request = urllib.request.Request(self.url + path, data=data, headers=headers)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=120)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
            body = response.read()
            location = response.headers.get("Location", "")
            return int(response.status), location, body

    def get(self, path: str) -> str:
        status, location, body = self.request(path)
        if status in (301, 302, 303):
            return self.get(urllib.parse.urlsplit(location).path or path)
        assert status == 200, f"GET {path}: {status}\n{body[:2000]!r}"
        self.seen[path] = body
        return body.decode()

    def post(
        self, path: str, fields: dict[str, str], file: Path | None = None, form_page: str = ""
    ) -> tuple[int, str, bytes]:
        page = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, page[:2000]
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in ({"csrfmiddlewaretoken": token[1]} | fields).items()
        ]
        if file is not None:
            head = (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="file"; filename="{file.name}"\r\nContent-Type: text/csv\r\n\r\n'
            )
            parts.append(head.encode() + file.read_bytes() + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            path,
            body,
            **{
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Origin": self.origin,
                "Referer": self.origin + (form_page or path),
            },
        )

    def log_in(self, username: str, password: str) -> None:
        status, location, body = self.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        assert status == 302 and location.endswith("/staff/"), (status, body[:2000])

    def menu(self) -> list[str]:
        """The staff area's own links from the dashboard (no downloads, no logout)."""
        page = self.get("/staff/")
        links = set(re.findall(r'href="(/(?:staff|accounts)/[^"#?]*)"', page))
        return sorted(link for link in links if "logout" not in link and "export" not in link)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def traces(text: str) -> list[str]:
    return [trace for trace in DEMO_TRACES if trace in text]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def penalty_file(path: Path, header: list[str], department: str, today: str) -> Path:
    row = {
        "CF_WSH": f"市中市监罚〔{today[:4]}〕1号",
        "CF_WFXW": "销售过期食品",
        "CF_SY": "经查，当事人销售超过保质期的食品。",
        "CF_YJ": "《中华人民共和国食品安全法》第一百二十四条",
        "CF_CFLB": "警告;罚款",
        "CF_NR": "警告，罚款0.5万元",
        "CF_NR_FK": "0.5",
        "CF_JDRQ": today,
        "CF_YXQ": today,
        "CF_CFJG": department,
        "CF_CFJGDM": MARKET_CODE,
        "CF_SJLY": department,
        "CF_SJLYDM": MARKET_CODE,
        "CF_XDR_MC": COMPANY,
        "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": COMPANY_CODE,
        "CF_FRDB": "刘洋",
    }
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow([row.get(code, "") for code in header])
    return path


# --- the walk -------------------------------------------------------------------------------


def test_a_new_district_installs_from_an_empty_database_and_shows_only_its_own_names(
    tmp_path: Path, database_url: str
) -> None:
    chengxin = Installation(tmp_path / "home", database_url)
    chengxin.run("migrate", "-v0")

    # 1. The district, its government and the three administrators.
    done = chengxin.run(
        "setup",
        "--region-code",
        REGION,
        "--credit-code",
        GOVERNMENT_CODE,
        "--host",
        "szq.example.gov.cn",
        "--system-admin",
        "sysadmin",
        "--security-admin",
        "secadmin",
        "--audit-admin",
        "auditadmin",
        "--generate-passwords",
        "--no-input",
    )
    passwords = dict(re.findall(r"^\s+\S+ (\w+)：(\S+)$", done, re.MULTILINE))
    assert set(passwords) == {"sysadmin", "secadmin", "auditadmin"}, done
    assert "已创建部门 市中区人民政府" in done

    # 2. The departments, from the template the command prints, filled in as a county would.
    template = read_csv(chengxin.run("setup", "--template", "departments"))
    header = template[0]
    assert not traces(",".join(template[1])), template  # the example is the district's own
    departments = tmp_path / "departments.csv"
    rows = [
        {"名称": "市中区市场监督管理局", "简称": "区市场监管局", "统一社会信用代码": MARKET_CODE,
         "类型": "政府部门", "上级单位": ""},
        {"名称": "市中区中心街街道办事处", "简称": "中心街街道", "统一社会信用代码": STREET_CODE,
         "类型": "镇街", "上级单位": "市中区人民政府"},
    ]  # fmt: skip
    with departments.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([row[column] for column in header] for row in rows)
    loaded = chengxin.run("setup", "--load", "departments", departments)
    assert "新增 2" in loaded, loaded
    assert "新增 0" in chengxin.run("setup", "--load", "departments", departments)  # again: same

    # 3. A reporter of the market regulator, from the command line.
    chengxin.run(
        "create_account",
        "zhangmin",
        "--full-name",
        "张敏",
        "--role",
        "department_reporter",
        "--department",
        MARKET_CODE,
        CHENGXIN_ACCOUNT_PASSWORD=PASSWORD,
    )
    today = chengxin.run(
        "shell", "-v0", "-c", "from django.utils.timezone import localdate; print(localdate())"
    ).strip()
    header = chengxin.run(
        "shell", "-v0", "-c",
        "from chengxin.publicity import samples; print(','.join(samples.header('penalty')))",
    ).strip().split(",")  # fmt: skip
    penalties = penalty_file(tmp_path / "penalties.csv", header, "市中区市场监督管理局", today)
    chengxin.run("collectstatic", "--noinput", "-v0")

    # 4. The site behind its HTTPS proxy: the reporter uploads, the worker publishes.
    with serving(chengxin.home, tmp_path, **chengxin.env) as served:
        reporter = Browser(served.url)
        reporter.log_in("zhangmin", PASSWORD)
        upload = reporter.get("/staff/imports/upload/")
        department_id = re.search(r'<option value="(\d+)" selected>市中区市场监督管理局', upload)
        assert department_id, upload[:3000]
        status, location, body = reporter.post(
            "/staff/imports/upload/", {"kind": "penalty", "department": department_id[1]}, penalties
        )
        assert status == 302 and re.search(r"/staff/imports/\d+/$", location), body[:2000]
        batch = urllib.parse.urlsplit(location).path
        assert wait_for(lambda: "已完成" in reporter.get(batch), seconds=120), reporter.get(batch)

        public = Browser(served.url)
        home = public.get("/")
        assert (
            "市中区公共信用信息平台" in home and "市中区社会信用体系建设领导小组办公室 主办" in home
        )
        found = public.get("/search/?" + urllib.parse.urlencode({"q": "鸿运建材"}))
        subject = re.search(r'href="(/subjects/[^"/]+/)"', found)
        assert subject, found[:3000]
        page = public.get(subject[1])
        assert f"市中市监罚〔{today[:4]}〕1号" in page and COMPANY in page
        report_path = subject[1] + "report/"
        status, _location, pdf = public.post(report_path, {}, form_page=report_path)
        assert status == 200 and pdf.startswith(b"%PDF"), pdf[:500]
        report_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "市中区公共信用信息平台" in report_text and COMPANY in report_text
        public.get("/statistics/")
        public.get("/verify/")
        for path in sorted(set(re.findall(r'href="(/[a-z][^"#?]*)"', public.get("/open/")))):
            if not path.startswith(("/static/", "/accounts/", "/i18n/")):
                public.get(path)  # each public list of 政务公开

        # 5. What the administrators and the reporter see.
        staff = [reporter]
        for username in ("sysadmin", "secadmin", "auditadmin"):
            browser = Browser(served.url)
            browser.log_in(username, passwords[username])
            staff.append(browser)
        for browser in staff:
            for link in browser.menu():
                status, _location, body = browser.request(link)
                assert status < 500, f"{link}: {status}"
                if status == 200:
                    browser.seen[link] = body

    found_traces = {
        path: traces(body.decode(errors="replace"))
        for browser in [public, *staff]
        for path, body in browser.seen.items()
        if traces(body.decode(errors="replace"))
    }
    assert found_traces == {}
    assert traces(report_text) == []
    assert len([p for b in staff for p in b.seen]) > 20  # the menus were walked

    # 6. The annual report of the new district.
    output = tmp_path / "reports"
    output.mkdir()
    chengxin.run("report", "annual", "--year", today[:4], "--format", "both", "--output", output)
    (docx_file,) = output.glob("*.docx")
    (pdf_file,) = output.glob("*.pdf")
    document = docx.Document(str(docx_file))
    texts = [paragraph.text for paragraph in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    annual = "\n".join(texts) + "".join(p.extract_text() for p in PdfReader(pdf_file).pages)
    assert "市中区" in annual and traces(annual) == []

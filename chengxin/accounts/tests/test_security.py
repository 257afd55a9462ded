"""The security baseline: password policy and hashing, lockout, idle timeout, CSRF, CSP, cookies."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.utils import timezone

from chengxin.accounts.choices import Role
from chengxin.core.tests.fixtures import PASSWORD

PROJECT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "password",
    ["Abcdefgh12", "abcdefgh1!", "ABCDEFGH1!", "Abcdefghi!", "密码Abcdefg12", "Xk9#mP2$vL7q"],
)
def test_password_policy_accepts(password: str) -> None:
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Abcdefg12", "password_too_short"),  # 9 characters: one short
        ("abcdefghij", "password_too_simple"),  # 1 class
        ("abcdefgh12", "password_too_simple"),  # 2 classes
        ("ABCDEFGHIJ", "password_too_simple"),
        ("1234567890", "password_entirely_numeric"),
    ],
)
def test_password_policy_rejects(password: str, code: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert code in [error.code for error in excinfo.value.error_list]


def test_production_hashes_with_argon2(make_user) -> None:
    from chengxin import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user = make_user()
        user.set_password("Xk9#mP2$vL7q")
        assert user.password.startswith("argon2$")
        assert user.check_password("Xk9#mP2$vL7q")


def login(client: Client, username: str, password: str) -> int:
    return client.post("/accounts/login/", {"username": username, "password": password}).status_code


def test_four_failures_then_the_right_password_logs_in(make_user, client) -> None:
    make_user(Role.CREDIT_ADMIN, username="li")
    for _ in range(4):
        assert login(client, "li", "wrong") == 200
    assert login(client, "li", PASSWORD) == 302


def test_five_failures_lock_the_account_for_fifteen_minutes(make_user, client) -> None:
    make_user(Role.CREDIT_ADMIN, username="zhao")
    for _ in range(5):
        login(client, "zhao", "wrong")
    response = client.post("/accounts/login/", {"username": "zhao", "password": PASSWORD})
    assert response.status_code == 429
    assert "已锁定 15 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same office address is not locked.
    make_user(Role.CREDIT_ADMIN, username="qian")
    assert login(client, "qian", PASSWORD) == 302

    # 14 minutes later: still locked; 16 minutes later: open again.
    for minutes, expected in ((14, 429), (16, 302)):
        AccessAttempt.objects.filter(username="zhao").update(
            attempt_time=timezone.now() - datetime.timedelta(minutes=minutes)
        )
        assert login(Client(), "zhao", PASSWORD) == expected


def test_idle_session_expires_after_thirty_minutes(settings, make_user, client) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # every request restarts the clock: idle timeout
    make_user(Role.CREDIT_ADMIN, username="sun")
    login(client, "sun", PASSWORD)
    assert client.get("/staff/").status_code == 200
    from django.contrib.sessions.models import Session

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/staff/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_forms_need_a_csrf_token(make_user) -> None:
    make_user(Role.CREDIT_ADMIN, username="zhou")
    client = Client(enforce_csrf_checks=True)
    assert login(client, "zhou", PASSWORD) == 403
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/accounts/login/", {"username": "zhou", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_csp_forbids_inline_scripts_and_other_origins(client, db) -> None:
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy and "http" not in policy


def all_templates() -> list[Path]:
    return list((PROJECT / "chengxin").glob("**/templates/**/*.html"))


def test_templates_have_no_inline_script_or_style() -> None:
    templates = all_templates()
    assert templates
    for template in templates:
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template
        assert not re.search(r"\sstyle=|<style", text), template
        assert not re.search(r"\son[a-z]+=", text), template  # onclick= etc.


def test_no_asset_comes_from_another_origin() -> None:
    files = all_templates() + list((PROJECT / "chengxin").glob("**/static/**/*.*"))
    for path in files:
        if path.suffix in {".html", ".css", ".js", ".svg"}:
            text = path.read_text(errors="replace")
            assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), path
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
            assert not re.search(r"@import\s+['\"]?(url\()?['\"]?(https?:)?//", text), path


def production_settings(**env: str) -> dict:
    code = (
        "import json, chengxin.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'DEBUG']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CHENGXIN_")}
    clean["CHENGXIN_HOME"] = os.environ.get("CHENGXIN_HOME", str(PROJECT / "var"))
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_secure_cookies_and_hsts_outside_demo_mode() -> None:
    production = production_settings()
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    demo = production_settings(CHENGXIN_DEMO="1")
    assert not demo["SESSION_COOKIE_SECURE"] and not demo["SECURE_HSTS_SECONDS"]


def test_language_is_chinese_unless_chosen(client, db) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_login_page_shows_the_platform_name_not_the_host(client) -> None:
    page = client.get("/accounts/login/", HTTP_HOST="127.0.0.1").content.decode()
    assert "<span>台儿庄区公共信用信息平台</span>" in page
    assert "<span>127.0.0.1</span>" not in page

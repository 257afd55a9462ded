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


def test_five_failures_lock_the_account_at_that_address_for_fifteen_minutes(
    make_user, client
) -> None:
    make_user(Role.CREDIT_ADMIN, username="zhao")
    for _ in range(5):
        login(client, "zhao", "wrong")
    response = client.post("/accounts/login/", {"username": "zhao", "password": PASSWORD})
    assert response.status_code == 429
    assert "已在此地址锁定 15 分钟" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same office address is not locked.
    make_user(Role.CREDIT_ADMIN, username="qian")
    assert login(client, "qian", PASSWORD) == 302
    # The same account from another address is not locked either.
    assert login(Client(REMOTE_ADDR="10.9.8.7"), "zhao", PASSWORD) == 302

    # 14 minutes later: still locked; 16 minutes later: open again.
    for minutes, expected in ((14, 429), (16, 302)):
        AccessAttempt.objects.filter(username="zhao").update(
            attempt_time=timezone.now() - datetime.timedelta(minutes=minutes)
        )
        assert login(Client(), "zhao", PASSWORD) == expected


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


# Production keys, as an operator sets them (docs/keys.md).
KEYS = {
    "CHENGXIN_SECRET_KEY": "k3J9-production-secret-key-0123456789-abcdefghijklmnop",
    "CHENGXIN_DATA_KEY": "d4T4-production-data-key-0123456789",
    "CHENGXIN_AUDIT_KEY": "4ud1t-production-audit-key-0123456789",
}
SETTINGS_SHOWN = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "DEBUG"]


def clean_environment(**env: str) -> dict[str, str]:
    """The test's environment without any CHENGXIN_ variable (the test settings' included)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CHENGXIN_", "DJANGO_"))}
    clean["CHENGXIN_HOME"] = os.environ.get("CHENGXIN_HOME", str(PROJECT / "var"))
    return {**clean, **env}


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import chengxin.settings in a fresh process with exactly `env` (no keys unless given)."""
    code = (
        "import json, chengxin.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        f"{[*SETTINGS_SHOWN, 'DATA_KEY', 'AUDIT_KEY']!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=clean_environment(**env), capture_output=True, text=True
    )


def production_settings(**env: str) -> dict:
    result = load_settings(**{**KEYS, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_secure_cookies_and_hsts_outside_demo_mode() -> None:
    production = production_settings()
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    demo = production_settings(CHENGXIN_DEMO="1")
    assert not demo["SESSION_COOKIE_SECURE"] and not demo["SECURE_HSTS_SECONDS"]


# --- keys are required outside demo mode (docs/keys.md) --------------------------------------


def test_production_starts_with_every_key_given() -> None:
    production = production_settings()
    assert production["DATA_KEY"] == KEYS["CHENGXIN_DATA_KEY"]
    assert production["AUDIT_KEY"] == KEYS["CHENGXIN_AUDIT_KEY"]


@pytest.mark.parametrize("value", [None, "", "  "], ids=["unset", "empty", "blank"])
def test_production_refuses_to_start_without_the_data_key(value: str | None) -> None:
    keys = {k: v for k, v in KEYS.items() if k != "CHENGXIN_DATA_KEY"}
    if value is not None:
        keys["CHENGXIN_DATA_KEY"] = value
    result = load_settings(**keys)
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "CHENGXIN_DATA_KEY" in message and "docs/keys.md" in message
    assert "CHENGXIN_SECRET_KEY" not in message and "CHENGXIN_AUDIT_KEY" not in message


def test_every_missing_key_is_named_at_once(tmp_path: Path) -> None:
    result = load_settings(CHENGXIN_HOME=str(tmp_path))
    message = result.stderr.strip().splitlines()[-1]
    for name in KEYS:
        assert name in message
    assert not (tmp_path / "secrets").exists()  # nothing generated behind the operator's back


def test_a_key_this_installation_generated_before_is_pointed_at(tmp_path: Path) -> None:
    """An installation upgraded from generated keys must keep its data key, not make a new one."""
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "data-key").write_text("the-key-it-has-used")
    result = load_settings(CHENGXIN_HOME=str(tmp_path), CHENGXIN_SECRET_KEY="x" * 50)
    message = result.stderr.strip().splitlines()[-1]
    assert f"CHENGXIN_DATA_KEY: this installation has used the key in {tmp_path}" in message
    assert "CHENGXIN_AUDIT_KEY: this" not in message  # no file: nothing to keep


def test_chengxin_check_deploy_fails_with_the_message_not_a_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "chengxin"
    env = clean_environment(CHENGXIN_HOME=str(tmp_path), CHENGXIN_AUDIT_KEY="")
    missing = subprocess.run(
        [script, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode == 1
    assert missing.stderr.startswith("chengxin: Missing CHENGXIN_SECRET_KEY, CHENGXIN_DATA_KEY")
    assert "Traceback" not in missing.stderr and "docs/keys.md" in missing.stderr
    given = subprocess.run(
        [script, "check", "--deploy"],
        env={**env, **KEYS},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert given.returncode == 0, given.stderr


def test_demo_mode_generates_its_keys_once(tmp_path: Path) -> None:
    first = load_settings(CHENGXIN_HOME=str(tmp_path), CHENGXIN_DEMO="1")
    assert first.returncode == 0, first.stderr
    keys = json.loads(first.stdout)
    files = {path.name: path for path in (tmp_path / "secrets").iterdir()}
    assert set(files) == {"django-secret-key", "data-key", "audit-key"}
    assert {oct(path.stat().st_mode & 0o777) for path in files.values()} == {"0o600"}
    again = json.loads(load_settings(CHENGXIN_HOME=str(tmp_path), CHENGXIN_DEMO="1").stdout)
    assert (again["DATA_KEY"], again["AUDIT_KEY"]) == (keys["DATA_KEY"], keys["AUDIT_KEY"])


def test_chengxin_demo_is_demo_mode_from_the_start(tmp_path: Path) -> None:
    """`chengxin demo` reads the settings before its command runs: the CLI says it is the demo."""
    script = Path(sys.executable).parent / "chengxin"
    result = subprocess.run(
        [script, "demo", "--help"],
        env=clean_environment(CHENGXIN_HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secrets" / "data-key").exists()


def test_the_one_setting_overrides_demo_mode(tmp_path: Path) -> None:
    refused = load_settings(
        CHENGXIN_HOME=str(tmp_path), CHENGXIN_DEMO="1", CHENGXIN_GENERATE_SECRETS="0"
    )
    assert refused.returncode != 0 and "CHENGXIN_DATA_KEY" in refused.stderr
    generated = load_settings(CHENGXIN_HOME=str(tmp_path), CHENGXIN_GENERATE_SECRETS="1")
    assert generated.returncode == 0, generated.stderr


def test_language_is_chinese_unless_chosen(client, db) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hans"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_the_login_page_shows_the_platform_name_not_the_host(client) -> None:
    page = client.get("/accounts/login/", HTTP_HOST="127.0.0.1").content.decode()
    assert "<span>公共信用信息平台</span>" in page
    assert "<span>127.0.0.1</span>" not in page


def test_an_invalid_trusted_proxy_stops_the_start() -> None:
    refused = load_settings(**KEYS, CHENGXIN_TRUSTED_PROXIES="10.0.0.1, the-proxy")
    assert refused.returncode != 0
    assert "CHENGXIN_TRUSTED_PROXIES: 'the-proxy' is not an address" in refused.stderr
    assert load_settings(**KEYS, CHENGXIN_TRUSTED_PROXIES="10.0.0.1, 10.1.0.0/16").returncode == 0


def test_a_refresh_interval_not_below_the_idle_timeout_stops_the_start() -> None:
    refused = load_settings(**KEYS, CHENGXIN_SESSION_REFRESH_MINUTES="30")
    assert refused.returncode != 0 and "CHENGXIN_SESSION_REFRESH_MINUTES" in refused.stderr

"""The go-live checklist (core.golive and each app's golive.py): every check's OK and MISSING
state, with the boundaries between them, and the page of the system administrator."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.agencies.tests.fixtures import make_enforcement_body  # noqa: F401
from chengxin.audit import anchors
from chengxin.audit.log import Event, append
from chengxin.core import calendar, golive
from chengxin.core.golive import Inspection, State
from chengxin.core.models import HolidayNotice, Region
from chengxin.core.navigation import navigation_for
from chengxin.documents.tests.fixtures import make_body  # noqa: F401
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage
from chengxin.powers.tests.fixtures import make_power_item  # noqa: F401
from chengxin.screening.models import ListType

pytestmark = pytest.mark.django_db

HOST = "credit.example.gov.cn"
KEYS = golive.KEY_VARIABLES


def inspect(key: str, *, is_secure: bool = True) -> golive.Finding:
    """The finding of the check `key` now."""
    check = next(c for c in golive.all_checks() if c.key == key)
    return check.inspect(Inspection(now=timezone.now(), is_secure=is_secure))


@pytest.fixture
def region(make_department: Callable[..., Department]) -> Region:
    government = make_department(name="市中区人民政府", kind=DepartmentKind.PEOPLES_GOVERNMENT)
    return Region.objects.create(
        code="370402",
        name="市中区",
        government=government,
        portal_name="市中区公共信用信息平台",
        host=HOST,
    )


@pytest.fixture
def system_admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.SYSTEM_ADMIN, username="sysadmin")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the registry -------------------------------------------------------------------------------


def test_every_app_brings_its_checks_each_in_a_known_area() -> None:
    checks = golive.all_checks()
    assert {c.key for c in checks} >= {
        "region",
        "departments",
        "reporters",
        "holiday_notice",
        "hosts",
        "https_request",
        "tls_settings",
        "mode",
        "keys",
        "audit_anchors",
        "job_worker",
        "upper_platform",
        "enforcement_bodies",
        "issuing_bodies",
        "power_items",
        "list_types",
    }
    assert all(c.area in golive.AREAS for c in checks)
    assert all(c.place.url for c in checks if not c.place.on_server)  # every page name resolves


def test_a_check_in_an_unknown_area_or_a_key_twice_is_refused(monkeypatch) -> None:
    own = golive.CHECKS
    stray = golive.Check("stray", "x", "nowhere", golive.Place("x"), lambda i: golive.ok(""))
    monkeypatch.setattr(golive, "CHECKS", (*own, stray))
    with pytest.raises(golive.ImproperlyConfigured, match="unknown area"):
        golive.all_checks()
    monkeypatch.setattr(golive, "CHECKS", (*own, own[0]))
    with pytest.raises(golive.ImproperlyConfigured, match="twice"):
        golive.all_checks()


def test_the_list_groups_in_area_order_and_counts_states() -> None:
    def fixed(key: str, area: str, finding: golive.Finding) -> golive.Check:
        return golive.Check(key, key, area, golive.Place("x"), lambda i: finding)

    checks = [
        fixed("b", "site", golive.missing("m")),
        fixed("a", "district", golive.ok("o")),
        fixed("c", "site", golive.warning("w")),
    ]
    result = golive.run(Inspection(timezone.now(), True), checks)
    assert [g.key for g in result.groups] == ["district", "site"]
    assert (result.ready, result.pending, result.warnings) == (1, 2, 1)
    assert result.groups[1].ready == 0


def test_combine_takes_the_worst_state() -> None:
    assert golive.combine([], when_ok="好").state == State.OK
    assert golive.combine([golive.warning("a")], when_ok="").state == State.WARNING
    both = golive.combine([golive.warning("a"), golive.missing("b")], when_ok="")
    assert (both.state, both.detail) == (State.MISSING, "ab")


# --- district and departments -------------------------------------------------------------------


def test_region_missing_before_setup_and_ready_after(make_department) -> None:
    assert inspect("region").state == State.MISSING
    assert "chengxin setup" in inspect("region").detail
    government = make_department(name="市中区人民政府", kind=DepartmentKind.PEOPLES_GOVERNMENT)
    Region.objects.create(code="370402", name="市中区", government=government, portal_name="平台")
    finding = inspect("region")
    assert finding.state == State.OK and "370402 市中区" in finding.detail


def test_departments_other_than_the_government_and_active_are_counted(make_department) -> None:
    make_department(kind=DepartmentKind.PEOPLES_GOVERNMENT)
    make_department(is_active=False)
    empty = inspect("departments")
    assert empty.state == State.MISSING and "chengxin setup --load departments" in empty.detail
    make_department()
    finding = inspect("departments")
    assert finding.state == State.OK and "1 个" in finding.detail


def test_reporters_missing_partly_and_everywhere(make_department, make_user) -> None:
    tax, market = make_department(name="区税务局"), make_department(name="区市场监管局")
    assert inspect("reporters").state == State.MISSING  # departments, no reporter at all
    make_user(Role.CREDIT_CHECKER, department=tax)  # another role does not count
    make_user(Role.DEPARTMENT_REPORTER, department=tax, is_active=False)  # nor a disabled one
    assert inspect("reporters").state == State.MISSING
    make_user(Role.DEPARTMENT_REPORTER, department=tax)
    partly = inspect("reporters")
    assert partly.state == State.WARNING and "区市场监管局" in partly.detail
    assert "区税务局" not in partly.detail
    make_user(Role.DEPARTMENT_REPORTER, department=market)
    assert inspect("reporters").state == State.OK


def test_reporters_names_a_few_departments_and_counts_the_rest(make_department, make_user) -> None:
    make_user(Role.DEPARTMENT_REPORTER)  # one department covered
    for n in range(7):
        make_department(name=f"无填报员部门{n}")
    finding = inspect("reporters")
    assert "7 个部门尚无" in finding.detail and finding.detail.count("无填报员部门") == 5
    assert "等" in finding.detail


# --- calendar -----------------------------------------------------------------------------------


@pytest.fixture
def unknown_to_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in a year the installed chinesecalendar does not know yet: only notices count."""
    monkeypatch.setattr(calendar, "package_knows", lambda year: False)


def notice(year: int) -> HolidayNotice:
    return HolidayNotice.objects.create(year=year, title=f"关于{year}年部分节假日安排的通知")


def test_this_years_notice_ready_only_last_years_missing(unknown_to_package) -> None:
    year = timezone.localdate().year
    notice(year - 1)
    finding = inspect("holiday_notice")
    assert finding.state == State.MISSING and str(year) in finding.detail
    notice(year)
    if timezone.localdate().month >= 11:
        notice(year + 1)
    assert inspect("holiday_notice").state == State.OK


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (datetime.date(2030, 10, 31), State.OK),  # next year's notice is not due yet
        (datetime.date(2030, 11, 1), State.WARNING),  # from November it is
        (datetime.date(2030, 12, 31), State.WARNING),
    ],
)
def test_next_years_notice_is_asked_for_from_november(unknown_to_package, clock, day, state):
    clock.travel(day)
    notice(2030)
    finding = inspect("holiday_notice")
    assert finding.state == state
    if state == State.WARNING:
        assert "2031" in finding.detail
        notice(2031)
        assert inspect("holiday_notice").state == State.OK


def test_a_year_the_package_knows_needs_no_notice(monkeypatch) -> None:
    monkeypatch.setattr(calendar, "package_knows", lambda year: True)
    finding = inspect("holiday_notice")
    assert finding.state == State.OK and "内置日历" in finding.detail


# --- site address and HTTPS ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hosts", "state"),
    [
        (["127.0.0.1", "localhost"], State.MISSING),
        (["*"], State.MISSING),
        ([HOST, "127.0.0.1"], State.OK),
        ([".example.gov.cn"], State.OK),  # a domain pattern covers the host
        (["other.example.gov.cn"], State.MISSING),  # the region's host is refused
    ],
)
def test_hosts(settings, region, hosts, state) -> None:
    settings.ALLOWED_HOSTS = hosts
    assert inspect("hosts").state == state


def test_a_region_without_a_host_is_a_warning(settings, region) -> None:
    settings.ALLOWED_HOSTS = [HOST]
    region.host = ""
    region.save()
    finding = inspect("hosts")
    assert finding.state == State.WARNING and "--host" in finding.detail


@pytest.fixture
def tls_on(settings) -> Any:
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = True
    return settings


def test_tls_settings_all_on(tls_on) -> None:
    assert inspect("tls_settings").state == State.OK


@pytest.mark.parametrize(
    ("name", "value", "state"),
    [
        ("SESSION_COOKIE_SECURE", False, State.MISSING),
        ("CSRF_COOKIE_SECURE", False, State.MISSING),
        ("SECURE_PROXY_SSL_HEADER", None, State.MISSING),
        ("SECURE_HSTS_SECONDS", 0, State.WARNING),
        ("SECURE_SSL_REDIRECT", False, State.WARNING),  # the proxy may redirect instead
    ],
)
def test_tls_settings_one_off(tls_on, name, value, state) -> None:
    setattr(tls_on, name, value)
    assert inspect("tls_settings").state == state


def test_the_request_over_https_or_not() -> None:
    assert inspect("https_request", is_secure=True).state == State.OK
    finding = inspect("https_request", is_secure=False)
    assert finding.state == State.MISSING and "X-Forwarded-Proto" in finding.detail


# --- mode, keys, audit anchors ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("demo", "debug", "state"),
    [(False, False, State.OK), (True, False, State.MISSING), (False, True, State.MISSING)],
)
def test_demo_and_debug_mode(settings, demo, debug, state) -> None:
    settings.DEMO_MODE, settings.DEBUG = demo, debug
    assert inspect("mode").state == state


def test_keys_from_the_environment(settings, monkeypatch) -> None:
    for name in KEYS:
        monkeypatch.setenv(name, "x" * 48)
    settings.GENERATE_SECRETS = False
    assert inspect("keys").state == State.OK
    settings.GENERATE_SECRETS = True  # all set, but a missing one would be generated
    assert inspect("keys").state == State.WARNING
    monkeypatch.setenv("CHENGXIN_DATA_KEY", "  ")
    finding = inspect("keys")
    assert finding.state == State.MISSING and "CHENGXIN_DATA_KEY" in finding.detail
    assert "x" * 48 not in finding.detail  # names only, never a value


@pytest.fixture
def anchor_folder(settings, tmp_path: Path) -> Path:
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    settings.AUDIT_ANCHOR_INTERVAL_SECONDS = 3600
    return Path(settings.AUDIT_ANCHOR_DIR)


def log(count: int = 1) -> None:
    append([Event(action="created", object_repr=f"记录{i}") for i in range(count)])


def test_anchors_missing_until_one_is_written(anchor_folder) -> None:
    log(2)
    finding = inspect("audit_anchors")
    assert finding.state == State.MISSING and "chengxin audit anchor" in finding.detail
    anchors.write_anchor()
    assert inspect("audit_anchors").state == State.OK
    log()  # logged after the anchor, within two intervals: still recent
    assert inspect("audit_anchors").state == State.OK


@pytest.mark.parametrize(("hours", "state"), [(1.9, State.OK), (2.1, State.WARNING)])
def test_anchors_older_than_two_intervals_with_entries_after(anchor_folder, clock, hours, state):
    clock.travel(timezone.now() - datetime.timedelta(hours=hours))
    log()
    anchors.write_anchor()
    clock.stop()
    log()
    assert inspect("audit_anchors").state == state


def test_an_old_anchor_at_the_chains_end_is_recent_enough(anchor_folder, clock) -> None:
    clock.travel(timezone.now() - datetime.timedelta(days=3))
    log()
    anchors.write_anchor()
    clock.stop()
    assert inspect("audit_anchors").state == State.OK  # nothing logged since: nothing to anchor


def test_a_forged_or_unreadable_newest_anchor_is_missing(anchor_folder) -> None:
    log()
    anchor = anchors.write_anchor()
    assert anchor is not None
    anchor.path.write_text(anchor.path.read_text().replace('"sequence": 1', '"sequence": 2'))
    assert inspect("audit_anchors").state == State.MISSING


def test_anchors_in_the_default_folder_are_a_warning(settings) -> None:
    settings.AUDIT_ANCHOR_DIR = Path(settings.HOME) / "audit-anchors"
    finding = inspect("audit_anchors")
    assert finding.state in {State.WARNING, State.MISSING}
    assert "CHENGXIN_AUDIT_ANCHOR_DIR" in finding.detail


# --- job worker and upper platform --------------------------------------------------------------


def queued(*, minutes_ago: float, started: bool = False) -> DBTaskResult:
    now = timezone.now()
    job = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="chengxin.outbox.tasks.recover_stalled",
        backend_name="default",
        run_after=now - datetime.timedelta(hours=1),
        status="RUNNING" if started else "READY",
        started_at=now if started else None,
    )
    DBTaskResult.objects.filter(pk=job.pk).update(
        enqueued_at=now - datetime.timedelta(minutes=minutes_ago)
    )
    return job


def test_job_worker_unknown_without_any_job() -> None:
    assert inspect("job_worker").state == State.WARNING


@pytest.mark.parametrize(("minutes", "state"), [(9, State.OK), (11, State.MISSING)])
def test_job_worker_a_job_waiting_past_ten_minutes(minutes, state) -> None:
    queued(minutes_ago=1, started=True)
    queued(minutes_ago=minutes)
    assert inspect("job_worker").state == state


def test_job_worker_a_job_to_run_later_is_not_waiting() -> None:
    queued(minutes_ago=1, started=True)
    job = queued(minutes_ago=60)
    DBTaskResult.objects.filter(pk=job.pk).update(
        run_after=timezone.now() + datetime.timedelta(hours=1)
    )
    assert inspect("job_worker").state == State.OK


@pytest.fixture
def channel(settings) -> Any:
    settings.SYNC_URL = "https://credit.example.gov.cn/api/sync"
    settings.SYNC_TOKEN = "token"
    return settings


def test_upper_platform_missing_without_an_address(settings) -> None:
    settings.SYNC_URL = ""
    finding = inspect("upper_platform")
    assert finding.state == State.MISSING and "CHENGXIN_SYNC_URL" in finding.detail


def test_upper_platform_ready(channel) -> None:
    finding = inspect("upper_platform")
    assert finding.state == State.OK and "credit.example.gov.cn" in finding.detail
    assert "token" not in finding.detail


@pytest.mark.parametrize(
    ("name", "value"), [("SYNC_URL", "http://credit.example.gov.cn/sync"), ("SYNC_TOKEN", "")]
)
def test_upper_platform_plain_http_or_no_credential(channel, name, value) -> None:
    setattr(channel, name, value)
    assert inspect("upper_platform").state == State.WARNING


def test_upper_platform_dead_letters(channel) -> None:
    OutboxMessage.objects.create(topic="repair.decided", payload={}, status=MessageStatus.DEAD)
    finding = inspect("upper_platform")
    assert finding.state == State.WARNING and "1 条" in finding.detail


# --- the district's organisation ----------------------------------------------------------------


def test_organisation_missing_when_empty_and_ready_with_one(
    make_enforcement_body: Callable[..., Any],  # noqa: F811
    make_body: Callable[..., Any],  # noqa: F811
    make_power_item: Callable[..., Any],  # noqa: F811
) -> None:
    for key in ("enforcement_bodies", "issuing_bodies", "power_items"):
        finding = inspect(key)
        assert finding.state == State.MISSING, key
        assert f"chengxin setup --load {key}" in finding.detail  # how to load them in one go
    make_enforcement_body()
    make_body()
    make_power_item()
    for key in ("enforcement_bodies", "issuing_bodies", "power_items"):
        finding = inspect(key)
        assert finding.state == State.OK and "1 " in finding.detail, key


def test_organisation_counts_only_rows_in_force(
    make_enforcement_body: Callable[..., Any],  # noqa: F811
    make_body: Callable[..., Any],  # noqa: F811
) -> None:
    make_enforcement_body(status="revoked", revoking_document="x", revoked_on=timezone.localdate())
    make_body(is_confirmed=False)
    assert inspect("enforcement_bodies").state == State.MISSING
    assert inspect("issuing_bodies").state == State.MISSING


def test_list_types_ready_with_the_national_ones_and_missing_without() -> None:
    assert inspect("list_types").state == State.OK  # installed by screening's migration
    ListType.objects.update(is_active=False)
    assert inspect("list_types").state == State.MISSING


# --- the page -----------------------------------------------------------------------------------


def test_the_page_lists_every_area_with_states_and_links(system_admin, region) -> None:
    response = logged_in(system_admin).get(reverse("core:golive"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "上线检查清单" in page and "项已就绪" in page and "项待完成" in page
    for title in golive.AREAS.values():
        assert str(title) in page
    assert page.count("去设置") >= 3
    assert f'href="{reverse("admin:core_holidaynotice_changelist")}"' in page
    assert f'href="{reverse("admin:accounts_department_changelist")}"' in page
    assert f'href="{reverse("admin:accounts_user_changelist")}"' in page
    # Another role's page is named, not linked (it would answer 403).
    assert f'href="{reverse("agencies:bodies")}"' not in page
    assert "由法治建设管理员在“执法主体”中设置" in page
    assert "待完成" in page and "已就绪" in page  # the state in words, not colour only


def test_the_summary_counts_match_the_items(system_admin) -> None:
    response = logged_in(system_admin).get(reverse("core:golive"))
    result = response.context["checklist"]
    total = len(golive.all_checks())
    assert result.ready + result.pending == total
    assert f"{result.ready} 项已就绪，{result.pending} 项待完成" in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.CREDIT_ADMIN, Role.RULE_OF_LAW_ADMIN],
)
def test_other_roles_get_the_403_page(make_user, role) -> None:
    response = logged_in(make_user(role)).get(reverse("core:golive"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_anonymous_users_are_sent_to_log_in(client) -> None:
    response = client.get(reverse("core:golive"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_only_the_system_administrator_has_it_in_the_menu(system_admin, make_user) -> None:
    def entries(user: User) -> set[str]:
        return {item.url_name for _title, items in navigation_for(user) for item in items}

    assert "core:golive" in entries(system_admin)
    for role in (Role.SECURITY_ADMIN, Role.CREDIT_ADMIN, Role.RULE_OF_LAW_ADMIN):
        assert "core:golive" not in entries(make_user(role))


def test_the_page_reads_a_fixed_number_of_queries(
    system_admin, region, make_department, make_user, django_assert_max_num_queries
) -> None:
    make_user(Role.DEPARTMENT_REPORTER)  # some departments with a reporter, some without
    client = logged_in(system_admin)
    client.get(reverse("core:golive"))  # warm the session and the user's roles
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("core:golive"))
    for n in range(6):
        make_user(Role.DEPARTMENT_REPORTER, department=make_department(name=f"部门{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:golive"))

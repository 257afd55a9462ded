"""The go-live checklist (上线检查清单): what is configured and what is still missing before the
platform goes live, for the system administrator (issue 19).

A `Check` looks at the database, the settings and the request and returns a `Finding`: 已就绪
(OK), 需注意 (WARNING) or 待完成 (MISSING), with a Chinese sentence saying what it found or what
is missing, and a `Place` saying where the item is set (a page of this site, or the server).

Each app brings its own checks in `<app>/golive.py` as `CHECKS = (Check(...), ...)`, found by
`core.discovery.app_modules("golive")` like the annual report's `annual.py`: core lists no app
and imports none. Core's own checks (district, calendar, site address, HTTPS, keys, job worker)
are at the end of this module.

Checks only read: counts and `exists()`, settings, the names (never the values) of environment
variables. The page stores nothing, and costs a fixed handful of queries whatever the data.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Max
from django.http import HttpRequest
from django.http.request import validate_host
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengxin.core import calendar
from chengxin.core.discovery import app_modules
from chengxin.core.models import HolidayNotice, Region

# Who may open the checklist: whoever changes the installation's reference data (the district,
# the calendar, local settings), i.e. the system administrator (accounts.permissions: reference
# CHANGE). Asked through Django's `has_perm`, so core needs no import of the accounts app.
PERMISSION = "core.change_region"


class State(models.TextChoices):
    OK = "ok", gettext_lazy("已就绪")
    WARNING = "warning", gettext_lazy("需注意")
    MISSING = "missing", gettext_lazy("待完成")


# The page's groups, in this order; a check names its group by key.
AREAS: dict[str, str | Promise] = {
    "district": gettext_lazy("行政区划与部门"),
    "calendar": gettext_lazy("工作日历"),
    "site": gettext_lazy("站点地址与 HTTPS"),
    "security": gettext_lazy("运行模式、密钥与审计"),
    "operations": gettext_lazy("后台任务与上级平台"),
    "organisation": gettext_lazy("组织机构与清单"),
}


@dataclass(frozen=True)
class Finding:
    """What a check found: its state and a Chinese sentence (what is there, or what is missing)."""

    state: State
    detail: str


def ok(detail: str) -> Finding:
    return Finding(State.OK, detail)


def warning(detail: str) -> Finding:
    return Finding(State.WARNING, detail)


def missing(detail: str) -> Finding:
    return Finding(State.MISSING, detail)


def combine(findings: list[Finding], *, when_ok: str) -> Finding:
    """The worst state of `findings` with their sentences joined; `when_ok` when there are none."""
    if not findings:
        return ok(when_ok)
    state = State.MISSING if any(f.state == State.MISSING for f in findings) else State.WARNING
    return Finding(state, "".join(f.detail for f in findings))


@dataclass(frozen=True)
class Place:
    """Where an item is set: a page of this site (`url_name`), or, without one, the server (an
    environment variable, a command), named in `label`.

    `permission` ("app.action_model", as `User.has_perm` takes it) is what opening the page needs;
    the checklist links it only for a user who has it and otherwise names `set_by`, the role that
    sets the item.
    """

    label: str | Promise
    url_name: str = ""
    kwargs: Mapping[str, str] = field(default_factory=dict)
    permission: str = ""
    set_by: str | Promise = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name, kwargs=dict(self.kwargs)) if self.url_name else ""

    @property
    def on_server(self) -> bool:
        return not self.url_name


@dataclass(frozen=True)
class Inspection:
    """What a check may look at besides the database and the settings: the moment, and whether
    the request that asked arrived over HTTPS."""

    now: datetime.datetime
    is_secure: bool

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @classmethod
    def of(cls, request: HttpRequest) -> Inspection:
        return cls(now=timezone.now(), is_secure=request.is_secure())


@dataclass(frozen=True)
class Check:
    key: str
    title: str | Promise
    area: str  # a key of AREAS
    place: Place
    inspect: Callable[[Inspection], Finding]


@dataclass(frozen=True)
class Outcome:
    check: Check
    finding: Finding


@dataclass(frozen=True)
class Group:
    key: str
    title: str | Promise
    outcomes: list[Outcome]

    @property
    def ready(self) -> int:
        return sum(o.finding.state == State.OK for o in self.outcomes)


@dataclass(frozen=True)
class Checklist:
    groups: list[Group]
    checked_at: datetime.datetime

    def count(self, *states: State) -> int:
        return sum(o.finding.state in states for g in self.groups for o in g.outcomes)

    @property
    def ready(self) -> int:
        return self.count(State.OK)

    @property
    def pending(self) -> int:
        """Items not ready: 待完成 and 需注意 together."""
        return self.count(State.MISSING, State.WARNING)

    @property
    def warnings(self) -> int:
        return self.count(State.WARNING)


def all_checks() -> list[Check]:
    """Core's checks, then each app's `golive.CHECKS` in INSTALLED_APPS order. A check in an
    unknown area, or a key used twice, is a programming error and raised."""
    found = [check for _label, module in app_modules("golive") for check in module.CHECKS]
    keys: set[str] = set()
    for check in found:
        if check.area not in AREAS:
            raise ImproperlyConfigured(f"go-live check {check.key}: unknown area {check.area!r}")
        if check.key in keys:
            raise ImproperlyConfigured(f"go-live check {check.key} is declared twice")
        keys.add(check.key)
    return found


def run(inspection: Inspection, checks: list[Check] | None = None) -> Checklist:
    """Every check's finding, grouped by area in the order of AREAS."""
    outcomes = [
        Outcome(c, c.inspect(inspection)) for c in (all_checks() if checks is None else checks)
    ]
    groups = [
        Group(key, title, [o for o in outcomes if o.check.area == key])
        for key, title in AREAS.items()
    ]
    return Checklist([g for g in groups if g.outcomes], inspection.now)


def counted(
    key: str,
    title: str | Promise,
    area: str,
    place: Place,
    count: Callable[[], int],
    *,
    found: str | Promise,
    none: str | Promise,
) -> Check:
    """A check that some rows exist: `count()` > 0 is OK with `found` (which may say
    %(count)s), 0 is MISSING with `none`."""

    def inspect(inspection: Inspection) -> Finding:
        number = count()
        return ok(str(found) % {"count": number}) if number else missing(str(none))

    return Check(key, title, area, place, inspect)


# --- core's own checks ------------------------------------------------------------------------


def _region() -> Region | None:
    """The set-up region, read afresh (not `regions.current_region()`'s per-process copy: the
    checklist must show what `chengxin setup` wrote a moment ago)."""
    return Region.objects.select_related("government").order_by("code").first()


def check_region(inspection: Inspection) -> Finding:
    region = _region()
    if region is None:
        return missing(_("尚未设置本平台服务的行政区划：请在服务器上运行 chengxin setup。"))
    return ok(
        _("%(code)s %(name)s；本级人民政府：%(government)s；平台名称：%(portal)s。")
        % {
            "code": region.code,
            "name": region.name,
            "government": region.government.name,
            "portal": region.portal_name,
        }
    )


def check_holiday_notice(inspection: Inspection) -> Finding:
    """This year's holidays must be official (an entered State Council notice, or known to the
    chinesecalendar package); from November next year's too, as deadlines begun in late
    December run into it (core.calendar.unofficial_years_ahead)."""
    year = inspection.today.year
    years = [year, year + 1] if inspection.today.month >= 11 else [year]
    entered = set(HolidayNotice.objects.filter(year__in=years).values_list("year", flat=True))
    unofficial = [y for y in years if y not in entered and not calendar.package_knows(y)]
    text = _(
        "尚未录入 %(year)s 年的节假日安排通知：该年的期限暂按周一至周五计算。"
        "请按国务院办公厅通知录入放假和调休日期。"
    )
    if year in unofficial:
        return missing(text % {"year": year})
    if unofficial:
        return warning(text % {"year": unofficial[0]})
    if year in entered:
        return ok(_("已录入 %(years)s 年的节假日安排通知。") % {"years": _join(sorted(entered))})
    return ok(
        _("%(year)s 年的节假日安排已由系统内置日历提供；如有调整，请录入该年通知。")
        % {"year": year}
    )


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def check_hosts(inspection: Inspection) -> Finding:
    """The site answers to its own host names only, and the region's host is one of them."""
    hosts = [h.strip() for h in settings.ALLOWED_HOSTS if h.strip()]
    region = _region()
    problems: list[Finding] = []
    if "*" in hosts:
        problems.append(missing(_("CHENGXIN_ALLOWED_HOSTS 含“*”：站点接受任何域名的请求。")))
    elif not [h for h in hosts if h not in LOCAL_HOSTS]:
        problems.append(missing(_("CHENGXIN_ALLOWED_HOSTS 只有本机地址：请设置为平台对外的域名。")))
    if region is not None and not region.host:
        problems.append(warning(_("chengxin setup 未登记平台域名（--host）。")))
    elif region is not None and not validate_host(region.host, hosts):
        problems.append(
            missing(
                _("平台域名 %(host)s 不在 CHENGXIN_ALLOWED_HOSTS 中：经该域名的访问会被拒绝。")
                % {"host": region.host}
            )
        )
    return combine(problems, when_ok=_("站点接受的域名：%(hosts)s。") % {"hosts": _join(hosts)})


def check_tls_settings(inspection: Inspection) -> Finding:
    """What `manage.py check --deploy` looks at for HTTPS (settings.py sets them all outside demo
    and debug mode)."""
    problems: list[Finding] = []
    unset = [
        name
        for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER")
        if not getattr(settings, name, None)
    ]
    if unset:
        problems.append(
            missing(
                _("未启用：%(names)s（演示模式或调试模式开启时均关闭）。") % {"names": _join(unset)}
            )
        )
    if not getattr(settings, "SECURE_HSTS_SECONDS", 0):
        problems.append(warning(_("未启用 HSTS（CHENGXIN_HSTS_SECONDS 为 0）。")))
    if not getattr(settings, "SECURE_SSL_REDIRECT", False):
        problems.append(
            warning(
                _("HTTP 不自动跳转到 HTTPS（CHENGXIN_SSL_REDIRECT 关闭）：须由反向代理负责跳转。")
            )
        )
    return combine(
        problems, when_ok=_("安全 Cookie、HSTS、HTTP 跳转 HTTPS 和反向代理的 HTTPS 标头均已启用。")
    )


def check_https_request(inspection: Inspection) -> Finding:
    if inspection.is_secure:
        return ok(_("本次访问经 HTTPS 到达。"))
    return missing(
        _(
            "本次访问未经 HTTPS 到达：请配置 TLS 证书并经 https:// 访问；"
            "反向代理须设置标头 X-Forwarded-Proto: https。"
        )
    )


def check_mode(inspection: Inspection) -> Finding:
    on = [
        name
        for name, value in (
            ("CHENGXIN_DEMO", settings.DEMO_MODE),
            ("CHENGXIN_DEBUG", settings.DEBUG),
        )
        if value
    ]
    if on:
        return missing(
            _("%(names)s 已开启：生产环境须关闭（演示数据、明文 HTTP、错误详情）。")
            % {"names": _join(on)}
        )
    return ok(_("演示模式和调试模式均已关闭。"))


KEY_VARIABLES = ("CHENGXIN_SECRET_KEY", "CHENGXIN_DATA_KEY", "CHENGXIN_AUDIT_KEY")


def check_keys(inspection: Inspection) -> Finding:
    """The keys come from the environment, not from files generated on this host (config.py,
    docs/keys.md): a generated key is lost with the host, and another host cannot read what it
    encrypted. Only the variables' names are read here, never their values."""
    unset = [name for name in KEY_VARIABLES if not os.environ.get(name, "").strip()]
    if unset:
        return missing(
            _(
                "以下密钥未在环境变量中设置，而是自动生成在 %(folder)s 中：%(names)s。"
                "生产环境须在环境变量中设置全部密钥并妥善备份（docs/keys.md）。"
            )
            % {"folder": Path(settings.HOME) / "secrets", "names": _join(unset)}
        )
    if settings.GENERATE_SECRETS:
        return warning(
            _("CHENGXIN_GENERATE_SECRETS 仍开启：日后缺少的密钥会被自动生成而不报错，请关闭。")
        )
    return ok(_("三个密钥均在环境变量中设置。"))


# A job ready this long and not started: no worker is taking jobs.
WORKER_SILENT_AFTER = datetime.timedelta(minutes=10)


def check_job_worker(inspection: Inspection) -> Finding:
    """The job worker leaves no heartbeat; the queue shows whether one takes jobs: a job ready
    for WORKER_SILENT_AFTER and not started says none does."""
    from django_tasks_db.models import DBTaskResult

    limit = inspection.now - WORKER_SILENT_AFTER
    waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=limit).count()
    if waiting:
        return missing(
            _(
                "%(count)s 个后台任务排队超过 %(minutes)s 分钟仍未执行："
                "后台任务进程（chengxin db_worker）可能没有运行。"
            )
            % {"count": waiting, "minutes": int(WORKER_SILENT_AFTER.total_seconds() // 60)}
        )
    last = DBTaskResult.objects.aggregate(last=Max("started_at"))["last"]
    if last is None:
        return warning(
            _(
                "尚无后台任务执行过的记录，无法确认后台任务进程在运行"
                "（chengxin serve 会同时启动它）。"
            )
        )
    return ok(
        _("没有积压的后台任务；最近一次任务开始于 %(time)s。")
        % {"time": f"{timezone.localtime(last):%Y-%m-%d %H:%M}"}
    )


def _join(items: list[str] | list[int]) -> str:
    return "、".join(str(item) for item in items)


CHECKS = (
    Check(
        "region",
        gettext_lazy("行政区划与本级人民政府"),
        "district",
        Place(gettext_lazy("命令 chengxin setup")),
        check_region,
    ),
    Check(
        "holiday_notice",
        gettext_lazy("本年度（11 月起含来年）节假日安排通知"),
        "calendar",
        Place(
            gettext_lazy("节假日安排通知"),
            "admin:core_holidaynotice_changelist",
            permission="core.change_holidaynotice",
        ),
        check_holiday_notice,
    ),
    Check(
        "hosts",
        gettext_lazy("站点域名"),
        "site",
        Place(gettext_lazy("环境变量 CHENGXIN_ALLOWED_HOSTS；命令 chengxin setup --host")),
        check_hosts,
    ),
    Check(
        "https_request",
        gettext_lazy("经 HTTPS 访问"),
        "site",
        Place(gettext_lazy("反向代理的 TLS 证书")),
        check_https_request,
    ),
    Check(
        "tls_settings",
        gettext_lazy("HTTPS 安全设置"),
        "site",
        Place(gettext_lazy("环境变量 CHENGXIN_SSL_REDIRECT、CHENGXIN_HSTS_SECONDS")),
        check_tls_settings,
    ),
    Check(
        "mode",
        gettext_lazy("生产模式"),
        "security",
        Place(gettext_lazy("环境变量 CHENGXIN_DEMO、CHENGXIN_DEBUG")),
        check_mode,
    ),
    Check(
        "keys",
        gettext_lazy("密钥"),
        "security",
        Place(gettext_lazy("环境变量 CHENGXIN_SECRET_KEY、CHENGXIN_DATA_KEY、CHENGXIN_AUDIT_KEY")),
        check_keys,
    ),
    Check(
        "job_worker",
        gettext_lazy("后台任务进程"),
        "operations",
        Place(gettext_lazy("命令 chengxin serve（或单独运行 chengxin db_worker）")),
        check_job_worker,
    ),
)

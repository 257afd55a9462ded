"""A report's life: draft with history, finalise (frozen), new version; departments' reports,
their deadline, submission and return; publication; to whom it was sent; the calendar settings."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.utils import timezone

from chengxin.accounts.choices import DepartmentKind, Role
from chengxin.accounts.models import Department, User
from chengxin.core.local_settings import DECLARATIONS, InvalidSetting
from chengxin.core.models import LocalSetting
from chengxin.publicity.choices import Timeliness
from chengxin.publicity.models import LicenseRecord
from chengxin.reports import actions, rules
from chengxin.reports.collect import collect
from chengxin.reports.models import ReportStatus, ReportTextRevision, RuleOfLawReport
from chengxin.reports.tests.conftest import make_record

pytestmark = pytest.mark.django_db

WRITTEN = {"duty": "主要负责同志履行第一责任人职责。", "plans": "下一年度继续推进。"}


@pytest.fixture
def office(make_user: Callable[..., User]) -> User:
    return make_user(Role.RULE_OF_LAW_ADMIN)


@pytest.fixture
def market(make_department: Callable[..., Department]) -> Department:
    return make_department(name="台儿庄区市场监督管理局", short_name="区市场监管局")


def licences(market: Department, year: int, n: int) -> None:
    for day in range(1, n + 1):
        make_record(LicenseRecord, market, datetime.date(year, 1, day), Timeliness.ON_TIME)


def sentence_text(report: RuleOfLawReport) -> str:
    document = actions.document_for(report)
    return "".join(p.text for b in document.parts[0].blocks for p in b.paragraphs)


# --- draft and history ----------------------------------------------------------------------


def test_a_draft_is_made_once_a_year(office: User) -> None:
    year = timezone.localdate().year - 1
    report = actions.create_draft(year, actor=office)
    assert report.version == 1 and report.is_government and report.status == ReportStatus.DRAFT
    assert report.issuer.endswith("人民政府")
    with pytest.raises(actions.ReportError, match="该年度已有报告"):
        actions.create_draft(year, actor=office)
    with pytest.raises(actions.ReportError, match="年度不能晚于今年"):
        actions.create_draft(timezone.localdate().year + 1, actor=office)


def test_every_change_of_the_text_is_kept(office: User, make_user) -> None:
    report = actions.create_draft(timezone.localdate().year - 1, actor=office)
    actions.save_texts(report, {"plans": "第一稿"}, actor=office)
    other = make_user(Role.RULE_OF_LAW_ADMIN)
    actions.save_texts(report, {"plans": "第二稿", "duty": ""}, actor=other)
    actions.save_texts(report, {"plans": "第二稿"}, actor=other)  # unchanged: no revision
    history = list(ReportTextRevision.objects.filter(report=report).order_by("id"))
    assert [(r.slot, r.text, r.author) for r in history] == [
        ("plans", "第一稿", office),
        ("plans", "第二稿", other),
    ]
    report.refresh_from_db()
    assert report.texts["plans"] == "第二稿"
    with pytest.raises(actions.ReportError, match="未知的段落"):
        actions.save_texts(report, {"appendix": "x"}, actor=office)


def test_a_draft_follows_the_data(office: User, market: Department) -> None:
    year = timezone.localdate().year
    report = actions.create_draft(year, actor=office)
    licences(market, year, 2)
    assert "全年上报行政许可信息2条" in sentence_text(report)
    make_record(LicenseRecord, market, datetime.date(year, 1, 20), Timeliness.ON_TIME)
    assert "全年上报行政许可信息3条" in sentence_text(report)


# --- finalising ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "allowed"),
    [
        (WRITTEN, True),
        ({"duty": WRITTEN["duty"]}, False),  # 四 missing
        ({"duty": WRITTEN["duty"], "plans": "   "}, False),  # boundary: blanks are nothing
    ],
)
def test_finalising_needs_parts_three_and_four(office: User, texts, allowed) -> None:
    report = actions.create_draft(timezone.localdate().year - 1, actor=office)
    actions.save_texts(report, texts, actor=office)
    if allowed:
        assert actions.finalise(report, actor=office).is_final
    else:
        with pytest.raises(actions.ReportError, match="尚未撰写"):
            actions.finalise(report, actor=office)


def test_finalising_freezes_and_a_new_version_differs(office: User, market: Department) -> None:
    year = timezone.localdate().year
    licences(market, year, 3)
    report = actions.create_draft(year, actor=office)
    actions.save_texts(report, WRITTEN, actor=office)
    report = actions.finalise(report, actor=office)
    frozen = actions.document_for(report)
    assert "全年上报行政许可信息3条" in sentence_text(report)
    assert report.dated == timezone.localdate()

    # The data changes after finalising: the report does not.
    make_record(LicenseRecord, market, datetime.date(year, 2, 1), Timeliness.LATE)
    assert collect(year).figure("publicity.licenses").value == 4  # type: ignore[union-attr]
    report.refresh_from_db()
    assert actions.document_for(report) == frozen
    assert "全年上报行政许可信息3条" in sentence_text(report)

    # Nothing of a finalised version can be edited.
    with pytest.raises(actions.ReportError, match="不能修改"):
        actions.save_texts(report, {"plans": "改"}, actor=office)
    with pytest.raises(actions.ReportError, match="已定稿"):
        actions.finalise(report, actor=office)

    # A new version: the text carried over, the figures live again.
    second = actions.new_version(report, actor=office)
    assert (second.version, second.previous, second.status) == (2, report, ReportStatus.DRAFT)
    assert second.texts == report.texts
    assert "全年上报行政许可信息4条" in sentence_text(second)
    assert actions.document_for(second) != frozen
    with pytest.raises(actions.ReportError, match="只能在已定稿"):
        actions.new_version(second, actor=office)


# --- departments ----------------------------------------------------------------------------


def test_a_department_writes_submits_is_returned_and_finalised(
    office: User, market: Department, make_user
) -> None:
    liaison = make_user(Role.LEGAL_AFFAIRS_OFFICER, department=market)
    year = timezone.localdate().year - 1
    report = actions.create_draft(year, actor=liaison, department=market)
    assert report.issuer == market.name and report.addressee.endswith("人民政府：")
    assert rules.may_edit(liaison, report) and rules.may_edit(office, report)
    stranger = make_user(Role.LEGAL_AFFAIRS_OFFICER)
    assert not rules.may_edit(stranger, report) and not rules.may_view(stranger, report)
    with pytest.raises(actions.ReportError, match="尚未撰写"):
        actions.submit(report, actor=liaison)
    with pytest.raises(actions.ReportError, match="须先由该单位报送"):
        actions.finalise(report, actor=office)
    actions.save_texts(report, WRITTEN, actor=liaison)
    report = actions.submit(report, actor=liaison)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    assert not rules.may_edit(liaison, report)
    with pytest.raises(actions.ReportError, match="请填写退回意见"):
        actions.return_report(report, " ", actor=office)
    report = actions.return_report(report, "请补充执法数据。", actor=office)
    assert report.status == ReportStatus.RETURNED and rules.may_edit(liaison, report)
    with pytest.raises(actions.ReportError, match="只能退回已报送"):
        actions.return_report(report, "再退", actor=office)
    report = actions.submit(report, actor=liaison)
    report = actions.finalise(report, actor=office)
    assert report.is_final and report.snapshot["title"].startswith(market.name)


def test_a_government_report_is_not_submitted(office: User) -> None:
    report = actions.create_draft(timezone.localdate().year - 1, actor=office)
    with pytest.raises(actions.ReportError, match="不需要报送"):
        actions.submit(report, actor=office)


def test_a_department_report_uses_only_figures_counted_for_it(market: Department) -> None:
    """Providers that cannot count one department's rows give that department 无数据."""
    counted = []

    def per_department(year: int, department: object = None) -> list:
        counted.append(department)
        return []

    content = collect(
        2026,
        [("cases", lambda year: []), ("documents", per_department)],
        department=market,
    )
    chapters = {c.key: c for c in content.chapters}
    assert counted == [market]  # the provider that takes a department is asked for it
    assert not chapters["cases"].is_available  # the other one is 无数据 for a department


# --- the calendar ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "today", "late"),
    [
        (datetime.date(2027, 2, 28), datetime.date(2027, 4, 1), False),
        (datetime.date(2027, 3, 1), datetime.date(2027, 4, 1), False),  # the day itself: in time
        (datetime.date(2027, 3, 2), datetime.date(2027, 4, 1), True),
        (None, datetime.date(2027, 3, 1), False),  # not yet: the deadline has not passed
        (None, datetime.date(2027, 3, 2), True),
    ],
)
def test_a_department_report_is_late_after_1_march(submitted, today, late) -> None:
    assert rules.department_deadline(2026) == datetime.date(2027, 3, 1)
    assert rules.is_late(submitted, 2026, today) is late


def test_the_deadlines_are_local_settings() -> None:
    assert rules.publication_deadline(2026) == datetime.date(2027, 4, 1)
    LocalSetting.objects.create(key="reports.department_deadline", value="02-15")
    from chengxin.core import local_settings

    local_settings.clear_cache()
    assert rules.department_deadline(2026) == datetime.date(2027, 2, 15)
    local_settings.clear_cache()


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime.date(2027, 1, 15), 2026),  # last year's reports are being written
        (datetime.date(2027, 4, 1), 2026),  # boundary: the publication deadline itself
        (datetime.date(2027, 4, 2), 2027),  # then this year's
        (datetime.date(2026, 12, 7), 2026),
    ],
)
def test_the_reporting_year_turns_after_the_publication_deadline(today, year) -> None:
    assert rules.reporting_year(today) == year


def test_the_reporting_year_follows_the_deadline_setting() -> None:
    from chengxin.core import local_settings

    LocalSetting.objects.create(key="reports.publication_deadline", value="05-01")
    local_settings.clear_cache()
    try:
        assert rules.reporting_year(datetime.date(2027, 4, 15)) == 2026
    finally:
        local_settings.clear_cache()


@pytest.mark.parametrize(("value", "valid"), [("03-01", True), ("02-29", True), ("13-01", False)])
def test_a_deadline_setting_is_a_month_and_day(value, valid) -> None:
    declaration = DECLARATIONS["reports.department_deadline"]
    if valid:
        assert declaration.parse(value) == value
    else:
        with pytest.raises(InvalidSetting):
            declaration.parse(value)


def test_recipients_are_split_on_either_semicolon() -> None:
    assert rules.split_names("区委；区人大常委会;市人民政府；") == [
        "区委",
        "区人大常委会",
        "市人民政府",
    ]
    assert rules.recipients() == ["区委", "区人大常委会", "市人民政府"]
    assert rules.copy_to() == ["市委全面依法治市委员会办公室"]


# --- publication and delivery ---------------------------------------------------------------


def finalised(office: User) -> RuleOfLawReport:
    report = actions.create_draft(timezone.localdate().year - 1, actor=office)
    actions.save_texts(report, WRITTEN, actor=office)
    return actions.finalise(report, actor=office)


def test_only_a_finalised_report_is_published_once(office: User) -> None:
    draft = actions.create_draft(timezone.localdate().year - 1, actor=office)
    with pytest.raises(actions.ReportError, match="只有已定稿"):
        actions.publish(draft, actor=office)
    actions.save_texts(draft, WRITTEN, actor=office)
    report = actions.publish(actions.finalise(draft, actor=office), actor=office)
    assert report.published_at is not None
    with pytest.raises(actions.ReportError, match="已公开"):
        actions.publish(report, actor=office)


@pytest.mark.parametrize(
    ("days", "error"),
    [(0, ""), (1, "不能晚于今天"), (-1, "不能早于定稿日期")],
)
def test_a_delivery_is_dated_between_finalising_and_today(office: User, days, error) -> None:
    report = finalised(office)
    day = timezone.localdate() + datetime.timedelta(days=days)
    if not error:
        delivery = actions.record_delivery(report, "区委", "main", day, actor=office)
        assert delivery.recipient == "区委" and delivery.recorded_by == office
    else:
        with pytest.raises(actions.ReportError, match=error):
            actions.record_delivery(report, "区委", "main", day, actor=office)


def test_a_draft_is_not_sent(office: User) -> None:
    draft = actions.create_draft(timezone.localdate().year - 1, actor=office)
    with pytest.raises(actions.ReportError, match="只有已定稿"):
        actions.record_delivery(draft, "区委", "main", timezone.localdate(), actor=office)
    actions.save_texts(draft, WRITTEN, actor=office)
    report = actions.finalise(draft, actor=office)
    with pytest.raises(actions.ReportError, match="请填写接收机关"):
        actions.record_delivery(report, " ", "copy", timezone.localdate(), actor=office)


def test_townships_and_departments_report(make_department) -> None:
    from chengxin.reports.views import reporting_departments

    bureau = make_department()
    town = make_department(kind=DepartmentKind.TOWNSHIP)
    government = make_department(kind=DepartmentKind.PEOPLES_GOVERNMENT)
    found = reporting_departments()
    assert bureau in found and town in found and government not in found

"""The demo district's report agrees with its generated data."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from chengxin.core import calendar
from chengxin.core.demodata import build_demo
from chengxin.publicity.choices import RecordStatus, Timeliness
from chengxin.publicity.models import LicenseRecord, PenaltyRecord
from chengxin.repair.models import RepairApplication
from chengxin.reports.collect import collect
from chengxin.screening.models import CreditCheck

pytestmark = pytest.mark.django_db

VOLUMES = {"subjects": 300, "licenses": 300, "penalties": 120, "list_entries": 40}


def counts(model, year: int) -> dict[str, int]:
    """Straight from the table: submitted records decided in `year`, and their verdicts."""
    rows = model.objects.filter(decision_date__year=year).exclude(status=RecordStatus.DRAFT)
    return rows.aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
        late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
    )


def test_the_demo_districts_report_matches_its_data() -> None:
    build_demo(370405, VOLUMES, io.StringIO())
    for year in (timezone.localdate().year - 1, timezone.localdate().year):
        content = collect(year)

        def value(key: str, content=content):
            figure = content.figure(key)
            assert figure is not None, key
            return figure.value

        licenses, penalties = counts(LicenseRecord, year), counts(PenaltyRecord, year)
        assert licenses["total"] > 0 and penalties["total"] > 0  # the demo has both years
        assert value("publicity.licenses") == licenses["total"]
        assert value("publicity.penalties") == penalties["total"]
        assert value("publicity.total") == licenses["total"] + penalties["total"]
        assert value("publicity.licenses_late") == licenses["late"]
        assert value("publicity.penalties_late") == penalties["late"]
        on_time = licenses["on_time"] + penalties["on_time"]
        judged = on_time + licenses["late"] + penalties["late"]
        rate = value("publicity.on_time_rate")
        if calendar.calendar_is_official(year):
            assert judged > 0 and rate is not None
            assert abs(float(rate) - 100 * on_time / judged) < 0.05
        else:  # the year's holidays are not official yet: every verdict is provisional, no rate
            assert judged == 0 and rate is None
        assert (
            value("screening.checks") == CreditCheck.objects.filter(created_at__year=year).count()
        )
        assert (
            value("repair.received")
            == RepairApplication.objects.filter(submitted_at__year=year).count()
        )
    check_the_demo_reports()


# --- the reports as filed (issue 22) ----------------------------------------------------------

INTERNAL_NOTES = ("点击数字", "未按年度筛选", "条不计入", "列表为当前", "列表含", "系统日志")


def check_the_demo_reports() -> None:
    import datetime

    from django.test import Client

    from chengxin.accounts.actions import assign_role
    from chengxin.accounts.choices import Role
    from chengxin.accounts.models import Department, User
    from chengxin.reports import actions, rules
    from chengxin.reports.models import ReportStatus, RuleOfLawReport
    from chengxin.reports.render import pdf_bytes
    from chengxin.reports.tests.conftest import pdf_text

    today = timezone.localdate()
    year = today.year if today >= datetime.date(today.year, 4, 1) else today.year - 1

    # Last year's: finalised, sent to the recipients, published.
    filed = RuleOfLawReport.objects.get(year=year - 1, department__isnull=True)
    assert filed.is_final and filed.published_at is not None
    assert {d.recipient for d in filed.deliveries.all()} == set(
        rules.recipients() + rules.copy_to()
    )
    assert {f.format for f in filed.files.all()} == {"docx", "pdf"}

    # This year's government draft: the five parts, no internal note, A4 pages with 一、（一）.
    draft = RuleOfLawReport.objects.get(year=year, department__isnull=True)
    assert draft.status == ReportStatus.DRAFT
    document = actions.document_for(draft)
    assert [part.heading[:2] for part in document.parts] == ["一、", "二、", "三、", "四、", "五、"]
    text = "\n".join(
        p.text
        for part in document.parts
        for p in part.paragraphs + [q for b in part.blocks for q in b.paragraphs]
    )
    for note in INTERNAL_NOTES:
        assert note not in text, note
    assert "无数据" not in text
    pdf = pdf_text(pdf_bytes(actions.document_for(draft, links=False)))
    assert "（一）依法全面履行政府职能" in pdf and "— 1 —" in pdf

    # Every figure in a sentence equals the list it links to.
    reader = User.objects.create_user("demo-reader", full_name="核对", department=None)
    for role in (Role.RULE_OF_LAW_ADMIN, Role.CREDIT_ADMIN):
        assign_role(reader, role, actor=None)
    client = Client()
    client.force_login(reader)
    linked = [run for run in document.figure_runs() if run.url]
    assert len(linked) >= 15
    for run in linked:
        page = client.get(run.url)
        assert page.status_code == 200, run.url
        assert page.context["page"].paginator.count == int(run.text), (run.key, run.url)

    # The departments' reports in every state, this year and last.
    states = {r.status for r in RuleOfLawReport.objects.filter(year=year, department__isnull=False)}
    assert states == {ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED}
    late = RuleOfLawReport.objects.get(
        year=year - 1, department=Department.objects.get(short_name="区生态环境分局")
    )
    assert late.is_final and rules.is_late(timezone.localdate(late.submitted_at), year - 1, today)

    # A department's own report: its figures are its own, each equal to the list it links to.
    market = Department.objects.get(short_name="区市场监管局")
    own = RuleOfLawReport.objects.filter(year=year, department=market).order_by("-version").first()
    if own is None:
        own = actions.create_draft(year, actor=reader, department=market)
    document = actions.document_for(own, links=True)
    runs = {run.key: run for run in document.figure_runs()}
    district = {run.key: run for run in actions.document_for(draft).figure_runs()}
    assert runs["publicity.licenses"].text != district["publicity.licenses"].text
    linked = [run for run in runs.values() if run.url]
    assert len(linked) >= 5
    for run in linked:
        assert f"department={market.pk}" in run.url, run.url
        page = client.get(run.url)
        assert page.status_code == 200, run.url
        assert page.context["page"].paginator.count == int(run.text), (run.key, run.url)

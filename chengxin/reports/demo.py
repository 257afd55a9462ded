"""The demo district's annual reports (issue 22): last year's government report finalised, sent
and published; this year's government report as a draft; the departments' reports of both years in
every state (finalised, submitted on time and late, returned with comments, a draft, not started).

Runs after every other app (INSTALLED_APPS order), so the figures it freezes are the demo's.
The steps are dated (`ctx.at`) on the reporting calendar of `reports.rules`.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from chengxin.accounts.models import Department, User
from chengxin.core.demodata import DemoContext
from chengxin.reports import actions, rules
from chengxin.reports import render as rendering
from chengxin.reports.models import DeliveryRole, ReportFormat, RuleOfLawReport

GOVERNMENT_TEXTS = {
    "preface": (
        "{year}年，全区坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
        "统筹推进依法行政各项工作。现将有关情况报告如下。"
    ),
    "measures.functions": "动态调整权力清单，清单事项、依据和责任单位在政务公开栏目同步更新。",
    "measures.decisions": "严格执行重大行政决策程序，决策事项目录年初公布，程序材料全部归档。",
    "measures.documents": "落实规范性文件合法性审核机制，开展专项清理，清理结果向社会公布。",
    "measures.enforcement": (
        "全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度，执法案件在线办理。"
    ),
    "measures.oversight": "行政许可、行政处罚信息按规定时限在信用网站公示。",
    "measures.disputes": "发挥行政复议化解行政争议主渠道作用，推进人民调解规范化建设。",
    "measures.capacity": (
        "落实领导干部学法制度和任前法律知识考试制度；推行政府法律顾问和公职律师制度，"
        "区政府及各部门法律顾问参与重大决策和合同审查。"
    ),
    "measures.credit": "推行信用核查和联合奖惩，信用修复申请在规定时限内办结。",
    "shortcomings": "上述问题的原因主要是部分单位对相关制度重视不够，业务系统衔接仍不完善。",
    "duty": (
        "区政府主要负责同志认真履行推进法治建设第一责任人职责，"
        "主持召开区政府常务会议研究法治政府建设工作，带头参加集体学法。"
    ),
    "plans": (
        "{next}年，将继续完善行政执法监督平台，推动处罚案件全部在线办理；"
        "加强规范性文件备案管理；提升行政机关负责人出庭应诉率。"
    ),
}

DEPARTMENT_TEXTS = {
    "duty": "本单位主要负责同志履行推进法治建设第一责任人职责，研究部署本单位法治建设工作。",
    "plans": "下一年度将继续规范执法行为，加强执法人员培训。",
}


def _texts(template: dict[str, str], year: int) -> dict[str, str]:
    return {k: v.format(year=year, next=year + 1) for k, v in template.items()}


def _department_report(
    ctx: DemoContext,
    department: Department,
    year: int,
    *,
    liaison: User | None,
    office: User,
    steps: list[tuple[str, datetime.date]],
) -> RuleOfLawReport:
    """A department's report of `year` taken through `steps` ("draft", "submit", "return",
    "finalise"), each on its day."""
    report: RuleOfLawReport | None = None
    for step, day in steps:
        with ctx.at(day):
            if step == "draft":
                report = actions.create_draft(year, actor=liaison, department=department)
                actions.save_texts(report, _texts(DEPARTMENT_TEXTS, year), actor=liaison)
            elif step == "submit":
                assert report is not None
                report = actions.submit(report, actor=liaison)
            elif step == "return":
                assert report is not None
                report = actions.return_report(
                    report, "请补充本单位行政执法数据和存在的不足。", actor=office
                )
            elif step == "finalise":
                assert report is not None
                report = actions.finalise(report, actor=office)
    assert report is not None
    return report


def generate(ctx: DemoContext) -> None:
    departments: dict[str, Department] = ctx.shared["departments"]
    office = User.objects.get(username="lawadmin")
    liaison = User.objects.get(username="liaison")
    today = timezone.localdate()
    # The year being written now (last year's report is out by April), so that every dated step
    # below is in the past.
    this_year = rules.reporting_year(today)
    last_year = this_year - 1

    # Last year's government report: drafted in February, finalised, sent and published in March.
    with ctx.at(datetime.date(this_year, 2, 10)):
        report = actions.create_draft(last_year, actor=office)
        actions.save_texts(report, _texts(GOVERNMENT_TEXTS, last_year), actor=office)
    with ctx.at(datetime.date(this_year, 3, 20)):
        report = actions.finalise(report, actor=office)
        rendering.generate(
            actions.document_for(report, links=False),
            (ReportFormat.DOCX, ReportFormat.PDF),
            actor=office,
            report=report,
        )
    with ctx.at(datetime.date(this_year, 3, 23)):
        for name in rules.recipients():
            actions.record_delivery(
                report, name, DeliveryRole.MAIN, datetime.date(this_year, 3, 23), actor=office
            )
        for name in rules.copy_to():
            actions.record_delivery(
                report, name, DeliveryRole.COPY, datetime.date(this_year, 3, 23), actor=office
            )
    with ctx.at(datetime.date(this_year, 3, 28)):
        actions.publish(report, actor=office)

    # Last year's department reports: on time, and late (after 1 March).
    _department_report(
        ctx,
        departments["market"],
        last_year,
        liaison=liaison,
        office=office,
        steps=[
            ("draft", datetime.date(this_year, 2, 5)),
            ("submit", datetime.date(this_year, 2, 20)),
            ("finalise", datetime.date(this_year, 2, 25)),
        ],
    )
    _department_report(
        ctx,
        departments["environment"],
        last_year,
        liaison=None,
        office=office,
        steps=[
            ("draft", datetime.date(this_year, 2, 26)),
            ("submit", datetime.date(this_year, 3, 5)),
            ("finalise", datetime.date(this_year, 3, 9)),
        ],
    )

    # This year's: the government's draft, and the departments' in each state.
    with ctx.at(today - datetime.timedelta(days=3)):
        draft = actions.create_draft(this_year, actor=office)
        texts = _texts(GOVERNMENT_TEXTS, this_year)
        actions.save_texts(
            draft, {k: v for k, v in texts.items() if k not in {"duty", "plans"}}, actor=office
        )
    earlier = today - datetime.timedelta(days=10)
    _department_report(
        ctx,
        departments["market"],
        this_year,
        liaison=liaison,
        office=office,
        steps=[("draft", earlier)],
    )
    _department_report(
        ctx,
        departments["environment"],
        this_year,
        liaison=None,
        office=office,
        steps=[("draft", earlier), ("submit", today - datetime.timedelta(days=2))],
    )
    _department_report(
        ctx,
        departments["enforcement"],
        this_year,
        liaison=None,
        office=office,
        steps=[
            ("draft", earlier),
            ("submit", today - datetime.timedelta(days=6)),
            ("return", today - datetime.timedelta(days=4)),
        ],
    )
    ctx.out.write(
        f"    annual reports: {last_year} finalised and published, {this_year} draft; "
        "department reports in every state\n"
    )

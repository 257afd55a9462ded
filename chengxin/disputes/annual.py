"""The disputes app's two chapters of the annual rule-of-law report (reports/figures.py):
"disputes" (行政复议、应诉与调解) and "capacity" (法治能力建设).

Every figure is counted from the rows for the calendar year (the date named in each note), and
links to the staff list filtered the same way. A rate whose denominator is zero is None (无数据).
With `department`, every figure counts that department's (or township's) own rows, and its links
carry the department (its own annual report, docs/adr/0025); the per-department charts are left
out of a department's report.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengxin.accounts.models import Department
from chengxin.disputes.choices import DisputeType
from chengxin.disputes.models import (
    Hearing,
    Litigation,
    MediationCase,
    MediationRoom,
    PreAppointmentExam,
    Reconsideration,
    StudyRecord,
    TrainingSession,
)
from chengxin.disputes.rates import Rate
from chengxin.reports.figures import Chart, Figure, Section, department_query, of_department

PERCENT = "%"


def _url(register: str, department: Department | None = None, **query: object) -> str:
    base = reverse("disputes:list", kwargs={"register": register})
    query = {**query, **department_query(department)}
    return f"{base}?{urlencode(query)}" if query else base


def _year_end(year: int) -> datetime.date:
    """Rates of a past year are final on 31 December; those of this year count up to today."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


def _names(ids: object) -> dict[int, str]:
    return {
        department.pk: department.short_name or department.name
        for department in Department.objects.filter(pk__in=ids)
    }


def _rate_chart(key: str, title: object, rates: dict[int, Rate]) -> Chart:
    """A bar per department that has data, in percent; departments without data are left out."""
    known = {pk: rate.value for pk, rate in rates.items() if rate.value is not None}
    names = _names(list(known))
    ordered = sorted(known, key=lambda pk: names[pk])
    return Chart(
        key=key,
        title=title,  # type: ignore[arg-type]
        labels=tuple(names[pk] for pk in ordered),
        values=tuple(known[pk] for pk in ordered),
    )


def disputes_section(year: int, department: Department | None = None) -> Section:
    on = _year_end(year)
    reconsiderations = of_department(Reconsideration.objects.all(), department)
    decided = reconsiderations.decided_in(year)
    correction = decided.correction_rate()
    hearings = Hearing.objects.in_year(year)
    if department is not None:
        hearings = hearings.filter(litigation__department=department)
    appearance = hearings.appearance_rate(on)
    rooms = of_department(MediationRoom.objects.all(), department).filter(
        established_on__lte=datetime.date(year, 12, 31)
    )
    cases = of_department(MediationCase.objects.all(), department)
    closed = cases.closed_in(year)
    success = closed.success_rate()
    figures = (
        Figure(
            "disputes.reconsiderations_received",
            _("收到行政复议申请"),
            reconsiderations.received_in(year).count(),
            _("件"),
            _url("reconsiderations", department, year=year),
        ),
        Figure(
            "disputes.reconsiderations_decided",
            _("作出行政复议决定"),
            correction.denominator,
            _("件"),
            _url("reconsiderations", department, decided_year=year),
        ),
        Figure(
            "disputes.reconsiderations_corrected",
            _("复议纠错"),
            correction.numerator,
            _("件"),
            _url("reconsiderations", department, decided_year=year, corrected="on"),
            _("撤销、变更、确认违法、确认无效、责令履行"),
        ),
        Figure(
            "disputes.correction_rate",
            _("行政复议纠错率"),
            correction.value,
            PERCENT,
            _url("reconsiderations", department, decided_year=year),
            _("纠错件数 ÷ 当年作出决定件数"),
        ),
        Figure(
            "disputes.litigations_received",
            _("行政应诉案件"),
            of_department(Litigation.objects.all(), department).filter(filed_on__year=year).count(),
            _("件"),
            _url("litigations", department, year=year),
            _("当年收到应诉通知"),
        ),
        Figure(
            "disputes.hearings",
            _("须负责人出庭的开庭"),
            appearance.denominator,
            _("场"),
            _url("litigations", department, hearing_year=year),
            _("已登记出庭情况的场次"),
        ),
        Figure(
            "disputes.appearance_rate",
            _("行政机关负责人出庭应诉率"),
            appearance.value,
            PERCENT,
            _url("litigations", department, hearing_year=year),
            _("负责人出庭场次 ÷ 须出庭场次"),
        ),
        Figure(
            "disputes.mediation_rooms",
            _("调解室"),
            rooms.filter(is_active=True).count(),
            _("处"),
            _url("mediation-rooms", department),
        ),
        Figure(
            "disputes.branded_mediation_rooms",
            _("品牌调解室"),
            rooms.filter(is_active=True, is_branded=True).count(),
            _("处"),
            _url("mediation-rooms", department, branded="on"),
        ),
        Figure(
            "disputes.cross_province_rooms",
            _("参加跨省邻边联调的调解室"),
            rooms.filter(is_active=True, is_cross_province=True).count(),
            _("处"),
            _url("mediation-rooms", department, cross_province="on"),
        ),
        Figure(
            "disputes.mediation_cases",
            _("受理调解案件"),
            cases.received_in(year).count(),
            _("件"),
            _url("mediation-cases", department, year=year),
        ),
        Figure(
            "disputes.mediation_success_rate",
            _("调解成功率"),
            success.value,
            PERCENT,
            _url("mediation-cases", department, year=year),
            _("当年结案中调解成功的比例"),
        ),
    )
    by_type = dict(
        cases.received_in(year).order_by().values_list("dispute_type").annotate(n=Count("pk"))
    )
    by_department = (
        _rate_chart(
            "disputes.appearance_by_department",
            _("各部门负责人出庭应诉率（%）"),
            Hearing.objects.appearance_rates_by_department(year, on),
        ),
        _rate_chart(
            "disputes.correction_by_department",
            _("各部门行政复议纠错率（%）"),
            reconsiderations.correction_rates_by_department(year),
        ),
    )
    charts = (
        *(by_department if department is None else ()),
        Chart(
            "disputes.mediation_by_type",
            _("调解案件纠纷类型"),
            tuple(str(label) for value, label in DisputeType.choices if by_type.get(value)),
            tuple(by_type[value] for value, _label in DisputeType.choices if by_type.get(value)),
            kind="pie",
        ),
    )
    return Section("disputes", _("行政复议、应诉与调解"), figures, charts)


def _sum(value: Decimal | int | None) -> Decimal | int:
    return value if value is not None else 0


def capacity_section(year: int, department: Department | None = None) -> Section:
    exams = of_department(PreAppointmentExam.objects.all(), department).in_year(year)
    passing = exams.pass_rate()
    trainings = of_department(TrainingSession.objects.all(), department).filter(held_on__year=year)
    training_totals = trainings.aggregate(hours=Sum("hours"), people=Sum("participant_count"))
    study = of_department(StudyRecord.objects.all(), department).filter(studied_on__year=year)
    study_hours = study.aggregate(hours=Sum("hours"))["hours"]
    figures = (
        Figure(
            "capacity.exams",
            _("任前法律知识考试"),
            exams.values("exam_on").distinct().count(),
            _("场"),
            _url("exams", department, year=year),
            _("按考试日期计"),
        ),
        Figure(
            "capacity.nominees",
            _("参加考试的拟任人员"),
            passing.denominator,
            _("人次"),
            _url("exams", department, year=year),
        ),
        Figure(
            "capacity.congress_nominees",
            _("其中拟提请人大常委会任命"),
            exams.filter(is_congress_appointment=True).count(),
            _("人次"),
            _url("exams", department, year=year, congress="on"),
        ),
        Figure(
            "capacity.exam_pass_rate",
            _("考试合格率"),
            passing.value,
            PERCENT,
            _url("exams", department, year=year),
        ),
        Figure(
            "capacity.trainings",
            _("举办培训"),
            trainings.count(),
            _("期"),
            _url("trainings", department, year=year),
        ),
        Figure(
            "capacity.enforcement_trainings",
            _("其中行政执法人员培训班"),
            trainings.filter(is_enforcement_training=True).count(),
            _("期"),
            _url("trainings", department, year=year, enforcement="on"),
        ),
        Figure(
            "capacity.training_participants",
            _("参训"),
            _sum(training_totals["people"]),
            _("人次"),
            _url("trainings", department, year=year),
        ),
        Figure(
            "capacity.training_hours",
            _("培训学时"),
            _sum(training_totals["hours"]),
            _("学时"),
            _url("trainings", department, year=year),
            _("各期培训学时之和"),
        ),
        Figure(
            "capacity.study_records",
            _("学法记录"),
            study.count(),
            _("条"),
            _url("study-records", department, year=year),
        ),
        Figure(
            "capacity.collective_study",
            _("集体学法"),
            study.filter(is_collective=True).count(),
            _("次"),
            _url("study-records", department, year=year, collective="on"),
        ),
        Figure(
            "capacity.study_hours",
            _("学法学时"),
            _sum(study_hours),
            _("学时"),
            _url("study-records", department, year=year),
        ),
    )
    hours = dict(study.order_by().values_list("department").annotate(h=Sum("hours")))
    names = _names(list(hours))
    ordered = sorted(hours, key=lambda pk: names[pk])
    passed = passing.numerator
    by_department = (
        Chart(
            "capacity.study_hours_by_department",
            _("各部门学法学时"),
            tuple(names[pk] for pk in ordered),
            tuple(hours[pk] for pk in ordered),
        ),
    )
    charts = (
        *(by_department if department is None else ()),
        Chart(
            "capacity.exam_results",
            _("任前法律知识考试结果"),
            (str(_("合格")), str(_("不合格"))) if passing.denominator else (),
            (passed, passing.denominator - passed) if passing.denominator else (),
            kind="pie",
        ),
    )
    return Section("capacity", _("法治能力建设"), figures, charts)


def sections(year: int, department: Department | None = None) -> list[Section]:
    return [disputes_section(year, department), capacity_section(year, department)]

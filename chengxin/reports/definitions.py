"""How each figure of the annual report is counted: the appendix 主要指标口径.

The modules' `annual.py` files compute the figures; their docstrings and notes say how. This table
states it for the reader of the report (numerator, denominator for a rate, period), keyed by the
figure key. A provider may give a figure its own `Definition` (figures.Figure.definition), which
wins; a figure in neither falls back to its label (`definition_of`), and the test of the demo
report requires every figure to have one of the two.

Figures that another module will own (`OWNERS`): the count of exchanges with the upper platform
is the upward exchange's to give once it exists; until then another module's figure of that key is
shown as 无数据, never computed by the report (collect.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from chengxin.reports.figures import Definition, Figure

YEAR = _("当年1月1日至12月31日")
YEAR_END = _("当年12月31日")
TO_DATE = _("截至报告数据生成之日")
NOW = _("报告数据生成之时")

DEFINITIONS: dict[str, Definition] = {
    # 执法主体与执法人员 (agencies.annual)
    "agencies.bodies_confirmed": Definition(_("确认日期在统计期间内的行政执法主体数"), "", YEAR),
    "agencies.bodies_in_force": Definition(
        _("确认日期不晚于年末、年末未被撤销的行政执法主体数"), "", YEAR_END
    ),
    "agencies.officers_removed": Definition(_("状态变更为“清理”的行政执法人员数"), "", YEAR),
    "agencies.officers_on_duty": Definition(
        _("年末执法证件在有效期内且在岗的行政执法人员数"), "", YEAR_END
    ),
    # 行政权力清单 (powers.annual)
    "powers.items_in_force": Definition(_("年末有效版本的权力清单事项数"), "", YEAR_END),
    "powers.adjustments_add": Definition(_("生效日期在统计期间内的“新增”调整数"), "", YEAR),
    "powers.adjustments_change": Definition(_("生效日期在统计期间内的“变更”调整数"), "", YEAR),
    "powers.adjustments_cancel": Definition(_("生效日期在统计期间内的“取消”调整数"), "", YEAR),
    # 行政执法案件 (cases.annual)
    "cases.registered": Definition(_("立案日期在统计期间内的在线案件数"), "", YEAR),
    "cases.decided": Definition(_("决定日期在统计期间内的在线案件数"), "", YEAR),
    "cases.reviews_done": Definition(_("完成日期在统计期间内的重大执法决定法制审核数"), "", YEAR),
    "cases.review_pass_rate": Definition(
        _("审核结论为“通过”的法制审核数"), _("统计期间内完成的法制审核数"), YEAR
    ),
    "cases.online_share": Definition(
        _("处罚机关为执法主体、有在线办理案件的行政处罚信息数"),
        _("处罚机关为执法主体、决定日期在统计期间内的行政处罚信息数"),
        YEAR,
    ),
    "cases.publicity_on_time_rate": Definition(
        _("在期限内公开的执法决定数（行政许可、行政处罚7个工作日，其他20个工作日）"),
        _("期限已届满的执法决定数（按时、超时与逾期未公开之和）"),
        YEAR,
    ),
    # “双公示” (publicity.annual)
    "publicity.licenses": Definition(
        _("决定日期在统计期间内、已提交（不含草稿）的行政许可信息条数"), "", YEAR
    ),
    "publicity.penalties": Definition(
        _("决定日期在统计期间内、已提交（不含草稿）的行政处罚信息条数"), "", YEAR
    ),
    "publicity.total": Definition(_("行政许可信息与行政处罚信息条数之和"), "", YEAR),
    "publicity.on_time_rate": Definition(
        _("自决定之日起7个工作日内公示的信息条数"),
        _("已判定按时或超时的信息条数（节假日安排未正式公布的暂定判定不计入）"),
        YEAR,
    ),
    "publicity.licenses_late": Definition(_("超过7个工作日公示的行政许可信息条数"), "", YEAR),
    "publicity.penalties_late": Definition(_("超过7个工作日公示的行政处罚信息条数"), "", YEAR),
    "publicity.exports": Definition(_("向上级信用信息平台报送的批次数"), "", YEAR),
    "publicity.exported_rows": Definition(_("向上级信用信息平台报送的信息条数"), "", YEAR),
    # 联合奖惩 (screening.annual)
    "screening.checks": Definition(_("统计期间内开展的信用核查次数"), "", YEAR),
    "screening.hits": Definition(
        _("核查结果为命中失信主体名单的次数（疑似需人工核实的不计入）"), "", YEAR
    ),
    "screening.hit_rate": Definition(_("命中次数"), _("信用核查次数"), YEAR),
    "screening.measures_applied": Definition(_("核查命中后反馈已依法实施的惩戒措施项数"), "", YEAR),
    "screening.feedback_rate": Definition(_("命中后已反馈的次数"), _("命中次数"), YEAR),
    "screening.overdue": Definition(
        _("统计期间内核查命中、超过反馈期限仍未反馈的次数"), "", TO_DATE
    ),
    # 信用修复 (repair.annual)
    "repair.received": Definition(_("提交时间在统计期间内的信用修复申请数"), "", YEAR),
    "repair.approved": Definition(_("办结时间在统计期间内、结果为同意修复的申请数"), "", YEAR),
    "repair.refused": Definition(_("办结时间在统计期间内、结果为不予修复的申请数"), "", YEAR),
    "repair.not_accepted": Definition(_("办结时间在统计期间内、结果为不予受理的申请数"), "", YEAR),
    "repair.average_working_days": Definition(
        _("各申请自提交之日至办结之日的法定工作日数之和"),
        _("统计期间内办结的申请数"),
        YEAR,
    ),
    # 规范性文件 (documents.annual)
    "documents.bodies_confirmed": Definition(_("经确认的规范性文件制定主体数"), "", NOW),
    "documents.issued": Definition(_("文号年份为统计年度的规范性文件数"), "", YEAR),
    "documents.filed": Definition(_("公布日期在统计期间内、已报送备案的规范性文件数"), "", YEAR),
    "documents.filed_on_time_rate": Definition(
        _("在备案期限内报送备案的文件数"),
        _("公布日期在统计期间内、已报送备案或备案期限已届满的文件数"),
        YEAR,
    ),
    "documents.legality_reviews": Definition(
        _("审核日期在统计期间内的规范性文件合法性审核数"), "", YEAR
    ),
    "documents.cleaned_up": Definition(_("清理决定日期在统计期间内的文件数"), "", YEAR),
    # 重大行政决策 (decisions.annual)
    "decisions.in_catalogue": Definition(_("列入当年度重大行政决策事项目录的事项数"), "", YEAR),
    "decisions.decided": Definition(_("集体讨论决定会议日期在统计期间内的决策数"), "", YEAR),
    "decisions.public_participation": Definition(
        _("年内作出的决策中已完成公众参与程序的数量"), "", YEAR
    ),
    "decisions.expert_review": Definition(_("年内作出的决策中已完成专家论证程序的数量"), "", YEAR),
    "decisions.risk_assessment": Definition(
        _("年内作出的决策中已完成风险评估程序的数量"), "", YEAR
    ),
    "decisions.legality_review": Definition(
        _("年内作出的决策中已完成合法性审查程序的数量"), "", YEAR
    ),
    "decisions.collective_discussion": Definition(
        _("年内作出的决策中经集体讨论决定的数量"), "", YEAR
    ),
    "decisions.comments": Definition(
        _("开始征求意见日期在统计期间内的征求意见收到的公众意见条数"), "", YEAR
    ),
    # 行政复议、应诉与调解 (disputes.annual)
    "disputes.reconsiderations_received": Definition(
        _("收到日期在统计期间内的行政复议申请数"), "", YEAR
    ),
    "disputes.reconsiderations_decided": Definition(
        _("决定日期在统计期间内的行政复议决定数"), "", YEAR
    ),
    "disputes.reconsiderations_corrected": Definition(
        _("年内作出的复议决定中撤销、变更、确认违法、确认无效、责令履行的件数"), "", YEAR
    ),
    "disputes.correction_rate": Definition(_("复议纠错件数"), _("年内作出的复议决定件数"), YEAR),
    "disputes.litigations_received": Definition(
        _("收到应诉通知日期在统计期间内的行政应诉案件数"), "", YEAR
    ),
    "disputes.hearings": Definition(
        _("统计期间内开庭、须负责人出庭且已登记出庭情况的场次"), "", YEAR
    ),
    "disputes.appearance_rate": Definition(
        _("行政机关负责人出庭的场次"), _("须负责人出庭且已登记出庭情况的场次"), YEAR
    ),
    "disputes.mediation_rooms": Definition(_("年末设立且在用的调解室数"), "", YEAR_END),
    "disputes.branded_mediation_rooms": Definition(_("其中品牌调解室数"), "", YEAR_END),
    "disputes.cross_province_rooms": Definition(_("其中参加跨省邻边联调的调解室数"), "", YEAR_END),
    "disputes.mediation_cases": Definition(_("受理日期在统计期间内的调解案件数"), "", YEAR),
    "disputes.mediation_success_rate": Definition(
        _("调解成功的案件数"), _("结案日期在统计期间内的调解案件数"), YEAR
    ),
    # 法治能力建设 (disputes.annual, capacity section)
    "capacity.exams": Definition(_("统计期间内举行任前法律知识考试的场次（按考试日期）"), "", YEAR),
    "capacity.nominees": Definition(_("参加任前法律知识考试的拟任人员人次"), "", YEAR),
    "capacity.congress_nominees": Definition(_("其中拟提请人大常委会任命的人次"), "", YEAR),
    "capacity.exam_pass_rate": Definition(_("考试合格人次"), _("参加考试人次"), YEAR),
    "capacity.trainings": Definition(_("统计期间内举办的法治培训期数"), "", YEAR),
    "capacity.enforcement_trainings": Definition(_("其中行政执法人员培训班期数"), "", YEAR),
    "capacity.training_participants": Definition(_("各期培训参训人次之和"), "", YEAR),
    "capacity.training_hours": Definition(_("各期培训学时之和"), "", YEAR),
    "capacity.study_records": Definition(_("统计期间内登记的学法记录条数"), "", YEAR),
    "capacity.collective_study": Definition(_("其中集体学法次数"), "", YEAR),
    "capacity.study_hours": Definition(_("各条学法记录学时之和"), "", YEAR),
}

# Figures another module owns (figure key → the app that will provide it). Until that app is
# installed and gives the figure in its own `annual.py`, the figure reads 无数据.
OWNERS: dict[str, str] = {
    "publicity.exports": "exchange",
    "publicity.exported_rows": "exchange",
}


def definition_of(figure: Figure) -> Definition:
    """The figure's own definition, the table's, or its label over the year (no denominator)."""
    if figure.definition is not None:
        return figure.definition
    return DEFINITIONS.get(figure.key) or Definition(figure.label, "", YEAR)


def is_defined(figure: Figure) -> bool:
    return figure.definition is not None or figure.key in DEFINITIONS


# Figures whose list (Figure.url) shows exactly the rows counted, for any year: only these are
# links in the report's sentences, so every linked number equals the list it opens (the demo
# report's test follows each link and counts). The others link from the appendix on the staff
# page only: their list is broader (not filtered to the year, the state now instead of at the
# year end, another kind of row) or a rate, a sum or an average; the modules are asked to give
# them exact lists (docs/adr/0025).
EXACT_LISTS: frozenset[str] = frozenset(
    {
        "agencies.bodies_confirmed",
        "agencies.officers_removed",
        "powers.items_in_force",
        "powers.adjustments_add",
        "powers.adjustments_change",
        "powers.adjustments_cancel",
        "cases.registered",
        "cases.decided",
        "cases.reviews_done",
        "publicity.licenses",
        "publicity.licenses_late",
        "publicity.penalties_late",
        "screening.checks",
        "screening.hits",
        "screening.overdue",
        "decisions.in_catalogue",
        "decisions.decided",
        "disputes.reconsiderations_received",
        "disputes.reconsiderations_decided",
        "disputes.reconsiderations_corrected",
        "disputes.litigations_received",
        "disputes.mediation_cases",
        "capacity.nominees",
        "capacity.congress_nominees",
        "capacity.trainings",
        "capacity.enforcement_trainings",
        "capacity.study_records",
        "capacity.collective_study",
    }
)

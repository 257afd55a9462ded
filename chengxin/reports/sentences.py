"""The computed sentences that open each chapter of the report: figures woven into prose.

Each area of 主要举措和成效 opens with sentences built from clauses such as
"在线立案{cases.registered}件": the placeholder is replaced by the figure's value (linked to its
list on the staff page), the unit is the clause's own text. A clause whose figure is 无数据 (no
denominator, a module not landed) or absent is left out — never printed as 0 or 无数据 in a
sentence; a sentence whose clauses are all left out disappears. A value links to its list only when the list
shows exactly the rows counted (`definitions.EXACT_LISTS`). Figures of a chapter that no clause
names are added as "label value unit" clauses, so a module's new figure still appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from chengxin.reports.definitions import EXACT_LISTS
from chengxin.reports.figures import Figure

PLACEHOLDER = re.compile(r"\{([a-z0-9_]+\.[a-z0-9_]+)\}")


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph: plain text, or a figure's value (`key`, linked to `url`)."""

    text: str
    key: str = ""
    url: str = ""


# Sentences of each chapter key: each sentence is a tuple of clauses (joined by "，", ended by
# "。"); a clause with a figure that is 无数据 is dropped.
CHAPTER_SENTENCES: dict[str, tuple[tuple[Any, ...], ...]] = {
    "agencies": (
        (
            _("年末全区有效行政执法主体{agencies.bodies_in_force}个"),
            _("其中年内确认{agencies.bodies_confirmed}个"),
        ),
        (
            _("年末持有效执法证件在岗的行政执法人员{agencies.officers_on_duty}人"),
            _("年内清理不符合条件的执法人员{agencies.officers_removed}人"),
        ),
    ),
    "powers": (
        (
            _("年末行政权力清单共有事项{powers.items_in_force}项"),
            _("年内新增{powers.adjustments_add}项"),
            _("变更{powers.adjustments_change}项"),
            _("取消{powers.adjustments_cancel}项"),
        ),
    ),
    "cases": (
        (
            _("全年在线立案{cases.registered}件"),
            _("作出执法决定{cases.decided}件"),
            _("完成重大执法决定法制审核{cases.reviews_done}件"),
            _("法制审核通过率{cases.review_pass_rate}%"),
        ),
        (
            _("处罚机关为行政执法主体的行政处罚信息中，在线办理的占{cases.online_share}%"),
            _("执法决定在规定期限内公开的占{cases.publicity_on_time_rate}%"),
        ),
    ),
    "publicity": (
        (
            _("全年上报行政许可信息{publicity.licenses}条"),
            _("行政处罚信息{publicity.penalties}条"),
            _("共计{publicity.total}条"),
            _("自作出决定之日起7个工作日内公示的占{publicity.on_time_rate}%"),
        ),
        (
            _("超过7个工作日公示的行政许可信息{publicity.licenses_late}条"),
            _("行政处罚信息{publicity.penalties_late}条"),
        ),
        (
            _("向上级信用信息平台报送{publicity.exports}批次"),
            _("共{publicity.exported_rows}条"),
        ),
    ),
    "screening": (
        (
            _("全年开展信用核查{screening.checks}次"),
            _("命中失信主体名单{screening.hits}次"),
            _("命中率{screening.hit_rate}%"),
            _("依法实施惩戒措施{screening.measures_applied}项"),
        ),
        (
            _("命中后反馈率{screening.feedback_rate}%"),
            _("截至报告数据生成之日逾期未反馈{screening.overdue}次"),
        ),
    ),
    "repair": (
        (
            _("全年受理信用修复申请{repair.received}件"),
            _("同意修复{repair.approved}件"),
            _("不予修复{repair.refused}件"),
            _("不予受理{repair.not_accepted}件"),
        ),
        (_("申请自提交至办结平均用时{repair.average_working_days}个工作日"),),
    ),
    "documents": (
        (
            _("全年印发规范性文件{documents.issued}件"),
            _("开展合法性审核{documents.legality_reviews}件"),
            _("清理文件{documents.cleaned_up}件"),
        ),
        (
            _("当年公布的文件已报送备案{documents.filed}件"),
            _("按时备案率{documents.filed_on_time_rate}%"),
        ),
        (_("经确认的规范性文件制定主体{documents.bodies_confirmed}个"),),
    ),
    "decisions": (
        (
            _("列入年度重大行政决策事项目录{decisions.in_catalogue}项"),
            _("全年作出重大行政决策{decisions.decided}项"),
        ),
        (
            _("其中经公众参与{decisions.public_participation}项"),
            _("经专家论证{decisions.expert_review}项"),
            _("经风险评估{decisions.risk_assessment}项"),
            _("经合法性审查{decisions.legality_review}项"),
            _("经集体讨论决定{decisions.collective_discussion}项"),
        ),
        (_("公开征求意见收到公众意见{decisions.comments}条"),),
    ),
    "disputes": (
        (
            _("全年收到行政复议申请{disputes.reconsiderations_received}件"),
            _("作出行政复议决定{disputes.reconsiderations_decided}件"),
            _("其中纠错{disputes.reconsiderations_corrected}件"),
            _("纠错率{disputes.correction_rate}%"),
        ),
        (
            _("办理行政应诉案件{disputes.litigations_received}件"),
            _("须行政机关负责人出庭的开庭{disputes.hearings}场"),
            _("负责人出庭应诉率{disputes.appearance_rate}%"),
        ),
        (
            _("年末全区有调解室{disputes.mediation_rooms}处"),
            _("其中品牌调解室{disputes.branded_mediation_rooms}处"),
            _("参加跨省邻边联调的{disputes.cross_province_rooms}处"),
        ),
        (
            _("全年受理调解案件{disputes.mediation_cases}件"),
            _("调解成功率{disputes.mediation_success_rate}%"),
        ),
    ),
    "capacity": (
        (
            _("全年组织任前法律知识考试{capacity.exams}场"),
            _("参考拟任人员{capacity.nominees}人次"),
            _("其中拟提请人大常委会任命{capacity.congress_nominees}人次"),
            _("考试合格率{capacity.exam_pass_rate}%"),
        ),
        (
            _("举办法治培训{capacity.trainings}期"),
            _("其中行政执法人员培训班{capacity.enforcement_trainings}期"),
            _("参训{capacity.training_participants}人次"),
            _("共{capacity.training_hours}学时"),
        ),
        (
            _("登记学法记录{capacity.study_records}条"),
            _("其中集体学法{capacity.collective_study}次"),
            _("学法{capacity.study_hours}学时"),
        ),
    ),
}

# Part 三 (党政主要负责人履行第一责任人职责): the figures that speak to it.
DUTY_SENTENCES: tuple[tuple[Any, ...], ...] = (
    (
        _("全年集体学法{capacity.collective_study}次"),
        _("行政机关负责人出庭应诉率{disputes.appearance_rate}%"),
    ),
)


def keys_in(sentences: Iterable[Sequence[Any]]) -> set[str]:
    return {key for sentence in sentences for clause in sentence for key in _keys(str(clause))}


def _keys(clause: str) -> list[str]:
    return PLACEHOLDER.findall(clause)


def build(
    sentences: Iterable[Sequence[Any]],
    figures: dict[str, Figure],
    *,
    extra: Iterable[Figure] = (),
    links: bool = True,
) -> list[list[Run]]:
    """The paragraphs' runs of `sentences` (one list of runs per sentence that keeps a clause),
    then one sentence of the `extra` figures no clause names."""
    built = []
    for sentence in sentences:
        clauses = [_clause(str(clause), figures, links) for clause in sentence]
        kept = [clause for clause in clauses if clause is not None]
        if kept:
            built.append(_join(kept))
    generic = [
        [Run(str(figure.label)), _value(figure, links), Run(str(figure.unit))]
        for figure in extra
        if figure.has_data
    ]
    if generic:
        built.append(_join(generic))
    return built


def _clause(text: str, figures: dict[str, Figure], links: bool) -> list[Run] | None:
    runs: list[Run] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        figure = figures.get(match.group(1))
        if figure is None or not figure.has_data:
            return None
        if match.start() > position:
            runs.append(Run(text[position : match.start()]))
        runs.append(_value(figure, links))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return runs


def _value(figure: Figure, links: bool) -> Run:
    """The figure's value; a link only to a list that shows exactly the rows counted."""
    linked = links and figure.key in EXACT_LISTS
    return Run(figure.text, figure.key, figure.url if linked else "")


def _join(clauses: list[list[Run]]) -> list[Run]:
    runs: list[Run] = []
    for index, clause in enumerate(clauses):
        if index:
            runs.append(Run("，"))
        runs.extend(clause)
    runs.append(Run("。"))
    return runs

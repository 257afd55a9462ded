"""The annual report as a government files it: the five parts of 厅字〔2019〕28号, composed from the
computed figures and the staff's text.

`compose()` builds a `Document` — title, addressee, the five parts, 落款 and date, the appendix of
definitions and the charts — from the figures of the year (`collect`), last year's (for the
year-on-year change) and the texts staff wrote (`texts`, by slot). A draft is composed afresh from
the live data each time it is shown; finalising stores the composed document as JSON
(`Document.to_json`) and a finalised report is only ever rendered from that, so it never changes
when the data does (docs/adr/0025).

The five parts (规定 art. 25 as the secondary sources quote it; see the ADR):
一、主要举措和成效 — one chapter per area, each opening with computed sentences, then staff text;
二、存在的不足和原因 — what the data shows falls short (staff may leave an item out), then staff text;
三、党政主要负责人履行推进法治建设第一责任人职责情况 — figures that speak to it, then staff text;
四、下一年度主要安排 — staff text; 五、其他需要报告的情况 — staff text, or 无.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from chengxin.reports import sentences
from chengxin.reports.collect import AnnualReportContent
from chengxin.reports.definitions import definition_of
from chengxin.reports.figures import NO_DATA, Chart, Figure, Number, format_number
from chengxin.reports.sentences import Run

CHINESE_NUMBERS = "一二三四五六七八九十"


def chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# The areas of 主要举措和成效 (the 纲要's headings, shortened as county reports write them) and the
# chapters (`REPORT_SECTIONS` keys) whose figures open each. A chapter no area names (a module that
# is new) opens an area of its own, after these.
AREAS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("functions", _l("依法全面履行政府职能"), ("powers",)),
    ("decisions", _l("推进行政决策科学化民主化法治化"), ("decisions",)),
    ("documents", _l("加强规范性文件监督管理"), ("documents",)),
    ("enforcement", _l("严格规范公正文明执法"), ("agencies", "cases")),
    ("oversight", _l("强化行政权力制约和监督"), ("publicity",)),
    ("disputes", _l("依法有效化解社会矛盾纠纷"), ("disputes",)),
    ("capacity", _l("提升依法行政能力"), ("capacity", "counsel")),
    ("credit", _l("推进社会信用体系建设"), ("screening", "repair")),
)


# Staff text slots: key → label on the editing page.
def slot_labels(year: int) -> dict[str, str]:
    labels = {"preface": _("导语")}
    for key, title, _chapters in AREAS:
        labels[f"measures.{key}"] = _("主要举措和成效 · %(area)s") % {"area": title}
    labels |= {
        "shortcomings": _("存在的不足和原因"),
        "duty": _("党政主要负责人履行推进法治建设第一责任人职责情况"),
        "plans": _("%(year)s年主要安排") % {"year": year + 1},
        "other": _("其他需要报告的情况"),
    }
    return labels


@dataclass(frozen=True)
class Shortfall:
    """A shortcoming the data shows: `applies(figures)` says whether it does this year."""

    key: str
    sentence: tuple[Any, ...]
    applies: Callable[[Mapping[str, Figure]], bool]


def _below_100(key: str) -> Callable[[Mapping[str, Figure]], bool]:
    def applies(figures: Mapping[str, Figure]) -> bool:
        figure = figures.get(key)
        return figure is not None and figure.value is not None and figure.value < 100

    return applies


def _positive(*keys: str) -> Callable[[Mapping[str, Figure]], bool]:
    def applies(figures: Mapping[str, Figure]) -> bool:
        values = [figures[k].value for k in keys if k in figures]
        return any(value is not None and value > 0 for value in values)

    return applies


SHORTFALLS: tuple[Shortfall, ...] = (
    Shortfall(
        "late_publicity",
        (
            _l(
                "“双公示”信息仍有超时公示，超过7个工作日公示的行政许可信息{publicity.licenses_late}条"
            ),
            _l("行政处罚信息{publicity.penalties_late}条"),
        ),
        _positive("publicity.licenses_late", "publicity.penalties_late"),
    ),
    Shortfall(
        "off_network_penalties",
        (
            _l(
                "部分行政处罚未在线办理，处罚机关为行政执法主体的行政处罚信息中，"
                "在线办理的占{cases.online_share}%"
            ),
            _l("其余未纳入执法监督平台"),
        ),
        _below_100("cases.online_share"),
    ),
    Shortfall(
        "late_decision_publicity",
        (_l("执法决定事后公开不够及时，在规定期限内公开的占{cases.publicity_on_time_rate}%"),),
        _below_100("cases.publicity_on_time_rate"),
    ),
    Shortfall(
        "late_filings",
        (_l("规范性文件报送备案不够及时，按时备案率为{documents.filed_on_time_rate}%"),),
        _below_100("documents.filed_on_time_rate"),
    ),
    Shortfall(
        "unrepresented_hearings",
        (_l("行政机关负责人出庭应诉尚未全覆盖，负责人出庭应诉率为{disputes.appearance_rate}%"),),
        _below_100("disputes.appearance_rate"),
    ),
    Shortfall(
        "overdue_feedback",
        (_l("联合奖惩反馈不够及时，命中失信主体名单后逾期未反馈{screening.overdue}次"),),
        _positive("screening.overdue"),
    ),
)


# --- the document ---------------------------------------------------------------------------


@dataclass
class Paragraph:
    runs: list[Run]
    label: str = ""  # a numbered item's "1." (printed bold, as a level-3 heading)

    @property
    def text(self) -> str:
        return self.label + "".join(run.text for run in self.runs)


@dataclass
class Block:
    """A level-2 heading （一） with its paragraphs (computed first, then the staff's)."""

    heading: str
    paragraphs: list[Paragraph]
    slot: str = ""


@dataclass
class Part:
    """One of the five parts: 一、… with its own paragraphs and its blocks."""

    key: str
    heading: str
    paragraphs: list[Paragraph]
    blocks: list[Block] = field(default_factory=list)
    slot: str = ""


@dataclass
class AppendixRow:
    key: str
    label: str
    value: str  # with the unit: 1474条, 71.4%, 无数据
    previous: str  # last year's, "—" when last year has no data
    change: str  # +12条, -3.5个百分点, 持平, —
    numerator: str
    denominator: str
    period: str
    url: str = ""


@dataclass
class ChartSpec:
    key: str
    title: str
    labels: list[str]
    values: list[float]
    kind: str = "bar"

    def chart(self) -> Chart:
        return Chart(self.key, self.title, tuple(self.labels), tuple(self.values), self.kind)


@dataclass
class Document:
    year: int
    title: str
    addressee: str
    issuer: str
    dated: str  # ISO date of 成文日期
    version: int
    is_final: bool
    preface: list[Paragraph]
    parts: list[Part]
    appendix: list[AppendixRow]
    charts: list[ChartSpec]
    computed_at: str

    @property
    def title_lines(self) -> list[str]:
        """The title broken where its sense breaks (GB/T 9704-2012 7.3.1: 回行时词意完整，排列
        对称): after "…关于2026年度" when the whole would take more than one line."""
        marker = self.title.find("年度")
        if len(self.title) <= 20 or marker < 0 or marker + 2 >= len(self.title):
            return [self.title]
        return [self.title[: marker + 2], self.title[marker + 2 :]]

    @property
    def annexes(self) -> list[tuple[str, str]]:
        """(label, name) of each attachment, in order: 附件1, 附件2 …, or 附件 alone when there is
        one (GB/T 9704-2012 7.3.4 and 8)."""
        names = []
        if self.appendix:
            names.append(_("主要指标及统计口径"))
        if self.charts:
            names.append(_("主要数据图表"))
        if len(names) == 1:
            return [(_("附件"), names[0])]
        return [(_("附件%(n)s") % {"n": n}, name) for n, name in enumerate(names, start=1)]

    @property
    def annex_lines(self) -> list[str]:
        """The 附件说明 under the text (7.3.4): "附件：1.主要指标及统计口径", then "2.…" aligned
        under the first name; no number when there is one attachment, no final punctuation."""
        annexes = self.annexes
        if len(annexes) == 1:
            return [_("附件：%(name)s") % {"name": annexes[0][1]}]
        lines = [f"{n}.{name}" for n, (_label, name) in enumerate(annexes, start=1)]
        return [_("附件：") + lines[0], *lines[1:]] if lines else []

    @property
    def dated_text(self) -> str:
        """成文日期 in Arabic numerals, as GB/T 9704-2012 7.3.5.1 writes it: 2027年3月1日."""
        day = datetime.date.fromisoformat(self.dated)
        return f"{day.year}年{day.month}月{day.day}日"

    def figure_runs(self) -> list[Run]:
        """Every figure run in the body (the sentences and the shortcomings)."""
        paragraphs = [*self.preface]
        for part in self.parts:
            paragraphs += part.paragraphs
            for block in part.blocks:
                paragraphs += block.paragraphs
        return [run for p in paragraphs for run in p.runs if run.key]

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Document:
        def paragraphs(items: Iterable[Mapping[str, Any]]) -> list[Paragraph]:
            return [Paragraph([Run(**run) for run in p["runs"]], p.get("label", "")) for p in items]

        return cls(
            year=data["year"],
            title=data["title"],
            addressee=data["addressee"],
            issuer=data["issuer"],
            dated=data["dated"],
            version=data["version"],
            is_final=data["is_final"],
            preface=paragraphs(data["preface"]),
            parts=[
                Part(
                    key=part["key"],
                    heading=part["heading"],
                    paragraphs=paragraphs(part["paragraphs"]),
                    blocks=[
                        Block(b["heading"], paragraphs(b["paragraphs"]), b.get("slot", ""))
                        for b in part["blocks"]
                    ],
                    slot=part.get("slot", ""),
                )
                for part in data["parts"]
            ],
            appendix=[AppendixRow(**row) for row in data["appendix"]],
            charts=[ChartSpec(**chart) for chart in data["charts"]],
            computed_at=data["computed_at"],
        )


def staff_paragraphs(text: str) -> list[Paragraph]:
    """Staff text: one paragraph per non-empty line."""
    return [Paragraph([Run(line.strip())]) for line in text.splitlines() if line.strip()]


def _figures(content: AnnualReportContent) -> dict[str, Figure]:
    return {f.key: f for chapter in content.chapters for f in chapter.figures}


def compose(
    content: AnnualReportContent,
    *,
    title: str,
    addressee: str,
    issuer: str,
    dated: datetime.date,
    texts: Mapping[str, str] | None = None,
    previous: AnnualReportContent | None = None,
    version: int = 1,
    is_final: bool = False,
    links: bool = True,
) -> Document:
    """The report of `content.year` with the staff's `texts` (slot → text)."""
    texts = texts or {}
    year = content.year
    figures = _figures(content)
    chapters = {chapter.key: chapter for chapter in content.chapters}
    dismissed = {k.strip() for k in texts.get("shortcomings.dismissed", "").split(",") if k}

    blocks = []
    named = {key for _area, _title, keys in AREAS for key in keys}
    areas = list(AREAS) + [
        (chapter.key, str(chapter.title), (chapter.key,))
        for chapter in content.chapters
        if chapter.key not in named and chapter.is_available
    ]
    for index, (key, area, keys) in enumerate(areas, start=1):
        computed: list[list[Run]] = []
        for chapter_key in keys:
            chapter = chapters.get(chapter_key)
            if chapter is None or not chapter.is_available:
                continue
            catalogue = sentences.CHAPTER_SENTENCES.get(chapter_key, ())
            named_keys = sentences.keys_in(catalogue)
            extra = [f for f in chapter.figures if f.key not in named_keys]
            built = sentences.build(catalogue, figures, extra=extra, links=links)
            if built:
                # One paragraph per chapter: "其中…" continues the sentence before it, as a
                # report is written, instead of opening a paragraph of its own.
                computed.append([run for sentence in built for run in sentence])
        slot = f"measures.{key}"
        paragraphs = [Paragraph(runs) for runs in computed]
        paragraphs += staff_paragraphs(texts.get(slot, ""))
        blocks.append(
            Block(f"（{chinese_number(index)}）{area}", paragraphs, slot),
        )

    shortfalls = [
        runs
        for shortfall in SHORTFALLS
        if shortfall.key not in dismissed and shortfall.applies(figures)
        for runs in sentences.build((shortfall.sentence,), figures, links=links)
    ]
    shortcoming_paragraphs = [
        Paragraph(runs, f"{n}.") for n, runs in enumerate(shortfalls, start=1)
    ] + staff_paragraphs(texts.get("shortcomings", ""))

    duty = [
        Paragraph(runs) for runs in sentences.build(sentences.DUTY_SENTENCES, figures, links=links)
    ]
    other = staff_paragraphs(texts.get("other", "")) or [Paragraph([Run(_("无。"))])]
    parts = [
        Part(
            "measures",
            _("一、%(year)s年推进法治政府建设的主要举措和成效") % {"year": year},
            [],
            blocks,
        ),
        Part(
            "shortcomings",
            _("二、存在的不足和原因"),
            shortcoming_paragraphs,
            slot="shortcomings",
        ),
        Part(
            "duty",
            _("三、党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况"),
            duty + staff_paragraphs(texts.get("duty", "")),
            slot="duty",
        ),
        Part(
            "plans",
            _("四、%(year)s年推进法治政府建设的主要安排") % {"year": year + 1},
            staff_paragraphs(texts.get("plans", "")),
            slot="plans",
        ),
        Part("other", _("五、其他需要报告的情况"), other, slot="other"),
    ]
    return Document(
        year=year,
        title=title,
        addressee=addressee,
        issuer=issuer,
        dated=dated.isoformat(),
        version=version,
        is_final=is_final,
        preface=staff_paragraphs(texts.get("preface", "")),
        parts=parts,
        appendix=appendix_rows(content, previous, links=links),
        charts=chart_specs(content),
        computed_at=content.computed_at.isoformat(),
    )


# --- appendix -------------------------------------------------------------------------------


def previous_has_data(previous: AnnualReportContent | None, chapter_key: str) -> bool:
    """Last year's figures of a chapter count as existing when its module was in use then: the
    chapter is available and at least one of its figures is not zero (a module that had no row
    at all last year was not in use, and "+12 from 0" would say something false)."""
    if previous is None:
        return False
    for chapter in previous.chapters:
        if chapter.key == chapter_key and chapter.is_available:
            return any(f.value not in (None, 0) for f in chapter.figures)
    return False


def change_text(now: Number | None, before: Number | None, unit: str) -> str:
    """+12条 / -3.5个百分点 / 持平 / — (no comparison)."""
    if now is None or before is None:
        return "—"
    difference = Decimal(str(now)) - Decimal(str(before))
    if difference == 0:
        return _("持平")
    sign = "+" if difference > 0 else "-"
    amount = format_number(abs(difference) if not isinstance(now, int) else int(abs(difference)))
    if unit == "%":
        return f"{sign}{amount}" + _("个百分点")
    return f"{sign}{amount}{unit}"


def appendix_rows(
    content: AnnualReportContent, previous: AnnualReportContent | None, *, links: bool = True
) -> list[AppendixRow]:
    before = _figures(previous) if previous is not None else {}
    rows = []
    for chapter in content.chapters:
        if not chapter.is_available:
            continue
        compare = previous_has_data(previous, chapter.key)
        for figure in chapter.figures:
            last = before.get(figure.key) if compare else None
            definition = definition_of(figure)
            unit = str(figure.unit)
            rows.append(
                AppendixRow(
                    key=figure.key,
                    label=str(figure.label),
                    value=_with_unit(figure.value, unit),
                    previous=_with_unit(last.value, unit) if last is not None else "—",
                    change=change_text(figure.value, last.value if last else None, unit),
                    numerator=str(definition.numerator),
                    denominator=str(definition.denominator) or "—",
                    period=str(definition.period),
                    url=figure.url if links else "",
                )
            )
    return rows


def _with_unit(value: Number | None, unit: str) -> str:
    return str(NO_DATA) if value is None else f"{format_number(value)}{unit}"


def chart_specs(content: AnnualReportContent) -> list[ChartSpec]:
    """The charts that have something to draw (all zero: left out of the report)."""
    return [
        ChartSpec(c.key, str(c.title), list(c.labels), [float(v) for v in c.values], c.kind)
        for chapter in content.chapters
        for c in chapter.charts
        if any(c.values)
    ]

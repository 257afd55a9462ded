"""The report's structure and its computed text: the five parts, sentences, shortcomings, the
appendix of definitions and the year-on-year change, numbers as an official document prints them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from chengxin.reports import sentences
from chengxin.reports.collect import AnnualReportContent, collect
from chengxin.reports.compose import (
    SHORTFALLS,
    Document,
    change_text,
    compose,
    previous_has_data,
)
from chengxin.reports.definitions import DEFINITIONS, EXACT_LISTS, OWNERS, definition_of
from chengxin.reports.figures import REPORT_SECTIONS, Definition, Figure, Section, format_number

pytestmark = pytest.mark.django_db


def content_of(year: int, *sections_: Section) -> AnnualReportContent:
    return collect(year, [("test", lambda y: list(sections_))])


def figure(key: str, value: object, unit: str = "件", url: str = "") -> Figure:
    return Figure(key, key, value, unit, url)  # type: ignore[arg-type]


def document(*figures: Figure, texts: dict[str, str] | None = None, year: int = 2026) -> Document:
    by_chapter: dict[str, list[Figure]] = {}
    for item in figures:
        by_chapter.setdefault(item.key.split(".")[0], []).append(item)
    content = content_of(
        year, *(Section(key, key, tuple(items)) for key, items in by_chapter.items())
    )
    return compose(
        content,
        title="台儿庄区人民政府关于2026年度法治政府建设情况的报告",
        addressee="区委、区人大常委会：",
        issuer="台儿庄区人民政府",
        dated=datetime.date(2027, 3, 1),
        texts=texts,
    )


# --- numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (30907, "30907"),  # no group separator
        (0, "0"),
        (71.4, "71.4"),
        (Decimal("71.43"), "71.4"),
        (Decimal("100.0"), "100"),  # a whole rate: 100%, not 100.0%
        (99.95, "100"),  # rounds half up to one decimal
        (99.94, "99.9"),
        (Decimal("0.05"), "0.1"),
    ],
)
def test_numbers_print_as_an_official_document_writes_them(value, printed) -> None:
    assert format_number(value) == printed


def test_a_unit_follows_its_number_without_a_space() -> None:
    assert figure("k.rate", 71.4, "%").text_with_unit == "71.4%"
    assert figure("k.rate", None, "%").text_with_unit == "无数据"


# --- sentences ------------------------------------------------------------------------------


def test_a_sentence_weaves_the_figures_in() -> None:
    figures = {
        "cases.registered": figure("cases.registered", 44),
        "cases.decided": figure("cases.decided", 27),
    }
    (runs,) = sentences.build(
        [("全年在线立案{cases.registered}件", "作出执法决定{cases.decided}件")], figures
    )
    assert "".join(run.text for run in runs) == "全年在线立案44件，作出执法决定27件。"
    assert [run.key for run in runs if run.key] == ["cases.registered", "cases.decided"]


def test_a_clause_whose_figure_has_no_data_is_left_out() -> None:
    figures = {
        "cases.reviews_done": figure("cases.reviews_done", 0),  # boundary: 0 is a number
        "cases.review_pass_rate": figure("cases.review_pass_rate", None, "%"),
    }
    (runs,) = sentences.build(
        [("完成法制审核{cases.reviews_done}件", "通过率{cases.review_pass_rate}%")], figures
    )
    assert "".join(run.text for run in runs) == "完成法制审核0件。"


def test_a_sentence_without_any_figure_disappears() -> None:
    built = sentences.build([("在线立案{cases.registered}件",)], {})
    assert built == []


def test_only_exact_lists_are_links_in_the_sentences() -> None:
    exact = figure("cases.registered", 44, url="/staff/cases/?x=1")
    broad = figure("documents.filed", 5, url="/staff/documents/filings/")
    assert "cases.registered" in EXACT_LISTS and "documents.filed" not in EXACT_LISTS
    (runs,) = sentences.build(
        [("立案{cases.registered}件", "备案{documents.filed}件")],
        {"cases.registered": exact, "documents.filed": broad},
    )
    assert {run.key: run.url for run in runs if run.key} == {
        "cases.registered": "/staff/cases/?x=1",
        "documents.filed": "",
    }


def test_every_figure_of_the_modules_is_named_by_a_sentence() -> None:
    """A chapter's figures all appear in its sentences (none falls back to "label value")."""
    named = set()
    for catalogue in sentences.CHAPTER_SENTENCES.values():
        named |= sentences.keys_in(catalogue)
    assert set(DEFINITIONS) - named == set()


def test_a_figure_no_sentence_names_still_appears() -> None:
    made = document(figure("cases.registered", 44), figure("cases.new_thing", 3, "项"))
    text = "".join(p.text for p in made.parts[0].blocks[3].paragraphs)
    assert "在线立案44件" in text and "cases.new_thing3项" in text


# --- the five parts -------------------------------------------------------------------------


def test_the_report_has_the_five_parts_in_order() -> None:
    made = document(figure("cases.registered", 44))
    assert [part.heading for part in made.parts] == [
        "一、2026年推进法治政府建设的主要举措和成效",
        "二、存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责、加强法治政府建设的有关情况",
        "四、2027年推进法治政府建设的主要安排",
        "五、其他需要报告的情况",
    ]
    headings = [block.heading for block in made.parts[0].blocks]
    assert headings[0] == "（一）依法全面履行政府职能"
    assert headings[3] == "（四）严格规范公正文明执法"
    assert made.parts[4].paragraphs[0].text == "无。"  # nothing else to report, said so


def test_staff_text_follows_the_computed_sentences() -> None:
    made = document(
        figure("cases.registered", 44),
        texts={
            "measures.enforcement": "推行执法全过程记录。\n\n开展执法案卷评查。",
            "plans": "继续推进。",
        },
    )
    enforcement = [p.text for p in made.parts[0].blocks[3].paragraphs]
    assert enforcement == ["全年在线立案44件。", "推行执法全过程记录。", "开展执法案卷评查。"]
    assert [p.text for p in made.parts[3].paragraphs] == ["继续推进。"]


@pytest.mark.parametrize(
    ("value", "listed"),
    [(Decimal("99.9"), True), (Decimal("100"), False), (None, False)],
)
def test_a_rate_below_100_is_a_shortcoming(value, listed) -> None:
    made = document(figure("cases.online_share", value, "%"))
    texts = [p.text for p in made.parts[1].paragraphs]
    assert any("部分行政处罚未在线办理" in text for text in texts) is listed


@pytest.mark.parametrize(("late", "listed"), [(1, True), (0, False)])
def test_late_publicity_is_a_shortcoming(late, listed) -> None:
    made = document(
        figure("publicity.licenses_late", late, "条"), figure("publicity.penalties_late", 0, "条")
    )
    assert bool(made.parts[1].paragraphs) is listed
    if listed:
        assert made.parts[1].paragraphs[0].label == "1."


def test_staff_may_leave_a_shortcoming_out() -> None:
    shown = document(figure("disputes.appearance_rate", Decimal("91.7"), "%"))
    assert "负责人出庭应诉尚未全覆盖" in shown.parts[1].paragraphs[0].text
    left_out = document(
        figure("disputes.appearance_rate", Decimal("91.7"), "%"),
        texts={"shortcomings.dismissed": "unrepresented_hearings"},
    )
    assert left_out.parts[1].paragraphs == []
    assert {s.key for s in SHORTFALLS} >= {
        "late_publicity",
        "off_network_penalties",
        "late_filings",
        "unrepresented_hearings",
    }


def test_the_title_breaks_where_its_sense_does() -> None:
    made = document()
    assert made.title_lines == ["台儿庄区人民政府关于2026年度", "法治政府建设情况的报告"]
    made.title = "短标题年度报告"
    assert made.title_lines == ["短标题年度报告"]
    assert made.dated_text == "2027年3月1日"


def test_a_document_survives_its_json() -> None:
    made = document(figure("cases.registered", 44, url="/x"), texts={"duty": "履职。"})
    assert Document.from_json(made.to_json()) == made


# --- definitions and year on year -----------------------------------------------------------


def test_every_figure_has_a_definition_with_a_period() -> None:
    for key, item in DEFINITIONS.items():
        assert str(item.numerator) and str(item.period), key
    rate = definition_of(figure("cases.review_pass_rate", 75, "%"))
    assert str(rate.denominator) == "统计期间内完成的法制审核数"
    own = Definition("自定义分子", "自定义分母", "当年")
    assert definition_of(Figure("x.y", "标签", 1, definition=own)) is own
    unknown = definition_of(figure("x.unknown", 1))
    assert str(unknown.numerator) == "x.unknown" and str(unknown.denominator) == ""


@pytest.mark.parametrize(
    ("now", "before", "unit", "text"),
    [
        (12, 10, "件", "+2件"),
        (8, 10, "件", "-2件"),
        (10, 10, "件", "持平"),
        (Decimal("71.4"), Decimal("75.0"), "%", "-3.6个百分点"),
        (5, None, "件", "—"),
        (None, 5, "件", "—"),
    ],
)
def test_year_on_year_change(now, before, unit, text) -> None:
    assert change_text(now, before, unit) == text


def test_last_year_counts_only_when_its_module_was_in_use() -> None:
    used = content_of(2025, Section("cases", "c", (figure("cases.registered", 3),)))
    unused = content_of(2025, Section("cases", "c", (figure("cases.registered", 0),)))
    assert previous_has_data(used, "cases") and not previous_has_data(unused, "cases")
    assert not previous_has_data(None, "cases")
    now = content_of(2026, Section("cases", "c", (figure("cases.registered", 5),)))
    made = compose(
        now,
        title="t",
        addressee="",
        issuer="i",
        dated=timezone.localdate(),
        previous=used,
    )
    (row,) = made.appendix
    assert (row.value, row.previous, row.change) == ("5件", "3件", "+2件")
    again = compose(
        now, title="t", addressee="", issuer="i", dated=timezone.localdate(), previous=unused
    )
    assert (again.appendix[0].previous, again.appendix[0].change) == ("—", "—")


def test_a_rate_without_a_denominator_reads_no_data_in_the_appendix() -> None:
    made = document(figure("cases.review_pass_rate", None, "%"))
    (row,) = made.appendix
    assert row.value == "无数据"
    assert all("无数据" not in p.text for b in made.parts[0].blocks for p in b.paragraphs)


# --- figures another module owns ------------------------------------------------------------


def test_a_figure_owned_by_a_module_not_installed_reads_no_data() -> None:
    assert OWNERS["publicity.exports"] == "exchange"
    section = Section("publicity", "p", (figure("publicity.exports", 0, "次"),))
    content = collect(2026, [("publicity", lambda y: [section])])
    got = content.figure("publicity.exports")
    assert got is not None and got.value is None  # not 0: the exchange has not landed


def test_the_owning_module_gives_the_figure() -> None:
    mine = Section("publicity", "p", (figure("publicity.exports", 0, "次"),))
    theirs = Section("exchange", "e", (figure("publicity.exports", 4, "次"),))
    content = collect(2026, [("publicity", lambda y: [mine]), ("exchange", lambda y: [theirs])])
    values = [f.value for c in content.chapters for f in c.figures if f.key == "publicity.exports"]
    assert values == [4]


def test_chapters_keep_their_order() -> None:
    assert [key for key, _title in REPORT_SECTIONS][:3] == ["agencies", "powers", "cases"]

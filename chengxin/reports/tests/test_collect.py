"""Chapters from the installed apps' annual.py: order, 无数据 for what is missing, failures."""

from __future__ import annotations

import logging

import pytest

from chengxin.reports import collect as collecting
from chengxin.reports.collect import collect, providers
from chengxin.reports.figures import REPORT_SECTIONS, Figure, Section

pytestmark = pytest.mark.django_db


def section(key: str, value: int | None = 1, **kwargs) -> Section:
    return Section(key, key, (Figure(f"{key}.count", "数量", value, "个"),), **kwargs)


def test_the_installed_apps_with_annual_py_are_found() -> None:
    labels = [label for label, _sections in providers()]
    assert {"publicity", "screening", "repair"} <= set(labels)
    assert "reports" not in labels and "accounts" not in labels


def test_chapters_follow_report_sections_whatever_the_provider_order() -> None:
    found = [("b", lambda year: [section("repair")]), ("a", lambda year: [section("agencies")])]
    content = collect(2026, found)
    assert [c.key for c in content.chapters] == [key for key, _title in REPORT_SECTIONS]
    assert content.chapters[0].key == "agencies" and content.chapters[0].is_available


def test_a_chapter_no_module_provides_is_no_data_not_zero() -> None:
    content = collect(2026, [("publicity", lambda year: [section("publicity", 0)])])
    chapters = {c.key: c for c in content.chapters}
    assert chapters["publicity"].is_available
    assert content.figure("publicity.count") is not None
    assert content.figure("publicity.count").value == 0  # a module that counted nothing: zero
    assert not chapters["agencies"].is_available  # a module that has not landed: 无数据
    assert chapters["agencies"].figures == () and not chapters["agencies"].failed
    assert content.figure("agencies.count") is None


def test_a_section_marked_unavailable_is_no_data() -> None:
    content = collect(2026, [("cases", lambda year: [section("cases", is_available=False)])])
    chapter = {c.key: c for c in content.chapters}["cases"]
    assert not chapter.is_available and chapter.figures == ()


def test_a_provider_with_two_sections_fills_two_chapters() -> None:
    content = collect(
        2026, [("disputes", lambda year: [section("disputes"), section("capacity", 23)])]
    )
    chapters = {c.key: c for c in content.chapters}
    assert chapters["disputes"].is_available and chapters["capacity"].is_available
    assert content.figure("capacity.count").value == 23


def test_a_section_outside_the_chapters_is_kept_at_the_end() -> None:
    content = collect(2026, [("x", lambda year: [section("extra")])])
    assert content.chapters[-1].key == "extra" and content.chapters[-1].is_available
    assert len(content.chapters) == len(REPORT_SECTIONS) + 1


def broken(year: int) -> list[Section]:
    raise ZeroDivisionError("division by zero")


def test_a_failing_provider_stops_a_strict_report() -> None:
    with pytest.raises(ZeroDivisionError):
        collect(2026, [("agencies", broken)], strict=True)


def test_a_failing_provider_is_logged_and_its_chapter_is_no_data(caplog) -> None:
    found = [("agencies", broken), ("publicity", lambda year: [section("publicity", 5)])]
    with caplog.at_level(logging.ERROR, logger=collecting.__name__):
        content = collect(2026, found, strict=False)
    chapters = {c.key: c for c in content.chapters}
    assert chapters["agencies"].failed and not chapters["agencies"].is_available
    assert chapters["publicity"].is_available  # the others are intact
    assert content.errors == ("agencies: ZeroDivisionError: division by zero",)
    assert "agencies" in caplog.text and "ZeroDivisionError" in caplog.text


def test_the_strict_setting_is_the_default(settings) -> None:
    settings.REPORTS_STRICT = False
    assert collect(2026, [("agencies", broken)]).chapters[0].failed
    settings.REPORTS_STRICT = True
    with pytest.raises(ZeroDivisionError):
        collect(2026, [("agencies", broken)])


def test_figure_text() -> None:
    assert Figure("k", "l", 30907).text == "30907"  # as an official document prints it
    assert Figure("k", "l", 0).text == "0"
    assert Figure("k", "l", None).text == "无数据"

"""The annual report's content: every installed app's `annual.py`, in the order of the chapters.

`providers()` finds `chengxin.<app>.annual` for each installed chengxin app, as the demo steps and
the navigation are found, so a module's figures appear as soon as its `annual.py` lands. `collect`
calls each provider's `sections(year)` and files the sections under the chapters of
`REPORT_SECTIONS`:

- a chapter no provider gives a section for is 无数据 (the module has not landed), never zero;
- a section a provider marks `is_available=False` is 无数据 too;
- a provider that raises: with `strict` (tests, `chengxin report annual --strict`) the error
  propagates; otherwise (the staff page, the command by default) it is logged with its traceback
  and the provider's chapters are 无数据 with a note that the figures could not be computed, so
  one broken module does not take the whole report down (see docs/adr/0013-annual-report.md);
- a section whose key is not a chapter is kept, after the chapters, under its own title;
- a figure another module owns (`definitions.OWNERS`) is taken only from that module; while it
  is not installed the figure reads 无数据 (the report never computes it itself);
- for one department's own report (`department=`), a provider is called as
  `sections(year, department=department)` if it takes that argument; a provider that does not is
  not yet able to count one department's rows, and its chapters read 无数据 (docs/adr/0025).
"""

from __future__ import annotations

import dataclasses
import datetime
import inspect
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chengxin.core.discovery import app_modules
from chengxin.reports.definitions import OWNERS
from chengxin.reports.figures import REPORT_SECTIONS, Chart, Figure, Section

logger = logging.getLogger(__name__)

Provider = Callable[..., list[Section]]

FAILED_NOTE = _("本章数据计算出错，已记入系统日志，请联系系统管理员。")
OWNED_ELSEWHERE_NOTE = _("该指标由尚未上线的模块提供")


@dataclass(frozen=True)
class Chapter:
    key: str
    title: str | Promise
    sections: tuple[Section, ...] = ()
    failed: bool = False  # a provider raised while computing it

    @property
    def is_available(self) -> bool:
        return any(section.is_available for section in self.sections)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for s in self.sections if s.is_available for f in s.figures)

    @property
    def charts(self) -> tuple[Chart, ...]:
        return tuple(c for s in self.sections if s.is_available for c in s.charts)


@dataclass(frozen=True)
class AnnualReportContent:
    year: int
    computed_at: datetime.datetime
    chapters: tuple[Chapter, ...]
    errors: tuple[str, ...] = field(default=())  # "app: ExceptionType: message", for the log

    def figure(self, key: str) -> Figure | None:
        """The figure with this key, if a chapter has it."""
        for chapter in self.chapters:
            for item in chapter.figures:
                if item.key == key:
                    return item
        return None


def providers() -> list[tuple[str, Provider]]:
    """(app label, sections) of every installed chengxin app with an `annual` module."""
    return [(label, module.sections) for label, module in app_modules("annual")]


def is_strict() -> bool:
    """Whether a failing provider stops the report (setting REPORTS_STRICT; tests set it)."""
    return bool(getattr(settings, "REPORTS_STRICT", False))


def takes_department(provider: Provider) -> bool:
    """Whether a provider can count one department's rows (`sections(year, department=…)`)."""
    try:
        return "department" in inspect.signature(provider).parameters
    except (TypeError, ValueError):
        return False


def collect(
    year: int,
    found: Iterable[tuple[str, Provider]] | None = None,
    *,
    strict: bool | None = None,
    department: Any = None,
) -> AnnualReportContent:
    """The report for `year` from `found` providers (default: every installed app's); with
    `department`, that department's own figures."""
    strict = is_strict() if strict is None else strict
    by_key: dict[str, list[Section]] = {}
    failed: set[str] = set()
    errors: list[str] = []
    found = list(providers() if found is None else found)
    labels = {label for label, _sections in found}
    for label, sections in found:
        try:
            if department is None:
                given = list(sections(year))
            elif takes_department(sections):
                given = list(sections(year, department=department))
            else:
                given = [
                    Section(key, title, is_available=False)
                    for key, title in REPORT_SECTIONS
                    if key in _keys_of(label)
                ]
            given = [_owned(section, label, labels) for section in given]
        except Exception as exc:
            if strict:
                raise
            logger.exception("annual report %s: the figures of %s failed", year, label)
            errors.append(f"{label}: {type(exc).__name__}: {exc}")
            failed.update(_keys_of(label))
            continue
        for section in given:
            by_key.setdefault(section.key, []).append(section)
    chapters = [
        Chapter(key, title, tuple(by_key.pop(key, ())), failed=key in failed)
        for key, title in REPORT_SECTIONS
    ]
    for key, sections_ in by_key.items():  # keys that are not chapters: kept, at the end
        chapters.append(Chapter(key, sections_[0].title, tuple(sections_)))
    return AnnualReportContent(year, timezone.now(), tuple(chapters), tuple(errors))


def _owned(section: Section, label: str, labels: set[str]) -> Section:
    """`section` without the figures another module owns: left out when the owner is among the
    providers (its own figure counts), 无数据 while it is not."""
    kept = []
    for figure in section.figures:
        owner = OWNERS.get(figure.key)
        if owner is None or owner == label:
            kept.append(figure)
        elif owner not in labels:
            kept.append(dataclasses.replace(figure, value=None, note=OWNED_ELSEWHERE_NOTE))
    return dataclasses.replace(section, figures=tuple(kept))


def _keys_of(label: str) -> set[str]:
    """The chapters an app's provider fills: its label, and `capacity` for the disputes app."""
    return {label, "capacity"} if label == "disputes" else {label}

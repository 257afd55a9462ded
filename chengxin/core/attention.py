"""What needs someone's action (待办事项): the staff dashboard's one registry (issue 20).

An app declares what in its data waits for a person in `<app>/attention.py` as
`ITEMS = (Item(...), ...)`, found by `core.discovery.app_modules("attention")` like the go-live
checklist's `golive.py`: core lists no app and imports none. Core's own items (calendar years
whose holidays are not entered) are at the end of this module.

An `Item` says whom it concerns (`permission`, as `User.has_perm` takes it, so core needs no
import of the accounts app), how many rows wait for that user (`count(user, today)`, one query,
already restricted to the user's department where the rows are a department's), how urgent it is
(`Severity`) and where the user acts: the list page filtered to exactly the rows counted, so
the number on the dashboard is the number of rows the link shows.

Items the user may not see are not computed; each one that is costs one query.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chengxin.core import calendar
from chengxin.core.discovery import app_modules


class Severity(models.IntegerChoices):
    """How urgent an item is; the dashboard groups items by it, most urgent first."""

    OVERDUE = 1, _("已逾期")
    DUE = 2, _("待办理")
    NOTICE = 3, _("提醒")


# What an item's `count` gives: a number of rows, or the things themselves when they are few
# and worth naming (the years of the calendar item); a sequence counts as its length.
Found = int | Sequence[str]


@dataclass(frozen=True)
class Item:
    """One kind of thing that waits for someone.

    `permission` ("app.action_model"): the users the item concerns; "" for every staff user.
    `count(user, today)`: how many wait for this user (restricted to what they may see).
    `url_name`, `kwargs`, `query`: the page listing exactly those rows.
    `link_permission`: what opening that page needs when it is more than `permission`; a user
    without it sees the item without a link.
    """

    key: str
    title: str | Promise
    severity: Severity
    permission: str
    count: Callable[[Any, datetime.date], Found]
    url_name: str
    kwargs: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    link_permission: str = ""

    @property
    def url(self) -> str:
        path = reverse(self.url_name, kwargs=dict(self.kwargs))
        return f"{path}?{urlencode(self.query)}" if self.query else path

    def concerns(self, user: Any) -> bool:
        return not self.permission or bool(user.has_perm(self.permission))


@dataclass(frozen=True)
class Pending:
    """An item with what waits for one user: the number, the names when the item gives them,
    and the link (empty when the user may not open the page)."""

    item: Item
    count: int
    names: tuple[str, ...]
    url: str


@dataclass(frozen=True)
class Group:
    severity: Severity
    pending: list[Pending]


def all_items() -> list[Item]:
    """Core's items, then each app's `attention.ITEMS` in INSTALLED_APPS order. A key used twice
    is a programming error and raised."""
    found = [item for _label, module in app_modules("attention") for item in module.ITEMS]
    keys: set[str] = set()
    for item in found:
        if item.key in keys:
            raise ImproperlyConfigured(f"attention item {item.key} is declared twice")
        keys.add(item.key)
    return found


def pending_for(
    user: Any, today: datetime.date, items: Sequence[Item] | None = None
) -> list[Pending]:
    """The items that concern `user` and have something waiting on `today`, most urgent first
    (then in declaration order)."""
    found = []
    for item in all_items() if items is None else items:
        if not item.concerns(user):
            continue  # not computed at all
        result = item.count(user, today)
        names = tuple(result) if not isinstance(result, int) else ()
        number = result if isinstance(result, int) else len(names)
        if number <= 0:
            continue
        may_open = not item.link_permission or user.has_perm(item.link_permission)
        found.append(Pending(item, number, names, item.url if may_open else ""))
    return sorted(found, key=lambda pending: pending.item.severity)


def grouped(pending: Sequence[Pending]) -> list[Group]:
    """`pending` by severity, most urgent first, leaving out empty groups."""
    groups = [Group(s, [p for p in pending if p.item.severity == s]) for s in Severity]
    return [group for group in groups if group.pending]


# --- core's own items -------------------------------------------------------------------------

# Whoever enters the State Council notice (reference data: the system administrator).
HOLIDAY_PERMISSION = "core.change_holidaynotice"


def _years_not_entered(today: datetime.date, *, this_year: bool) -> list[str]:
    """The year (this one, or from November the next) whose holidays are neither in the
    chinesecalendar package nor entered: its deadlines fall back to Monday–Friday
    (core.calendar). No query of its own: the calendar's per-process cache answers."""
    return [
        f"{year} 年"
        for year in calendar.unofficial_years_ahead(today)
        if (year == today.year) == this_year
    ]


ITEMS = (
    # Every staff user sees it, as the dashboard's warning did: their deadlines are affected.
    Item(
        "calendar_this_year",
        _("本年度节假日安排尚未录入：期限暂按周一至周五计算"),
        Severity.DUE,
        "",
        lambda user, today: _years_not_entered(today, this_year=True),
        "admin:core_holidaynotice_changelist",
        link_permission=HOLIDAY_PERMISSION,
    ),
    Item(
        "calendar_next_year",
        _("来年节假日安排尚未录入（国务院办公厅通知通常于 11 月发布）"),
        Severity.NOTICE,
        "",
        lambda user, today: _years_not_entered(today, this_year=False),
        "admin:core_holidaynotice_changelist",
        link_permission=HOLIDAY_PERMISSION,
    ),
)

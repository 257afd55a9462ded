"""The report interface the apps tell upward changes through; `exchange` provides it.

The upper platforms (city, province, 国家企业信用信息公示系统) must learn of every change they
show: a 双公示 record published, corrected or withdrawn, its publicity ended by credit repair, a
list entry added or removed, a repair decided. The apps that make these changes (publicity,
imports' release, screening, repair) sit below the exchange app, which knows the channels and
their formats (docs/architecture.md, "Layers"), so they call `report()` here, inside the
transaction of the change; the exchange app installs the implementation in its
`AppConfig.ready`. A rolled-back change therefore reports nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Change(models.TextChoices):
    """What the upper platform is told (docs/exchange.md, "Kinds")."""

    RECORD_PUBLISHED = "record_published", _("公示")
    RECORD_CORRECTED = "record_corrected", _("更正")
    RECORD_WITHDRAWN = "record_withdrawn", _("撤回")
    PUBLICITY_ENDED = "publicity_ended", _("信用修复终止公示")
    LIST_ENTRY_ADDED = "list_entry_added", _("列入名单")
    LIST_ENTRY_REMOVED = "list_entry_removed", _("移出名单")
    REPAIR_DECIDED = "repair_decided", _("信用修复办理结果")


class Reporter(Protocol):
    """What the provider does (exchange.actions, through exchange/apps.py)."""

    def report(self, change: str, model: type[models.Model], pks: Iterable[Any]) -> int:
        """Write the messages of `change` for the rows `pks` of `model`; how many it wrote."""
        ...


_reporter: list[Reporter] = []


def provide(reporter: Reporter) -> None:
    """Install the reporter (once, from the providing app's `ready`)."""
    _reporter[:] = [reporter]


def report(change: str, instance: models.Model) -> int:
    """Report `change` of one object, in the caller's transaction."""
    return report_many(change, type(instance), [instance.pk])


def report_many(change: str, model: type[models.Model], pks: Iterable[Any]) -> int:
    """Report `change` of a set of rows at once (an import's released step), set-based."""
    if not _reporter:
        raise ImproperlyConfigured("No upward reporter: is chengxin.exchange installed?")
    return _reporter[0].report(change, model, pks)

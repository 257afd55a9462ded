"""Base models shared by every app, and the reference data of the core app (the calendar)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from chengxin.core import auditing, local_settings, permissions


class RestrictedQuerySet(models.QuerySet[Any]):
    """A queryset that knows the row-level permission rules (core.permissions, provided by
    accounts.permissions)."""

    def restrict(self, user: Any, action: str = permissions.VIEW) -> Self:
        return permissions.restrict(self, user, action)


class ChangeLoggedModel(models.Model):
    """Base for every model: timestamps, and every create/update/delete in the audit chain.

    The audit app's receivers compare the values loaded from the database (kept by `from_db`)
    with those saved, so no extra query is needed to know what changed.
    """

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # Fields kept out of the audit log's before/after JSON (secrets, ciphertext).
    audit_exclude_fields: ClassVar[frozenset[str]] = frozenset()
    # The field naming the owning department, for row-level scoping; None: not scoped.
    department_field: ClassVar[str | None] = None

    _loaded_values: dict[str, Any] | None = None

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_change_reason()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._check_change_reason()
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=False))
        return instance

    def requires_change_reason(self) -> bool:
        """Whether an update or deletion must give a reason (published records say True)."""
        return False

    def _check_change_reason(self) -> None:
        # Checked before Django opens its save/delete transaction, so a refusal leaves the
        # caller's transaction usable.
        needs_reason = self._loaded_values is not None and self.requires_change_reason()
        if needs_reason and not auditing.change_reason().strip():
            raise ValidationError(_("修改或删除已公示的记录必须填写原因。"), code="reason_required")


class HolidayNotice(ChangeLoggedModel):
    """A State Council notice (国务院办公厅关于…部分节假日安排的通知) for one year.

    Recording it declares that the year's 休/班 days are entered in WorkdayOverride, which makes the
    calendar for that year official even when the chinesecalendar package does not know it.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    title = models.CharField(_("通知名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)

    permission_area = "reference"

    class Meta:
        verbose_name = _("节假日安排通知")
        verbose_name_plural = _("节假日安排通知")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class DayKind(models.TextChoices):
    REST = "rest", _("休")
    WORK = "work", _("班")


class WorkdayOverride(ChangeLoggedModel):
    """One day whose status differs from Monday–Friday: a holiday (休) or a make-up workday (班)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=DayKind.choices)
    notice = models.ForeignKey(
        HolidayNotice, models.PROTECT, related_name="days", verbose_name=_("依据通知")
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)

    permission_area = "reference"

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class LocalSetting(ChangeLoggedModel):
    """A locally decided value (threshold, time limit) overriding the default declared in code."""

    key = models.CharField(_("设置项"), max_length=100, unique=True)
    value = models.CharField(_("取值"), max_length=200)
    note = models.CharField(_("依据或说明"), max_length=200, blank=True)

    permission_area = "reference"

    class Meta:
        verbose_name = _("本地设置")
        verbose_name_plural = _("本地设置")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} = {self.value}"

    def clean(self) -> None:
        super().clean()
        declaration = local_settings.DECLARATIONS.get(self.key)
        if declaration is None:
            raise ValidationError({"key": _("未知的设置项。")})
        try:
            declaration.parse(self.value)
        except (ValueError, ArithmeticError) as exc:
            raise ValidationError({"value": _("取值格式不正确。")}) from exc


class Region(ChangeLoggedModel):
    """A district this installation serves (行政区划), written by `chengxin setup`.

    One row today; keyed by its 行政区划代码 so that a city installation can later hold its
    districts, each shown under its own names (`core.regions`).
    """

    code = models.CharField(_("行政区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    government = models.ForeignKey(
        "accounts.Department",
        models.PROTECT,
        related_name="+",
        verbose_name=_("本级人民政府"),
    )
    portal_name = models.CharField(_("平台名称"), max_length=100)
    credit_office = models.CharField(
        _("信用主管机构"),
        max_length=100,
        help_text=_("平台的主办单位，如“××区社会信用体系建设领导小组办公室”。"),
    )
    host = models.CharField(_("域名"), max_length=253, blank=True)

    permission_area = "reference"

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def _stored_settings() -> dict[str, str]:
    return dict(LocalSetting.objects.values_list("key", "value"))


local_settings.stored_values = _stored_settings

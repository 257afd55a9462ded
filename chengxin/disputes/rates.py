"""A rate that knows when there is nothing to divide: 0 of 0 is 无数据, never 0 % or 100 %."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Rate:
    """`numerator` of `denominator`, e.g. 12 hearings with the head in court of 12 that needed one."""

    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        """The percentage with one decimal, or None when the denominator is 0 (无数据)."""
        if not self.denominator:
            return None
        percent = Decimal(100 * self.numerator) / Decimal(self.denominator)
        return percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        value = self.value
        return _("无数据") if value is None else f"{value}%"

    def __add__(self, other: Rate) -> Rate:
        return Rate(self.numerator + other.numerator, self.denominator + other.denominator)

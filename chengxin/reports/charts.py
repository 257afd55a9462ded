"""The report's charts as PNG images, drawn with Pillow in the report's CJK font.

One image per `Chart`, used as it is by all three outputs (the staff page, the PDF and the
DOCX), so they show the same picture. Pillow is already installed with WeasyPrint; matplotlib
would bring numpy and a second font-configuration path for a few bar charts. The font is the
credit report's (settings.REPORT_FONT_DIR, `core.fonts`): a complete TTF, so
Chinese labels render as text, not boxes.

Images are drawn at twice their displayed size (`SCALE`) for print.
"""

from __future__ import annotations

import io
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont

from chengxin.core.fonts import font_path
from chengxin.reports.figures import Chart

SCALE = 2
WIDTH, HEIGHT = 640, 300  # displayed size in CSS pixels
COLOURS = ("#1f5fa8", "#d9822b", "#3a9a5b", "#b8413a", "#7a5ea8", "#8c6d3f", "#c4569b", "#5f7a8a")
INK, GRID, BACKGROUND = "#222222", "#d8d8d8", "#ffffff"


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = font_path(bold=bold)
    if not path.is_file():
        raise ImproperlyConfigured(
            f"The report font {path} is missing: run `python3 dev.py demo` (or test), "
            "which installs it, or set REPORT_FONT_DIR."
        )
    return ImageFont.truetype(str(path), size * SCALE)


def png(chart: Chart) -> bytes:
    """`chart` as PNG bytes (bar or pie)."""
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((16 * SCALE, 10 * SCALE), str(chart.title), font=font(15, bold=True), fill=INK)
    values = [float(value) for value in chart.values]
    if not values or (chart.kind == "pie" and not any(values)):
        draw.text((_s(16), _s(60)), gettext("本年度无记录"), font=font(13), fill=INK)
    elif chart.kind == "pie":
        _pie(draw, chart.labels, values)
    else:
        _bars(draw, chart.labels, values)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _s(value: float) -> int:
    return round(value * SCALE)


def _label(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bars(draw: ImageDraw.ImageDraw, labels: tuple[str, ...], values: list[float]) -> None:
    left, right, top, bottom = 48, WIDTH - 16, 44, HEIGHT - 56
    peak = _nice_ceiling(max(values))
    small = font(11)
    for step in range(5):  # grid lines and their values
        value = peak * step / 4
        y = bottom - (bottom - top) * step / 4
        draw.line((_s(left), _s(y), _s(right), _s(y)), fill=GRID, width=SCALE)
        draw.text((_s(left - 6), _s(y)), _number(value), font=small, fill=INK, anchor="rm")
    slot = (right - left) / len(values)
    width = min(48.0, slot * 0.6)
    limit = max(2, int(slot / 11))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        centre = left + slot * (index + 0.5)
        height = (bottom - top) * value / peak
        box = (_s(centre - width / 2), _s(bottom - height), _s(centre + width / 2), _s(bottom))
        draw.rectangle(box, fill=COLOURS[0])
        draw.text(
            (_s(centre), _s(bottom - height - 3)), _number(value), font=small, fill=INK, anchor="md"
        )
        draw.text(
            (_s(centre), _s(bottom + 6)), _label(label, limit), font=small, fill=INK, anchor="ma"
        )
    draw.line((_s(left), _s(bottom), _s(right), _s(bottom)), fill=INK, width=SCALE)


def _pie(draw: ImageDraw.ImageDraw, labels: tuple[str, ...], values: list[float]) -> None:
    total = sum(values)
    box = (_s(24), _s(48), _s(24 + 228), _s(48 + 228))
    angle = -90.0
    small = font(12)
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        colour = COLOURS[index % len(COLOURS)]
        sweep = 360.0 * value / total
        if sweep:
            draw.pieslice(box, angle, angle + sweep, fill=colour, outline=BACKGROUND, width=SCALE)
        angle += sweep
        y = 56 + index * 22
        draw.rectangle((_s(284), _s(y), _s(296), _s(y + 12)), fill=colour)
        share = f"{value / total:.0%}" if total else ""
        text = f"{_label(label, 16)}  {_number(value)}（{share}）"
        draw.text((_s(304), _s(y + 6)), text, font=small, fill=INK, anchor="lm")


def _nice_ceiling(value: float) -> float:
    """Four whole grid steps of 1, 2, 2.5 (from 25 on) or 5 × 10ⁿ that reach `value`:
    100 % has the axis 0–25–50–75–100, not 0–200."""
    magnitude = 1.0
    while True:
        for factor in (1, 2, 2.5, 5):
            step = factor * magnitude
            if (factor != 2.5 or magnitude >= 10) and step * 4 >= value:
                return step * 4
        magnitude *= 10


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

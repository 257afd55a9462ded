"""The report's charts as PNG images, drawn with Pillow in the report's CJK font.

Bars are horizontal so that every label is printed in full (wrapped over lines, never cut with
"…"); the chart's title is the figure's caption in the document.

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
WIDTH = 640  # displayed width in CSS pixels; the height follows the number of bars
COLOURS = ("#1f5fa8", "#d9822b", "#3a9a5b", "#b8413a", "#7a5ea8", "#8c6d3f", "#c4569b", "#5f7a8a")
INK, GRID, BACKGROUND = "#222222", "#d8d8d8", "#ffffff"
LABEL_SIZE = 12
LINE = 17  # one label line, CSS pixels


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
    """`chart` as PNG bytes: horizontal bars (every label in full, wrapped when long) or a pie
    with its legend. The title is the caption of the figure, not drawn in the image."""
    values = [float(value) for value in chart.values]
    if not values or not any(values):
        image = Image.new("RGB", (WIDTH * SCALE, 60 * SCALE), BACKGROUND)
        draw = ImageDraw.Draw(image)
        draw.text((_s(16), _s(30)), gettext("本年度无记录"), font=font(13), fill=INK, anchor="lm")
    elif chart.kind == "pie":
        image = _pie(chart.labels, values)
    else:
        image = _bars(chart.labels, values)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _s(value: float) -> int:
    return round(value * SCALE)


def wrap(text: str, width: float, size: int = LABEL_SIZE) -> list[str]:
    """`text` broken into lines no wider than `width` CSS pixels (between any two characters:
    Chinese has no spaces to break at), never shortened."""
    face = font(size)
    lines, line = [], ""
    for char in text:
        if line and face.getlength(line + char) > width * SCALE:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines or [""]


def _bars(labels: tuple[str, ...], values: list[float]) -> Image.Image:
    small = font(LABEL_SIZE)
    widest = max(small.getlength(str(label)) for label in labels) / SCALE
    label_width = min(max(widest, 40.0), WIDTH * 0.42)
    wrapped = [wrap(str(label), label_width) for label in labels]
    rows = [max(26, len(lines) * LINE + 9) for lines in wrapped]
    top, bottom_axis = 10, 26
    height = top + sum(rows) + bottom_axis
    image = Image.new("RGB", (WIDTH * SCALE, _s(height)), BACKGROUND)
    draw = ImageDraw.Draw(image)
    left = 16 + label_width + 10
    right = WIDTH - 56  # room for the value after the longest bar
    peak = _nice_ceiling(max(values))
    bottom = top + sum(rows)
    for step in range(5):  # grid lines and their values, under the bars
        x = left + (right - left) * step / 4
        draw.line((_s(x), _s(top), _s(x), _s(bottom)), fill=GRID, width=SCALE)
        draw.text(
            (_s(x), _s(bottom + 5)), _number(peak * step / 4), font=small, fill=INK, anchor="ma"
        )
    y = float(top)
    for lines, row, value in zip(wrapped, rows, values, strict=True):
        centre = y + row / 2
        first = centre - (len(lines) - 1) * LINE / 2
        for index, line in enumerate(lines):
            draw.text(
                (_s(left - 10), _s(first + index * LINE)), line, font=small, fill=INK, anchor="rm"
            )
        length = (right - left) * value / peak
        bar = min(18.0, row - 8)
        box = (_s(left), _s(centre - bar / 2), _s(left + length), _s(centre + bar / 2))
        if length > 0:
            draw.rectangle(box, fill=COLOURS[0])
        draw.text(
            (_s(left + length + 5), _s(centre)), _number(value), font=small, fill=INK, anchor="lm"
        )
        y += row
    draw.line((_s(left), _s(top), _s(left), _s(bottom)), fill=INK, width=SCALE)
    return image


def _pie(labels: tuple[str, ...], values: list[float]) -> Image.Image:
    total = sum(values)
    small = font(LABEL_SIZE)
    legend_left = 284
    entries = []
    for label, value in zip(labels, values, strict=True):
        share = f"{value / total:.0%}" if total else ""
        entries.append(wrap(f"{label}　{_number(value)}（{share}）", WIDTH - legend_left - 36))
    legend_height = sum(len(lines) * LINE + 6 for lines in entries)
    height = max(260, 24 + legend_height)
    image = Image.new("RGB", (WIDTH * SCALE, _s(height)), BACKGROUND)
    draw = ImageDraw.Draw(image)
    box = (_s(24), _s(16), _s(24 + 228), _s(16 + 228))
    angle = -90.0
    y = 16.0
    for index, (lines, value) in enumerate(zip(entries, values, strict=True)):
        colour = COLOURS[index % len(COLOURS)]
        sweep = 360.0 * value / total
        if sweep:
            draw.pieslice(box, angle, angle + sweep, fill=colour, outline=BACKGROUND, width=SCALE)
        angle += sweep
        draw.rectangle((_s(legend_left), _s(y + 3), _s(legend_left + 12), _s(y + 15)), fill=colour)
        for number, line in enumerate(lines):
            draw.text(
                (_s(legend_left + 20), _s(y + 9 + number * LINE)),
                line,
                font=small,
                fill=INK,
                anchor="lm",
            )
        y += len(lines) * LINE + 6
    return image


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
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"

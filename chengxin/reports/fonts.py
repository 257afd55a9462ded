"""The annual report's official-document fonts (GB/T 9704-2012 stand-ins, docs/adr/0025).

The PDF embeds free fonts with the right feel: Noto Serif SC (a 宋/明 serif: Bold for the
小标宋 title, Regular for the 仿宋 body) and the credit report's Noto Sans SC Bold for the 黑体
headings (`core.fonts`). Complete TTF files installed by `python3 dev.py demo|test` (dev.py,
ensure_fonts) into settings.REPORT_FONT_DIR, like the credit report's font; never a CDN.

The DOCX cannot embed fonts portably: it names the official fonts with fallbacks (`DOCX_FONTS`),
which the reader's office substitutes in order.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from chengxin.core.fonts import font_faces as sans_font_faces

SERIF_FILES = {400: "NotoSerifSC-Regular.ttf", 700: "NotoSerifSC-Bold.ttf"}

# Role → (the official font, its fallbacks): the DOCX's East Asian font and its font table's
# alternative names (w:altName), tried by Word, WPS and LibreOffice when the first is missing.
DOCX_FONTS = {
    "title": ("方正小标宋简体", ("方正小标宋_GBK", "华文中宋", "宋体", "SimSun")),
    "body": ("仿宋_GB2312", ("仿宋", "FangSong", "华文仿宋", "宋体")),
    "heading1": ("黑体", ("SimHei", "方正黑体_GBK", "微软雅黑")),
    "heading2": ("楷体_GB2312", ("楷体", "KaiTi", "华文楷体")),
    "page_number": ("宋体", ("SimSun", "Songti SC")),
}


def serif_path(*, bold: bool = False) -> Path:
    return Path(settings.REPORT_FONT_DIR) / SERIF_FILES[700 if bold else 400]


def font_faces() -> str:
    """@font-face rules for "Official Serif" and the credit report's "Report Sans"."""
    rules = [sans_font_faces()]
    for weight in SERIF_FILES:
        path = serif_path(bold=weight == 700)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"The annual report font {path} is missing: run `python3 dev.py demo` (or test), "
                "which installs it, or set REPORT_FONT_DIR."
            )
        rules.append(
            f'@font-face {{ font-family: "Official Serif"; font-weight: {weight}; '
            f'src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)

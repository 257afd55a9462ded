"""The CJK font every generated document embeds: the credit report, the annual report and its
charts.

Complete TTF files (not unicode-range web-font subsets, which WeasyPrint renders with wrong
glyphs), installed by `python3 dev.py demo|test` (dev.py, ensure_fonts) into
settings.REPORT_FONT_DIR (CHENGXIN_REPORT_FONT_DIR).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONT_FILES = {400: "NotoSansSC-Regular.ttf", 700: "NotoSansSC-Bold.ttf"}


def font_path(*, bold: bool = False) -> Path:
    return Path(settings.REPORT_FONT_DIR) / FONT_FILES[700 if bold else 400]


def font_faces() -> str:
    """@font-face rules for the documents' font family ("Report Sans"), from the installed
    files; ImproperlyConfigured names the missing file and how to install it."""
    rules = []
    for weight in FONT_FILES:
        path = font_path(bold=weight == 700)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"The report font {path} is missing: run `python3 dev.py demo` (or test), "
                "which installs it, or set REPORT_FONT_DIR."
            )
        rules.append(
            f'@font-face {{ font-family: "Report Sans"; font-weight: {weight}; '
            f'src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)

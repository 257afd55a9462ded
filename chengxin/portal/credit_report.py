"""The credit report (信用报告): a subject's public records as a PDF that anyone can verify.

`issue_report` renders `portal/report_pdf.html` (which includes the subject page's own record
markup, `portal/_records.html`) with WeasyPrint and an embedded CJK font, and records a
`CreditReport` holding the SHA-256 of the exact bytes handed out. `/verify/<number>/` compares a
presented report, or just its number and verification code, against that row.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import segno
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from chengxin.core import regions
from chengxin.core.fonts import font_faces
from chengxin.portal import queries
from chengxin.portal.masking import public_name
from chengxin.portal.models import CreditReport
from chengxin.publicity.models import DecisionRecord
from chengxin.subjects.models import Subject

STYLESHEET = Path(__file__).resolve().parent / "static" / "portal" / "report.css"

NUMBER_PREFIX = "XY"
# No 0/O, 1/I/L: the code is read off paper and typed in.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8  # 31^8, about 2^40: not guessable through a web form

RecordT = TypeVar("RecordT", bound=DecisionRecord)

# WeasyPrint logs each of its rendering steps at INFO: noise for one report. It is imported only
# in render_pdf, so that loading the URLconf (every process, every management command) does not
# load it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True)
class IssuedReport:
    report: CreditReport
    pdf: bytes


def issue_report(
    subject: Subject, *, site_url: str, requested_ip: str | None = None, attempts: int = 3
) -> IssuedReport:
    """Render a credit report on `subject` as of now, and record its number, code and hash.

    `site_url` ("https://host") makes the QR code's verification link absolute. Side effect: one
    `CreditReport` row (with its change-log entry). Numbers run per day; when two reports are
    issued at the same moment and compete for a number, the later one is rendered again with
    the next number, since the number is printed in the PDF.
    """
    profile = queries.profile(subject)
    for attempt in range(1, attempts + 1):
        report = new_report(subject, profile, requested_ip)
        pdf = render_pdf(report, profile, verify_url(site_url, report))
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            if attempt == attempts:
                raise
            continue
        return IssuedReport(report, pdf)
    raise ValueError("attempts must be at least 1")


def new_report(
    subject: Subject, profile: queries.Profile, requested_ip: str | None
) -> CreditReport:
    """An unsaved report with the next number of the day and a fresh verification code."""
    now = timezone.now()
    return CreditReport(
        number=next_number(timezone.localdate(now)),
        subject=subject,
        subject_name=public_name(subject.name, subject.category),
        penalty_count=len(profile.penalties),
        license_count=len(profile.licenses),
        verification_code="".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
        generated_at=now,
        requested_ip=requested_ip,
    )


def next_number(day: datetime.date) -> str:
    """XY20261127-000001, XY20261127-000002, … (readable; gaps do no harm)."""
    prefix = f"{NUMBER_PREFIX}{day:%Y%m%d}-"
    reports = CreditReport.objects.filter(number__startswith=prefix)
    last = reports.aggregate(last=Max("number"))["last"]
    serial = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{serial:06d}"


def normalise_code(value: str) -> str:
    """What a person typed as the verification code, as stored: no spaces or dashes, upper case."""
    return re.sub(r"[\s-]", "", value).upper()


def verify_url(site_url: str, report: CreditReport) -> str:
    path = reverse("credit_reports:verify", args=[report.number])
    return f"{site_url.rstrip('/')}{path}?{urlencode({'code': report.verification_code})}"


# --- what the report shows ------------------------------------------------------------------


def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def render_pdf(report: CreditReport, profile: queries.Profile, link: str) -> bytes:
    """The report as PDF bytes: HTML from the templates, the CJK font embedded (subset)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    context: dict[str, Any] = {
        "report": report,
        "profile": profile,
        "subject": profile.subject,
        "display_name": report.subject_name,
        "penalty_fields": queries.PUBLIC_PENALTY_FIELDS,
        "license_fields": queries.PUBLIC_LICENSE_FIELDS,
        "verify_url": link,
        "verify_page": link.split("?", 1)[0],
        "qr_code": qr_data_uri(link),
        "site_name": regions.site_name(),
        "district_name": regions.district_name(),
    }
    html = render_to_string("portal/report_pdf.html", context)
    # Only local files (the font, the stylesheet) and data: URIs (the QR code); a resource that
    # cannot be loaded stops the rendering instead of printing boxes for missing glyphs.
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=font_faces(), font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=fetcher),
    ]
    document = HTML(string=html, base_url=STYLESHEET.parent.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=stylesheets, font_config=fonts)
    return pdf

"""What staff do to an annual report: draft, edit (with history), finalise (freeze), make a new
version, submit and return a department's report, publish, record where it was sent.

Every function checks its rule and raises `ReportError` (a Chinese message for the user) when the
report's state does not allow the step. `document_for` is the one way to the report's content: the
frozen snapshot of a finalised version, or a fresh composition of a draft from the live data.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from chengxin.accounts.models import Department, User
from chengxin.core import local_settings, regions
from chengxin.reports import rules
from chengxin.reports.collect import AnnualReportContent, collect
from chengxin.reports.compose import Document, compose, slot_labels
from chengxin.reports.models import (
    DeliveryRole,
    ReportDelivery,
    ReportStatus,
    ReportTextRevision,
    RuleOfLawReport,
)

DISMISSED = "shortcomings.dismissed"


class ReportError(Exception):
    """A step the report's state or the user's role does not allow; the message is Chinese."""


def report_title(year: int, department: Department | None = None) -> str:
    if department is not None:
        return _("%(author)s关于%(year)s年度法治政府建设情况的报告") % {
            "author": department.name,
            "year": year,
        }
    return _("%(district)s人民政府关于%(year)s年度法治政府建设情况的报告") % {
        "district": regions.district_name(),
        "year": year,
    }


def government_issuer() -> str:
    return _("%(district)s人民政府") % {"district": regions.district_name()}


def next_version(year: int, department: Department | None) -> int:
    found = RuleOfLawReport.objects.filter(year=year, department=department).aggregate(
        top=Max("version")
    )["top"]
    return (found or 0) + 1


def default_addressee() -> str:
    return str(local_settings.get(rules.ADDRESSEE.key))


def create_draft(
    year: int, *, actor: User | None, department: Department | None = None
) -> RuleOfLawReport:
    """A first draft for the year; a year that already has a version gets none (use
    `new_version`)."""
    if RuleOfLawReport.objects.filter(year=year, department=department).exists():
        raise ReportError(_("该年度已有报告，请在现有版本上编辑或另存新版本。"))
    if year > timezone.localdate().year:
        raise ReportError(_("年度不能晚于今年。"))
    return RuleOfLawReport.objects.create(
        year=year,
        department=department,
        version=1,
        issuer=department.name if department is not None else government_issuer(),
        addressee=(
            _("%(district)s人民政府：") % {"district": regions.district_name()}
            if department is not None
            else default_addressee()
        ),
    )


def _check_editable(report: RuleOfLawReport) -> None:
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ReportError(_("已报送或已定稿的报告不能修改，请另存新版本。"))


@transaction.atomic
def save_texts(
    report: RuleOfLawReport, texts: Mapping[str, str], *, actor: User | None
) -> list[ReportTextRevision]:
    """Save changed slots; each change is a `ReportTextRevision` (who, when, the new text)."""
    report = RuleOfLawReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(report)
    allowed = set(slot_labels(report.year)) | {DISMISSED}
    unknown = set(texts) - allowed
    if unknown:
        raise ReportError(_("未知的段落：%(slots)s") % {"slots": "、".join(sorted(unknown))})
    now = timezone.now()
    revisions = []
    merged = dict(report.texts)
    for slot, text in texts.items():
        text = text.replace("\r\n", "\n").strip()
        if merged.get(slot, "") == text:
            continue
        merged[slot] = text
        revisions.append(
            ReportTextRevision.objects.create(
                report=report, slot=slot, text=text, author=actor, saved_at=now
            )
        )
    if revisions:
        report.texts = merged
        report.save(update_fields=["texts", "updated_at"])
    return revisions


@transaction.atomic
def update_heading(
    report: RuleOfLawReport,
    *,
    issuer: str,
    addressee: str,
    dated: datetime.date | None,
    actor: User | None,
) -> None:
    report = RuleOfLawReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(report)
    if not issuer.strip():
        raise ReportError(_("请填写落款（发文机关）。"))
    report.issuer, report.addressee, report.dated = issuer.strip(), addressee.strip(), dated
    report.save(update_fields=["issuer", "addressee", "dated", "updated_at"])


def contents(
    report: RuleOfLawReport,
) -> tuple[AnnualReportContent, AnnualReportContent]:
    """This year's and last year's figures for the report's author."""
    department = report.department
    return (
        collect(report.year, department=department),
        collect(report.year - 1, department=department),
    )


def document_for(
    report: RuleOfLawReport,
    *,
    links: bool = True,
    computed: tuple[AnnualReportContent, AnnualReportContent] | None = None,
) -> Document:
    """A finalised version: its frozen snapshot, as it was. A draft: composed now."""
    if report.snapshot is not None:
        document = Document.from_json(report.snapshot)
        if not links:
            for part in document.parts:
                for paragraph in part.paragraphs + [p for b in part.blocks for p in b.paragraphs]:
                    paragraph.runs = [_unlinked(run) for run in paragraph.runs]
            for row in document.appendix:
                row.url = ""
        return document
    content, previous = computed or contents(report)
    return compose(
        content,
        title=report_title(report.year, report.department),
        addressee=report.addressee,
        issuer=report.issuer,
        dated=report.dated or timezone.localdate(),
        texts=report.texts,
        previous=previous,
        version=report.version,
        is_final=False,
        links=links,
    )


def _unlinked(run: Any) -> Any:
    from dataclasses import replace

    return replace(run, url="")


def missing_parts(report: RuleOfLawReport) -> list[str]:
    """The parts a report cannot be finalised without: 三 (the leaders' duty) and 四 (next year's
    plan) are staff's to write; no figure stands in for them."""
    labels = slot_labels(report.year)
    return [labels[slot] for slot in ("duty", "plans") if not report.texts.get(slot, "").strip()]


@transaction.atomic
def finalise(report: RuleOfLawReport, *, actor: User | None) -> RuleOfLawReport:
    """Freeze the report: the composed document (texts and figures as of now) is stored and
    the report is never changed again."""
    report = RuleOfLawReport.objects.select_for_update().get(pk=report.pk)
    if report.is_final:
        raise ReportError(_("该版本已定稿。"))
    if not report.is_government and report.status != ReportStatus.SUBMITTED:
        raise ReportError(_("部门报告须先由该单位报送，才能定稿。"))
    missing = missing_parts(report)
    if missing:
        raise ReportError(
            _("以下部分尚未撰写，不能定稿：%(parts)s") % {"parts": "、".join(missing)}
        )
    now = timezone.now()
    report.dated = report.dated or timezone.localdate(now)
    document = document_for(report)
    document.is_final = True
    report.snapshot = document.to_json()
    report.status = ReportStatus.FINALISED
    report.finalised_at, report.finalised_by = now, actor
    report.save()
    return report


@transaction.atomic
def new_version(report: RuleOfLawReport, *, actor: User | None) -> RuleOfLawReport:
    """A new draft from a finalised version: its texts and heading; the figures live again."""
    if not report.is_final:
        raise ReportError(_("只能在已定稿的版本上另存新版本。"))
    return RuleOfLawReport.objects.create(
        year=report.year,
        department=report.department,
        version=next_version(report.year, report.department),
        previous=report,
        issuer=report.issuer,
        addressee=report.addressee,
        texts=dict(report.texts),
    )


@transaction.atomic
def submit(report: RuleOfLawReport, *, actor: User | None) -> RuleOfLawReport:
    """A department sends its report to the rule-of-law office."""
    report = RuleOfLawReport.objects.select_for_update().get(pk=report.pk)
    if report.is_government:
        raise ReportError(_("政府报告不需要报送司法局，请直接定稿。"))
    _check_editable(report)
    missing = missing_parts(report)
    if missing:
        raise ReportError(
            _("以下部分尚未撰写，不能报送：%(parts)s") % {"parts": "、".join(missing)}
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    return report


@transaction.atomic
def return_report(report: RuleOfLawReport, comment: str, *, actor: User | None) -> RuleOfLawReport:
    """The office sends a submitted department report back with its comments."""
    report = RuleOfLawReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ReportError(_("只能退回已报送的报告。"))
    if not comment.strip():
        raise ReportError(_("请填写退回意见。"))
    report.status = ReportStatus.RETURNED
    report.returned_at, report.return_comment = timezone.now(), comment.strip()
    report.save(update_fields=["status", "returned_at", "return_comment", "updated_at"])
    return report


@transaction.atomic
def publish(report: RuleOfLawReport, *, actor: User | None) -> RuleOfLawReport:
    """Put a finalised government report on the portal's 政务公开 pages."""
    report = RuleOfLawReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_final:
        raise ReportError(_("只有已定稿的报告才能公开。"))
    if report.published_at is not None:
        raise ReportError(_("该版本已公开。"))
    report.published_at = timezone.now()
    report.save(update_fields=["published_at", "updated_at"])
    return report


def record_delivery(
    report: RuleOfLawReport,
    recipient: str,
    role: str,
    sent_on: datetime.date,
    *,
    actor: User | None,
) -> ReportDelivery:
    if not report.is_final:
        raise ReportError(_("只有已定稿的报告才能登记报送。"))
    if not recipient.strip():
        raise ReportError(_("请填写接收机关。"))
    if sent_on > timezone.localdate():
        raise ReportError(_("报送日期不能晚于今天。"))
    if report.finalised_at is not None and sent_on < timezone.localdate(report.finalised_at):
        raise ReportError(_("报送日期不能早于定稿日期。"))
    return ReportDelivery.objects.create(
        report=report,
        recipient=recipient.strip(),
        role=DeliveryRole(role),
        sent_on=sent_on,
        recorded_by=actor,
    )


def current(year: int, department: Department | None = None) -> RuleOfLawReport | None:
    """The latest version of a year's report of an author."""
    return (
        RuleOfLawReport.objects.filter(year=year, department=department)
        .order_by("-version")
        .first()
    )

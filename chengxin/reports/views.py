"""Staff pages of the annual 法治政府建设年度报告 (docs/adr/0013, 0025).

- `annual`: a year's reports: the government's versions and, for the rule-of-law office, every
  department's and township's own report with its state against the deadline; a department's
  liaison sees its own.
- `report`: one version as it will be filed (figures linked to their lists while it is a draft),
  with the staff text to edit (history kept), and the steps its state allows: finalise, new
  version, submit / return (departments), publish, record where it was sent, download.
- `kept_file`: a file as it was generated.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.choices import DepartmentKind
from chengxin.accounts.models import Department, acting_user
from chengxin.accounts.permissions import ADD, VIEW, can
from chengxin.audit.context import audit_context
from chengxin.reports import actions, rules
from chengxin.reports import render as rendering
from chengxin.reports.compose import slot_labels
from chengxin.reports.models import (
    CONTENT_TYPES,
    AnnualReport,
    DeliveryRole,
    ReportFormat,
    ReportStatus,
    RuleOfLawReport,
)

FIRST_YEAR = 2000


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=FIRST_YEAR)

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("年度不能晚于今年。"))
        return year


class HeadingForm(forms.Form):
    issuer = forms.CharField(label=_("落款（发文机关）"), max_length=200)
    addressee = forms.CharField(label=_("主送机关"), max_length=300, required=False)
    dated = forms.DateField(
        label=_("成文日期"),
        required=False,
        help_text=_("空：定稿之日"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class DeliveryForm(forms.Form):
    recipient = forms.CharField(label=_("接收机关"), max_length=200)
    role = forms.ChoiceField(label=_("方式"), choices=DeliveryRole.choices)
    sent_on = forms.DateField(label=_("报送日期"), widget=forms.DateInput(attrs={"type": "date"}))


def reporting_departments() -> list[Department]:
    """The bodies that write their own report: government departments and townships."""
    return list(
        Department.objects.filter(
            is_active=True,
            kind__in=(DepartmentKind.GOVERNMENT_DEPARTMENT, DepartmentKind.TOWNSHIP),
        ).order_by("kind", "name")
    )


def department_states(year: int, today: datetime.date) -> list[dict[str, Any]]:
    """Each reporting body's latest version for `year`: its state and whether it is late."""
    latest: dict[int, RuleOfLawReport] = {}
    versions: dict[int, list[RuleOfLawReport]] = {}
    for report in RuleOfLawReport.objects.filter(year=year, department__isnull=False).order_by(
        "version"
    ):
        if report.department_id is not None:
            latest[report.department_id] = report
            versions.setdefault(report.department_id, []).append(report)
    rows = []
    for department in reporting_departments():
        report = latest.get(department.pk)
        submitted = (
            timezone.localdate(report.submitted_at)
            if report is not None and report.submitted_at is not None
            else None
        )
        waiting = report is None or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        rows.append(
            {
                "department": department,
                "report": report,
                "versions": versions.get(department.pk, []),
                "submitted_on": submitted,
                "late": rules.is_late(submitted if not waiting else None, year, today),
            }
        )
    return rows


def _year_from(request: HttpRequest) -> tuple[YearForm, int, int]:
    year = rules.reporting_year(timezone.localdate())
    form = YearForm(request.GET if "year" in request.GET else None)
    if form.is_bound:
        if form.is_valid():
            return form, form.cleaned_data["year"], 200
        return form, year, 400
    return YearForm(initial={"year": year}), year, 200


@login_required
@require_safe
def annual(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not can(user, VIEW, RuleOfLawReport):
        raise PermissionDenied
    form, year, status = _year_from(request)
    office = rules.is_office(user)
    sees_all = rules.sees_every_report(user)
    today = timezone.localdate()
    reports = RuleOfLawReport.objects.restrict(user, VIEW).filter(year=year)
    context = {
        "form": form,
        "year": year,
        "office": office,
        "sees_all": sees_all,
        "government_reports": list(reports.filter(department__isnull=True).order_by("-version")),
        "own_reports": list(
            reports.filter(department=user.department_id).order_by("-version")
            if user.department_id and not sees_all
            else []
        ),
        "departments": department_states(year, today) if sees_all else [],
        "department_deadline": rules.department_deadline(year),
        "publication_deadline": rules.publication_deadline(year),
        "may_create": office or can(user, ADD, RuleOfLawReport),
    }
    return render(request, "reports/annual.html", context, status=status)


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = YearForm(request.POST)
    if not form.is_valid():
        return HttpResponse(" ".join(str(e) for e in form.errors.get("year", [])), status=400)
    year = form.cleaned_data["year"]
    if request.POST.get("scope") == "department":
        if user.department_id is None or not can(user, ADD, RuleOfLawReport):
            raise PermissionDenied
        department = user.department
    else:
        if not rules.is_office(user):
            raise PermissionDenied
        department = None
    with audit_context(actor=user):
        try:
            report = actions.create_draft(year, actor=user, department=department)
        except actions.ReportError as exc:
            return HttpResponse(str(exc), status=400)
    return redirect("reports:report", pk=report.pk)


def _report(request: HttpRequest, pk: int) -> RuleOfLawReport:
    report: RuleOfLawReport = get_object_or_404(
        RuleOfLawReport.objects.select_related("department", "previous"), pk=pk
    )
    if not rules.may_view(request.user, report):
        raise PermissionDenied
    return report


def _page(
    request: HttpRequest, report: RuleOfLawReport, *, error: str = "", status: int = 200
) -> HttpResponse:
    user = request.user
    editable = rules.may_edit(user, report)
    office = rules.is_office(user)
    document = actions.document_for(report, links=True)
    labels = slot_labels(report.year)
    context = {
        "report": report,
        "document": document,
        "link_base": "",
        "images": rendering.chart_images(document),
        "editable": editable,
        "office": office,
        "slots": [(slot, label, report.texts.get(slot, "")) for slot, label in labels.items()],
        "heading_form": HeadingForm(
            initial={"issuer": report.issuer, "addressee": report.addressee, "dated": report.dated}
        ),
        "delivery_form": DeliveryForm(initial={"sent_on": timezone.localdate()}),
        "revisions": report.revisions.select_related("author")[:50],
        "files": report.files.select_related("generated_by")[:20],
        "deliveries": report.deliveries.all(),
        "recipients": rules.recipients(),
        "copy_to": rules.copy_to(),
        "missing": actions.missing_parts(report),
        "shortfall_keys": _shortfall_keys(report),
        "dismissed": set(report.texts.get(actions.DISMISSED, "").split(",")),
        "error": error,
        "may_submit": rules.may_submit(user, report),
        "may_finalise": not report.is_final
        and office
        and (report.is_government or report.status == ReportStatus.SUBMITTED),
        "may_return": office and report.status == ReportStatus.SUBMITTED,
        "may_publish": office
        and report.is_government
        and report.is_final
        and report.published_at is None,
        "labels": labels,
        # The departments' reports the government's draws on (submitted or finalised).
        "department_reports": (
            RuleOfLawReport.objects.filter(
                year=report.year,
                department__isnull=False,
                status__in=(ReportStatus.SUBMITTED, ReportStatus.FINALISED),
            )
            .select_related("department")
            .order_by("department__name", "-version")
            if report.is_government and rules.sees_every_report(user)
            else []
        ),
    }
    return render(request, "reports/report.html", context, status=status)


def _shortfall_keys(report: RuleOfLawReport) -> list[tuple[str, str]]:
    from chengxin.reports.compose import SHORTFALLS

    return [(shortfall.key, str(shortfall.sentence[0]).split("，")[0]) for shortfall in SHORTFALLS]


@login_required
@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _report(request, pk))


def _step(request: HttpRequest, pk: int, step: Any, *, office_only: bool = False) -> HttpResponse:
    """Run `step(report, user)` as the acting user; a ReportError re-shows the page with it."""
    report = _report(request, pk)
    user = acting_user(request)
    if office_only and not rules.is_office(user):
        raise PermissionDenied
    try:
        with audit_context(actor=user):
            result = step(report, user)
    except actions.ReportError as exc:
        report.refresh_from_db()
        return _page(request, report, error=str(exc), status=400)
    if isinstance(result, HttpResponse):
        return result
    target = result if isinstance(result, RuleOfLawReport) else report
    return redirect("reports:report", pk=target.pk)


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    def step(report: RuleOfLawReport, user: Any) -> Any:
        if not rules.may_edit(user, report):
            raise PermissionDenied
        heading = HeadingForm(request.POST)
        if not heading.is_valid():
            raise actions.ReportError(_("请填写落款（发文机关），成文日期格式为年-月-日。"))
        actions.update_heading(report, **heading.cleaned_data, actor=user)
        texts = {
            slot: request.POST.get(f"slot-{slot}", "")
            for slot in slot_labels(report.year)
            if f"slot-{slot}" in request.POST
        }
        texts[actions.DISMISSED] = ",".join(sorted(request.POST.getlist("dismissed")))
        actions.save_texts(report, texts, actor=user)
        return None

    return _step(request, pk, step)


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    def step(report: RuleOfLawReport, user: Any) -> Any:
        done = actions.finalise(report, actor=user)
        document = actions.document_for(done, links=False)
        rendering.generate(document, (ReportFormat.DOCX, ReportFormat.PDF), actor=user, report=done)
        return done

    return _step(request, pk, step, office_only=True)


@login_required
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    def step(report: RuleOfLawReport, user: Any) -> Any:
        if not (rules.is_office(user) or can(user, ADD, report)):
            raise PermissionDenied
        return actions.new_version(report, actor=user)

    return _step(request, pk, step)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    def step(report: RuleOfLawReport, user: Any) -> Any:
        if not rules.may_submit(user, report):
            raise PermissionDenied
        return actions.submit(report, actor=user)

    return _step(request, pk, step)


@login_required
@require_POST
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda report, user: actions.return_report(
            report, request.POST.get("comment", ""), actor=user
        ),
        office_only=True,
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request, pk, lambda report, user: actions.publish(report, actor=user), office_only=True
    )


@login_required
@require_POST
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    def step(report: RuleOfLawReport, user: Any) -> Any:
        form = DeliveryForm(request.POST)
        if not form.is_valid():
            raise actions.ReportError(_("请填写接收机关、方式和报送日期。"))
        actions.record_delivery(report, **form.cleaned_data, actor=user)
        return None

    return _step(request, pk, step, office_only=True)


@login_required
@require_POST
def download(request: HttpRequest, pk: int) -> FileResponse:
    """A finalised version: its kept file. A draft: rendered now and kept (marked 草稿 by its
    version row's state)."""
    report = _report(request, pk)
    fmt = request.POST.get("format", "")
    if fmt not in ReportFormat.values:
        raise Http404
    kept = report.files.filter(format=fmt).order_by("-generated_at").first()
    if report.is_final and kept is not None and kept.path.is_file():
        return _send(kept)
    user = acting_user(request)
    with audit_context(actor=user):
        (done,) = rendering.generate(
            actions.document_for(report, links=False), (fmt,), actor=user, report=report
        )
    return _send(done.report)


@login_required
@require_safe
def kept_file(request: HttpRequest, pk: int) -> FileResponse:
    kept = get_object_or_404(AnnualReport.objects.select_related("report"), pk=pk)
    allowed = (
        rules.may_view(request.user, kept.report)
        if kept.report is not None
        else can(request.user, VIEW, kept)
    )
    if not allowed or not kept.path.is_file():
        raise Http404
    return _send(kept)


def _send(kept: AnnualReport) -> FileResponse:
    return FileResponse(
        kept.path.open("rb"),
        as_attachment=True,
        filename=kept.file_name,
        content_type=CONTENT_TYPES[ReportFormat(kept.format)],
    )


def report_url(report: RuleOfLawReport) -> str:
    return reverse("reports:report", args=[report.pk])

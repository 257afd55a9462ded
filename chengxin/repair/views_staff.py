"""Staff pages of credit repair: the credit office's queue with due dates, one application with
its evidence, timeline and result message, the decision buttons, and the evidence download.

Rows are scoped through `restrict(user, action)`: a department reporter sees the applications
about its own department's records (another department's are 404) and gives the deciding
department's opinion (同意 / 不同意); the credit office sees all and decides — or, for penalties
where repair.decided_by is deciding_department, the department decides and the credit office
accepts and forwards. Who may press which button is the actions' (may_decide, may_give_opinion).
Views call `repair.actions` and never set a status; an action refused in the current status or
without the department's 同意 comes back as a message (and the page shows the button disabled,
with the reason, beforehand).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.models import User, acting_user
from chengxin.accounts.permissions import REVIEW, VIEW, can
from chengxin.audit.log import record_sensitive_read
from chengxin.core.pagination import paginate
from chengxin.core.sealed_files import TAMPERED_MESSAGE, SealedFileError, read_document
from chengxin.outbox.models import OutboxMessage
from chengxin.repair import actions, rules
from chengxin.repair.choices import OPEN_STATUSES, ApplicationStatus
from chengxin.repair.forms_staff import ApprovalForm, OpinionForm, QueueFilterForm, ReasonForm
from chengxin.repair.models import RepairApplication, RepairEvidence

logger = logging.getLogger(__name__)
PAGE_SIZE = 50


@dataclass(frozen=True)
class StaffAction:
    """One decision button: its form, the action it calls, the message on success, the statuses
    in which it is offered and who may use it."""

    form: type[forms.Form] | None
    run: Callable[[RepairApplication, User, dict[str, Any]], RepairApplication]
    done: str | Promise
    statuses: tuple[str, ...]
    may: Callable[[User, RepairApplication], bool]


def _credit_office(user: User, application: RepairApplication) -> bool:
    return can(user, REVIEW, application)


STAFF_ACTIONS: dict[str, StaffAction] = {
    "accept": StaffAction(
        None,
        lambda app, actor, data: actions.accept_application(app, actor=actor),
        _l("已受理，审查期限开始计算。"),
        (ApplicationStatus.SUBMITTED,),
        _credit_office,
    ),
    "decline": StaffAction(
        ReasonForm,
        lambda app, actor, data: actions.decline_application(
            app, actor=actor, reason=data["reason"]
        ),
        _l("已决定不予受理，结果将推送上级平台。"),
        (ApplicationStatus.SUBMITTED,),
        _credit_office,
    ),
    "request_material": StaffAction(
        ReasonForm,
        lambda app, actor, data: actions.request_material(app, actor=actor, reason=data["reason"]),
        _l("已要求补正材料，审查期限暂停计算。"),
        (ApplicationStatus.ACCEPTED,),
        _credit_office,
    ),
    "approve": StaffAction(
        ApprovalForm,
        lambda app, actor, data: actions.approve_application(
            app, actor=actor, reason=data.get("reason", "")
        ),
        _l("已同意修复：该信息即日起不再公开，结果将推送上级平台。"),
        (ApplicationStatus.ACCEPTED,),
        actions.may_decide,
    ),
    "refuse": StaffAction(
        ReasonForm,
        lambda app, actor, data: actions.refuse_application(
            app, actor=actor, reason=data["reason"]
        ),
        _l("已决定不予修复，结果将推送上级平台。"),
        (ApplicationStatus.ACCEPTED,),
        actions.may_decide,
    ),
    "opinion": StaffAction(
        OpinionForm,
        lambda app, actor, data: actions.give_opinion(
            app, actor=actor, verdict=data["verdict"], reason=data["reason"]
        ),
        _l("已保存决定部门意见。"),
        OPEN_STATUSES,
        actions.may_give_opinion,
    ),
}


def _initial(name: str, application: RepairApplication) -> dict[str, Any]:
    """A refusal after the department's 不同意 starts from the department's reason, quoted."""
    if name == "refuse":
        quote = rules.department_refusal_quote(application)
        if quote:
            return {"reason": quote}
    return {}


def _offered(user: User, application: RepairApplication) -> dict[str, forms.Form | None]:
    """The buttons to show now: allowed in the current status and for this user."""
    shown: dict[str, forms.Form | None] = {}
    for name, spec in STAFF_ACTIONS.items():
        if application.status in spec.statuses and spec.may(user, application):
            form = (
                spec.form(prefix=name, initial=_initial(name, application)) if spec.form else None
            )
            shown[name] = form
    return shown


# --- the queue -------------------------------------------------------------------------------


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW, RepairApplication):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None)
    applications = form.filter(
        RepairApplication.objects.restrict(request.user, VIEW).select_related(
            "subject", "penalty", "list_entry__list_type", "department"
        )
    )
    page = paginate(request, applications, PAGE_SIZE)
    return render(request, "repair/staff/queue.html", {"form": form, "page": page})


# --- one application -------------------------------------------------------------------------


def _application(request: HttpRequest, pk: int) -> RepairApplication:
    application: RepairApplication = get_object_or_404(
        RepairApplication.objects.restrict(request.user, VIEW).select_related(
            "subject", "penalty", "list_entry__list_type", "department", "department_opinion_by"
        ),
        pk=pk,
    )
    return application


def _target_url(user: User, application: RepairApplication) -> str:
    """The staff page of the penalty record or list entry, where there is one the user may see."""
    target = application.target
    if target is None or not can(user, VIEW, target):
        return ""
    try:
        if application.penalty is not None:
            return reverse("publicity:detail", kwargs={"kind": "penalties", "pk": target.pk})
        return reverse("screening:entry", kwargs={"pk": target.pk})
    except NoReverseMatch:
        return ""


def result_messages(application: RepairApplication) -> list[OutboxMessage]:
    """The outbox messages that carry this application's result to the upper platform."""
    return list(
        OutboxMessage.objects.filter(
            object_type=RepairApplication._meta.label_lower, object_id=str(application.pk)
        )
    )


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    user = acting_user(request)
    offered = _offered(user, application)
    context = {
        "application": application,
        "target_url": _target_url(user, application),
        "evidence": application.evidence.all(),
        "events": application.events.select_related("actor"),
        "results": result_messages(application),
        "can_view_outbox": can(user, VIEW, OutboxMessage),
        "offered": offered,
        # The approve button stays visible but disabled, with the reason, while it would fail.
        "approval_blocker": rules.approval_blocker(application) if "approve" in offered else "",
        "needs_department": rules.needs_department(application),
        "department_decides": rules.department_decides(application),
        "decided_by_citation": rules.DECIDED_BY_CITATION,
        "procedure": rules.procedure_of(application),
        "today": timezone.localdate(),
    }
    return render(request, "repair/staff/detail.html", context)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """Run one decision. The status check is the action's: a stale page gets its message."""
    application = _application(request, pk)
    user = acting_user(request)
    spec = STAFF_ACTIONS.get(name)
    if spec is None:
        raise Http404
    if not spec.may(user, application):
        raise PermissionDenied
    data: dict[str, Any] = {}
    if spec.form is not None:
        form = spec.form(request.POST, prefix=name)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                text = " ".join(str(error) for error in errors)
                messages.error(request, f"{label}：{text}" if label else text)
            return redirect("repair_staff:detail", pk=pk)
        data = form.cleaned_data
    try:
        spec.run(application, user, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, str(spec.done))
    return redirect("repair_staff:detail", pk=pk)


# --- evidence --------------------------------------------------------------------------------


@login_required
@require_safe
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    """An evidence file, to staff who may see the application, as a download (never inline:
    an uploaded file must not run in our origin). The file is kept sealed: a file that does not
    open, or is not the one uploaded, is refused with a message on the application's page."""
    if not can(request.user, VIEW, RepairApplication):
        raise PermissionDenied
    application = _application(request, pk)
    item: RepairEvidence = get_object_or_404(application.evidence, pk=evidence_pk)
    path = _stored_path(item.stored_name)
    if not path.is_file():
        raise Http404(_("文件不存在。"))
    try:
        content = read_document(path, sha256=item.sha256)
    except SealedFileError as exc:
        logger.error("repair evidence #%s (%s) refused: %s", item.pk, path.name, exc)
        messages.error(request, str(TAMPERED_MESSAGE))
        return redirect("repair_staff:detail", pk=pk)
    # An applicant's evidence (identity papers, receipts): each download is a sensitive read.
    record_sensitive_read(item, "file", actor=request.user)
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _stored_path(stored_name: str) -> Path:
    """The file under REPAIR_EVIDENCE_DIR; a stored name is a bare file name, never a path."""
    if not stored_name or Path(stored_name).name != stored_name or stored_name.startswith("."):
        raise Http404
    return Path(settings.REPAIR_EVIDENCE_DIR) / stored_name

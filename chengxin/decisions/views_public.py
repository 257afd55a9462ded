"""Public pages of major decisions (no login): the yearly catalogues, a decision's public page,
the open consultations and the comment form.

What the public sees (docs/adr/0011): the published catalogue with its approval note; for each
of its decisions the title, lead unit, category, planned completion, stage and which steps are
done; documents marked public; the consultation's draft, period (and the reason it is shorter
than 30 days), the number of comments and the summary of adopted and rejected opinions; the
hearings' dates and participant lists (art. 16 requires the list published); the published
decision. Never: comment texts and names, expert opinions, the risk report, the legality
opinion and its materials, the minutes, dissent, skip reasons and approvals, a consultation's
backfill reason (an internal note on how it was recorded), the event log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.decisions import actions
from chengxin.decisions.forms import CommentForm
from chengxin.decisions.models import (
    Consultation,
    DecisionCatalogue,
    MajorDecision,
    StepDocument,
)
from chengxin.decisions.views_staff import _download
from chengxin.portal.throttle import limited


@require_safe
def catalogues(request: HttpRequest) -> HttpResponse:
    """The latest published catalogue, with links to the earlier years."""
    published = list(DecisionCatalogue.objects.published().order_by("-year"))
    if published:
        return _catalogue_page(request, published[0], published)
    return render(request, "decisions/public/catalogue.html", {"years": [], "catalogue": None})


@require_safe
def catalogue(request: HttpRequest, year: int) -> HttpResponse:
    published = list(DecisionCatalogue.objects.published().order_by("-year"))
    found = next((item for item in published if item.year == year), None)
    if found is None:
        return render(
            request,
            "decisions/public/catalogue.html",
            {"years": published, "catalogue": None, "missing_year": year},
            status=404,
        )
    return _catalogue_page(request, found, published)


def _catalogue_page(
    request: HttpRequest, found: DecisionCatalogue, published: list[DecisionCatalogue]
) -> HttpResponse:
    decisions = found.decisions.select_related("lead_unit")
    context = {"catalogue": found, "decisions": decisions, "years": published}
    return render(request, "decisions/public/catalogue.html", context)


def _public_decision(pk: int) -> MajorDecision:
    found: MajorDecision = get_object_or_404(
        MajorDecision.objects.publicly_visible().select_related("catalogue", "lead_unit"), pk=pk
    )
    return found


@require_safe
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    found = _public_decision(pk)
    documents: Any = Prefetch("documents", queryset=StepDocument.objects.filter(is_public=True))
    steps = found.steps.prefetch_related(documents)
    consultation = (
        Consultation.objects.publicly_visible()
        .filter(decision=found)
        .annotate(comment_count=Count("comments"))
        .first()
    )
    context = {
        "decision": found,
        "steps": steps,
        "consultation": consultation,
        "hearings": found.hearings.all(),
        "today": timezone.localdate(),
    }
    return render(request, "decisions/public/decision.html", context)


@require_safe
def consultations(request: HttpRequest) -> HttpResponse:
    rows = (
        Consultation.objects.open_on(timezone.localdate())
        .select_related("decision__lead_unit")
        .order_by("closes_on", "id")
    )
    return render(request, "decisions/public/consultations.html", {"consultations": rows})


def _consultation(pk: int) -> Consultation:
    found: Consultation = get_object_or_404(
        Consultation.objects.publicly_visible().select_related(
            "decision__lead_unit", "decision__catalogue"
        ),
        pk=pk,
    )
    return found


@never_cache
@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft and, while the consultation is open, the comment form. Reading is free; only
    sending a comment counts against the per-address budget (portal.throttle, scope comment)."""
    if request.method == "POST":
        return _send_comment(request, pk)
    consultation = _consultation(pk)
    context = {
        "consultation": consultation,
        "form": CommentForm(),
        "is_open": consultation.is_open(),
    }
    return render(request, "decisions/public/comment.html", context)


@limited("comment")
def _send_comment(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = _consultation(pk)
    is_open = consultation.is_open()
    form = CommentForm(request.POST)
    if not is_open:
        form.add_error(None, _("该事项的征求意见期限已过或尚未开始，不能提交意见。"))
    elif form.is_valid():
        try:
            actions.submit_comment(consultation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("decisions_public:thanks", pk=consultation.pk)
    context = {"consultation": consultation, "form": form, "is_open": is_open}
    return render(request, "decisions/public/comment.html", context, status=400)


@require_safe
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(Consultation.objects.publicly_visible(), pk=pk)
    return render(request, "decisions/public/thanks.html", {"consultation": consultation})


@require_safe
def document(request: HttpRequest, pk: int) -> FileResponse:
    found: StepDocument = get_object_or_404(
        StepDocument.objects.filter(is_public=True, step__decision__catalogue__is_published=True),
        pk=pk,
    )
    return _download(found)

"""Public pages of normative documents (no login): the confirmed issuing bodies, the documents
in force with full-text search, one published document, and the drafts open for public comment
with the comment form.

Only what is public appears: published documents (in force, not yet in force, or marked as
abolished / invalid) with their validity and re-publication, and drafts during their comment
period. Never a draft under review, a legality opinion, the timeline, a clean-up's evaluation,
a comment period's backfill reason (an internal note), or anyone's comment or name.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from chengxin.core.pagination import paginate
from chengxin.documents import actions, search
from chengxin.documents.choices import BodyKind
from chengxin.documents.forms import PublicCommentForm, PublicSearchForm
from chengxin.documents.models import IssuingBody, NormativeDocument
from chengxin.portal.throttle import limited

PAGE_SIZE = 20


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Documents in force today, and those published but not yet in force (marked), newest
    first; a query searches their title and text."""
    form = PublicSearchForm(request.GET or None)
    documents = NormativeDocument.objects.current().select_related("issuing_body")
    query = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    if query:
        documents = search.text_contains(documents, query)
    documents = documents.order_by("-published_on", "-id")
    page = paginate(request, documents, PAGE_SIZE)
    context = {"form": form, "page": page, "query": query, "today": timezone.localdate()}
    return render(request, "documents/public/index.html", context)


@require_safe
def bodies(request: HttpRequest) -> HttpResponse:
    items = list(IssuingBody.objects.confirmed())
    groups = [(kind.label, [b for b in items if b.kind == kind]) for kind in BodyKind]
    context = {"groups": [g for g in groups if g[1]], "total": len(items)}
    return render(request, "documents/public/bodies.html", context)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        NormativeDocument.objects.published().select_related("issuing_body"), pk=pk
    )
    context = {"document": document, "validity": document.validity_label()}
    return render(request, "documents/public/detail.html", context)


@require_safe
def drafts(request: HttpRequest) -> HttpResponse:
    documents = (
        NormativeDocument.objects.open_for_comment()
        .select_related("issuing_body")
        .order_by("comment_ends_on", "id")
    )
    return render(request, "documents/public/drafts.html", {"documents": documents})


def _open_draft(pk: int) -> NormativeDocument:
    document: NormativeDocument = get_object_or_404(
        NormativeDocument.objects.open_for_comment().select_related("issuing_body"), pk=pk
    )
    return document


@never_cache
@require_http_methods(["GET", "POST"])
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft and the comment form; only sending a comment counts against the rate limit."""
    if request.method == "POST":
        return _comment(request, pk)
    return _draft_page(request, _open_draft(pk), PublicCommentForm(), submitted=False)


@limited("comment")
def _comment(request: HttpRequest, pk: int) -> HttpResponse:
    document = _open_draft(pk)
    form = PublicCommentForm(request.POST)
    if form.is_valid():
        try:
            actions.submit_comment(
                document,
                content=form.cleaned_data["content"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _draft_page(request, document, PublicCommentForm(), submitted=True)
    return _draft_page(request, document, form, submitted=False)


def _draft_page(
    request: HttpRequest, document: NormativeDocument, form: PublicCommentForm, *, submitted: bool
) -> HttpResponse:
    context = {"document": document, "form": form, "submitted": submitted}
    return render(request, "documents/public/draft.html", context)

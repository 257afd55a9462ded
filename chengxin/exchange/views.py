"""Staff pages of the exchange: the records the upper platform sent back (a department's queue).

A department's reporters see their own department's rejections, the credit office all
(ExchangeMessage is scoped like the records). A rejection stays open until a later message about
the record is sent — a correction (ExchangeMessage.objects.open_rejections)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from chengxin.accounts.permissions import VIEW, can
from chengxin.core.pagination import paginate
from chengxin.exchange.channels import channels
from chengxin.exchange.models import ExchangeMessage

PAGE_SIZE = 50
# The staff page of a record, by object kind (publicity's URL segment).
RECORD_PAGES = {"license": "licenses", "penalty": "penalties"}


def record_label(message: ExchangeMessage) -> str:
    """The record as its department knows it: the decision number (决定文书号)."""
    data = message.payload.get("data", {})
    return str(data.get("CF_WSH") or data.get("XK_WSH") or data.get("MD_WSH") or message.record_key)


def record_url(message: ExchangeMessage) -> str:
    segment = RECORD_PAGES.get(message.object_kind)
    if segment is None:
        return ""
    return reverse("publicity:detail", kwargs={"kind": segment, "pk": message.object_id})


@login_required
@require_safe
def rejections(request: HttpRequest) -> HttpResponse:
    if not can(request.user, VIEW, ExchangeMessage):
        raise PermissionDenied
    queryset = (
        ExchangeMessage.objects.restrict(request.user, VIEW)
        .open_rejections()
        .select_related("department")
    )
    page = paginate(request, queryset, PAGE_SIZE)
    labels = {channel.name: channel.label for channel in channels()}
    rows = [
        (message, record_label(message), record_url(message), labels.get(message.channel, ""))
        for message in page
    ]
    return render(request, "exchange/rejections.html", {"page": page, "rows": rows})

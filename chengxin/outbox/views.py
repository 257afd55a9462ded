"""Staff pages of the synchronisation outbox: every message with its delivery state, the
dead letters (messages the worker gave up on) and sending one again after the receiver is fixed.

A message is overdue when it is not delivered by its due date (e.g. a repair result must reach
the upper platform within repair.sync_working_days). Views call `outbox.actions.retry_message`
and never set a status.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST, require_safe

from chengxin.accounts.models import acting_user
from chengxin.accounts.permissions import CHANGE, VIEW, can
from chengxin.core.pagination import paginate
from chengxin.outbox.actions import retry_message
from chengxin.outbox.choices import MessageStatus
from chengxin.outbox.models import OutboxMessage

PAGE_SIZE = 50
# The staff page of the object a message reports on, by `OutboxMessage.object_type`.
ABOUT_PAGES = {"repair.repairapplication": "repair_staff:detail"}


class MessageFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_l("状态"), required=False, choices=[("", _l("全部")), *list(MessageStatus.choices)]
    )
    overdue = forms.BooleanField(label=_l("仅显示逾期未送达"), required=False)

    def filter(self, queryset: QuerySet[OutboxMessage], today: datetime.date) -> Any:
        if not self.is_valid():
            return queryset
        if self.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.cleaned_data["status"])
        if self.cleaned_data.get("overdue"):
            queryset = overdue(queryset, today)
        return queryset


def overdue(queryset: QuerySet[OutboxMessage], today: datetime.date) -> QuerySet[OutboxMessage]:
    """Messages not delivered by their due date."""
    return queryset.exclude(status=MessageStatus.DELIVERED).filter(due_on__lt=today)


def about_url(message: OutboxMessage) -> str:
    url_name = ABOUT_PAGES.get(message.object_type)
    if url_name is None or not message.object_id.isdigit():
        return ""
    return reverse(url_name, kwargs={"pk": int(message.object_id)})


def _rows(page: Any) -> list[tuple[OutboxMessage, str]]:
    return [(message, about_url(message)) for message in page]


def _visible(request: HttpRequest) -> QuerySet[OutboxMessage]:
    if not can(request.user, VIEW, OutboxMessage):
        raise PermissionDenied
    messages_: QuerySet[OutboxMessage] = OutboxMessage.objects.restrict(request.user, VIEW)
    return messages_


@login_required
@require_safe
def message_list(request: HttpRequest) -> HttpResponse:
    queryset = _visible(request)
    today = timezone.localdate()
    form = MessageFilterForm(request.GET or None)
    page = paginate(request, form.filter(queryset, today), PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page),
        "today": today,
        "dead_count": queryset.filter(status=MessageStatus.DEAD).count(),
    }
    return render(request, "outbox/message_list.html", context)


@login_required
@require_safe
def dead_letters(request: HttpRequest) -> HttpResponse:
    queryset = _visible(request).filter(status=MessageStatus.DEAD)
    page = paginate(request, queryset, PAGE_SIZE)
    context = {
        "page": page,
        "rows": _rows(page),
        "today": timezone.localdate(),
        "can_retry": can(request.user, CHANGE, OutboxMessage),
    }
    return render(request, "outbox/dead_letters.html", context)


@login_required
@require_safe
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(_visible(request), pk=pk)
    context = {
        "message": message,
        "about_url": about_url(message),
        "payload": json.dumps(message.payload, ensure_ascii=False, indent=2, sort_keys=True),
        "today": timezone.localdate(),
        "can_retry": can(request.user, CHANGE, message) and message.status == MessageStatus.DEAD,
    }
    return render(request, "outbox/message_detail.html", context)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a dead letter again; back to the dead letters, or to the message if asked from there."""
    message = get_object_or_404(OutboxMessage.objects.restrict(request.user, VIEW), pk=pk)
    try:
        retry_message(message, actor=acting_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已重新排队发送。"))
    if request.POST.get("back") == "detail":
        return redirect("outbox:detail", pk=pk)
    return redirect("outbox:dead")

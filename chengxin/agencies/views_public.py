"""Public pages (no login) of 事前公开: the active enforcement bodies and the staff list.

Only public fields are read from the database (`.only()`/`values`): a body's name, kind, legal
basis, domains and territory; an officer's name, 执法证号 and 执法类别 (国办发〔2018〕118号: the
staff list shows 姓名, 执法证号, 执法类别). Qualifications, certificate dates, status reasons and
departments never reach these templates.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from chengxin.agencies.choices import BodyKind
from chengxin.agencies.models import EnforcementBody, EnforcementOfficer
from chengxin.core.pagination import paginate

PAGE_SIZE = 100
BODY_FIELDS = ("pk", "name", "kind", "legal_basis", "domains", "territory", "entrusting_body__name")
OFFICER_FIELDS = ("name", "certificate_number", "categories")


def _kind_labels() -> dict[str, str]:
    return {kind.value: str(kind.label) for kind in BodyKind}


@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    labels = _kind_labels()
    bodies = [
        {**row, "kind_label": labels[row["kind"]]}
        for row in EnforcementBody.objects.active().order_by("name").values(*BODY_FIELDS)
    ]
    return render(request, "agencies/public/body_list.html", {"bodies": bodies})


@require_safe
def officer_list(request: HttpRequest) -> HttpResponse:
    """The staff list: officers who may enforce today (在岗, certificate valid, body active),
    optionally of one body; the public checks an officer's credentials here."""
    bodies = list(EnforcementBody.objects.active().order_by("name").values_list("pk", "name"))
    officers = EnforcementOfficer.objects.assignable_on(timezone.localdate())
    chosen = request.GET.get("body", "")
    # isdecimal alone admits non-ASCII digits ("²" is a digit int() refuses)
    body_id = int(chosen) if chosen.isascii() and chosen.isdecimal() else None
    body_name = dict(bodies).get(body_id) if body_id is not None else None
    if body_name is not None:
        officers = officers.filter(body_id=body_id)
    rows = officers.order_by("body__name", "name", "certificate_number").values(*OFFICER_FIELDS)
    page = paginate(request, rows, PAGE_SIZE)
    context = {"page": page, "bodies": bodies, "chosen": chosen, "body_name": body_name}
    return render(request, "agencies/public/officer_list.html", context)

"""The public list of people's mediation rooms: name, township, address, and the Jiangsu partner of
the cross-province rooms. Mediators' names are not published here (the staff pages have them)."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from chengxin.disputes.models import MediationRoom


@require_safe
def mediation_rooms(request: HttpRequest) -> HttpResponse:
    rooms = MediationRoom.objects.filter(is_active=True).select_related("township")
    by_township = [
        (township, list(group)) for township, group in groupby(rooms, key=lambda r: r.township)
    ]
    context = {
        "by_township": by_township,
        "count": len(rooms),
        "branded": sum(room.is_branded for room in rooms),
        "cross_province": sum(room.is_cross_province for room in rooms),
    }
    return render(request, "disputes/public/mediation_rooms.html", context)

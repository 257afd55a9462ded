"""The go-live checklist page (上线检查清单) of the system administrator: core.golive's findings,
grouped by area, each with a link to where it is set. It reads; it stores nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from chengxin.core import golive


@dataclass(frozen=True)
class Row:
    """One item as the page shows it: `url` only when this user may open the page it names."""

    outcome: golive.Outcome
    url: str

    @property
    def check(self) -> golive.Check:
        return self.outcome.check

    @property
    def finding(self) -> golive.Finding:
        return self.outcome.finding


def _row(request: HttpRequest, outcome: golive.Outcome) -> Row:
    place = outcome.check.place
    opens = place.url_name and (not place.permission or request.user.has_perm(place.permission))
    return Row(outcome, place.url if opens else "")


@login_required
@require_safe
def checklist(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(golive.PERMISSION):
        raise PermissionDenied
    result = golive.run(golive.Inspection.of(request))
    groups = [(g, [_row(request, o) for o in g.outcomes]) for g in result.groups]
    return render(request, "core/golive.html", {"checklist": result, "groups": groups})

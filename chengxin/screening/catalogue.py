"""The measures catalogue: which measures apply to a hit.

Loaded from the database once per process and kept until the catalogue changes: a change to a
measure, a list type or a scenario (or their links) bumps a version in the shared cache
(`bump_catalogue_version`, connected in apps.py). The process that made the change sees it at
once; the others compare the version at most once every `RECHECK_SECONDS`. A single API check
must not pay four queries, nor a visit to the shared cache, for a table that changes a few times
a year.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction

from chengxin.screening.models import Measure, Scenario

VERSION_KEY = "screening:catalogue-version"
RECHECK_SECONDS = 1.0  # another process's change is used from at most this long after it
_loaded: dict[str, Any] = {"version": None, "catalogue": None, "checked": None}
_lock = threading.Lock()


def bump_catalogue_version(**_kwargs: Any) -> None:
    """Signal receiver: every process reloads the catalogue. Bumped at once (this transaction
    sees its own change) and again after the commit (a process that reloaded in between read
    the old rows)."""

    def bump() -> None:
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
        _loaded["checked"] = None  # this process compares at its next check

    bump()
    transaction.on_commit(bump)


def current_catalogue() -> Catalogue:
    checked, catalogue = _loaded["checked"], _loaded["catalogue"]
    fresh = checked is not None and time.monotonic() < checked + RECHECK_SECONDS
    if catalogue is not None and fresh:
        return catalogue  # type: ignore[no-any-return]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    with _lock:
        if _loaded["version"] != version or _loaded["catalogue"] is None:
            _loaded["catalogue"], _loaded["version"] = Catalogue(), version
        _loaded["checked"] = time.monotonic()
        current: Catalogue = _loaded["catalogue"]
    return current


@dataclass(frozen=True)
class CataloguedMeasure:
    id: int
    code: str
    name: str
    kind: str
    effect: str
    legal_basis: str
    scenario_ids: frozenset[int]
    department_ids: frozenset[int]  # empty: every implementing department

    def applies(self, scenario_id: int, department_id: int) -> bool:
        return scenario_id in self.scenario_ids and (
            not self.department_ids or department_id in self.department_ids
        )


class Catalogue:
    """Active measures by list type. Only catalogued measures can ever be proposed."""

    def __init__(self) -> None:
        self.scenarios = {scenario.code: scenario for scenario in Scenario.objects.all()}
        measures = Measure.objects.applicable().prefetch_related(
            "list_types", "scenarios", "departments"
        )
        self.by_list_type: dict[int, list[CataloguedMeasure]] = defaultdict(list)
        for measure in measures:
            item = CataloguedMeasure(
                id=measure.pk,
                code=measure.code,
                name=measure.name,
                kind=measure.kind,
                effect=measure.effect,
                legal_basis=measure.legal_basis,
                scenario_ids=frozenset(s.pk for s in measure.scenarios.all()),
                department_ids=frozenset(d.pk for d in measure.departments.all()),
            )
            for list_type in measure.list_types.all():
                self.by_list_type[list_type.pk].append(item)

    def measures_for(
        self, list_type_id: int, scenario_id: int, department_id: int
    ) -> list[CataloguedMeasure]:
        return [
            measure
            for measure in self.by_list_type.get(list_type_id, ())
            if measure.applies(scenario_id, department_id)
        ]

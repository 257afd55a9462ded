"""The measures catalogue, loaded once per check run: which measures apply to a hit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from chengxin.screening.models import Measure


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

"""Model instances from a row of plain SQL, for a hot path that reads one joined row.

`RowLoader(Model, "t")` gives the select list of `Model`'s columns under the table alias `t`
and turns that slice of a fetched row into an instance: each value converted as the ORM converts
it for this database (SQLite's text timestamps, 0/1 booleans …), then `Model.from_db`. It is what
`Manager.raw` does for one model, with the conversions worked out once per database engine
instead of once per query, and several models can share one row (a join).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Model

M = TypeVar("M", bound=Model)
Converters = list[tuple[int, list[Callable[..., Any]], Any]]


class RowLoader(Generic[M]):
    def __init__(self, model: type[M], alias: str) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [field.attname for field in self.fields]
        self.width = len(self.fields)
        self.alias = alias
        self._converters: dict[str, Converters] = {}

    @property
    def columns(self) -> str:
        """The select list: `alias`.column for every concrete field, in the model's order."""
        quote = connection.ops.quote_name
        return ", ".join(f"{self.alias}.{quote(field.column)}" for field in self.fields)

    def instance(self, values: Sequence[Any]) -> M:
        """The instance of the first `width` values (in the order of `columns`)."""
        converted = list(values[: self.width])
        for index, converters, expression in self._for(connection.vendor):
            value = converted[index]
            for convert in converters:
                value = convert(value, expression, connection)
            converted[index] = value
        return self.model.from_db(connection.alias, self.names, converted)

    def _for(self, vendor: str) -> Converters:
        if vendor not in self._converters:
            table = self.model._meta.db_table
            found: Converters = []
            for index, field in enumerate(self.fields):
                expression = field.get_col(table)
                converters = connection.ops.get_db_converters(expression)
                converters += field.get_db_converters(connection)  # type: ignore[attr-defined]
                if converters:
                    found.append((index, converters, expression))
            self._converters[vendor] = found
        return self._converters[vendor]

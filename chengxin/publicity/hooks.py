"""Where apps built on publicity plug in, instead of publicity reaching up to them.

Registered in the upper app's `AppConfig.ready` (docs/architecture.md, "Layers"); the cases app
registers all three (cases/apps.py):
- `PENALTY_CHECKS`: called by `PenaltyRecord.clean()` with the record, so forms, imports and
  actions apply them; one links the record to its online case or refuses it (网外循环);
- `IMPORT_COLUMNS`: extra columns an import file may carry, model attribute → header texts;
- `ROW_LINKERS`: called by the importer with the kind and the valid rows of a chunk; each returns
  the rows it refuses, with the problem text;
- `IMPORT_BATCHES`: the import batches that measure data quality (finished, not trial runs) a
  user may see, for the timeliness pages; provided by the imports app (imports/apps.py).
(The publication hooks, called as each record is published, are `actions.PUBLICATION_HOOKS`.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from chengxin.publicity.models import PenaltyRecord

PENALTY_CHECKS: list[Callable[[PenaltyRecord], None]] = []
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {}
ROW_LINKERS: list[Callable[[str, list[Any]], list[tuple[Any, str]]]] = []
IMPORT_BATCHES: list[Callable[[Any], QuerySet[Any]]] = []


def import_batches(user: Any) -> QuerySet[Any]:
    """The batches `IMPORT_BATCHES`' one provider gives for `user`."""
    (provider,) = IMPORT_BATCHES
    return provider(user)


def register(hooks: list[Any], hook: Any) -> None:
    """Append `hook` once (ready() may run again in tests)."""
    if hook not in hooks:
        hooks.append(hook)

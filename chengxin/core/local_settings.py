"""Values that vary by locality: declared in code with a default, changed by an administrator.

National rules stay in code with their citation (e.g. publicity.rules); what a district decides for
itself (amount thresholds, review time limits, filing deadlines) is a `LocalSetting` row. Each app
declares its settings with `declare()`; `get()` reads the row or falls back to the default.
"""

from __future__ import annotations

import decimal
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

CACHE_SECONDS = 60


@dataclass(frozen=True)
class Declaration:
    key: str
    label: str | Promise
    default: Any
    help_text: str | Promise = ""

    def parse(self, raw: str) -> Any:
        """The stored text as a value of the default's type."""
        kind = type(self.default)
        if kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on", "是"}
        if kind is decimal.Decimal:
            return decimal.Decimal(raw.strip())
        return kind(raw.strip())


DECLARATIONS: dict[str, Declaration] = {}
_lock = threading.Lock()
_cache: dict[str, Any] = {"loaded_at": float("-inf"), "values": {}}


def declare(
    key: str, label: str | Promise, default: Any, help_text: str | Promise = ""
) -> Declaration:
    declaration = Declaration(key, label, default, help_text)
    DECLARATIONS[key] = declaration
    return declaration


def clear_cache(**_kwargs: Any) -> None:
    with _lock:
        _cache["loaded_at"] = float("-inf")


def get(key: str) -> Any:
    declaration = DECLARATIONS[key]
    with _lock:
        if time.monotonic() - _cache["loaded_at"] >= CACHE_SECONDS:
            from chengxin.core.models import LocalSetting

            _cache["values"] = dict(LocalSetting.objects.values_list("key", "value"))
            _cache["loaded_at"] = time.monotonic()
        raw = _cache["values"].get(key)
    return declaration.default if raw is None else declaration.parse(raw)

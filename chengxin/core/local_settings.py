"""Values that vary by locality: declared in code with a default, changed by an administrator.

National rules stay in code with their citation (e.g. publicity.rules); what a district decides for
itself (amount thresholds, review time limits, filing deadlines) is a `LocalSetting` row. Each app
declares its settings with `declare()`; `get()` reads the row or falls back to the default.

A setting that can weaken a control is declared `security_relevant=True`: switching off a review
or a check (the legality-review thresholds, review before publication), widening who decides or
what personal data is published, or loosening a login protection. Only the security
administrator changes those, and with the two-person rule on, only with a second security
administrator's approval (accounts.actions, docs/security.md); the system administrator
changes the rest.
"""

from __future__ import annotations

import decimal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from chengxin.core import process_caches

CACHE_SECONDS = 60


class InvalidSetting(ValueError):
    """A value of the right type that a setting's validator refuses; the message is for the user
    (Chinese)."""


@dataclass(frozen=True)
class Declaration:
    key: str
    label: str | Promise
    default: Any
    help_text: str | Promise = ""
    security_relevant: bool = False
    # Raises InvalidSetting for a value of the right type that is still not acceptable.
    validator: Callable[[Any], None] | None = None

    def parse(self, raw: str) -> Any:
        """The stored text as a value of the default's type (ValueError when it is not one)."""
        value = self._convert(raw)
        if self.validator is not None:
            self.validator(value)
        return value

    def _convert(self, raw: str) -> Any:
        kind = type(self.default)
        if kind is bool:
            return raw.strip().lower() in {"1", "true", "yes", "on", "是"}
        if kind is decimal.Decimal:
            return decimal.Decimal(raw.strip())
        return kind(raw.strip())


DECLARATIONS: dict[str, Declaration] = {}
_lock = threading.Lock()
_cache: dict[str, Any] = {"loaded_at": float("-inf"), "values": {}}
# Reads the stored values ({key: text}); core.models sets it to read its LocalSetting table, so
# that this module, imported by every app's rules before the models are, imports no model.
stored_values: Callable[[], dict[str, str]] = dict


def declare(
    key: str,
    label: str | Promise,
    default: Any,
    help_text: str | Promise = "",
    *,
    security_relevant: bool = False,
    validator: Callable[[Any], None] | None = None,
) -> Declaration:
    declaration = Declaration(key, label, default, help_text, security_relevant, validator)
    DECLARATIONS[key] = declaration
    return declaration


def is_security_relevant(key: str) -> bool:
    declaration = DECLARATIONS.get(key)
    return declaration is not None and declaration.security_relevant


def all_declarations() -> dict[str, Declaration]:
    """Every declared setting. Settings are declared in the modules that use them, which the
    URLconf imports (views → actions → rules); it is loaded first, so the list is complete in a
    command or a job as much as in a web request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (importing the views declares their settings)
    return dict(DECLARATIONS)


def clear_cache(**_kwargs: Any) -> None:
    with _lock:
        _cache["loaded_at"] = float("-inf")


process_caches.register("local_settings", clear_cache)


def get(key: str) -> Any:
    declaration = DECLARATIONS[key]
    with _lock:
        if time.monotonic() - _cache["loaded_at"] >= CACHE_SECONDS:
            _cache["values"] = stored_values()
            _cache["loaded_at"] = time.monotonic()
        raw = _cache["values"].get(key)
    return declaration.default if raw is None else declaration.parse(raw)

"""Each app brings its own parts: the module `name` of every installed chengxin app that has one
(`demo`, `annual`, `tasks` …), found the same way by everything that collects them."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps


def app_modules(name: str) -> list[tuple[str, ModuleType]]:
    """(app label, module) for each installed chengxin app with a module `name`, in
    INSTALLED_APPS order. An error inside such a module is raised, not taken for its absence."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("chengxin."):
            continue
        path = f"{config.name}.{name}"
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError as exc:
            if exc.name != path:
                raise
            continue
        found.append((config.label, module))
    return found

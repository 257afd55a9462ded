"""Every cache a process keeps of the database is registered, and one call forgets them all."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import chengxin
import chengxin.repair.rules
from chengxin.core import local_settings, process_caches, regions
from chengxin.core.models import LocalSetting

PACKAGE = Path(chengxin.__file__).parent
MODULE_CACHE = re.compile(r"^_cache\b[^=\n]*=", re.MULTILINE)


def test_every_module_level_cache_registers_its_forgetting() -> None:
    holders = [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts and MODULE_CACHE.search(path.read_text(encoding="utf-8"))
    ]
    assert holders  # the pattern finds the caches that exist (calendar, local settings, region)
    unregistered = [
        str(path.relative_to(PACKAGE))
        for path in holders
        if "process_caches.register(" not in path.read_text(encoding="utf-8")
    ]
    assert unregistered == []
    assert {"calendar", "local_settings", "region"} <= set(process_caches.registered())


@pytest.mark.django_db
def test_forget_all_makes_a_process_read_the_database_again() -> None:
    key = "repair.acceptance_working_days"
    before = local_settings.get(key)
    LocalSetting.objects.filter(key=key).delete()
    LocalSetting.objects.bulk_create([LocalSetting(key=key, value=str(before + 1))])  # no signal
    assert local_settings.get(key) == before  # still the remembered value

    process_caches.forget_all()

    assert local_settings.get(key) == before + 1


@pytest.mark.django_db
def test_forget_all_forgets_the_region(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    process_caches.forget_all()
    with django_assert_num_queries(1):
        assert regions.current_region() is None  # read again
    with django_assert_num_queries(0):
        assert regions.current_region() is None  # then kept

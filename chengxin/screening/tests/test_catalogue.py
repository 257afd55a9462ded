"""The measures catalogue kept in each process: a change is used at once where it was made,
and by every other process within RECHECK_SECONDS (by the version in the shared cache)."""

from __future__ import annotations

import time
import uuid

import pytest
from django.core.cache import cache

from chengxin.screening import catalogue as catalogue_module
from chengxin.screening.models import Measure


def legal_basis(code: str) -> str:
    measures = {
        m.code: m for ms in catalogue_module.current_catalogue().by_list_type.values() for m in ms
    }
    return measures[code].legal_basis


def test_a_change_made_here_is_used_at_once(catalogue: None) -> None:
    measure = Measure.objects.applicable().first()
    assert measure is not None
    legal_basis(measure.code)  # loaded, and just compared with the shared version
    measure.legal_basis = "《新的依据》第一条"
    measure.save()
    assert legal_basis(measure.code) == "《新的依据》第一条"


def test_another_process_s_change_is_used_after_the_recheck_interval(
    catalogue: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(catalogue_module, "RECHECK_SECONDS", 0.5)
    measure = Measure.objects.applicable().first()
    assert measure is not None
    before = legal_basis(measure.code)
    # What another process's change looks like here: the rows change without a signal in this
    # process, and the shared version moves (that process's bump_catalogue_version).
    Measure.objects.filter(pk=measure.pk).update(legal_basis="《另一进程的依据》")
    cache.set(catalogue_module.VERSION_KEY, uuid.uuid4().hex, None)
    assert legal_basis(measure.code) == before  # compared less than 0.5 s ago: not yet
    time.sleep(0.6)
    assert legal_basis(measure.code) == "《另一进程的依据》"

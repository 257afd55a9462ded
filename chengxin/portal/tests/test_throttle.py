"""The portal's per-address budget (`portal.throttle`): a sliding window, on every cache backend.

The clock is frozen (`clock.travel`) so each test knows where in the window its requests fall;
the window's own arithmetic is what is tested, not the machine's timing."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

# 10:00:00 in Beijing is a whole minute: the start of a 60-second window.
MORNING = datetime.datetime(
    2026, 3, 2, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)


def at(seconds: float) -> datetime.datetime:
    return MORNING + datetime.timedelta(seconds=seconds)


def search(client: Client) -> int:
    return client.get("/search/", {"q": "宏达"}).status_code


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
@override_settings(PORTAL_RATE_LIMITS={"search": (3, 60)})
def test_the_budget_holds_within_a_window(client, clock) -> None:
    clock.travel(at(10))
    assert [search(client) for _ in range(4)] == [200, 200, 200, 429]
    assert search(Client(REMOTE_ADDR="10.1.2.3")) == 200  # another address, its own budget


@pytest.mark.django_db
@override_settings(PORTAL_RATE_LIMITS={"search": (3, 60)})
def test_the_budget_cannot_be_spent_twice_across_a_window_boundary(client, clock) -> None:
    """A fixed window let 3 requests at 0:59 and 3 more at 1:01 through."""
    clock.travel(at(59))
    assert [search(client) for _ in range(3)] == [200, 200, 200]
    clock.travel(at(61))
    assert search(client) == 429


@pytest.mark.django_db
@override_settings(PORTAL_RATE_LIMITS={"search": (3, 60)})
def test_the_budget_returns_as_the_window_slides(client, clock) -> None:
    clock.travel(at(0))
    assert [search(client) for _ in range(3)] == [200, 200, 200]
    # 30 s into the next window, half of the previous window's 3 still count: 1.5 + 1 ≤ 3.
    clock.travel(at(90))
    assert search(client) == 200
    assert search(client) == 429  # 1.5 + 2 > 3
    clock.travel(at(180))  # two windows on: the old requests no longer count at all
    assert [search(client) for _ in range(4)] == [200, 200, 200, 429]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.filebased.FileBasedCache",  # the embedded installation's
    ],
)
def test_an_hours_budget_lasts_the_hour_on_every_cache_backend(backend, tmp_path, clock) -> None:
    """The file cache's increment re-stored the count with its default five-minute timeout,
    so one report an hour became one every five minutes."""
    caches = {"default": {"BACKEND": backend, "LOCATION": str(tmp_path / "cache")}}
    # Django rebuilds its cache handler when CACHES is overridden (test.signals).
    with override_settings(CACHES=caches, PORTAL_RATE_LIMITS={"search": (1, 3600)}):
        client = Client()
        clock.travel(at(0))
        assert search(client) == 200
        clock.travel(at(10 * 60))
        assert search(client) == 429
        clock.travel(at(2 * 3600 + 1))
        assert search(client) == 200

"""The client's address behind a reverse proxy (issue 18.6): X-Forwarded-For only from a trusted
proxy, read from the right; the same address for the audit log, the portal's rate limits and the
login lockout."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings

from chengxin.accounts.choices import Role
from chengxin.audit.choices import AuditAction
from chengxin.audit.models import AuditEntry
from chengxin.core.client_address import client_ip, parse_address, parse_networks
from chengxin.core.tests.fixtures import PASSWORD

PROXY = "10.0.0.2"
TRUSTED = ["10.0.0.0/24", "fd00::1"]


def address(remote: str, forwarded: str | None = None) -> str | None:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert address("203.0.113.5", "198.51.100.1") == "203.0.113.5"
    assert address(PROXY, "198.51.100.1") == PROXY


@override_settings(TRUSTED_PROXIES=TRUSTED)
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, "198.51.100.7", "198.51.100.7"),  # the proxy's client
        (PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # what the client wrote is left
        (PROXY, "198.51.100.7, 10.0.0.9", "198.51.100.7"),  # a second trusted proxy skipped
        (PROXY, "10.0.0.8, 10.0.0.9", "10.0.0.8"),  # only proxies: the farthest
        (PROXY, "", PROXY),  # no header: the proxy itself
        (PROXY, "198.51.100.7:5123", "198.51.100.7"),  # a port is dropped
        (PROXY, "[2001:db8::7]:443", "2001:db8::7"),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "198.51.100.7, garbage", PROXY),
        ("fd00::1", "198.51.100.7", "198.51.100.7"),
        ("::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7"),  # IPv4-mapped proxy address
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),  # spoofed: not from a proxy
        ("", "198.51.100.7", None),
    ],
)
def test_the_header_is_believed_only_from_a_trusted_proxy(remote, forwarded, expected) -> None:
    assert address(remote, forwarded) == expected


def test_parsing() -> None:
    assert str(parse_address(" 10.1.2.3 ")) == "10.1.2.3"
    assert parse_address("10.1.2.3.4") is None
    assert [str(n) for n in parse_networks("10.0.0.1, 10.8.0.0/16 fd00::/8")] == [
        "10.0.0.1/32",
        "10.8.0.0/16",
        "fd00::/8",
    ]
    with pytest.raises(ValueError, match="'office'"):
        parse_networks("10.0.0.1, office")


@override_settings(TRUSTED_PROXIES=TRUSTED)
def test_the_audit_log_records_the_client_not_the_proxy(make_user) -> None:
    make_user(Role.CREDIT_ADMIN, username="wu")
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7")
    client.post("/accounts/login/", {"username": "wu", "password": PASSWORD})
    entry = AuditEntry.objects.filter(action=AuditAction.LOGGED_IN).first()
    assert entry.ip_address == "198.51.100.7"
    spoofed = Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.99")
    spoofed.post("/accounts/login/", {"username": "wu", "password": "wrong"})
    failed = AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).first()
    assert failed.ip_address == "203.0.113.5"


@override_settings(TRUSTED_PROXIES=TRUSTED)
def test_the_lockout_counts_the_client_behind_the_proxy(make_user) -> None:
    make_user(Role.CREDIT_ADMIN, username="wu")
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.66")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "wu", "password": "wrong"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    # wu at their own desk, through the same proxy, is not locked out.
    desk = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert (
        desk.post("/accounts/login/", {"username": "wu", "password": PASSWORD}).status_code == 302
    )


# 10:00:20 in Beijing: the budget's sliding window is tested in portal/tests/test_throttle.py.
IN_A_MINUTE = datetime.datetime(
    2026, 3, 2, 10, 0, 20, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
)


def search(client: Client, forwarded: str) -> int:
    return client.get("/search/", {"q": "宏达"}, HTTP_X_FORWARDED_FOR=forwarded).status_code


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=TRUSTED, PORTAL_RATE_LIMITS={"search": (60, 60)})
def test_65_requests_with_distinct_headers_through_the_proxy(clock) -> None:
    """The finding: 65 requests with distinct X-Forwarded-For gave 60 × 200, then 429 for
    everyone. Now one client cannot exhaust the others' budget, nor escape its own by writing
    a new address into the header each time."""
    cache.clear()
    clock.travel(IN_A_MINUTE)  # all 65 requests in one window, wherever the machine's minute is
    proxy = Client(REMOTE_ADDR=PROXY)
    statuses = [search(proxy, f"198.51.100.{i}, 203.0.113.5") for i in range(65)]
    assert statuses == [200] * 60 + [429] * 5
    assert search(proxy, "203.0.113.6") == 200  # another client behind the same proxy


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[], PORTAL_RATE_LIMITS={"search": (60, 60)})
def test_a_spoofed_header_from_an_untrusted_address_does_not_escape_the_limit(clock) -> None:
    cache.clear()
    clock.travel(IN_A_MINUTE)
    direct = Client(REMOTE_ADDR="203.0.113.5")
    statuses = [search(direct, f"198.51.100.{i}") for i in range(61)]
    assert statuses == [200] * 60 + [429]
    assert Client(REMOTE_ADDR="203.0.113.6").get("/search/", {"q": "宏达"}).status_code == 200

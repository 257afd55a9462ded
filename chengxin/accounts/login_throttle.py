"""Failed logins: the lockout per account and address, and the throttle per address.

django-axes locks an account at one address after CHENGXIN_LOGIN_FAILURE_LIMIT failures
(`AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`): failures from one address cannot lock
an administrator out everywhere, and one person's typos do not lock out an office behind one NAT
address. What that leaves open, one address trying a few passwords on every account (password
spraying), the throttle here closes: once the failures from one address, over all accounts, reach
`accounts.address_failure_limit` within the lockout period, the address may not log in at all
until they age out (or the security administrator clears them). Addresses on
`accounts.login_allowlist` are not throttled; their accounts still lock.

The failures are axes' own records (AccessAttempt, one row per account, address and browser,
expired by axes after AXES_COOLOFF_TIME), so the two agree and one unlock clears both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.http import HttpRequest
from django.utils import timezone

from chengxin.accounts import rules
from chengxin.core import local_settings
from chengxin.core.client_address import client_ip, is_in, parse_address


def lockout_period() -> datetime.timedelta:
    return datetime.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def recent_attempts() -> Any:
    """axes' failure records still counting (the last failure within the lockout period)."""
    return AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - lockout_period())


def failures_from(address: str) -> int:
    total = recent_attempts().filter(ip_address=address).aggregate(n=Sum("failures_since_start"))
    return int(total["n"] or 0)


def is_allowlisted(address: str) -> bool:
    parsed = parse_address(address)
    return parsed is not None and is_in(parsed, rules.login_allowlist())


def is_throttled(address: str | None) -> bool:
    """Whether logins from `address` are refused for the failures it has sent."""
    if not address or is_allowlisted(address):
        return False
    return failures_from(address) >= int(local_settings.get(rules.ADDRESS_FAILURE_LIMIT.key))


@dataclass(frozen=True)
class Lockout:
    """An account locked at an address, or (username "") an address throttled."""

    username: str
    ip_address: str
    failures: int
    last_attempt: datetime.datetime

    @property
    def ends_at(self) -> datetime.datetime:
        return self.last_attempt + lockout_period()


def locked_accounts() -> list[Lockout]:
    """Accounts locked at an address now (axes: failures of the account at that address)."""
    rows = (
        recent_attempts()
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [
        Lockout(row["username"] or "", row["ip_address"] or "", row["failures"], row["last"])
        for row in rows
    ]


def throttled_addresses() -> list[Lockout]:
    """Addresses whose failures over all accounts reach the limit (allow-listed ones excluded)."""
    limit = int(local_settings.get(rules.ADDRESS_FAILURE_LIMIT.key))
    rows = (
        recent_attempts()
        .exclude(ip_address=None)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=limit)
        .order_by("-last")
    )
    return [
        Lockout("", row["ip_address"], row["failures"], row["last"])
        for row in rows
        if not is_allowlisted(row["ip_address"])
    ]


class AddressThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: refuses every login from a throttled address, whatever
    the form (the staff login, the admin's), before any password is checked. Raising
    PermissionDenied stops Django trying the other backends and counts as a failed login; the
    staff login page then answers 429 (`request.login_throttled`).

    It authenticates nobody, so it has no `get_user` (like axes' backend): a session never
    names it, and Django's test client does not log in through it."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        if request is not None and is_throttled(client_ip(request)):
            request.login_throttled = True  # type: ignore[attr-defined]
            raise PermissionDenied
        return None

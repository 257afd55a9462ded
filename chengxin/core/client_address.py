"""The client's address, behind a reverse proxy or not: the one answer for every use.

The audit log, the portal's rate limits (portal.throttle), the login lockout (django-axes,
`AXES_CLIENT_IP_CALLABLE`) and the failed-login throttle (accounts.login_throttle) all call
`client_ip()`, so they agree on who a request came from.

`X-Forwarded-For` is believed only from a trusted proxy (`settings.TRUSTED_PROXIES`, from
`CHENGXIN_TRUSTED_PROXIES`: addresses or networks). Each proxy appends the address it received
the request from, so the header is read from the right: entries that are trusted proxies are
skipped and the first one that is not is the client. Whatever a client writes into the header
itself stands to the left of that and is never reached. From any other peer the header is
ignored and the address is REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> Address | None:
    """An address as a proxy writes it ("10.0.0.1", "10.0.0.1:5678", "[::1]:443"), or None."""
    text = text.strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
    return address


def parse_networks(entries: str | Iterable[str]) -> tuple[Network, ...]:
    """Addresses and networks ("10.0.0.5", "10.1.0.0/16", "fd00::/8"), comma- or space-separated
    when given as one string. Raises ValueError naming an entry that is neither."""
    if isinstance(entries, str):
        entries = entries.replace(",", " ").split()
    networks = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"{entry!r} is not an address or a network") from exc
    return tuple(networks)


def is_in(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


@lru_cache(maxsize=4)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def trusted_proxies() -> tuple[Network, ...]:
    """settings.TRUSTED_PROXIES (CHENGXIN_TRUSTED_PROXIES) as networks, parsed once per value."""
    return _trusted(tuple(settings.TRUSTED_PROXIES))


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that sent `request` (see the module's docstring)."""
    peer = parse_address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    proxies = trusted_proxies()
    if not proxies or not is_in(peer, proxies):
        return str(peer)
    # Several X-Forwarded-For headers reach Django joined by commas, in order (WSGI).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop = parse_address(entry)
        if hop is None:
            break  # not an address: what our last proxy received cannot be told; keep it
        client = hop
        if not is_in(hop, proxies):
            break
    return str(client)

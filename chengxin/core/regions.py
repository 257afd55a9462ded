"""The region this installation serves (行政区划) and the names shown for it.

`division_name(code)` looks a 行政区划代码 up in the national division codes python-stdnum ships
(`stdnum/cn/loc.dat`). `site_name()` and `district_name()` are the names every page, report and
message shows (and `credit_office()`, the 主办单位 in every page's footer): from the `Region` row
`chengxin setup` wrote (the demo writes 台儿庄区's), or, before setup (most tests), the neutral
`settings.SITE_NAME`, `settings.DISTRICT_NAME` and `settings.CREDIT_OFFICE`.

The row is read once per process and kept: `chengxin setup` clears the cache of its own process,
and a running server shows changed names after its restart (README, "Running in production").
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chengxin.core import process_caches

if TYPE_CHECKING:
    from chengxin.core.models import Region

_CODE_RE = re.compile(r"[0-9]{6}", re.ASCII)
_UNLOADED: Any = object()
_lock = threading.Lock()
_cache: dict[str, Any] = {"region": _UNLOADED}


def division_name(code: str) -> str:
    """The current name of the county-level division `code` (e.g. "市中区" for 370402).

    Raises ValidationError (Chinese message) for a code that is not 6 digits, is not in the
    dataset, names a province or a city rather than a county-level division, or was abolished.
    """
    if not _CODE_RE.fullmatch(code):
        raise ValidationError(
            _("行政区划代码应为 6 位数字，实为 %(code)s。"),
            code="invalid_format",
            params={"code": code},
        )
    entries = _county_entries(code)
    if not entries:
        raise ValidationError(
            _("行政区划代码 %(code)s 不在全国行政区划代码表中。"),
            code="unknown",
            params={"code": code},
        )
    name = _current_name(entries)
    if code.endswith("00") or name == "市辖区":
        raise ValidationError(
            _("行政区划代码 %(code)s 不是县级行政区划（区、县、县级市）的代码。"),
            code="not_county",
            params={"code": code},
        )
    if name is None:
        raise ValidationError(
            _("行政区划代码 %(code)s 已撤销（%(history)s），请使用现行代码。"),
            code="abolished",
            params={"code": code, "history": entries},
        )
    return name


def _county_entries(code: str) -> str:
    from stdnum import numdb

    found = numdb.get("cn/loc").info(code)
    props = {key: value for _part, values in found for key, value in values.items()}
    return str(props.get("county", ""))


def _current_name(entries: str) -> str | None:
    """The entry still in force in "[1983-1986]郊区,[1987-]薛城区" style history, or None."""
    for entry in entries.split(","):
        if not entry.startswith("["):
            return entry
        period, name = entry[1:].split("]", 1)
        if not period.split("-", 1)[1]:
            return name
    return None


# --- the installation's names -----------------------------------------------------------------


def current_region() -> Region | None:
    """The region set up on this installation (the first by code), or None before setup."""
    with _lock:
        if _cache["region"] is _UNLOADED:
            from chengxin.core.models import Region

            _cache["region"] = Region.objects.select_related("government").first()
        region: Region | None = _cache["region"]
    return region


def site_name() -> str:
    """The portal's name: the set-up region's, else `settings.SITE_NAME`."""
    region = current_region()
    return region.portal_name if region is not None else str(settings.SITE_NAME)


def district_name() -> str:
    """The district's name: the set-up region's, else `settings.DISTRICT_NAME`."""
    region = current_region()
    return region.name if region is not None else str(settings.DISTRICT_NAME)


def credit_office() -> str:
    """The credit office that runs the platform (主办单位): the set-up region's, else
    `<district_name()><settings.CREDIT_OFFICE>`."""
    region = current_region()
    if region is not None:
        return region.credit_office
    return f"{settings.DISTRICT_NAME}{settings.CREDIT_OFFICE}"


def names() -> dict[str, str]:
    """The three names for a page's context."""
    return {
        "site_name": site_name(),
        "district_name": district_name(),
        "credit_office": credit_office(),
    }


def cached_names() -> dict[str, str]:
    """The names without touching the database (the 500 page): the settings unless loaded."""
    region = _cache["region"]
    if region is _UNLOADED or region is None:
        return {
            "site_name": str(settings.SITE_NAME),
            "district_name": str(settings.DISTRICT_NAME),
            "credit_office": f"{settings.DISTRICT_NAME}{settings.CREDIT_OFFICE}",
        }
    return {
        "site_name": region.portal_name,
        "district_name": region.name,
        "credit_office": region.credit_office,
    }


def clear_cache(**_kwargs: Any) -> None:
    """Read the region again on next use; again after the current transaction commits."""
    with _lock:
        _cache["region"] = _UNLOADED
    transaction.on_commit(_forget_loaded)


def _forget_loaded() -> None:
    with _lock:
        _cache["region"] = _UNLOADED


process_caches.register("region", _forget_loaded)


def assume_no_region() -> None:
    """For tests: each starts with an empty database, so no region, without a query."""
    with _lock:
        _cache["region"] = None

from typing import Any

from django.http import HttpRequest

from chengxin.core import regions


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": regions.site_name(), "district_name": regions.district_name()}

from typing import Any

from django.http import HttpRequest

from chengxin.core import regions


def site(request: HttpRequest) -> dict[str, Any]:
    return regions.names()

"""Gives each request an id and an actor for the audit log, and returns the id in a header."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from chengxin.audit.context import audit_context
from chengxin.core.client_address import client_ip

__all__ = ["AuditContextMiddleware", "client_ip"]


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4()
        user = getattr(request, "user", None)
        # The user is resolved lazily; pass the lazy object only when it is a real login.
        actor = user if user is not None and user.is_authenticated else None
        with audit_context(actor=actor, request_id=request_id, ip_address=client_ip(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = str(request_id)
        return response

"""What the JSON APIs share (django-ninja, ADR 0022): the token auth, the renderer, the errors.

Every API here answers errors as `{"error": "中文说明"}` (with `"field"` naming the input at
fault, where there is one), as `core.views.error_response` does for the whole of /api/. An API
is built with `make_api`, which installs the handlers that keep that shape for ninja's own
errors: an invalid body or parameter (400, in Chinese, naming the field), a missing or refused
token (401), an unknown id (404), a rate limit (429 with Retry-After). Anything unexpected is
raised on to Django (`handler500`), never answered with a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from pydantic import Field

from chengxin.core.views import API_404_MESSAGE, error_response


class ApiError(Exception):
    """An answer other than success: `status`, a Chinese `message`, the `field` at fault."""

    def __init__(self, status: int, message: str | Promise, field: str = "") -> None:
        super().__init__(str(message))
        self.status, self.message, self.field = status, str(message), field


class PlainErrorOut(Schema):
    """An error that names no field."""

    error: str = Field(description="中文错误说明")


class ErrorOut(PlainErrorOut):
    """An error of an API whose input has fields: `field` names the one at fault."""

    field: str = Field("", description="出错的字段（如有），如 scenario、subjects[3].credit_code")


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese as it is, not as `\\uXXXX` escapes (as the APIs always answered)."""

    json_dumps_params = {"ensure_ascii": False}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`, looked up by `lookup(request)`: an account, or None
    (answered 401). The API modules pass `accounts.tokens.user_for_request` (hash, expiry,
    revocation, the account's state, last use): core does not import accounts."""

    def __init__(self, lookup: Callable[[HttpRequest], Any]) -> None:
        super().__init__()
        self.lookup = lookup

    def __call__(self, request: HttpRequest) -> Any:
        return self.lookup(request)  # reads the header itself

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        return self.lookup(request)


class Api(NinjaAPI):
    """A NinjaAPI whose document leaves out HEAD and may have its schemas written out where
    they are used (`inline`): the public API's readers read it without following references."""

    inline = False

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in document["paths"].values():
            # HEAD is answered wherever GET is (HTTP says so); documented, it would repeat the
            # GET's operationId, which OpenAPI forbids.
            operations.pop("head", None)
        if not self.inline:
            return document
        schemas = document.get("components", {}).pop("schemas", {})
        return _inlined(document, schemas)


def _inlined(node: Any, schemas: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return _inlined(schemas[ref.rsplit("/", 1)[1]], schemas)
        return {key: _inlined(value, schemas) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(value, schemas) for value in node]
    return node


def make_api(
    *,
    title: str,
    version: str,
    description: str,
    namespace: str,
    openapi_url: str,
    field_messages: Mapping[str, str | Promise] | None = None,
    throttled: Callable[[HttpRequest, int], HttpResponse] | None = None,
    inline: bool = False,
) -> NinjaAPI:
    """A NinjaAPI serving its schema at `openapi_url` (no docs page: it would load scripts from
    elsewhere, which the CSP forbids), with the errors in our shape. `field_messages` gives
    a field's own message for any invalid value of it; `throttled` answers a rate limit."""
    api = Api(
        title=title,
        version=version,
        description=description,
        urls_namespace=namespace,
        openapi_url=openapi_url,
        docs_url=None,
        renderer=ChineseJSONRenderer(),
    )
    api.inline = inline
    messages = dict(field_messages or {})

    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, ApiError)
        return error(exc.status, exc.message, exc.field)

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, ValidationError)
        field, message = validation_message(exc.errors[0], messages)
        return error(400, message, field)

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        return error(401, _("缺少或无效的接口令牌（Authorization: Bearer …）。"))

    def too_many(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, Throttled)
        window = int(exc.wait or 60)
        if throttled is not None:
            return throttled(request, window)
        response = error_response(request, 429)
        response["Retry-After"] = str(window)
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        assert isinstance(exc, HttpError)
        # ninja's only own 400 is a body it cannot parse; its English reason is not shown.
        if exc.status_code == 400:
            return error(400, _("请求体不是有效的 JSON。"))
        return error_response(request, exc.status_code if exc.status_code in (403, 404) else 400)

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        message = getattr(exc, "public_message", "") or API_404_MESSAGE
        return error_response(request, 404, message)

    def unexpected(request: HttpRequest, exc: Any) -> HttpResponse:
        raise exc  # Django's handlers answer (400 for SuspiciousOperation, 500 otherwise)

    api.add_exception_handler(Exception, unexpected)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Throttled, too_many)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(ApiError, api_error)
    return api


def error(status: int, message: str | Promise, field: str = "") -> JsonResponse:
    body = {"error": str(message), **({"field": field} if field else {})}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


class Throttle(BaseThrottle):
    """A ninja throttle asking `allow(request)`; refused, it answers after `window` seconds.

    Checked after the token and before the input is read, so malformed requests count too."""

    def __init__(self, allow: Callable[[HttpRequest], bool], window: Callable[[], int]) -> None:
        self.allow, self.window = allow, window

    def allow_request(self, request: HttpRequest) -> bool:
        return self.allow(request)

    def wait(self) -> float | None:
        return float(self.window())


# --- validation errors in Chinese ----------------------------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "缺少 {field}。",
    "string_type": "{field} 应为字符串。",
    "string_too_long": "{field} 不能超过 {max_length} 个字符。",
    "string_too_short": "{field} 不能为空。",
    "list_type": "{field} 应为数组。",
    "too_short": "{field} 至少应有 {min_length} 项。",
    "too_long": "{field} 至多 {max_length} 项。",
    "model_type": "{field} 应为 JSON 对象。",
    "dict_type": "{field} 应为 JSON 对象。",
    "model_attributes_type": "{field} 应为 JSON 对象。",
    "int_type": "{field} 应为整数。",
    "int_parsing": "{field} 应为整数。",
    "int_from_float": "{field} 应为整数。",
    "greater_than_equal": "{field} 不能小于 {ge}。",
    "less_than_equal": "{field} 不能大于 {le}。",
    "literal_error": "{field} 应为 {expected} 之一。",
    "enum": "{field} 应为 {expected} 之一。",
}


def validation_message(
    error: Mapping[str, Any], messages: Mapping[str, str | Promise]
) -> tuple[str, str]:
    """(field, Chinese message) of one of pydantic's errors as ninja reports it: `loc` is
    (source, [parameter,] field path…); a body's field path is shown as `subjects[3].name`."""
    loc = list(error.get("loc", ()))
    source = loc.pop(0) if loc else ""
    if source == "body" and loc:
        loc.pop(0)  # the view's parameter name
    field = ""
    for part in loc:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    name = str(loc[-1]) if loc and not isinstance(loc[-1], int) else field
    if name in messages:
        return field, str(messages[name])
    if not field and error.get("type") in ("model_type", "dict_type", "model_attributes_type"):
        return field, _("请求体应为 JSON 对象。")
    template = _MESSAGES.get(str(error.get("type")), "{field} 无效。")
    context = {"field": field or _("请求体"), **{k: v for k, v in (error.get("ctx") or {}).items()}}
    try:
        return field, _(template).format(**context)
    except (KeyError, IndexError):
        return field, _("{field} 无效。").format(field=context["field"])

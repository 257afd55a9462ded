"""JSON API of credit checks (信用核查) for the approval and trading systems.

    POST /api/v1/checks                  one subject: {"scenario", "matter", "name",
                                          "credit_code", "id_number"}             → 201
    POST /api/v1/checks/batch            {"scenario", "matter", "subjects": [{…}, …]}  ≤ 1,000
    GET  /api/v1/checks/<id>             the stored check, its result as it was at the time
    POST /api/v1/checks/<id>/feedback    {"feedback": "taken" | "not_taken", "reason": "…"}
    GET  /api/v1/checks/openapi.json     the OpenAPI 3 document of these four operations

`Authorization: Bearer <token>` (`chengxin create_api_token`): the token acts as its user, a
credit checker of one department, and every check is made for that department. A check of
another department answers 404, like one that does not exist, so ids do not leak. Errors are
`{"error": "…", "field": "…"}` in Chinese: 401 no token, 400 malformed input (naming the
field), 403 a token whose user may not check, 404 not found, 422 feedback not possible.
ID numbers are only ever returned masked. Fuzzy candidates are marked `"applied": false`:
they are 疑似, for an officer to verify, and never bring measures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE, VIEW
from chengxin.accounts.tokens import user_for_request
from chengxin.core.identifiers import is_uscc_placeholder, normalise, validate_uscc
from chengxin.screening import actions, matching
from chengxin.screening.api.schema import OPENAPI
from chengxin.screening.catalogue import current_catalogue
from chengxin.screening.choices import CheckChannel, Feedback
from chengxin.screening.models import CreditCheck, Scenario

MAX_SUBJECTS = 1000
MAX_NAME = 200
MAX_MATTER = 200
MAX_ID_NUMBER = 32
MAX_REASON = 2000


class BadRequest(Exception):
    """Invalid input: a Chinese message naming the field, answered with `status`."""

    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


def error(status: int, message: str, field: str = "") -> JsonResponse:
    body = {"error": message, **({"field": field} if field else {})}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def answer(body: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


View = Callable[..., JsonResponse]


def token_required(view: Callable[..., JsonResponse]) -> View:
    """401 without a valid Bearer token; 400 for invalid input raised as `BadRequest`."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        user = user_for_request(request)
        if user is None:
            return error(401, _("缺少或无效的接口令牌（Authorization: Bearer …）。"))
        try:
            return view(request, user, *args, **kwargs)
        except BadRequest as exc:
            return error(exc.status, exc.message, exc.field)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- the four operations ---------------------------------------------------------------------


@csrf_exempt
@require_POST
@token_required
def create_check(request: HttpRequest, user: User) -> JsonResponse:
    """One subject: 201 with the stored check."""
    payload = _payload(request)
    scenario, matter = _scenario(payload), _matter(payload)
    subject = _subject(payload, "")
    (check,) = _run(user, [subject], scenario, matter)
    return answer(serialise(check), status=201)


@csrf_exempt
@require_POST
@token_required
def create_batch(request: HttpRequest, user: User) -> JsonResponse:
    """1 to 1,000 subjects, checked together: 201 with the checks in the order given."""
    payload = _payload(request)
    scenario, matter = _scenario(payload), _matter(payload)
    items = payload.get("subjects")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise BadRequest("subjects", _("subjects 应为对象数组。"))
    if not 1 <= len(items) <= MAX_SUBJECTS:
        raise BadRequest("subjects", _("每次核查 1 至 %(max)d 个主体。") % {"max": MAX_SUBJECTS})
    subjects = [_subject(item, f"subjects[{i}].") for i, item in enumerate(items)]
    checks = _run(user, subjects, scenario, matter)
    return answer(
        {
            "count": len(checks),
            "hits": sum(1 for check in checks if check.hit_count),
            "candidates": sum(1 for check in checks if check.candidate_count),
            "checks": [serialise(check) for check in checks],
        },
        status=201,
    )


@require_safe
@token_required
def check_detail(request: HttpRequest, user: User, pk: int) -> JsonResponse:
    """The stored check; 404 for another department's check."""
    return answer(serialise(_visible(user, pk, VIEW)))


@csrf_exempt
@require_POST
@token_required
def check_feedback(request: HttpRequest, user: User, pk: int) -> JsonResponse:
    """Record whether the proposed measures were taken (反馈)."""
    check = _visible(user, pk, CHANGE)
    payload = _payload(request)
    value = payload.get("feedback")
    if value not in (Feedback.TAKEN, Feedback.NOT_TAKEN):
        raise BadRequest("feedback", _("feedback 应为 taken（已采取）或 not_taken（未采取）。"))
    reason = _text(payload, "reason", MAX_REASON)
    if value == Feedback.NOT_TAKEN and not reason:
        raise BadRequest("reason", _("未采取措施的，必须在 reason 中说明理由。"))
    try:
        check = actions.record_feedback(
            check, actor=user, taken=value == Feedback.TAKEN, reason=reason
        )
    except PermissionDenied:
        return error(403, _("该令牌无权反馈此核查。"))
    except ValidationError as exc:
        raise BadRequest("feedback", " ".join(exc.messages), status=422) from exc
    return answer(serialise(check))


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return answer(OPENAPI)


# --- input -----------------------------------------------------------------------------------


def _payload(request: HttpRequest) -> dict[str, Any]:
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest("", _("请求体不是有效的 JSON。")) from exc
    if not isinstance(payload, dict):
        raise BadRequest("", _("请求体应为 JSON 对象。"))
    return payload


def _text(payload: dict[str, Any], field: str, limit: int) -> str:
    value = payload.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadRequest(field, _("%(field)s 应为字符串。") % {"field": field})
    value = value.strip()
    if len(value) > limit:
        raise BadRequest(
            field, _("%(field)s 不能超过 %(max)d 个字符。") % {"field": field, "max": limit}
        )
    return value


def _scenario(payload: dict[str, Any]) -> Scenario:
    code = _text(payload, "scenario", 64)
    if not code:
        raise BadRequest("scenario", _("请填写业务场景代码 scenario。"))
    scenario = current_catalogue().scenarios.get(code)  # cached with the measures catalogue
    if scenario is None:
        raise BadRequest("scenario", _("未知的业务场景代码 scenario：%(code)s。") % {"code": code})
    return scenario


def _matter(payload: dict[str, Any]) -> str:
    matter = _text(payload, "matter", MAX_MATTER)
    if not matter:
        raise BadRequest("matter", _("请填写审批事项或项目编号 matter。"))
    return matter


def _subject(payload: dict[str, Any], prefix: str) -> matching.Subject:
    """A subject from `name`, `credit_code` and `id_number`; at least one of them."""
    try:
        name = _text(payload, "name", MAX_NAME)
        code = _text(payload, "credit_code", 18 + 8)  # room for spaces and dashes
        id_number = normalise(_text(payload, "id_number", MAX_ID_NUMBER + 8))
    except BadRequest as exc:
        raise BadRequest(prefix + exc.field, exc.message) from exc
    if code:
        try:
            code = validate_uscc(code)
        except ValidationError as exc:
            raise BadRequest(
                prefix + "credit_code",
                _("credit_code 不是有效的统一社会信用代码：%(why)s")
                % {"why": " ".join(exc.messages)},
            ) from exc
        code = "" if is_uscc_placeholder(code) else code
    if len(id_number) > MAX_ID_NUMBER:
        raise BadRequest(prefix + "id_number", _("id_number 过长。"))
    if not (name or code or id_number):
        raise BadRequest(
            prefix + "name",
            _("请至少填写名称 name、统一社会信用代码 credit_code 或证件号码 id_number。"),
        )
    return matching.Subject(name=name, credit_code=code, id_number=id_number)


def _run(
    user: User, subjects: list[matching.Subject], scenario: Scenario, matter: str
) -> list[CreditCheck]:
    department = user.department
    if department is None:
        raise BadRequest("", _("该令牌的账户无权为本单位进行信用核查。"), status=403)
    try:  # check_subjects asks the permission matrix
        return actions.check_subjects(
            subjects,
            department=department,
            scenario=scenario,
            matter=matter,
            actor=user,
            channel=CheckChannel.API,
        )
    except PermissionDenied as exc:
        raise BadRequest("", _("该令牌的账户无权为本单位进行信用核查。"), status=403) from exc


def _visible(user: User, pk: int, action: str) -> CreditCheck:
    check: CreditCheck | None = (
        CreditCheck.objects.restrict(user, action)
        .select_related("department", "scenario", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise BadRequest("id", _("核查记录不存在。"), status=404)
    return check


# --- output ----------------------------------------------------------------------------------


def serialise(check: CreditCheck) -> dict[str, Any]:
    """A check as the API shows it: input (ID number masked), hits, measures, candidates."""
    result = check.result or {}
    return {
        "id": check.pk,
        "created_at": check.created_at.isoformat() if check.created_at else None,
        "department": check.department.name,
        "requested_by": check.requested_by.username,
        "channel": check.channel,
        "scenario": {"code": check.scenario.code, "name": check.scenario.name},
        "matter": check.matter,
        "input": {
            "name": check.input_name,
            "credit_code": check.input_credit_code,
            "id_number": check.id_number_masked,
        },
        "outcome": check.outcome,
        "hits": [_found(item, applied=True) for item in result.get("hits", [])],
        "measures": [dict(item) for item in result.get("measures", [])],
        "candidates": [_found(item, applied=False) for item in result.get("candidates", [])],
        "feedback": {
            "status": check.feedback,
            "due": check.feedback_due.isoformat() if check.feedback_due else None,
            "reason": check.feedback_reason,
            "at": check.feedback_at.isoformat() if check.feedback_at else None,
        },
    }


def _found(item: dict[str, Any], *, applied: bool) -> dict[str, Any]:
    """One hit or candidate. The stored ID number is already masked (`id_number_masked`)."""
    return {
        "entry": item["entry"],
        "match": item["match"],
        "score": item["score"],
        "explanation": item["explanation"],
        "suspected": not applied,
        "applied": applied,
        "list_type": item["list_type"],
        "list_kind": item["list_kind"],
        "subject_name": item["subject_name"],
        "credit_code": item["credit_code"],
        "id_number": item["id_number"],
        "listing_authority": item["listing_authority"],
        "document_number": item["document_number"],
        "basis": item["basis"],
        "legal_basis": item["legal_basis"],
        "valid_from": item["listed_on"],
        "valid_until": item["ends_on"],
    }

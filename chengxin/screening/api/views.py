"""JSON API of credit checks (信用核查) for the approval and trading systems (django-ninja).

    POST /api/v1/checks                  one subject: {"scenario", "matter", "name",
                                          "credit_code", "id_number"}             → 201
    POST /api/v1/checks/batch            {"scenario", "matter", "subjects": [{…}, …]}  ≤ 1,000
    GET  /api/v1/checks/<id>             the stored check, its result as it was at the time
    POST /api/v1/checks/<id>/feedback    {"feedback": "taken" | "not_taken", "reason": "…"}
    GET  /api/v1/checks/openapi.json     the OpenAPI 3 document, generated from `schema.py`

`Authorization: Bearer <token>` (`chengxin tokens create`): the token acts as its user, a
credit checker of one department, and every check is made for that department. A check of
another department answers 404, like one that does not exist, so ids do not leak. Errors are
`{"error": "…", "field": "…"}` in Chinese (`core.api`): 401 no token, 400 malformed input
(naming the field), 403 a token whose user may not check, 404 not found, 422 feedback not
possible. ID numbers are only ever returned masked. Fuzzy candidates are marked
`"applied": false`: they are 疑似, for an officer to verify, and never bring measures.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Status

from chengxin.accounts.models import User
from chengxin.accounts.permissions import CHANGE, VIEW
from chengxin.accounts.tokens import user_for_request
from chengxin.core.api import ApiError, ErrorOut, TokenAuth, make_api
from chengxin.core.identifiers import is_uscc_placeholder, normalise, validate_uscc
from chengxin.screening import actions, matching
from chengxin.screening.api.schema import (
    MAX_ID_NUMBER,
    MAX_SUBJECTS,
    BatchIn,
    BatchOut,
    CheckIn,
    CheckOut,
    FeedbackIn,
    SubjectIn,
)
from chengxin.screening.catalogue import current_catalogue
from chengxin.screening.choices import CheckChannel
from chengxin.screening.models import CreditCheck, Scenario

api = make_api(
    title="chengxin 联合奖惩信用核查接口",
    version="1.1.0",
    description="供审批、公共资源交易等业务系统调用。以接口令牌（Bearer）认证，令牌账户须为某单位的"
    "信用核查员，核查均以该单位名义进行并留存；只能查看本单位的核查记录。证件号码只返回隐去中间 8 "
    "位的形式。疑似结果（名称相似）仅供人工核实，不自动采取措施。"
    '错误均以 JSON 返回：{"error": "中文说明", "field": "出错的字段"}。',
    namespace="screening_api",
    openapi_url="checks/openapi.json",
    field_messages={
        "feedback": gettext_lazy("feedback 应为 taken（已采取）或 not_taken（未采取）。"),
        "subjects": gettext_lazy("subjects 应为 1 至 %(max)d 个对象的数组。")
        % {"max": MAX_SUBJECTS},
    },
)
AUTH = TokenAuth(user_for_request)
# A check's id: the database's integer range (a larger one found no row, and crashed, before).
CheckId = Path(..., alias="id", ge=1, le=2**63 - 1, description="核查编号")  # type: ignore[type-arg]
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut}
REFUSED = {403: ErrorOut}
NOT_FOUND = {404: ErrorOut}


@api.post(
    "checks",
    auth=AUTH,
    response={201: CheckOut, **ERRORS, **REFUSED},
    summary="核查一个主体",
    url_name="checks",
)
def create_check(request: HttpRequest, payload: CheckIn) -> Status[dict[str, Any]]:
    """One subject: 201 with the stored check."""
    scenario, matter = _scenario(payload.scenario), _matter(payload.matter)
    (check,) = _run(request.auth, [_subject(payload, "")], scenario, matter)  # type: ignore[attr-defined]
    return Status(201, serialise(check))


@api.post(
    "checks/batch",
    auth=AUTH,
    response={201: BatchOut, **ERRORS, **REFUSED},
    summary="批量核查 1 至 1,000 个主体",
    url_name="batch",
)
def create_batch(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    """1 to 1,000 subjects, checked together: 201 with the checks in the order given."""
    scenario, matter = _scenario(payload.scenario), _matter(payload.matter)
    subjects = [_subject(item, f"subjects[{i}].") for i, item in enumerate(payload.subjects)]
    checks = _run(request.auth, subjects, scenario, matter)  # type: ignore[attr-defined]
    return Status(
        201,
        {
            "count": len(checks),
            "hits": sum(1 for check in checks if check.hit_count),
            "candidates": sum(1 for check in checks if check.candidate_count),
            "checks": [serialise(check) for check in checks],
        },
    )


@api.get(
    "checks/{int:id}",
    auth=AUTH,
    response={200: CheckOut, 400: ErrorOut, 401: ErrorOut, **NOT_FOUND},
    summary="留存的核查结果",
    url_name="check",
)
def check_detail(request: HttpRequest, pk: int = CheckId) -> dict[str, Any]:
    """The stored check; 404 for another department's check."""
    return serialise(_visible(request.auth, pk, VIEW))  # type: ignore[attr-defined]


@api.post(
    "checks/{int:id}/feedback",
    auth=AUTH,
    response={200: CheckOut, **ERRORS, **REFUSED, **NOT_FOUND, 422: ErrorOut},
    summary="反馈措施采取情况（已采取 / 未采取并说明理由）",
    url_name="feedback",
)
def check_feedback(request: HttpRequest, payload: FeedbackIn, pk: int = CheckId) -> dict[str, Any]:
    """Record whether the proposed measures were taken (反馈); 422 when the check needs none."""
    user: User = request.auth  # type: ignore[attr-defined]
    check = _visible(user, pk, CHANGE)
    reason = payload.reason or ""
    if payload.feedback == "not_taken" and not reason:
        raise ApiError(400, _("未采取措施的，必须在 reason 中说明理由。"), "reason")
    try:
        check = actions.record_feedback(
            check, actor=user, taken=payload.feedback == "taken", reason=reason
        )
    except PermissionDenied as exc:
        raise ApiError(403, _("该令牌无权反馈此核查。")) from exc
    except ValidationError as exc:
        raise ApiError(422, " ".join(exc.messages), "feedback") from exc
    return serialise(check)


# --- input beyond the schema -----------------------------------------------------------------


def _scenario(code: str) -> Scenario:
    if not code:
        raise ApiError(400, _("请填写业务场景代码 scenario。"), "scenario")
    scenario = current_catalogue().scenarios.get(code)  # cached with the measures catalogue
    if scenario is None:
        raise ApiError(
            400, _("未知的业务场景代码 scenario：%(code)s。") % {"code": code}, "scenario"
        )
    return scenario


def _matter(matter: str) -> str:
    if not matter:
        raise ApiError(400, _("请填写审批事项或项目编号 matter。"), "matter")
    return matter


def _subject(item: SubjectIn, prefix: str) -> matching.Subject:
    """A subject from `name`, `credit_code` and `id_number`; at least one of them."""
    name, code = item.name or "", item.credit_code or ""
    id_number = normalise(item.id_number or "")
    if code:
        try:
            code = validate_uscc(code)
        except ValidationError as exc:
            raise ApiError(
                400,
                _("credit_code 不是有效的统一社会信用代码：%(why)s")
                % {"why": " ".join(exc.messages)},
                prefix + "credit_code",
            ) from exc
        code = "" if is_uscc_placeholder(code) else code
    if len(id_number) > MAX_ID_NUMBER:
        raise ApiError(400, _("id_number 过长。"), prefix + "id_number")
    if not (name or code or id_number):
        raise ApiError(
            400,
            _("请至少填写名称 name、统一社会信用代码 credit_code 或证件号码 id_number。"),
            prefix + "name",
        )
    return matching.Subject(name=name, credit_code=code, id_number=id_number)


def _run(
    user: User, subjects: list[matching.Subject], scenario: Scenario, matter: str
) -> list[CreditCheck]:
    department = user.department
    if department is None:
        raise ApiError(403, _("该令牌的账户无权为本单位进行信用核查。"))
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
        raise ApiError(403, _("该令牌的账户无权为本单位进行信用核查。")) from exc


def _visible(user: User, pk: int, action: str) -> CreditCheck:
    check: CreditCheck | None = (
        CreditCheck.objects.restrict(user, action)
        .select_related("department", "scenario", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if check is None:
        raise ApiError(404, _("核查记录不存在。"), "id")
    return check


# --- output ----------------------------------------------------------------------------------


def serialise(check: CreditCheck) -> dict[str, Any]:
    """A check as the API shows it (`schema.CheckOut`): input (ID number masked), hits,
    measures, candidates."""
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

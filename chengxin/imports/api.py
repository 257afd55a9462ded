"""JSON batch API (django-ninja, ADR 0022) for departments' own systems: 双公示 records in the
national standard, run through the import pipeline as a file would be.

    POST /api/v1/records/penalties        (or /licenses)
    Authorization: Bearer <token>
    {"department": "<统一社会信用代码, optional: the token's department>",
     "records": [{"CF_XDR_MC": "…", "CF_WSH": "…", …}, …]}          1 to 1,000 records
    GET  /api/v1/records/openapi.json     the OpenAPI 3 document, generated from the schemas here

The records go through the same pipeline as a file (validation, upsert, corrections); the answer
lists each rejected record by its 1-based index with its problems. 200 when all were accepted,
422 when some were rejected (the others are stored), 400 for a malformed request, 401 without a
valid token, 403 when the token may not import for the department, 409 with `Retry-After: 60`
while another batch of the department's records of that kind is active. Errors are
`{"error": "中文说明", "field": "…"}` (`core.api`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema, Status
from pydantic import ConfigDict, Field

from chengxin.accounts.models import Department, User
from chengxin.accounts.permissions import IMPORT, can
from chengxin.accounts.tokens import user_for_request
from chengxin.core.api import ApiError, ErrorOut, TokenAuth, error, make_api
from chengxin.imports.choices import BatchSource, BatchStatus
from chengxin.imports.models import ImportBatch
from chengxin.imports.pipeline import Busy, run_rows
from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind

MAX_RECORDS = 1000
RETRY_AFTER = 60  # seconds: a department's batch of this size takes well under a minute

api = make_api(
    title="chengxin 双公示数据报送接口",
    version="1.0.0",
    description="供各单位业务系统按国家标准（字段代码为键）报送行政许可、行政处罚记录，与文件导入"
    "经过同一导入流程（校验、按数据来源单位 + 决定文书号更新、更正留痕）。以接口令牌（Bearer）认证，"
    "令牌账户须有该单位的导入权限。同一单位同类记录已有批次在导入时返回 409，请按 Retry-After 秒后重试。"
    '错误均以 JSON 返回：{"error": "中文说明", "field": "出错的字段"}。',
    namespace="records_api",
    openapi_url="records/openapi.json",
    field_messages={
        "records": gettext_lazy(
            "records 应为 1 至 %(max)d 个对象的数组，每个对象以国家标准字段代码为键。"
        )
        % {"max": MAX_RECORDS},
    },
)
AUTH = TokenAuth(user_for_request)


class RecordsIn(Schema):
    """一批记录"""

    # A number is read as its digits, as the hand-written view did (`str(code)`).
    model_config = ConfigDict(coerce_numbers_to_str=True)

    department: str | None = Field(
        "", description="数据来源单位的统一社会信用代码；不填则为令牌账户所属单位"
    )
    records: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=MAX_RECORDS,
        description="记录，每条一个对象，以国家标准字段代码为键（如 CF_WSH、CF_XDR_MC）；"
        "未填的字段视为空",
    )


class RejectionOut(Schema):
    index: int = Field(description="被拒记录在 records 中的序号（从 1 起）")
    errors: list[str] = Field(description="问题（中文）")


class RecordsOut(Schema):
    """导入结果：全部接受为 200，部分被拒为 422（其余已保存）"""

    batch: int = Field(description="导入批次编号")
    read: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RejectionOut]


RESPONSES: dict[int, Any] = {
    200: RecordsOut,
    422: RecordsOut,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    500: ErrorOut,
}
BUSY = {
    "responses": {
        409: {
            "description": "该单位同类记录已有批次在导入，稍后重试",
            "headers": {
                "Retry-After": {
                    "description": "重试前等待的秒数",
                    "schema": {"type": "integer", "const": RETRY_AFTER},
                }
            },
        },
        500: {"description": "批次失败（导入流程出错），error 为批次的失败说明"},
    }
}


@api.post(
    "records/penalties",
    auth=AUTH,
    response=RESPONSES,
    openapi_extra=BUSY,
    summary="报送行政处罚记录",
    url_name="penalties",
)
def submit_penalties(request: HttpRequest, payload: RecordsIn) -> HttpResponse | Status[Any]:
    """Penalty records (CF_* fields)."""
    return _submit(request.auth, RecordKind.PENALTY, payload)  # type: ignore[attr-defined]


@api.post(
    "records/licenses",
    auth=AUTH,
    response=RESPONSES,
    openapi_extra=BUSY,
    summary="报送行政许可记录",
    url_name="licenses",
)
def submit_licenses(request: HttpRequest, payload: RecordsIn) -> HttpResponse | Status[Any]:
    """Licence records (XK_* fields)."""
    return _submit(request.auth, RecordKind.LICENSE, payload)  # type: ignore[attr-defined]


def _submit(user: User, kind: str, payload: RecordsIn) -> HttpResponse | Status[Any]:
    department = _department(payload.department, user)
    if department is None:
        raise ApiError(400, _("未指定数据来源单位（department）或该单位不存在。"), "department")
    if not can(user, IMPORT, ImportBatch(department=department)):
        raise ApiError(403, _("该令牌无权为此单位提交数据。"))
    header = [field.code for field in standard.FIELDS[kind]]
    rows = [[record.get(code, "") for code in header] for record in payload.records]
    batch = ImportBatch.objects.create(
        kind=kind, department=department, uploaded_by=user, source=BatchSource.API, file_name="api"
    )
    try:
        batch = run_rows(batch, header, rows)
    except Busy as exc:
        response = error(409, str(exc))
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    if batch.status == BatchStatus.FAILED:
        raise ApiError(500, batch.error_message)
    return Status(422 if batch.rows_rejected else 200, _result(batch))


def _department(code: str | None, user: User) -> Department | None:
    if code:
        return Department.objects.filter(credit_code=code.strip().upper(), is_active=True).first()
    return user.department


def _result(batch: ImportBatch) -> dict[str, Any]:
    return {
        "batch": batch.pk,
        "read": batch.rows_read,
        "created": batch.rows_created,
        "updated": batch.rows_updated,
        "unchanged": batch.rows_unchanged,
        "rejected": batch.rows_rejected,
        "errors": [
            {"index": r.row_number, "errors": r.errors}
            for r in batch.rejections.order_by("row_number")
        ],
    }

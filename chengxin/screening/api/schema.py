"""The credit-check API's input and output, as pydantic schemas: its OpenAPI document
(/api/v1/checks/openapi.json) is generated from them, and every answer passes through them."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from chengxin.screening.choices import CheckOutcome, Feedback, MatchKind

MAX_SUBJECTS = 1000
MAX_NAME = 200
MAX_MATTER = 200
MAX_ID_NUMBER = 32
MAX_REASON = 2000


def _text(limit: int) -> StringConstraints:
    """Surrounding spaces removed, then at most `limit` characters."""
    return StringConstraints(strip_whitespace=True, max_length=limit)


Name = Annotated[str, _text(MAX_NAME)]
CreditCode = Annotated[str, _text(18 + 8)]  # room for spaces and dashes
IdNumber = Annotated[str, _text(MAX_ID_NUMBER + 8)]
ScenarioCode = Annotated[str, _text(64)]
Matter = Annotated[str, _text(MAX_MATTER)]
Reason = Annotated[str, _text(MAX_REASON)]


class SubjectIn(Schema):
    """被核查主体：名称、统一社会信用代码、证件号码至少填写一项"""

    name: Name | None = Field("", description="名称或姓名")
    credit_code: CreditCode | None = Field(
        "", description="统一社会信用代码（18 位，可含空格和连字符）"
    )
    id_number: IdNumber | None = Field("", description="自然人证件号码（去掉空格后至多 32 个字符）")


class Purpose(Schema):
    scenario: ScenarioCode = Field(
        description="业务场景代码，如 administrative_licensing（行政许可）、"
        "government_procurement（政府采购）、bidding（招标投标）"
    )
    matter: Matter = Field(description="审批事项或项目编号")


class CheckIn(SubjectIn, Purpose):
    """核查一个主体"""


class BatchIn(Purpose):
    """批量核查"""

    subjects: list[SubjectIn] = Field(min_length=1, max_length=MAX_SUBJECTS)


class FeedbackIn(Schema):
    feedback: Literal["taken", "not_taken"] = Field(
        description="taken（已采取）或 not_taken（未采取）"
    )
    reason: Reason | None = Field("", description="未采取措施时必填")


class FoundOut(Schema):
    """命中的名单条目（applied 为 true），或疑似条目（suspected 为 true、applied 为 false：仅供人工
    核实，不采取任何措施）"""

    entry: int = Field(description="名单条目编号")
    match: MatchKind
    score: int = Field(description="相似度 0–100（命中为 100）")
    explanation: str
    suspected: bool
    applied: bool
    list_type: str = Field(description="名单名称")
    list_kind: Literal["dishonesty", "trust"]
    subject_name: str
    credit_code: str
    id_number: str = Field(description="证件号码（已隐去中间 8 位）")
    listing_authority: str = Field(description="认定部门")
    document_number: str = Field(description="认定文书号")
    basis: str = Field(description="认定依据及事由")
    legal_basis: str = Field(description="名单设立依据")
    valid_from: str = Field(description="列入日期", json_schema_extra={"format": "date"})
    valid_until: str | None = Field(
        description="有效期至（null 表示长期）", json_schema_extra={"format": "date"}
    )


class MeasureOut(Schema):
    """按业务场景和核查单位适用的清单内措施"""

    id: int
    code: str = Field(description="措施编号")
    name: str
    kind: Literal["punishment", "incentive"]
    effect: str
    legal_basis: str = Field(description="法律依据")
    entry: int = Field(description="引起该措施的名单条目")


class ScenarioOut(Schema):
    code: str
    name: str


class InputOut(Schema):
    name: str
    credit_code: str
    id_number: str = Field(description="已隐去中间 8 位")


class FeedbackOut(Schema):
    status: Feedback
    due: str | None = Field(json_schema_extra={"format": "date"})
    reason: str
    at: str | None = Field(json_schema_extra={"format": "date-time"})


class CheckOut(Schema):
    id: int
    created_at: str | None = Field(json_schema_extra={"format": "date-time"})
    department: str = Field(description="核查单位（令牌所属单位）")
    requested_by: str
    channel: str
    scenario: ScenarioOut
    matter: str
    input: InputOut
    outcome: CheckOutcome
    hits: list[FoundOut]
    measures: list[MeasureOut]
    candidates: list[FoundOut]
    feedback: FeedbackOut


class BatchOut(Schema):
    count: int
    hits: int
    candidates: int
    checks: list[CheckOut] = Field(description="各主体的核查结果，顺序同请求")

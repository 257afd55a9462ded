"""The national 双公示 data standard: its fields, and every rule a record must satisfy.

Each field is named after its code in the standard (XK_* for licensing, CF_* for penalties), so
import headers, error messages and exports map 1:1 to the standard. The rules live here once:
`check()` is called by the models' `clean()` (forms, admin, API) and by the import for each row.

Two stages:
- `parse_row()` turns the text of a file's cells into typed values (dates, amounts, lists);
- `check()` applies the rules to typed values and returns every problem, each naming the field.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from chengxin.core import local_settings
from chengxin.core.dates import parse_date
from chengxin.core.identifiers import (
    FULLWIDTH_TO_ASCII,
    normalise,
    validate_resident_id,
    validate_uscc,
)
from chengxin.core.text import NULL_PLACEHOLDERS
from chengxin.publicity.choices import IdType, LicenseCategory, LicenseState, RecordKind
from chengxin.publicity.rules import (
    LONG_TERM,
    OTHER_PREFIX,
    PENALTY_CATEGORY_RULES,
    penalty_rules_on,
    summary_procedure_limits_on,
)

COMPOUND_CATEGORIES = frozenset(
    c for rules in PENALTY_CATEGORY_RULES for c in rules.categories if "、" in c
)

FINE_UNIT_THRESHOLD = local_settings.declare(
    "publicity.fine_unit_threshold",
    "罚没金额疑似按元填写的阈值（万元）",
    decimal.Decimal("1000"),
    "金额以万元填报；达到此值的罚款或没收金额视为疑似按元填写而拒收（2,000 元应填 0.2）。",
)

TEXT, DATE, AMOUNT, CHOICE, CATEGORIES, CODE, FLAG = (
    "text",
    "date",
    "amount",
    "choice",
    "categories",
    "code",
    "flag",
)
FLAG_VALUES = {
    "是": True,
    "1": True,
    "y": True,
    "yes": True,
    "true": True,
    "否": False,
    "0": False,
    "n": False,
    "no": False,
    "false": False,
}

SUBJECT_CATEGORIES = {
    "法人及非法人组织": "legal_entity",
    "法人": "legal_entity",
    "非法人组织": "legal_entity",
    "自然人": "natural_person",
    "个体工商户": "individual_business",
}
SUBJECT_CATEGORY_LABELS = {"legal_entity": "法人及非法人组织", "natural_person": "自然人"} | {
    "individual_business": "个体工商户"
}
ID_TYPE_ALIASES = {
    "居民身份证": IdType.RESIDENT_ID,
    "身份证号": IdType.RESIDENT_ID,
    "护照": IdType.PASSPORT,
}


@dataclass(frozen=True)
class Field:
    """One field of the standard."""

    code: str
    attr: str  # the model field
    # The standard's Chinese name: kept in Chinese in data (import headers are matched against
    # it, stored problems quote it), marked with gettext_noop and translated only for display.
    label: str
    kind: str = TEXT
    max_length: int | None = None
    required: bool = False


def _subject_fields(prefix: str) -> tuple[Field, ...]:
    return (
        Field(
            f"{prefix}_XDR_MC",
            "subject_name",
            gettext_noop("行政相对人名称"),
            max_length=200,
            required=True,
        ),
        Field(
            f"{prefix}_XDR_LB",
            "subject_category",
            gettext_noop("行政相对人类别"),
            CHOICE,
            required=True,
        ),
        Field(
            f"{prefix}_XDR_SHXYM", "subject_credit_code", gettext_noop("统一社会信用代码"), CODE, 18
        ),
        Field(
            f"{prefix}_XDR_GSZC",
            "business_registration_number",
            gettext_noop("工商注册号"),
            max_length=50,
        ),
        Field(
            f"{prefix}_XDR_ZZJG", "organisation_code", gettext_noop("组织机构代码"), max_length=9
        ),
        Field(
            f"{prefix}_XDR_SWDJ",
            "tax_registration_number",
            gettext_noop("税务登记号"),
            max_length=20,
        ),
        Field(
            f"{prefix}_XDR_SYDW",
            "institution_certificate_number",
            gettext_noop("事业单位证书号"),
            max_length=12,
        ),
        Field(
            f"{prefix}_XDR_SHZZ",
            "social_organisation_number",
            gettext_noop("社会组织登记证号"),
            max_length=50,
        ),
        Field(f"{prefix}_FRDB", "legal_representative", gettext_noop("法定代表人"), max_length=50),
        Field(
            f"{prefix}_FR_ZJLX",
            "legal_representative_id_type",
            gettext_noop("法定代表人证件类型"),
            CHOICE,
            64,
        ),
        Field(
            f"{prefix}_FR_ZJHM",
            "legal_representative_id_number",
            gettext_noop("法定代表人证件号码"),
            max_length=64,
        ),
        Field(f"{prefix}_XDR_ZJLX", "id_type", gettext_noop("证件类型"), CHOICE, 64),
        Field(f"{prefix}_XDR_ZJHM", "id_number", gettext_noop("证件号码"), max_length=64),
    )


LICENSE_FIELDS: tuple[Field, ...] = (
    *_subject_fields("XK"),
    Field(
        "XK_XKWS",
        "document_name",
        gettext_noop("行政许可决定文书名称"),
        max_length=128,
        required=True,
    ),
    Field(
        "XK_WSH",
        "decision_number",
        gettext_noop("行政许可决定文书号"),
        max_length=128,
        required=True,
    ),
    Field("XK_XKLB", "license_category", gettext_noop("许可类别"), CHOICE, 64, required=True),
    Field("XK_XKZS", "certificate_name", gettext_noop("许可证书名称"), max_length=64),
    Field("XK_XKBH", "license_number", gettext_noop("许可编号"), max_length=64),
    Field("XK_NR", "content", gettext_noop("许可内容"), max_length=4000, required=True),
    Field("XK_JDRQ", "decision_date", gettext_noop("许可决定日期"), DATE, required=True),
    Field("XK_YXQZ", "valid_from", gettext_noop("有效期自"), DATE, required=True),
    Field("XK_YXQZI", "valid_to", gettext_noop("有效期至"), DATE, required=True),
    Field("XK_XKJG", "authority", gettext_noop("许可机关"), max_length=200, required=True),
    Field(
        "XK_XKJGDM",
        "authority_credit_code",
        gettext_noop("许可机关统一社会信用代码"),
        CODE,
        18,
        required=True,
    ),
    Field("XK_ZT", "license_state", gettext_noop("当前状态"), CHOICE, 1),
    Field("XK_LYDW", "data_source", gettext_noop("数据来源单位"), max_length=200, required=True),
    Field(
        "XK_LYDWDM",
        "data_source_credit_code",
        gettext_noop("数据来源单位统一社会信用代码"),
        CODE,
        18,
        required=True,
    ),
    Field("BZ", "remark", gettext_noop("备注"), max_length=512),
)

PENALTY_FIELDS: tuple[Field, ...] = (
    *_subject_fields("CF"),
    Field(
        "CF_WSH",
        "decision_number",
        gettext_noop("行政处罚决定书文号"),
        max_length=128,
        required=True,
    ),
    Field(
        "CF_WFXW", "violation_type", gettext_noop("违法行为类型"), max_length=2000, required=True
    ),
    Field("CF_SY", "violation_facts", gettext_noop("违法事实"), max_length=2000, required=True),
    Field("CF_YJ", "legal_basis", gettext_noop("处罚依据"), max_length=2048, required=True),
    Field(
        "CF_CFLB", "penalty_categories", gettext_noop("处罚类别"), CATEGORIES, 200, required=True
    ),
    Field("CF_NR", "content", gettext_noop("处罚内容"), max_length=4000, required=True),
    Field("CF_NR_FK", "fine_amount", gettext_noop("罚款金额（万元）"), AMOUNT),
    Field(
        "CF_NR_WFFF",
        "confiscation_amount",
        gettext_noop("没收违法所得、没收非法财物的金额（万元）"),
        AMOUNT,
    ),
    Field(
        "CF_NR_ZKDX", "suspended_licence", gettext_noop("暂扣或吊销证照名称及编号"), max_length=200
    ),
    Field("CF_JDRQ", "decision_date", gettext_noop("处罚决定日期"), DATE, required=True),
    Field("CF_YXQ", "penalty_valid_until", gettext_noop("处罚有效期"), DATE, required=True),
    Field("CF_GSJZQ", "publicity_end_date", gettext_noop("公示截止期"), DATE),
    Field("CF_CFJG", "authority", gettext_noop("处罚机关"), max_length=200, required=True),
    Field(
        "CF_CFJGDM",
        "authority_credit_code",
        gettext_noop("处罚机关统一社会信用代码"),
        CODE,
        18,
        required=True,
    ),
    Field("CF_SJLY", "data_source", gettext_noop("数据来源单位"), max_length=200, required=True),
    Field(
        "CF_SJLYDM",
        "data_source_credit_code",
        gettext_noop("数据来源单位统一社会信用代码"),
        CODE,
        18,
        required=True,
    ),
    Field("BZ", "remark", gettext_noop("备注"), max_length=512),
    # Ours, not the national standard's (docs/data-standard.md): whether the penalty was decided
    # by 简易程序. Last, so that files in the national layout read as before.
    Field("CF_JYCX", "is_summary_procedure", gettext_noop("简易程序"), FLAG),
)
EXTENSION_ATTRS = frozenset({"is_summary_procedure"})
"""Fields we added to the national set: they enter a record's content hash only when set, so the
hashes of records stored before they existed (and re-imports of those files) do not change."""

FIELDS: dict[str, tuple[Field, ...]] = {
    RecordKind.LICENSE: LICENSE_FIELDS,
    RecordKind.PENALTY: PENALTY_FIELDS,
}
# Older names seen in feeds for the same fields.
ALIASES: dict[str, dict[str, str]] = {
    RecordKind.LICENSE: {"XK_FR_SFZH": "legal_representative_id_number"},
    RecordKind.PENALTY: {"CF_FR_SFZH": "legal_representative_id_number"},
}


@lru_cache(maxsize=4)
def attrs(kind: str) -> tuple[str, ...]:
    return tuple(field.attr for field in FIELDS[kind])


@lru_cache(maxsize=4)
def field_map(kind: str) -> dict[str, Field]:
    return {field.attr: field for field in FIELDS[kind]}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field of one record."""

    field: Field
    message: str

    def __str__(self) -> str:
        return f"{self.field.code}（{self.field.label}）：{self.message}"


class RecordInvalid(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


# --- stage 1: text to values --------------------------------------------------------------


def parse_amount(value: Any) -> decimal.Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return decimal.Decimal(str(value))
    text = (
        str(value)
        .strip()
        .translate(FULLWIDTH_TO_ASCII)
        .replace(",", "")
        .replace(" ", "")
        .removesuffix("万元")
    )
    amount = decimal.Decimal(text)
    if not amount.is_finite():
        raise ValueError
    return amount


def parse_flag(value: Any) -> bool:
    """是/否, 1/0, Y/N, true/false (any case)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().translate(FULLWIDTH_TO_ASCII).lower()
    if text not in FLAG_VALUES:
        raise ValueError
    return FLAG_VALUES[text]


def split_categories(value: str) -> list[str]:
    """Penalty categories of one decision: separated by ; ， or 、 — except where 、 is part of a
    category's own name in the law ("没收违法所得、没收非法财物")."""
    parts: list[str] = []
    for part in re.split(r"[;；,，\s]+", value):
        if part in COMPOUND_CATEGORIES or "、" not in part:
            parts.append(part)
        else:
            parts.extend(part.split("、"))
    return [part for part in parts if part]


PARSERS: dict[str, Callable[[Any], Any]] = {
    DATE: parse_date,
    AMOUNT: parse_amount,
    CATEGORIES: lambda cell: split_categories(str(cell)),
    CODE: lambda cell: normalise(str(cell)),
    FLAG: parse_flag,
}
# Translated where used (`_()`); marked here so that makemessages extracts them.
PARSE_ERRORS = {
    DATE: gettext_noop("日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD"),
    AMOUNT: gettext_noop("金额应为数字（单位：万元）"),
    FLAG: gettext_noop("应为“是”或“否”"),
}
BAD_FORMAT = gettext_noop("格式不正确")


UNPARSABLE = object()
"""The value of a cell that could not be parsed (its problem is already reported)."""


def _empty(field: Field) -> Any:
    if field.kind == FLAG:
        return False
    if field.kind in (DATE, AMOUNT):
        return None
    return [] if field.kind == CATEGORIES else ""


@lru_cache(maxsize=4)
def _parse_plan(kind: str) -> tuple[tuple[str, Field, Callable[[Any], Any] | None, Any], ...]:
    return tuple((f.attr, f, PARSERS.get(f.kind), _empty(f)) for f in FIELDS[kind])


def parse_row(kind: str, raw: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Typed values from a row of cells keyed by model attribute; unparsable cells are problems."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for attr, field, parser, empty in _parse_plan(kind):
        cell = raw.get(attr)
        if cell is None:
            values[attr] = empty
            continue
        if type(cell) is str:
            cell = cell.strip()
            if not cell or cell in NULL_PLACEHOLDERS:
                values[attr] = empty
                continue
        elif isinstance(cell, bool) and parser is not parse_flag:
            cell = str(cell)
        if parser is None:
            values[attr] = cell if type(cell) is str else str(cell)
            continue
        try:
            values[attr] = parser(cell)
        except (ValueError, ArithmeticError, TypeError):
            values[attr] = UNPARSABLE
            message = _(PARSE_ERRORS.get(field.kind, BAD_FORMAT))
            problems.append(
                Problem(field, _("%(message)s：%(value)s") % {"message": message, "value": cell})
            )
    return values, problems


# --- stage 2: the rules -------------------------------------------------------------------


def check(
    kind: str,
    values: dict[str, Any],
    *,
    today: datetime.date,
    department_code: str = "",
    fine_unit_threshold: decimal.Decimal | None = None,
) -> list[Problem]:
    """Every rule of the standard for one record. `values` are typed (stage 1 or a model)."""
    fields = field_map(kind)
    problems: list[Problem] = []

    def problem(attr: str, message: str) -> None:
        problems.append(Problem(fields[attr], message))

    unparsable = [attr for attr, value in values.items() if value is UNPARSABLE]
    for attr in unparsable:  # reported by parse_row; the rules below see no value
        values[attr] = None
    for field in fields.values():
        value = values.get(field.attr)
        if field.required and value in (None, "", []):
            if field.attr not in unparsable:
                problem(field.attr, _("不能为空"))
        elif field.max_length and isinstance(value, str) and len(value) > field.max_length:
            problem(
                field.attr,
                _("长度 %(n)d 超过上限 %(max)d") % {"n": len(value), "max": field.max_length},
            )
    _check_subject(values, problem)
    _check_dates(kind, values, problem, today)
    _check_codes(values, problem, department_code)
    if kind == RecordKind.LICENSE:
        _check_license(values, problem)
    else:
        if fine_unit_threshold is None:
            fine_unit_threshold = local_settings.get(FINE_UNIT_THRESHOLD.key)
        _check_penalty(values, problem, fine_unit_threshold)
    return problems


Report = Callable[[str, str], None]


def _check_subject(values: dict[str, Any], problem: Report) -> None:
    category = values.get("subject_category")
    if category and category not in SUBJECT_CATEGORY_LABELS:
        problem(
            "subject_category",
            _("应为 法人及非法人组织、自然人 或 个体工商户，实为“%s”") % category,
        )
        return
    for attr in ("id_type", "legal_representative_id_type"):
        id_type = values.get(attr)
        if id_type and id_type not in IdType.values and not id_type.startswith(f"{OTHER_PREFIX}-"):
            problem(attr, _("不在证件类型代码表中（其他证件请填“其他-证件名称”）：%s") % id_type)
    if category == "natural_person":
        if not values.get("id_type"):
            problem("id_type", _("行政相对人为自然人时必填"))
        if not values.get("id_number"):
            problem("id_number", _("行政相对人为自然人时必填"))
        elif values.get("id_type") == IdType.RESIDENT_ID:
            _check_id_number(values["id_number"], "id_number", problem)
    elif category:
        code = values.get("subject_credit_code")
        if not code:
            problem(
                "subject_credit_code",
                _(
                    "法人及非法人组织、个体工商户必须填写统一社会信用代码（无代码的填 17 个 0 加 X）"
                ),
            )
        else:
            _check_uscc(code, "subject_credit_code", problem)
    if values.get("legal_representative_id_type") == IdType.RESIDENT_ID and values.get(
        "legal_representative_id_number"
    ):
        _check_id_number(
            values["legal_representative_id_number"], "legal_representative_id_number", problem
        )


def _check_id_number(value: str, attr: str, problem: Report) -> None:
    try:
        validate_resident_id(value)
    except ValidationError as exc:
        problem(attr, exc.messages[0])


@lru_cache(maxsize=4096)
def _uscc_message(value: str, allow_placeholder: bool, language: str | None) -> str:
    """The problem with a code, or "" (cached: the same authority codes recur on every row).

    The message is in the active language, so the language is part of the cache key."""
    try:
        validate_uscc(value, allow_placeholder=allow_placeholder)
    except ValidationError as exc:
        return str(exc.messages[0])
    return ""


def _check_uscc(value: str, attr: str, problem: Report, *, allow_placeholder: bool = True) -> None:
    message = _uscc_message(value, allow_placeholder, get_language())
    if message:
        problem(attr, message)


def _check_codes(values: dict[str, Any], problem: Report, department_code: str) -> None:
    for attr in ("authority_credit_code", "data_source_credit_code"):
        if values.get(attr):
            _check_uscc(values[attr], attr, problem, allow_placeholder=False)
    source = values.get("data_source_credit_code")
    if department_code and source and source != department_code:
        problem(
            "data_source_credit_code", _("与提交部门的统一社会信用代码 %s 不一致") % department_code
        )


def _check_dates(kind: str, values: dict[str, Any], problem: Report, today: datetime.date) -> None:
    decided = values.get("decision_date")
    if decided and decided > today:
        problem("decision_date", _("决定日期 %s 晚于今天") % decided.isoformat())
    for attr in ("valid_from", "valid_to", "penalty_valid_until", "publicity_end_date"):
        day = values.get(attr)
        if day and day > LONG_TERM:
            problem(attr, _("日期 %s 超出范围（长期请填 2099-12-31）") % day.isoformat())
    if kind == RecordKind.LICENSE:
        start, end = values.get("valid_from"), values.get("valid_to")
        if start and end and end < start:
            problem(
                "valid_to",
                _("有效期至 %(end)s 早于有效期自 %(start)s") % {"end": end, "start": start},
            )
    else:
        for attr in ("penalty_valid_until", "publicity_end_date"):
            day = values.get(attr)
            if decided and day and day < decided:
                problem(
                    attr,
                    _("%(day)s 早于处罚决定日期 %(decided)s") % {"day": day, "decided": decided},
                )


def _check_license(values: dict[str, Any], problem: Report) -> None:
    category = values.get("license_category") or ""
    if category == OTHER_PREFIX:
        problem("license_category", _("许可类别为“其他”时须注明具体类别，如“其他-备案”"))
    elif (
        category
        and category not in LicenseCategory.values
        and not category.startswith(f"{OTHER_PREFIX}-")
    ):
        problem(
            "license_category",
            _("应为 普通、特许、认可、核准、登记 或 其他-具体类别，实为“%s”") % category,
        )
    state = values.get("license_state")
    if state and state not in LicenseState.values:
        problem("license_state", _("应为 1（有效）或 2（无效），实为“%s”") % state)


def _check_penalty(values: dict[str, Any], problem: Report, threshold: decimal.Decimal) -> None:
    decided = values.get("decision_date")
    categories: list[str] = values.get("penalty_categories") or []
    if not decided or not categories:
        return
    rules = penalty_rules_on(decided)
    for category in categories:
        if category not in rules.categories and not category.startswith(f"{OTHER_PREFIX}-"):
            problem(
                "penalty_categories",
                _("“%(c)s”不是%(citation)s规定的处罚种类")
                % {"c": category, "citation": rules.citation},
            )
    chosen = set(categories)
    _require_amount(
        values,
        "fine_amount",
        bool(chosen & rules.fine),
        threshold,
        problem,
        gettext_noop("处罚类别含罚款"),
    )
    _require_amount(
        values,
        "confiscation_amount",
        bool(chosen & rules.confiscation),
        threshold,
        problem,
        gettext_noop("处罚类别含没收"),
    )
    if chosen & rules.licence_action and not values.get("suspended_licence"):
        problem("suspended_licence", _("处罚类别含暂扣或吊销证照时必填"))
    if values.get("is_summary_procedure"):
        _check_summary_procedure(values, decided, chosen, problem)


def _check_summary_procedure(
    values: dict[str, Any], decided: datetime.date, chosen: set[str], problem: Report
) -> None:
    """A 简易程序 flag beyond what the law allows on the spot is refused (the flag is what the
    department says; the amounts never set it)."""
    limits = summary_procedure_limits_on(decided)
    if not chosen <= limits.categories:
        problem(
            "is_summary_procedure",
            _("简易程序只能作出警告或罚款（%(citation)s），本决定含“%(other)s”")
            % {
                "citation": limits.citation,
                "other": "、".join(sorted(chosen - limits.categories)),
            },
        )
        return
    fine = values.get("fine_amount")
    if fine is None or "罚款" not in chosen:
        return
    is_person = values.get("subject_category") in ("natural_person", "individual_business")
    limit = limits.person_limit_yuan if is_person else limits.organisation_limit_yuan
    if fine * 10000 > limit:
        who = _("公民") if is_person else _("法人或者其他组织")
        problem(
            "is_summary_procedure",
            _("简易程序对%(who)s的罚款不超过 %(limit)d 元（%(citation)s），本决定罚款 %(yuan)s 元")
            % {
                "who": who,
                "limit": limit,
                "citation": limits.citation,
                "yuan": format((fine * 10000).normalize(), "f"),
            },
        )


def _require_amount(
    values: dict[str, Any],
    attr: str,
    required: bool,
    threshold: decimal.Decimal,
    problem: Report,
    why: str,
) -> None:
    amount = values.get(attr)
    if amount is None:
        if required:
            problem(attr, _("%s时必填") % _(why))
        return
    if amount < 0:
        problem(attr, _("金额不能为负数"))
    elif amount >= threshold:
        yuan = f"{amount:,.0f}"
        problem(
            attr,
            _("%(amount)s 万元疑似按元填写：金额单位为万元，%(yuan)s 元应填 %(fixed)s")
            % {"amount": amount, "yuan": yuan, "fixed": (amount / 10000).normalize()},
        )
    elif int(amount.as_tuple().exponent) < -6:
        problem(attr, _("金额最多 6 位小数（万元）"))


def normalise_choices(kind: str, values: dict[str, Any]) -> None:
    """Map the accepted spellings of coded fields onto the stored values, in place."""
    category = values.get("subject_category")
    if category in SUBJECT_CATEGORIES:
        values["subject_category"] = SUBJECT_CATEGORIES[category]
    for attr in ("id_type", "legal_representative_id_type"):
        if values.get(attr) in ID_TYPE_ALIASES:
            values[attr] = str(ID_TYPE_ALIASES[values[attr]])
    for attr in ("id_number", "legal_representative_id_number"):
        if values.get(attr):
            values[attr] = normalise(values[attr])
    if kind == RecordKind.LICENSE and values.get("license_category", "").startswith(
        f"{OTHER_PREFIX}（"
    ):
        values["license_category"] = (
            OTHER_PREFIX + "-" + values["license_category"][3:].rstrip("）")
        )


def problems_to_validation_error(problems: Iterable[Problem]) -> ValidationError:
    """The problems as form errors, shown to the user: the field names in the active language
    (unlike `str(Problem)`, which is stored and keeps the standard's Chinese names)."""
    errors: dict[str, list[str]] = {}
    for item in problems:
        errors.setdefault(item.field.attr, []).append(
            _("%(code)s（%(label)s）：%(message)s")
            % {"code": item.field.code, "label": _(item.field.label), "message": item.message}
        )
    return ValidationError(errors)

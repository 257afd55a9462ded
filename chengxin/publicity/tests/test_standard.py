"""Every validation rule of the 双公示 standard: a valid case, an invalid case, the boundary."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind

pytestmark = pytest.mark.django_db  # local settings (the unit threshold) are rows

TODAY = datetime.date(2026, 11, 26)


def valid_code(department: str = "1", category: str = "1") -> str:
    import random

    from chengxin.core.identifiers import make_uscc

    return make_uscc(random.Random(department + category), department=department, category=category)


DEPT = valid_code()
COMPANY = valid_code("9", "1")


def penalty(**overrides: Any) -> dict[str, Any]:
    row = {
        "CF_XDR_MC": "枣庄市台儿庄区某某商贸有限公司",
        "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": COMPANY,
        "CF_WSH": "台市监罚〔2026〕1号",
        "CF_WFXW": "销售过期食品",
        "CF_SY": "经查……",
        "CF_YJ": "《食品安全法》第一百二十四条",
        "CF_CFLB": "警告;罚款",
        "CF_NR": "警告，罚款0.2万元",
        "CF_NR_FK": "0.2",
        "CF_JDRQ": "2026-11-20",
        "CF_YXQ": "2026-11-27",
        "CF_CFJG": "台儿庄区市场监督管理局",
        "CF_CFJGDM": DEPT,
        "CF_SJLY": "台儿庄区市场监督管理局",
        "CF_SJLYDM": DEPT,
    }
    row.update(overrides)
    return row


def license_(**overrides: Any) -> dict[str, Any]:
    row = {
        "XK_XDR_MC": "台儿庄区张记饭店",
        "XK_XDR_LB": "个体工商户",
        "XK_XDR_SHXYM": valid_code("9", "2"),
        "XK_XKWS": "食品经营许可决定书",
        "XK_WSH": "台审批食〔2026〕1号",
        "XK_XKLB": "普通",
        "XK_NR": "准予食品经营许可",
        "XK_JDRQ": "2026/11/20",
        "XK_YXQZ": "2026/11/20",
        "XK_YXQZI": "2031/11/19",
        "XK_XKJG": "台儿庄区行政审批服务局",
        "XK_XKJGDM": DEPT,
        "XK_LYDW": "台儿庄区行政审批服务局",
        "XK_LYDWDM": DEPT,
    }
    row.update(overrides)
    return row


def problems(kind: str, row: dict[str, Any]) -> list[str]:
    """Run both stages as the import does; return "CODE: message" strings."""
    by_code = {f.code: f.attr for f in standard.FIELDS[kind]}
    values, found = standard.parse_row(kind, {by_code[code]: value for code, value in row.items()})
    standard.normalise_choices(kind, values)
    found += standard.check(kind, values, today=TODAY, department_code=DEPT)
    return [f"{p.field.code}: {p.message}" for p in found]


def codes(kind: str, row: dict[str, Any]) -> set[str]:
    return {message.split(":")[0] for message in problems(kind, row)}


def test_the_base_rows_are_valid() -> None:
    assert problems(RecordKind.PENALTY, penalty()) == []
    assert problems(RecordKind.LICENSE, license_()) == []


def test_messages_name_the_code_and_the_chinese_field_name() -> None:
    kind = RecordKind.PENALTY
    by_code = {f.code: f.attr for f in standard.FIELDS[kind]}
    values, _found = standard.parse_row(
        kind, {by_code[c]: v for c, v in penalty(CF_WSH="").items()}
    )
    standard.normalise_choices(kind, values)
    (problem,) = standard.check(kind, values, today=TODAY, department_code=DEPT)
    assert str(problem) == "CF_WSH（行政处罚决定书文号）：不能为空"


@pytest.mark.parametrize(
    "code", [f.code for f in standard.PENALTY_FIELDS if f.required and f.code != "CF_SJLY"]
)
def test_every_required_penalty_field(code: str) -> None:
    assert code in codes(RecordKind.PENALTY, penalty(**{code: ""}))


@pytest.mark.parametrize("code", [f.code for f in standard.LICENSE_FIELDS if f.required])
def test_every_required_license_field(code: str) -> None:
    assert code in codes(RecordKind.LICENSE, license_(**{code: ""}))


# --- subject category ---------------------------------------------------------------------


def test_natural_person_needs_id_type_and_number() -> None:
    person = {"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": "", "CF_XDR_MC": "张三"}
    assert {"CF_XDR_ZJLX", "CF_XDR_ZJHM"} <= codes(RecordKind.PENALTY, penalty(**person))
    ok = person | {"CF_XDR_ZJLX": "身份证", "CF_XDR_ZJHM": "360426199101010071"}
    assert problems(RecordKind.PENALTY, penalty(**ok)) == []
    bad = ok | {"CF_XDR_ZJHM": "36042619910102009X"}
    assert codes(RecordKind.PENALTY, penalty(**bad)) == {"CF_XDR_ZJHM"}


def test_a_passport_number_is_not_checked_as_a_resident_id() -> None:
    row = {
        "CF_XDR_LB": "自然人",
        "CF_XDR_SHXYM": "",
        "CF_XDR_ZJLX": "护照号",
        "CF_XDR_ZJHM": "E12345678",
    }
    assert problems(RecordKind.PENALTY, penalty(**row)) == []


@pytest.mark.parametrize(
    ("value", "ok"), [("其他-军官证", True), ("军官证", False), ("居民身份证", True)]
)
def test_id_type_code_table(value: str, ok: bool) -> None:
    row = {
        "CF_XDR_LB": "自然人",
        "CF_XDR_SHXYM": "",
        "CF_XDR_ZJLX": value,
        "CF_XDR_ZJHM": "360426199101010071",
    }
    assert ("CF_XDR_ZJLX" in codes(RecordKind.PENALTY, penalty(**row))) is not ok


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        (COMPANY, True),
        ("00000000000000000X", True),
        ("91110000600037341N", False),
        ("", False),
        ("9111", False),
    ],
)
def test_organisations_need_a_valid_credit_code_or_the_placeholder(code: str, ok: bool) -> None:
    assert ("CF_XDR_SHXYM" in codes(RecordKind.PENALTY, penalty(CF_XDR_SHXYM=code))) is not ok


def test_subject_category_code_table() -> None:
    assert "CF_XDR_LB" in codes(RecordKind.PENALTY, penalty(CF_XDR_LB="企业"))
    assert problems(RecordKind.PENALTY, penalty(CF_XDR_LB="法人")) == []


def test_individual_business_needs_a_code_too() -> None:
    assert "XK_XDR_SHXYM" in codes(RecordKind.LICENSE, license_(XK_XDR_SHXYM=""))


# --- code tables ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [("普通", True), ("登记", True), ("其他-备案", True), ("其他", False), ("许可", False)],
)
def test_license_category(value: str, ok: bool) -> None:
    assert ("XK_XKLB" in codes(RecordKind.LICENSE, license_(XK_XKLB=value))) is not ok


def test_license_state_code_table() -> None:
    assert problems(RecordKind.LICENSE, license_(XK_ZT="2")) == []
    assert "XK_ZT" in codes(RecordKind.LICENSE, license_(XK_ZT="有效"))


@pytest.mark.parametrize(
    ("categories", "ok"),
    [
        ("警告", True),
        ("通报批评；警告", True),
        ("警告、罚款", True),
        ("罚金", False),
        ("其他-责令改正", True),
    ],
)
def test_penalty_categories_of_the_2021_law(categories: str, ok: bool) -> None:
    assert ("CF_CFLB" in codes(RecordKind.PENALTY, penalty(CF_CFLB=categories))) is not ok


def test_penalty_categories_follow_the_law_in_force_on_the_decision_date() -> None:
    old = {"CF_JDRQ": "2021-07-14", "CF_YXQ": "2021-07-20"}
    # 通报批评 only exists since the 2021 revision (in force 2021-07-15).
    assert "CF_CFLB" in codes(RecordKind.PENALTY, penalty(CF_CFLB="通报批评", **old))
    assert (
        problems(
            RecordKind.PENALTY,
            penalty(CF_CFLB="通报批评", CF_JDRQ="2021-07-15", CF_YXQ="2021-07-20"),
        )
        == []
    )
    message = problems(RecordKind.PENALTY, penalty(CF_CFLB="通报批评", **old))[0]
    assert "2017年修正" in message
    assert (
        problems(
            RecordKind.PENALTY,
            penalty(CF_CFLB="暂扣或者吊销许可证、暂扣或者吊销执照", CF_NR_ZKDX="许可证 123", **old),
        )
        == []
    )


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "ok"), [("2026-11-26", True), ("2026-11-27", False)])
def test_decision_date_not_in_the_future(day: str, ok: bool) -> None:
    assert (
        "CF_JDRQ" in codes(RecordKind.PENALTY, penalty(CF_JDRQ=day, CF_YXQ="2026-12-31"))
    ) is not ok


@pytest.mark.parametrize(
    "text",
    ["2026-11-20", "2026/11/20", "20261120", "2026年11月20日", "2026.11.20", "2026-11-20 00:00:00"],
)
def test_date_formats(text: str) -> None:
    assert problems(RecordKind.PENALTY, penalty(CF_JDRQ=text)) == []


def test_an_unreadable_date_is_one_problem_not_two() -> None:
    assert problems(RecordKind.PENALTY, penalty(CF_JDRQ="2026-13-01")) == [
        "CF_JDRQ: 日期格式不正确，应为 YYYY-MM-DD 或 YYYY/MM/DD：2026-13-01"
    ]


@pytest.mark.parametrize(
    ("end", "ok"), [("2026/11/20", True), ("2026/11/19", False), ("2099/12/31", True)]
)
def test_valid_to_not_before_valid_from(end: str, ok: bool) -> None:
    assert ("XK_YXQZI" in codes(RecordKind.LICENSE, license_(XK_YXQZI=end))) is not ok


def test_dates_after_the_long_term_marker_are_refused() -> None:
    assert "XK_YXQZI" in codes(RecordKind.LICENSE, license_(XK_YXQZI="2100/01/01"))


def test_penalty_dates_not_before_the_decision() -> None:
    assert "CF_YXQ" in codes(RecordKind.PENALTY, penalty(CF_YXQ="2026-11-19"))
    assert "CF_GSJZQ" in codes(RecordKind.PENALTY, penalty(CF_GSJZQ="2026-11-19"))
    assert problems(RecordKind.PENALTY, penalty(CF_GSJZQ="2029-11-20")) == []


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "ok"),
    [
        ("0.2", True),
        ("999.999999", True),
        ("1000", False),
        ("2000", False),
        ("-1", False),
        ("0.0000001", False),
        ("abc", False),
        ("1,234.5", False),
        ("12.5万元", True),
    ],
)
def test_fine_amount_in_ten_thousand_yuan(amount: str, ok: bool) -> None:
    assert ("CF_NR_FK" in codes(RecordKind.PENALTY, penalty(CF_NR_FK=amount))) is not ok


def test_yuan_instead_of_wan_is_explained() -> None:
    (message,) = problems(RecordKind.PENALTY, penalty(CF_NR_FK="2000"))
    assert "疑似按元填写" in message and "应填 0.2" in message


def test_the_unit_threshold_is_a_local_setting(db) -> None:
    from chengxin.core.models import LocalSetting

    assert "CF_NR_FK" in codes(RecordKind.PENALTY, penalty(CF_NR_FK="1500"))
    LocalSetting.objects.create(key="publicity.fine_unit_threshold", value="5000")
    assert problems(RecordKind.PENALTY, penalty(CF_NR_FK="1500")) == []


# --- conditional fields -------------------------------------------------------------------------


def test_fine_amount_required_when_fined() -> None:
    assert "CF_NR_FK" in codes(RecordKind.PENALTY, penalty(CF_NR_FK=""))
    assert problems(RecordKind.PENALTY, penalty(CF_NR_FK="", CF_CFLB="警告")) == []


def test_confiscation_amount_required_when_confiscating() -> None:
    row = penalty(CF_CFLB="没收违法所得")
    assert "CF_NR_WFFF" in codes(RecordKind.PENALTY, row)
    assert problems(RecordKind.PENALTY, row | {"CF_NR_WFFF": "1.5"}) == []


def test_licence_name_required_when_suspending_or_revoking() -> None:
    for category in ("暂扣许可证件", "吊销许可证件"):
        row = penalty(CF_CFLB=category, CF_NR_FK="")
        assert "CF_NR_ZKDX" in codes(RecordKind.PENALTY, row)
        assert problems(RecordKind.PENALTY, row | {"CF_NR_ZKDX": "食品经营许可证 JY1370405"}) == []


# --- placeholders, lengths, data source -------------------------------------------------------------


@pytest.mark.parametrize("placeholder", ["— —", "无", "/", "——", " - "])
def test_null_placeholders_are_empty(placeholder: str) -> None:
    assert problems(RecordKind.PENALTY, penalty(BZ=placeholder, CF_GSJZQ=placeholder)) == []
    assert "CF_WSH" in codes(RecordKind.PENALTY, penalty(CF_WSH=placeholder))


def test_maximum_length() -> None:
    assert problems(RecordKind.PENALTY, penalty(CF_WSH="号" * 128)) == []
    assert codes(RecordKind.PENALTY, penalty(CF_WSH="号" * 129)) == {"CF_WSH"}


def test_data_source_must_be_the_submitting_department() -> None:
    assert "CF_SJLYDM" in codes(RecordKind.PENALTY, penalty(CF_SJLYDM=COMPANY))

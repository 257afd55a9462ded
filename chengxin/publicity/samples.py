"""Synthetic rows in the national standard, for the demo district (`core.demo_district`), tests
and benchmarks.

`sample_rows()` yields dicts keyed by field code, deterministic for a `random.Random`; with
`invalid_share` some rows carry one of the mistakes real feeds make (see `MISTAKES`).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from typing import Any

from chengxin.core import demo_district
from chengxin.core.dates import add_months
from chengxin.core.identifiers import USCC_PLACEHOLDER, make_resident_id, make_uscc
from chengxin.publicity import standard
from chengxin.publicity.choices import RecordKind

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红玲建国志海峰堃喆淼玥珺"
TRADE_NAMES = "鑫盛华泰恒通宏达兴隆瑞丰永安金源"
SHOPS = ["饭店", "超市", "五金店", "汽修店"]
TRADES = [
    "商贸",
    "建筑工程",
    "食品",
    "餐饮管理",
    "运输",
    "化工",
    "机械制造",
    "物流",
    "医药",
    "建材",
]
LICENSES = [
    ("食品经营许可证", "普通", "食品经营许可"),
    ("道路运输经营许可证", "普通", "道路普通货物运输"),
    ("排污许可证", "核准", "排放污染物许可"),
    ("建筑工程施工许可证", "普通", "建筑工程施工许可"),
    ("药品经营许可证", "普通", "药品零售"),
    ("", "登记", "个体工商户设立登记"),
    ("", "其他-备案", "危险化学品经营备案"),
]
VIOLATIONS = [
    ("销售过期食品", ["警告", "罚款"], "《中华人民共和国食品安全法》第一百二十四条"),
    ("未按规定办理环境影响评价", ["罚款"], "《中华人民共和国环境影响评价法》第三十一条"),
    ("超限运输", ["罚款"], "《公路安全保护条例》第六十四条"),
    ("未取得许可从事经营", ["没收违法所得", "罚款"], "《无证无照经营查处办法》第十三条"),
    ("安全生产责任制不落实", ["警告"], "《中华人民共和国安全生产法》第九十四条"),
    ("违规排放大气污染物", ["罚款", "责令停产停业"], "《中华人民共和国大气污染防治法》第九十九条"),
    ("伪造检验报告", ["吊销许可证件", "罚款"], "《中华人民共和国产品质量法》第五十七条"),
]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _subject(rng: random.Random, prefix: str) -> dict[str, str]:
    roll = rng.random()
    if roll < 0.2:
        return {
            f"{prefix}_XDR_MC": person_name(rng),
            f"{prefix}_XDR_LB": "自然人",
            f"{prefix}_XDR_ZJLX": "身份证",
            f"{prefix}_XDR_ZJHM": make_resident_id(rng),
        }
    individual = roll < 0.45
    return {
        f"{prefix}_XDR_MC": (
            f"{demo_district.NAME}{person_name(rng)[:1]}记{rng.choice(SHOPS)}"
            if individual
            else f"{demo_district.CITY}{demo_district.NAME}"
            f"{''.join(rng.sample(TRADE_NAMES, 2))}{rng.choice(TRADES)}有限公司"
        ),
        f"{prefix}_XDR_LB": "个体工商户" if individual else "法人及非法人组织",
        f"{prefix}_XDR_SHXYM": make_uscc(rng, category="2" if individual else "1"),
        f"{prefix}_FRDB": person_name(rng),
    }


def license_row(
    rng: random.Random, serial: int, department: tuple[str, str], decided: datetime.date
) -> dict[str, str]:
    certificate, category, content = rng.choice(LICENSES)
    start = decided
    end = (
        datetime.date(2099, 12, 31)
        if rng.random() < 0.2
        else add_months(decided, 60)  # safe on 29 February
    )
    return _subject(rng, "XK") | {
        "XK_XKWS": f"{content}决定书",
        "XK_WSH": f"台审批{certificate[:2] or '登'}〔{decided.year}〕{serial:06d}号",
        "XK_XKLB": category,
        "XK_XKZS": certificate,
        "XK_XKBH": f"JY{decided.year}{serial:08d}" if certificate else "",
        "XK_NR": f"准予{content}",
        "XK_JDRQ": decided.strftime("%Y/%m/%d"),
        "XK_YXQZ": start.strftime("%Y/%m/%d"),
        "XK_YXQZI": end.strftime("%Y/%m/%d"),
        "XK_XKJG": department[0],
        "XK_XKJGDM": department[1],
        "XK_ZT": "1",
        "XK_LYDW": department[0],
        "XK_LYDWDM": department[1],
    }


def penalty_row(
    rng: random.Random, serial: int, department: tuple[str, str], decided: datetime.date
) -> dict[str, str]:
    violation, categories, basis = rng.choice(VIOLATIONS)
    fine = rng.choice(["0.2", "0.5", "1", "2.5", "3", "10"])
    row = _subject(rng, "CF") | {
        "CF_WSH": f"台市监罚〔{decided.year}〕{serial:05d}号",
        "CF_WFXW": violation,
        "CF_SY": f"经查，当事人存在{violation}的行为。",
        "CF_YJ": basis,
        "CF_CFLB": ";".join(categories),
        "CF_NR": "、".join(categories) + (f"，罚款{fine}万元" if "罚款" in categories else ""),
        "CF_NR_FK": fine if "罚款" in categories else "",
        "CF_NR_WFFF": "0.35" if any(c.startswith("没收") for c in categories) else "",
        "CF_NR_ZKDX": "食品经营许可证 JY13704050012345" if "吊销许可证件" in categories else "",
        "CF_JDRQ": decided.isoformat(),
        "CF_YXQ": (decided + datetime.timedelta(days=7)).isoformat(),
        "CF_GSJZQ": "",
        "CF_CFJG": department[0],
        "CF_CFJGDM": department[1],
        "CF_SJLY": department[0],
        "CF_SJLYDM": department[1],
    }
    return row


def _future(row: dict[str, str], prefix: str) -> None:
    row[f"{prefix}_JDRQ"] = "2099-01-01"


def _bad_code(row: dict[str, str], prefix: str) -> None:
    row[f"{prefix}_XDR_LB"] = "法人及非法人组织"
    row[f"{prefix}_XDR_SHXYM"] = "91110000600037341N"


def _missing_number(row: dict[str, str], prefix: str) -> None:
    row[f"{prefix}_WSH"] = ""


def _bad_date(row: dict[str, str], prefix: str) -> None:
    row[f"{prefix}_JDRQ"] = "2024年13月45日"


def _yuan_not_wan(row: dict[str, str], prefix: str) -> None:
    if prefix == "CF":
        row["CF_CFLB"], row["CF_NR_FK"] = "罚款", "2000"
    else:
        row["XK_XKLB"] = "其他"


MISTAKES: list[Callable[[dict[str, str], str], None]] = [
    _future,
    _bad_code,
    _missing_number,
    _bad_date,
    _yuan_not_wan,
]


def sample_rows(
    rng: random.Random,
    kind: str,
    count: int,
    department: tuple[str, str],
    *,
    start: datetime.date = datetime.date(2025, 1, 1),
    end: datetime.date = datetime.date(2026, 11, 20),
    invalid_share: float = 0.0,
    first_serial: int = 1,
) -> Iterator[dict[str, str]]:
    """`count` rows of `kind` for `department` (name, credit code), decided between start and end."""
    make = license_row if kind == RecordKind.LICENSE else penalty_row
    prefix = "XK" if kind == RecordKind.LICENSE else "CF"
    span = (end - start).days
    for serial in range(first_serial, first_serial + count):
        decided = start + datetime.timedelta(days=rng.randint(0, span))
        row = make(rng, serial, department, decided)
        if invalid_share and rng.random() < invalid_share:
            rng.choice(MISTAKES)(row, prefix)
        yield row


def header(kind: str) -> list[str]:
    return [field.code for field in standard.FIELDS[kind]]


def as_cells(kind: str, row: dict[str, Any]) -> list[str]:
    return [str(row.get(code, "")) for code in header(kind)]


__all__ = ["USCC_PLACEHOLDER", "as_cells", "header", "sample_rows"]

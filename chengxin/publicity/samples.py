"""Synthetic rows in the national standard, for the demo district (`core.demo_district`), tests
and benchmarks.

`sample_rows()` yields dicts keyed by field code, deterministic for a `random.Random`; with
`invalid_share` some rows carry one of the mistakes real feeds make (see `MISTAKES`).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Violation:
    """A penalty a department imposes: the act, the sanctions, the article, and the fine in
    万元 within the article's range (None: no fine)."""

    act: str
    sanctions: tuple[str, ...]
    basis: str
    fine: tuple[float, float] | None = None


@dataclass(frozen=True)
class Licence:
    """A licence a department grants: the certificate's name, the standard's 许可类别 and
    what is allowed."""

    certificate: str
    category: str
    content: str


@dataclass(frozen=True)
class Profile:
    """What one kind of department decides, and the 文号 its decisions carry: `number` is a
    format with {year} and {serial}."""

    number: str
    violations: tuple[Violation, ...] = ()
    licences: tuple[Licence, ...] = ()
    licence_number: str = ""  # the 文号 format of its licences, when it grants any
    authority: tuple[str, str] | None = None  # the deciding body when not the department


# The city's environment bureau (a 机关 of the city's division), in whose name its district
# branch's cases are decided.
CITY_ENVIRONMENT_CODE = make_uscc(
    random.Random("city-environment"),  # noqa: S311 (an identifier of the demo, not a secret)
    department="1",
    category="1",
    division=demo_district.DIVISION[:4] + "00",
)


# The demo departments' decisions (keys of accounts.demo), each under the laws that department
# enforces, with its own 文号 prefix; fines a small county case gets within the cited article's
# range (the texts read on 2026-12-07: the current versions of each law and regulation):
PROFILES: dict[str, Profile] = {
    "market": Profile(
        "台市监罚〔{year}〕{serial:05d}号",
        violations=(
            # 货值金额不足一万元的，并处五万元以上十万元以下罚款
            Violation(
                "经营超过保质期的食品",
                ("没收违法所得", "罚款"),
                "《中华人民共和国食品安全法》第一百二十四条第一款第五项",
                (5, 10),
            ),
            # 未经设立登记从事经营活动：责令改正，没收违法所得；拒不改正的，处1万元以上10万元以下
            Violation(
                "未经设立登记从事经营活动，经责令改正拒不改正",
                ("没收违法所得", "罚款"),
                "《中华人民共和国市场主体登记管理条例》第四十三条",
                (1, 2),
            ),
            # 以不合格产品冒充合格产品：并处违法销售产品货值金额百分之五十以上三倍以下的罚款
            Violation(
                "销售以不合格产品冒充合格产品的产品",
                ("没收违法所得", "罚款"),
                "《中华人民共和国产品质量法》第五十条",
                (0.1, 3),
            ),
        ),
        licences=(Licence("", "登记", "个体工商户设立登记"),),
        licence_number="台市监登字〔{year}〕{serial:05d}号",
    ),
    "enforcement": Profile(
        "台综执罚〔{year}〕{serial:05d}号",
        violations=(
            # 随意倾倒、抛撒或者堆放建筑垃圾：对单位处5000元以上5万元以下罚款（建设部令第139号；
            # 工程施工单位擅自倾倒的，适用《固体废物污染环境防治法》第一百一十一条，不在此列）
            Violation(
                "随意倾倒、抛撒或者堆放建筑垃圾",
                ("警告", "罚款"),
                "《城市建筑垃圾管理规定》第二十六条",
                (0.5, 1),
            ),
            # 擅自占用城市道路（第二十七条第一项）：可以处以2万元以下的罚款
            Violation(
                "擅自占用城市道路堆放物料",
                ("罚款",),
                "《城市道路管理条例》第二十七条第一项、第四十二条",
                (0.1, 0.5),
            ),
        ),
    ),
    "environment": Profile(
        "台环罚〔{year}〕{serial:05d}号",
        violations=(
            # 未依法报批环境影响报告书、报告表擅自开工建设：总投资额百分之一以上百分之五以下
            Violation(
                "建设项目环境影响报告书、报告表未依法报批擅自开工建设",
                ("罚款",),
                "《中华人民共和国环境影响评价法》第三十一条第一款",
                (2, 10),
            ),
            # 超过大气污染物排放标准排放：处十万元以上一百万元以下的罚款
            Violation(
                "超过大气污染物排放标准排放大气污染物",
                ("罚款", "责令停产停业"),
                "《中华人民共和国大气污染防治法》第九十九条第二项",
                (10, 20),
            ),
        ),
        # The branch handles the case; the city bureau decides it (垂直管理: a county branch
        # does not penalise in its own name, 中办发〔2016〕63号), so the 处罚机关 is the city's.
        authority=(f"{demo_district.CITY}生态环境局", CITY_ENVIRONMENT_CODE),
    ),
    "transport": Profile(
        "台交罚〔{year}〕{serial:05d}号",
        violations=(
            # 车辆超限在公路上行驶：可以处3万元以下的罚款
            Violation(
                "车辆违法超限运输",
                ("罚款",),
                "《公路安全保护条例》第六十四条",
                (0.1, 0.5),
            ),
            # 2023 年修订：没有违法所得或者违法所得不足1万元的，处3000元以上1万元以下的罚款
            Violation(
                "未取得道路运输经营许可擅自从事道路普通货物运输",
                ("罚款",),
                "《中华人民共和国道路运输条例》第六十三条第一项",
                (0.3, 1),
            ),
        ),
        # No licences: 道路运输经营许可 is the 行政审批服务局's (相对集中行政许可权).
    ),
    "emergency": Profile(
        "台应急罚〔{year}〕{serial:05d}号",
        violations=(
            # 未按照规定对从业人员进行安全生产教育和培训：处十万元以下的罚款
            Violation(
                "未按照规定对从业人员进行安全生产教育和培训",
                ("警告", "罚款"),
                "《中华人民共和国安全生产法》第九十七条第三项",
                (1, 3),
            ),
        ),
    ),
    "health": Profile(
        "台卫罚〔{year}〕{serial:05d}号",
        violations=(
            # 并处违法所得五倍以上二十倍以下的罚款，违法所得不足一万元的，按一万元计算
            Violation(
                "未取得医疗机构执业许可证擅自执业",
                ("没收违法所得", "罚款"),
                "《中华人民共和国基本医疗卫生与健康促进法》第九十九条第一款",
                (5, 20),
            ),
        ),
    ),
    "fire": Profile(
        "台消行罚决字〔{year}〕{serial:04d}号",
        violations=(
            # 消防设施、器材未保持完好有效：处五千元以上五万元以下罚款
            Violation(
                "消防设施、器材未保持完好有效",
                ("罚款",),
                "《中华人民共和国消防法》第六十条第一款第一项",
                (0.5, 1),
            ),
        ),
    ),
    "approval": Profile(
        "",
        licence_number="台审批{certificate}〔{year}〕{serial:06d}号",
        licences=(
            Licence("食品经营许可证", "普通", "食品经营许可"),
            Licence("道路运输经营许可证", "普通", "道路普通货物运输"),
            Licence("建筑工程施工许可证", "普通", "建筑工程施工许可"),
            Licence("药品经营许可证", "普通", "药品零售"),
            # 《易制毒化学品管理条例》第十三条: 第三类 are filed with the county, not licensed.
            Licence("", "其他-备案", "第三类非药品类易制毒化学品经营备案"),
        ),
    ),
}
# Without a profile: the market regulator's penalties and the approval bureau's licences.
DEFAULT_PENALTIES, DEFAULT_LICENCES = "market", "approval"


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
    rng: random.Random,
    serial: int,
    department: tuple[str, str],
    decided: datetime.date,
    profile: Profile = PROFILES[DEFAULT_LICENCES],
) -> dict[str, str]:
    licence = rng.choice(profile.licences)
    start = decided
    end = (
        datetime.date(2099, 12, 31)
        if rng.random() < 0.2
        else add_months(decided, 60)  # safe on 29 February
    )
    number = profile.licence_number.format(
        certificate=licence.certificate[:2] or "备", year=decided.year, serial=serial
    )
    return _subject(rng, "XK") | {
        "XK_XKWS": f"{licence.content}决定书",
        "XK_WSH": number,
        "XK_XKLB": licence.category,
        "XK_XKZS": licence.certificate,
        "XK_XKBH": f"JY{decided.year}{serial:08d}" if licence.certificate else "",
        "XK_NR": f"准予{licence.content}",
        "XK_JDRQ": decided.strftime("%Y/%m/%d"),
        "XK_YXQZ": start.strftime("%Y/%m/%d"),
        "XK_YXQZI": end.strftime("%Y/%m/%d"),
        "XK_XKJG": department[0],
        "XK_XKJGDM": department[1],
        "XK_ZT": "1",
        "XK_LYDW": department[0],
        "XK_LYDWDM": department[1],
    }


def _fine(rng: random.Random, low: float, high: float) -> str:
    """A fine in 万元 within [low, high], rounded as decisions write it."""
    value = rng.uniform(low, high)
    step = 0.01 if high <= 1 else 0.1 if high <= 10 else 1
    return f"{max(low, round(value / step) * step):.2f}".rstrip("0").rstrip(".")


def penalty_row(
    rng: random.Random,
    serial: int,
    department: tuple[str, str],
    decided: datetime.date,
    profile: Profile = PROFILES[DEFAULT_PENALTIES],
) -> dict[str, str]:
    violation = rng.choice(profile.violations)
    sanctions = violation.sanctions
    fine = _fine(rng, *violation.fine) if violation.fine and "罚款" in sanctions else ""
    content = "、".join(sanctions) + (f"，罚款{fine}万元" if fine else "")
    row = _subject(rng, "CF") | {
        "CF_WSH": profile.number.format(year=decided.year, serial=serial),
        "CF_WFXW": violation.act,
        "CF_SY": f"经查，当事人存在{violation.act}的行为，违反了{violation.basis.split('》')[0]}》的规定。",
        "CF_YJ": violation.basis,
        "CF_CFLB": ";".join(sanctions),
        "CF_NR": content,
        "CF_NR_FK": fine,
        "CF_NR_WFFF": "0.35" if "没收违法所得" in sanctions else "",
        "CF_NR_ZKDX": "",
        "CF_JDRQ": decided.isoformat(),
        "CF_YXQ": (decided + datetime.timedelta(days=7)).isoformat(),
        "CF_GSJZQ": "",
        "CF_CFJG": (profile.authority or department)[0],
        "CF_CFJGDM": (profile.authority or department)[1],
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


def regular_subjects(rng: random.Random, count: int) -> list[dict[str, str]]:
    """`count` enterprises of the district that deal with several departments: pass them to
    `sample_rows(regulars=…)` so that the same companies hold licences and penalties (and,
    through the lists' demo, list entries), as a county's real records do."""
    pool: list[dict[str, str]] = []
    while len(pool) < count:
        subject = _subject(rng, "")
        if subject.get("_XDR_LB") == "法人及非法人组织":
            pool.append({key.lstrip("_"): value for key, value in subject.items()})
    return pool


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
    profile: str = "",
    regulars: list[dict[str, str]] | None = None,
) -> Iterator[dict[str, str]]:
    """`count` rows of `kind` for `department` (name, credit code), decided between start and
    end, as the department kind `profile` (a key of `PROFILES`) decides them: numbered in the
    order of their dates, from `first_serial` each year. About one row in ten is about one of
    the `regulars` (`regular_subjects`)."""
    make = license_row if kind == RecordKind.LICENSE else penalty_row
    prefix = "XK" if kind == RecordKind.LICENSE else "CF"
    default = DEFAULT_LICENCES if kind == RecordKind.LICENSE else DEFAULT_PENALTIES
    decides = PROFILES[profile or default]
    span = (end - start).days
    days = sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))
    serials: dict[int, int] = {}
    for decided in days:
        serial = serials[decided.year] = serials.get(decided.year, first_serial - 1) + 1
        row = make(rng, serial, department, decided, decides)
        if regulars and rng.random() < 0.1:
            for key in [key for key in row if key.startswith(f"{prefix}_XDR_")]:
                del row[key]
            row |= {f"{prefix}_{key}": value for key, value in rng.choice(regulars).items()}
        if invalid_share and rng.random() < invalid_share:
            rng.choice(MISTAKES)(row, prefix)
        yield row


def header(kind: str) -> list[str]:
    return [field.code for field in standard.FIELDS[kind]]


def as_cells(kind: str, row: dict[str, Any]) -> list[str]:
    return [str(row.get(code, "")) for code in header(kind)]


__all__ = ["USCC_PLACEHOLDER", "as_cells", "header", "sample_rows"]

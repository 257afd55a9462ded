"""Demo subjects: companies, 个体工商户 and natural persons of the district, in any volume.

`chengxin demo --volume subjects=1000000` makes a million rows in bulk (no per-row audit entries:
generating demo data is not an act of any user).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

from chengxin.core.demo_district import DIVISION
from chengxin.core.demodata import DemoContext
from chengxin.core.identifiers import make_resident_id, make_uscc, mask_id_number
from chengxin.core.personal_data import blind_index, encrypt
from chengxin.subjects.choices import SubjectCategory
from chengxin.subjects.models import Subject

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文"
)
# Given-name characters, including rare ones that real names use (fonts and search must cope).
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬建国志海峰斌晨"
    "宇浩然子涵欣怡梓萱一诺堃喆犇淼燚玥珺龑昊晟瑾琛"
)
TOWNS = ["运河", "邳庄", "张山子", "泥沟", "涧头集", "马兰屯", "古城", "兰祺", "台庄"]
TRADE_NAMES = "鑫盛华泰恒通宏达兴隆瑞丰永安金源德昌福顺广利汇丰天成嘉禾润泽博远聚鑫同兴运河古韵"
INDUSTRIES = [
    ("商贸", "有限公司"),
    ("建筑工程", "有限公司"),
    ("食品", "有限公司"),
    ("餐饮管理", "有限公司"),
    ("运输", "有限公司"),
    ("化工", "有限公司"),
    ("机械制造", "有限公司"),
    ("农业科技", "有限公司"),
    ("旅游开发", "有限公司"),
    ("医药", "连锁有限公司"),
    ("建材", "股份有限公司"),
    ("物流", "有限公司"),
    ("种植", "专业合作社"),
    ("环保科技", "有限公司"),
    ("劳务", "有限公司"),
]
SHOPS = [
    "小吃店",
    "便利店",
    "五金店",
    "理发店",
    "超市",
    "汽修店",
    "饭店",
    "粮油店",
    "服装店",
    "药店",
    "烧烤店",
]


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def company_name(rng: random.Random, serial: int) -> str:
    trade = "".join(rng.sample(TRADE_NAMES, 2))
    industry, form = rng.choice(INDUSTRIES)
    # The serial keeps names unique at any volume, as registration authorities require.
    suffix = "" if serial < 5000 else f"第{serial}"
    return f"枣庄市台儿庄区{trade}{industry}{suffix}{form}"


def shop_name(rng: random.Random, serial: int) -> str:
    suffix = "" if serial < 5000 else str(serial)
    return f"台儿庄区{rng.choice(TOWNS)}{person_name(rng)[:1]}记{rng.choice(SHOPS)}{suffix}"


def unique(make: Callable[[], str], seen: set[str]) -> str:
    """Draw until the value is new: a million draws from a county's ID space do collide."""
    value = make()
    while value in seen:
        value = make()
    seen.add(value)
    return value


def subjects(rng: random.Random, count: int) -> Iterator[Subject]:
    seen: set[str] = set()
    for serial in range(count):
        kind = rng.random()
        if kind < 0.45:
            yield Subject(
                name=company_name(rng, serial),
                category=SubjectCategory.LEGAL_ENTITY,
                credit_code=unique(lambda: make_uscc(rng, category="1", division=DIVISION), seen),
                legal_representative=person_name(rng),
            )
        elif kind < 0.75:
            yield Subject(
                name=shop_name(rng, serial),
                category=SubjectCategory.INDIVIDUAL_BUSINESS,
                credit_code=unique(lambda: make_uscc(rng, category="2", division=DIVISION), seen),
                legal_representative=person_name(rng),
            )
        else:
            id_number = unique(lambda: make_resident_id(rng, division=DIVISION), seen)
            yield Subject(
                name=person_name(rng),
                category=SubjectCategory.NATURAL_PERSON,
                id_number_ciphertext=encrypt(id_number),
                id_number_index=blind_index(id_number),
                id_number_masked=mask_id_number(id_number),
            )


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng("subjects")
    count = ctx.volume("subjects", 2000)
    batch: list[Subject] = []
    for subject in subjects(rng, count):
        batch.append(subject)
        if len(batch) == 5000:
            Subject.objects.bulk_create(batch)
            batch.clear()
    Subject.objects.bulk_create(batch)

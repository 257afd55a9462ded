"""Demo disputes and capacity for 台儿庄区: two years of reconsiderations and lawsuits (the head in
court at every hearing this year, as the district reports), 23 branded mediation rooms with the
跨省邻边 rooms on the Jiangsu border, mediation cases, pre-appointment exams, training and study.

Decisions, appearances and closed mediations go through `actions`, so their events exist too.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from chengxin.accounts.choices import DepartmentKind
from chengxin.accounts.models import Department, User
from chengxin.core.demodata import DemoContext
from chengxin.disputes import actions
from chengxin.disputes.models import (
    Hearing,
    Litigation,
    MediationCase,
    MediationRoom,
    PreAppointmentExam,
    Reconsideration,
    StudyRecord,
    TrainingSession,
)

# Departments most often in reconsiderations and lawsuits, with a weight. (Not the 生态环境分局:
# its decisions are the city bureau's, whose reconsiderations the city hears.)
RESPONDENTS = [
    ("market", 5),
    ("enforcement", 5),
    ("land", 4),
    ("housing", 3),
    ("hrss", 3),
    ("transport", 2),
    ("police", 4),
    ("approval", 1),
    ("agriculture", 1),
]
RECONSIDERATION_RESULTS = [
    ("upheld", 48),
    ("dismissed", 10),
    ("revoked", 11),
    ("confirmed_illegal", 7),
    ("varied", 2),
    ("ordered_to_perform", 2),
    ("mediated", 6),
    ("terminated", 14),
]
# Respondent → the acts of its that are challenged (each within what the department decides).
MATTERS: dict[str, tuple[str, ...]] = {
    "market": (
        "行政处罚决定（罚款）",
        "举报投诉处理答复",
        "行政强制措施（查封、扣押）",
        "政府信息公开答复",
    ),
    "enforcement": ("行政处罚决定（罚款）", "责令限期拆除决定", "政府信息公开答复"),
    "land": ("不动产登记行为", "行政处罚决定（罚款）", "政府信息公开答复"),
    "housing": ("行政处罚决定（罚款）", "举报投诉处理答复", "政府信息公开答复"),
    "hrss": ("工伤认定决定", "劳动保障监察投诉处理答复", "政府信息公开答复"),
    "transport": ("行政处罚决定（罚款）", "政府信息公开答复"),
    "police": ("治安管理处罚决定", "道路交通安全违法行为处罚决定", "政府信息公开答复"),
    "approval": ("不予行政许可决定", "政府信息公开答复"),
    "agriculture": ("行政处罚决定（罚款）", "责令退还非法占用土地决定"),
}
LITIGATION_RESULTS = [
    ("claim_dismissed", 55),
    ("withdrawn", 15),
    ("suit_dismissed", 10),
    ("revoked", 8),
    ("confirmed_illegal", 7),
    ("mediated", 5),
]
# (name, township key, cross-province partner or ""): 23 branded rooms covering every township.
ROOMS = [
    ("马云调解室", "yunhe", ""),
    ("老崔调解室", "jiantouji", "江苏省邳州市"),
    ("运河和事佬调解室", "yunhe", ""),
    ("古城老娘舅调解室", "yunhe", ""),
    ("红姐调解室", "yunhe", ""),
    ("邳庄老兵调解室", "pizhuang", "江苏省邳州市"),
    ("和为贵调解室", "pizhuang", ""),
    ("邻里情调解室", "pizhuang", ""),
    ("张山子老党员调解室", "zhangshanzi", "江苏省徐州市贾汪区"),
    ("山乡和谐调解室", "zhangshanzi", ""),
    ("老刘说事调解室", "zhangshanzi", ""),
    ("泥沟知心调解室", "nigou", ""),
    ("老王热心调解室", "nigou", ""),
    ("乡贤调解室", "nigou", ""),
    ("运河湾调解室", "nigou", ""),
    ("涧头集苏鲁边界调解室", "jiantouji", "江苏省邳州市"),
    ("老孙调解室", "jiantouji", ""),
    ("巾帼调解室", "jiantouji", ""),
    ("马兰屯两省边调解室", "malantun", "江苏省邳州市"),
    ("老周调解室", "malantun", ""),
    ("法律明白人调解室", "malantun", ""),
    ("枣庄—邳州联调工作室", "malantun", "江苏省邳州市"),
    ("老田调解室", "zhangshanzi", ""),
]
ORDINARY_ROOMS = [("前程村调委会调解室", "pizhuang"), ("兰城村调委会调解室", "malantun")]
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
)
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "丽娟",
    "海燕",
    "晓峰",
    "玉兰",
    "立新",
    "振华",
    "德胜",
    "静",
    "伟",
    "芳",
    "军",
    "敏",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
]
DISPUTE_TYPES = [
    ("neighbours", 28),
    ("family", 22),
    ("land", 14),
    ("contract", 10),
    ("damages", 10),
    ("labour", 6),
    ("traffic", 5),
    ("property", 3),
    ("other", 2),
]
TOPICS = [
    "宪法",
    "民法典",
    "行政处罚法",
    "行政许可法",
    "行政复议法",
    "行政诉讼法",
    "优化营商环境条例",
    "重大行政决策程序暂行条例",
    "习近平法治思想",
    "政府信息公开条例",
]
STUDY_DEPARTMENTS = [
    "market",
    "enforcement",
    "land",
    "housing",
    "environment",
    "hrss",
    "justice",
    "police",
    "education",
    "health",
]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in options], [w for _v, w in options])[0]


def _day(rng: random.Random, year: int, last: datetime.date) -> datetime.date:
    start = datetime.date(year, 1, 2)
    end = min(datetime.date(year, 12, 28), last)
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def generate(ctx: DemoContext) -> None:
    admin = User.objects.filter(username="lawadmin").first()
    departments: dict[str, Department] = ctx.shared.get("departments", {})
    if admin is None or not departments:
        return
    rng = ctx.rng("disputes")
    today = timezone.localdate()
    years = (today.year - 1, today.year)
    counts = {
        "reconsiderations": sum(
            _reconsiderations(rng, departments, admin, y, today) for y in years
        ),
        "lawsuits": sum(_lawsuits(rng, departments, admin, y, today) for y in years),
        "mediation rooms": _rooms(rng, departments, today),
        "mediation cases": sum(_mediations(rng, admin, y, today) for y in years),
        "exams": sum(_exams(rng, departments, y, today) for y in years),
        "trainings": sum(_trainings(rng, departments, y, today) for y in years),
        "study records": sum(_study(rng, departments, y, today) for y in years),
    }
    ctx.out.write("    " + ", ".join(f"{name}: {n}" for name, n in counts.items()) + "\n")


def _reconsiderations(
    rng: random.Random,
    departments: dict[str, Department],
    admin: User,
    year: int,
    today: datetime.date,
) -> int:
    total = 22 if year < today.year else 18
    # Case numbers follow the order of receipt.
    days = sorted(_day(rng, year, today - datetime.timedelta(days=3)) for _n in range(total))
    for n, received in enumerate(days, start=1):
        respondent = _weighted(rng, RESPONDENTS)
        case = Reconsideration(
            case_number=f"台政复〔{year}〕{n}号",
            applicant_name=_person(rng)
            if rng.random() < 0.7
            else f"枣庄市{rng.choice(['鑫源', '运河', '兴达', '宏远'])}商贸有限公司",
            applicant_kind="person",
            department=departments[respondent],
            matter=rng.choice(MATTERS[respondent]),
            procedure="simplified" if rng.random() < 0.15 else "ordinary",
            received_on=received,
            accepted_on=received + datetime.timedelta(days=rng.randint(1, 5)),
        )
        if case.applicant_name.endswith("公司"):
            case.applicant_kind = "organisation"
        case.accepted_on = min(case.accepted_on or received, today)
        case.full_clean()
        case.save()
        if rng.random() < 0.1:
            actions.extend_reconsideration(
                case, actor=admin, days=30, reason="案情复杂，经行政复议机构负责人批准"
            )
            case.refresh_from_db()
        decided = (case.accepted_on or received) + datetime.timedelta(days=rng.randint(20, 58))
        # This year's last few cases are still open; one stays open past its due date.
        if decided <= today and not (year == today.year and n in (3, total - 1, total)):
            actions.decide_reconsideration(
                case,
                actor=admin,
                decided_on=min(decided, case.due_on),
                result=_weighted(rng, RECONSIDERATION_RESULTS),
            )
    return total


def _lawsuits(
    rng: random.Random,
    departments: dict[str, Department],
    admin: User,
    year: int,
    today: datetime.date,
) -> int:
    total = 12 if year < today.year else 10
    days = sorted(_day(rng, year, today - datetime.timedelta(days=40)) for _n in range(total))
    for n, filed in enumerate(days, start=1):
        second = n % 5 == 0
        defendant = _weighted(rng, RESPONDENTS)
        litigation = Litigation(
            case_number=f"（{year}）鲁04{'行终' if second else '05行初'}{n}号",
            court="枣庄市中级人民法院" if second else "台儿庄区人民法院",
            instance="second" if second else "first",
            department=departments[defendant],
            plaintiff_name=_person(rng),
            cause=rng.choice(MATTERS[defendant]),
            filed_on=filed,
        )
        litigation.full_clean()
        litigation.save()
        held = filed + datetime.timedelta(days=rng.randint(25, 40))
        for sitting in range(2 if rng.random() < 0.25 else 1):
            day = held + datetime.timedelta(days=21 * sitting)
            hearing = Hearing(litigation=litigation, held_on=day)
            hearing.full_clean()
            hearing.save()
            if day > today:
                continue  # scheduled
            # Last year the head missed one hearing for an irreplaceable duty; not this year.
            absent = year < today.year and n == 4
            head = _person(rng)
            actions.record_hearing_appearance(
                hearing,
                actor=admin,
                appeared=not absent,
                attendees=f"{head}、{_person(rng)}（法制机构）" if not absent else _person(rng),
                head_name=head,
                head_position=rng.choice(["局长", "副局长", "党组成员、副局长"]),
                absence_reason="irreplaceable_duty" if absent else "",
            )
        end = held + datetime.timedelta(days=rng.randint(20, 90))
        if end <= today:
            litigation.concluded_on, litigation.result = end, _weighted(rng, LITIGATION_RESULTS)
            if second:
                litigation.result = "appeal_dismissed"
            litigation.full_clean()
            litigation.save()
    return total


def _rooms(rng: random.Random, departments: dict[str, Department], today: datetime.date) -> int:
    rooms = [(name, key, partner, True) for name, key, partner in ROOMS]
    rooms += [(name, key, "", False) for name, key in ORDINARY_ROOMS]
    for name, key, partner, branded in rooms:
        mediator = name[:2] if name.startswith("老") else ""
        lead = (mediator.replace("老", "") + rng.choice(GIVEN)) if mediator else _person(rng)
        room = MediationRoom(
            name=name,
            township=departments[key],
            address=f"{departments[key].short_name}{rng.choice(['综治中心', '司法所', '村委会'])}",
            mediators="\n".join([f"{lead}（首席调解员）", _person(rng), _person(rng)]),
            is_branded=branded,
            is_cross_province=bool(partner),
            partner_region=partner,
            established_on=datetime.date(
                rng.choice([2017, 2018, 2019, 2020]), rng.randint(1, 12), 1
            ),
        )
        room.full_clean()
        room.save()
    return len(rooms)


def _mediations(rng: random.Random, admin: User, year: int, today: datetime.date) -> int:
    rooms = list(MediationRoom.objects.order_by("pk"))
    total = 60 if year < today.year else 50
    for _n in range(total):
        room = rng.choice(rooms)
        received = _day(rng, year, today)
        case = MediationCase(
            room=room,
            parties=f"{_person(rng)}与{_person(rng)}",
            dispute_type=_weighted(rng, DISPUTE_TYPES),
            is_cross_province=room.is_cross_province and rng.random() < 0.4,
            received_on=received,
        )
        case.full_clean()
        case.save()
        closed = received + datetime.timedelta(days=rng.randint(1, 25))
        if closed > today:
            continue
        success = rng.random() < 0.93
        amount = Decimal(rng.randrange(500, 30000, 100)) if rng.random() < 0.5 else None
        actions.close_mediation_case(
            case,
            actor=admin,
            result="succeeded" if success else rng.choice(["failed", "terminated"]),
            closed_on=closed,
            agreement=(
                "双方自愿达成协议，" + ("一次性支付补偿款" if amount else "互谅互让、停止侵害")
            )
            if success
            else "",
            agreement_amount=amount if success else None,
        )
        follow_up = closed + datetime.timedelta(days=rng.randint(10, 30))
        if success and follow_up <= today:
            case.refresh_from_db()
            case.follow_up_on, case.follow_up_note = follow_up, "协议已履行，双方无异议"
            case.full_clean()
            case.save()
    return total


# Where the district's nominees for leading posts come from: its bureaus and its townships.
NOMINATING = (
    "ndrc", "education", "civil", "finance", "hrss", "housing", "transport", "agriculture",
    "culture", "health", "emergency", "market", "approval", "enforcement", "justice",
    "yunhe", "pizhuang", "zhangshanzi", "nigou", "jiantouji", "malantun",
)  # fmt: skip


def _positions(department: Department) -> tuple[str, ...]:
    """The posts a nominee may be appointed to in `department`: a 镇's 镇长, a 街道's 主任, a
    bureau's 局长."""
    if department.kind == DepartmentKind.TOWNSHIP:
        return ("副主任", "主任") if department.name.endswith("街道办事处") else ("副镇长", "镇长")
    return ("副局长", "局长")


def _exams(
    rng: random.Random, departments: dict[str, Department], year: int, today: datetime.date
) -> int:
    count = 0
    for month in (3, 6, 9, 12):
        day = datetime.date(year, month, 18)
        if day > today:
            break
        for _n in range(rng.randint(3, 6)):
            key = rng.choice(NOMINATING)
            position = rng.choice(_positions(departments[key]))
            exam = PreAppointmentExam(
                nominee_name=_person(rng),
                position=position,
                department=departments[key],
                # The standing committee appoints the heads of the government's departments.
                is_congress_appointment=position == "局长" and rng.random() < 0.6,
                exam_on=day,
                score=Decimal(56 if rng.random() < 0.06 else rng.randint(72, 98)),
            )
            exam.full_clean()
            exam.save()
            count += 1
    return count


def _trainings(
    rng: random.Random, departments: dict[str, Department], year: int, today: datetime.date
) -> int:
    sessions = [
        ("行政执法人员培训班", True, "justice", 16, 180),
        ("行政执法证件资格考试考前培训", True, "justice", 8, 120),
        ("行政复议应诉能力培训", False, "justice", 6, 60),
        ("领导干部学法讲座：行政诉讼与负责人出庭应诉", False, "justice", 3, 90),
        ("市场监管执法办案规范培训", True, "market", 8, 70),
        ("综合行政执法业务培训", True, "enforcement", 12, 85),
        ("人民调解员业务培训", False, "justice", 6, 110),
        ("优化营商环境法规培训", False, "approval", 4, 50),
    ]
    count = 0
    for index, (title, enforcement, key, hours, people) in enumerate(sessions):
        day = datetime.date(year, 2 + index, 10 + rng.randint(0, 10))
        if day > today:
            continue
        session = TrainingSession(
            title=title,
            held_on=day,
            organiser=departments[key],
            hours=Decimal(hours),
            participant_count=people + rng.randint(-10, 10),
            is_enforcement_training=enforcement,
        )
        session.full_clean()
        session.save()
        count += 1
    return count


def _study(
    rng: random.Random, departments: dict[str, Department], year: int, today: datetime.date
) -> int:
    count = 0
    for key in STUDY_DEPARTMENTS:
        for month in range(1, 13, 2):
            day = datetime.date(year, month, rng.randint(5, 25))
            if day > today:
                break
            record = StudyRecord(
                department=departments[key],
                person_name=f"{departments[key].short_name}领导班子"
                if month % 4 == 1
                else _person(rng),
                studied_on=day,
                topic=rng.choice(TOPICS),
                hours=Decimal(rng.choice(["1", "1.5", "2", "3"])),
                is_collective=month % 4 == 1,
            )
            record.full_clean()
            record.save()
            count += 1
    return count

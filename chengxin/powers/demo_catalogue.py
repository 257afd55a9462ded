"""The demo district's 权责清单: the items each department of 台儿庄区 exercises, after the pattern
of published county-level lists in 山东 (区县权责清单, 2021–2024 editions).

Each item is one a county department really holds, named as those lists name it, with its legal
basis to the article (the texts as in force on 2026-12-07). Licences that 山东's districts
transferred to the 行政审批服务局 (相对集中行政许可权改革) sit there, not with the department
that supervises afterwards; 公安, 消防 and 市场监管 keep their own registrations and licences. A
行政处罚 is named "对……的行政处罚" around the violation as it reads on a decision, so that the
violation remains when that frame is taken off (cases.demo does), and the market, enforcement,
environment, transport, emergency, health and fire items cite the same articles as their
decisions in publicity.samples.PROFILES. No item is under a law its department does not enforce.

Deliberately absent: items a county does not hold (律师执业许可 is the province's, lawyers'
penalties the city's, 港口经营 and 无线电 the city's), items that exist nowhere (会计信息质量许可),
and laws renumbered recently whose new articles are not cited here (治安管理处罚法 2025, 矿产资源法
2024, 文物保护法 2024, 统计法 2024, 反不正当竞争法 2025).
"""

from __future__ import annotations

from typing import NamedTuple


class Entry(NamedTuple):
    """One item of the list: its category code (powers' national categories), name and basis."""

    category: str
    name: str
    basis: str


(
    LICENSE,
    PENALTY,
    COERCION,
    LEVY,
    PAYMENT,
    INSPECTION,
    CONFIRMATION,
    REWARD,
    ADJUDICATION,
    OTHER,
) = (
    "license",
    "penalty",
    "coercion",
    "levy",
    "payment",
    "inspection",
    "confirmation",
    "reward",
    "adjudication",
    "other",
)

FOOD = "《中华人民共和国食品安全法》"
ENERGY = "《中华人民共和国节约能源法》"
LAND = "《中华人民共和国土地管理法》"
SAFETY = "《中华人民共和国安全生产法》"
FIRE = "《中华人民共和国消防法》"
ROADS = "《中华人民共和国道路交通安全法》"
CITY = "《城市市容和环境卫生管理条例》"
WATER = "《中华人民共和国水法》"
SOIL = "《中华人民共和国水土保持法》"
PROCUREMENT = "《中华人民共和国政府采购法》"
FUND = "《医疗保障基金使用监督管理条例》"
SOCIETIES = "《社会团体登记管理条例》"
NON_PROFITS = "《民办非企业单位登记管理暂行条例》"
RELIEF = "《社会救助暂行办法》"
PRIVATE_SCHOOLS = "《中华人民共和国民办教育促进法》"
PROJECTS = "《企业投资项目核准和备案管理条例》"
QUALITY = "《建设工程质量管理条例》"
TOURISM = "《中华人民共和国旅游法》"
INTERNET_CAFES = "《互联网上网服务营业场所管理条例》"
WAGES = "《保障农民工工资支付条例》"
SOCIAL_INSURANCE = "《中华人民共和国社会保险法》"
PESTICIDES = "《农药管理条例》"
AIR = "《中华人民共和国大气污染防治法》"
SPECIAL_EQUIPMENT = "《中华人民共和国特种设备安全法》"
PUBLIC_PLACES = "《公共场所卫生管理条例》"

# Department key (accounts.demo) → its items, in the order the published list gives them.
CATALOGUE: dict[str, tuple[Entry, ...]] = {
    "ndrc": (
        Entry(
            PENALTY,
            "对实行核准管理的项目未依法办理核准手续开工建设的行政处罚",
            f"{PROJECTS}第十八条",
        ),
        Entry(
            PENALTY,
            "对备案项目未依法告知项目信息或者提供虚假信息的行政处罚",
            f"{PROJECTS}第十九条",
        ),
        Entry(
            PENALTY,
            "对开工建设不符合强制性节能标准的固定资产投资项目的行政处罚",
            f"{ENERGY}第六十八条第二款",
        ),
        Entry(INSPECTION, "对节能法律法规和节能标准执行情况的监督检查", f"{ENERGY}第十二条"),
        Entry(OTHER, "企业投资项目备案", f"{PROJECTS}第三条、第十三条"),
        Entry(OTHER, "政府制定价格成本监审", "《中华人民共和国价格法》第二十二条"),
        Entry(
            REWARD,
            "对节能管理和节能技术推广应用中成绩显著的单位和个人给予表彰奖励",
            f"{ENERGY}第六十七条",
        ),
    ),
    "education": (
        Entry(LICENSE, "教师资格认定", "《教师资格条例》第十三条"),
        Entry(
            PENALTY,
            "对擅自举办民办学校的行政处罚",
            f"{PRIVATE_SCHOOLS}第六十四条",
        ),
        Entry(
            PENALTY,
            "对民办学校擅自分立、合并的行政处罚",
            f"{PRIVATE_SCHOOLS}第六十二条第一项",
        ),
        Entry(
            PENALTY,
            "对民办学校发布虚假招生简章或者广告骗取钱财的行政处罚",
            f"{PRIVATE_SCHOOLS}第六十二条第三项",
        ),
        Entry(
            PENALTY,
            "对未经批准擅自经营高危险性体育项目的行政处罚",
            "《全民健身条例》第三十六条",
        ),
        Entry(INSPECTION, "对民办学校办学活动的监督检查", f"{PRIVATE_SCHOOLS}第四十一条"),
        Entry(PAYMENT, "家庭经济困难学生资助", "《中华人民共和国教育法》第三十八条"),
        Entry(
            REWARD,
            "对教育教学工作中成绩突出的教师给予表彰奖励",
            "《中华人民共和国教师法》第三十三条",
        ),
    ),
    "industry": (
        Entry(
            PENALTY,
            "对使用国家明令淘汰的用能设备或者生产工艺的行政处罚",
            f"{ENERGY}第七十一条",
        ),
        Entry(
            PENALTY,
            "对重点用能单位未按照规定报送能源利用状况报告的行政处罚",
            f"{ENERGY}第八十二条",
        ),
        Entry(
            PENALTY,
            "对重点用能单位未按照规定设立能源管理岗位、聘任能源管理负责人的行政处罚",
            f"{ENERGY}第八十四条",
        ),
        Entry(INSPECTION, "对工业企业节能情况的监督检查", f"{ENERGY}第十二条、第五十四条"),
    ),
    "police": (
        Entry(
            LICENSE,
            "烟花爆竹道路运输许可",
            "《烟花爆竹安全管理条例》第二十二条",
        ),
        Entry(
            LICENSE,
            "举办焰火晚会及其他大型焰火燃放活动许可",
            "《烟花爆竹安全管理条例》第三十二条",
        ),
        Entry(CONFIRMATION, "户口登记", "《中华人民共和国户口登记条例》第三条"),
        Entry(CONFIRMATION, "居民身份证签发", "《中华人民共和国居民身份证法》第八条"),
        Entry(
            PENALTY,
            "对冒用他人居民身份证或者使用骗领的居民身份证的行政处罚",
            "《中华人民共和国居民身份证法》第十七条第一款第一项",
        ),
        Entry(PENALTY, "对饮酒后驾驶机动车的行政处罚", f"{ROADS}第九十一条第一款"),
        Entry(
            PENALTY,
            "对货运机动车超过核定载质量的行政处罚",
            f"{ROADS}第九十二条第二款",
        ),
        Entry(
            PENALTY,
            "对机动车未悬挂机动车号牌上道路行驶的行政处罚",
            f"{ROADS}第九十五条第一款",
        ),
        Entry(
            PENALTY,
            "对机动车所有人、管理人未按照国家规定投保机动车第三者责任强制保险的行政处罚",
            f"{ROADS}第九十八条第一款",
        ),
        Entry(
            PENALTY,
            "对未取得机动车驾驶证驾驶机动车的行政处罚",
            f"{ROADS}第九十九条第一款第一项",
        ),
        Entry(COERCION, "对醉酒的机动车驾驶人约束至酒醒", f"{ROADS}第九十一条第二款"),
        Entry(
            COERCION,
            "对使用伪造、变造的机动车号牌、行驶证的机动车予以扣留",
            f"{ROADS}第九十六条第一款",
        ),
    ),
    "civil": (
        Entry(LICENSE, "社会团体成立、变更、注销登记", f"{SOCIETIES}第三条"),
        Entry(LICENSE, "民办非企业单位成立、变更、注销登记", f"{NON_PROFITS}第三条"),
        Entry(CONFIRMATION, "内地居民婚姻登记", "《婚姻登记条例》第二条"),
        Entry(
            PENALTY,
            "对社会团体超出章程规定的宗旨和业务范围进行活动的行政处罚",
            f"{SOCIETIES}第三十条第一款第二项",
        ),
        Entry(
            PENALTY,
            "对未经登记擅自以社会团体名义进行活动的行政处罚",
            f"{SOCIETIES}第三十二条",
        ),
        Entry(
            PENALTY,
            "对民办非企业单位涂改、出租、出借登记证书或者印章的行政处罚",
            f"{NON_PROFITS}第二十五条第一款第一项",
        ),
        Entry(
            PENALTY,
            "对在公墓和农村公益性墓地以外的其他地方埋葬遗体、建造坟墓的行政处罚",
            "《殡葬管理条例》第二十条第一款",
        ),
        Entry(INSPECTION, "社会团体年度检查", f"{SOCIETIES}第二十八条"),
        Entry(PAYMENT, "最低生活保障金给付", f"{RELIEF}第九条"),
        Entry(PAYMENT, "特困人员救助供养", f"{RELIEF}第十四条"),
        Entry(PAYMENT, "临时救助", f"{RELIEF}第四十七条"),
        Entry(OTHER, "养老机构备案", "《中华人民共和国老年人权益保障法》第四十三条"),
    ),
    "justice": (
        Entry(PAYMENT, "法律援助", "《中华人民共和国法律援助法》第三十八条"),
        Entry(
            INSPECTION,
            "对律师事务所和律师执业活动的日常监督管理",
            "《中华人民共和国律师法》第五十二条",
        ),
        Entry(OTHER, "行政复议案件办理", "《中华人民共和国行政复议法》第四条"),
        Entry(OTHER, "对人民调解工作的指导", "《中华人民共和国人民调解法》第五条"),
        Entry(
            OTHER,
            "对违反监督管理规定的社区矫正对象给予训诫、警告",
            "《中华人民共和国社区矫正法》第二十八条",
        ),
        Entry(
            REWARD,
            "对有突出贡献的人民调解委员会和人民调解员给予表彰奖励",
            "《中华人民共和国人民调解法》第六条",
        ),
    ),
    "finance": (
        Entry(LICENSE, "代理记账机构设立审批", "《代理记账管理办法》第三条"),
        Entry(
            PENALTY,
            "对采购人应当采用公开招标方式而擅自采用其他方式采购的行政处罚",
            f"{PROCUREMENT}第七十一条第一项",
        ),
        Entry(
            PENALTY,
            "对供应商提供虚假材料谋取中标、成交的行政处罚",
            f"{PROCUREMENT}第七十七条第一款第一项",
        ),
        Entry(
            PENALTY,
            "对供应商与采购人、其他供应商或者采购代理机构恶意串通的行政处罚",
            f"{PROCUREMENT}第七十七条第一款第三项",
        ),
        Entry(INSPECTION, "对政府采购活动的监督检查", f"{PROCUREMENT}第五十九条"),
        Entry(ADJUDICATION, "政府采购投诉处理", f"{PROCUREMENT}第五十六条"),
    ),
    "hrss": (
        Entry(CONFIRMATION, "工伤认定", "《工伤保险条例》第十七条"),
        Entry(
            PENALTY,
            "对用人单位违反规定延长劳动者工作时间的行政处罚",
            "《劳动保障监察条例》第二十五条",
        ),
        Entry(
            PENALTY,
            "对使用童工的行政处罚",
            "《禁止使用童工规定》第六条第一款",
        ),
        Entry(
            PENALTY,
            "对施工总承包单位未按规定开设或者使用农民工工资专用账户的行政处罚",
            f"{WAGES}第五十五条第一项",
        ),
        Entry(
            PENALTY,
            "对用人单位以实物、有价证券等形式代替货币支付农民工工资的行政处罚",
            f"{WAGES}第五十七条第一项",
        ),
        Entry(
            PENALTY,
            "对用人单位不办理社会保险登记的行政处罚",
            f"{SOCIAL_INSURANCE}第八十四条",
        ),
        Entry(
            PENALTY,
            "对以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的行政处罚",
            f"{SOCIAL_INSURANCE}第八十八条",
        ),
        Entry(
            PENALTY,
            "对用人单位未建立职工名册的行政处罚",
            "《中华人民共和国劳动合同法实施条例》第三十三条",
        ),
        Entry(INSPECTION, "劳动保障监察", "《劳动保障监察条例》第十一条"),
    ),
    "land": (
        Entry(CONFIRMATION, "不动产登记", "《不动产登记暂行条例》第七条"),
        Entry(LEVY, "集体土地征收的组织实施", f"{LAND}第四十七条"),
        Entry(
            PENALTY,
            "对未经批准非法占用土地的行政处罚",
            f"{LAND}第七十七条第一款",
        ),
        Entry(
            PENALTY,
            "对买卖或者以其他形式非法转让土地的行政处罚",
            f"{LAND}第七十四条",
        ),
        Entry(
            PENALTY,
            "对占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、取土的行政处罚",
            f"{LAND}第七十五条",
        ),
        Entry(
            PENALTY,
            "对盗伐林木的行政处罚",
            "《中华人民共和国森林法》第七十六条第一款",
        ),
        Entry(
            PENALTY,
            "对滥伐林木的行政处罚",
            "《中华人民共和国森林法》第七十六条第二款",
        ),
        Entry(INSPECTION, "对土地管理法律法规执行情况的监督检查", f"{LAND}第六十七条"),
    ),
    "environment": (
        Entry(
            PENALTY,
            "对建设项目环境影响报告书、报告表未依法报批擅自开工建设的行政处罚",
            "《中华人民共和国环境影响评价法》第三十一条第一款",
        ),
        Entry(
            PENALTY,
            "对超过大气污染物排放标准排放大气污染物的行政处罚",
            f"{AIR}第九十九条第二项",
        ),
        Entry(
            PENALTY,
            "对未取得排污许可证排放污染物的行政处罚",
            "《排污许可管理条例》第三十三条第一项",
        ),
        Entry(
            PENALTY,
            "对通过暗管、渗井、渗坑等逃避监管的方式排放水污染物的行政处罚",
            "《中华人民共和国水污染防治法》第八十三条第三项",
        ),
        Entry(
            PENALTY,
            "对未按照规定贮存危险废物的行政处罚",
            "《中华人民共和国固体废物污染环境防治法》第一百一十二条",
        ),
        Entry(
            PENALTY,
            "对配套建设的环境保护设施未经验收主体工程即投入生产或者使用的行政处罚",
            "《建设项目环境保护管理条例》第二十三条第一款",
        ),
        Entry(
            COERCION,
            "对违法排放污染物造成或者可能造成严重污染的设施、设备予以查封、扣押",
            "《中华人民共和国环境保护法》第二十五条",
        ),
        Entry(
            INSPECTION,
            "对排放污染物的企业事业单位和其他生产经营者的现场检查",
            "《中华人民共和国环境保护法》第二十四条",
        ),
    ),
    "housing": (
        Entry(
            PENALTY,
            "对建设单位未取得施工许可证擅自施工的行政处罚",
            f"{QUALITY}第五十七条",
        ),
        Entry(
            PENALTY,
            "对建设单位未组织竣工验收擅自交付使用的行政处罚",
            f"{QUALITY}第五十八条第一项",
        ),
        Entry(
            PENALTY,
            "对施工单位未对建筑材料、建筑构配件、设备和商品混凝土进行检验的行政处罚",
            f"{QUALITY}第六十五条",
        ),
        Entry(
            PENALTY,
            "对未取得商品房预售许可证预售商品房的行政处罚",
            "《中华人民共和国城市房地产管理法》第六十八条",
        ),
        Entry(
            PENALTY,
            "对物业服务企业将一个物业管理区域内的全部物业管理一并委托给他人的行政处罚",
            "《物业管理条例》第五十九条",
        ),
        Entry(INSPECTION, "建设工程质量监督检查", f"{QUALITY}第四十七条"),
        Entry(OTHER, "建设工程竣工验收备案", f"{QUALITY}第四十九条"),
    ),
    "transport": (
        Entry(PENALTY, "对车辆违法超限运输的行政处罚", "《公路安全保护条例》第六十四条"),
        Entry(
            PENALTY,
            "对未取得道路运输经营许可擅自从事道路普通货物运输经营的行政处罚",
            "《中华人民共和国道路运输条例》第六十三条第一项",
        ),
        Entry(
            PENALTY,
            "对擅自占用、挖掘公路的行政处罚",
            "《中华人民共和国公路法》第七十六条第二项",
        ),
        Entry(
            PENALTY,
            "对在公路用地范围内设置公路标志以外的其他标志的行政处罚",
            "《中华人民共和国公路法》第七十九条",
        ),
        Entry(
            INSPECTION,
            "对公路保护法律法规执行情况的监督检查",
            "《中华人民共和国公路法》第六十九条",
        ),
    ),
    "water": (
        Entry(LEVY, "水土保持补偿费征收", f"{SOIL}第三十二条第二款"),
        Entry(
            PENALTY,
            "对未经批准擅自取水的行政处罚",
            f"{WATER}第六十九条第一项",
        ),
        Entry(
            PENALTY,
            "对在河道管理范围内建设妨碍行洪的建筑物、构筑物的行政处罚",
            f"{WATER}第六十五条第一款",
        ),
        Entry(
            PENALTY,
            "对生产建设项目水土保持方案未经批准擅自开工建设的行政处罚",
            f"{SOIL}第五十三条第一项",
        ),
        Entry(PENALTY, "对拒不缴纳水土保持补偿费的行政处罚", f"{SOIL}第五十七条"),
        Entry(INSPECTION, "水政监督检查", f"{WATER}第六十条"),
    ),
    "agriculture": (
        Entry(
            PENALTY,
            "对未取得农药经营许可证经营农药的行政处罚",
            f"{PESTICIDES}第五十五条第一款第一项",
        ),
        Entry(
            PENALTY,
            "对农药经营者经营假农药的行政处罚",
            f"{PESTICIDES}第五十五条第一款第二项",
        ),
        Entry(
            PENALTY,
            "对生产经营假种子的行政处罚",
            "《中华人民共和国种子法》第七十四条",
        ),
        Entry(
            PENALTY,
            "对无兽药经营许可证经营兽药的行政处罚",
            "《兽药管理条例》第五十六条",
        ),
        Entry(
            PENALTY,
            "对使用炸鱼、毒鱼、电鱼等破坏渔业资源方法进行捕捞的行政处罚",
            "《中华人民共和国渔业法》第三十八条第一款",
        ),
        Entry(
            PENALTY,
            "对农村村民未经批准或者采取欺骗手段骗取批准非法占用土地建住宅的行政处罚",
            f"{LAND}第七十八条",
        ),
        Entry(INSPECTION, "对农药经营、使用活动的监督检查", f"{PESTICIDES}第四十一条"),
    ),
    "culture": (
        Entry(
            PENALTY,
            "对擅自从事娱乐场所经营活动的行政处罚",
            "《娱乐场所管理条例》第四十一条",
        ),
        Entry(PENALTY, "对未经许可经营旅行社业务的行政处罚", f"{TOURISM}第九十五条第一款"),
        Entry(
            PENALTY,
            "对未取得导游证从事导游活动的行政处罚",
            f"{TOURISM}第一百零二条第一款",
        ),
        Entry(
            PENALTY,
            "对擅自从事互联网上网服务经营活动的行政处罚",
            f"{INTERNET_CAFES}第二十七条",
        ),
        Entry(
            PENALTY,
            "对互联网上网服务营业场所接纳未成年人的行政处罚",
            f"{INTERNET_CAFES}第三十一条第二项",
        ),
        Entry(INSPECTION, "对旅游市场的监督检查", f"{TOURISM}第八十三条"),
    ),
    "health": (
        Entry(
            PENALTY,
            "对未取得医疗机构执业许可证擅自执业的行政处罚",
            "《中华人民共和国基本医疗卫生与健康促进法》第九十九条第一款",
        ),
        Entry(
            PENALTY,
            "对公共场所经营者未取得卫生许可证擅自营业的行政处罚",
            f"{PUBLIC_PLACES}第十四条第一款第四项",
        ),
        Entry(
            PENALTY,
            "对公共场所从业人员未获得健康合格证而从事直接为顾客服务的行政处罚",
            f"{PUBLIC_PLACES}第十四条第一款第二项",
        ),
        Entry(
            PENALTY,
            "对用人单位未按照规定组织职业健康检查的行政处罚",
            "《中华人民共和国职业病防治法》第七十一条第四项",
        ),
        Entry(INSPECTION, "公共场所卫生监督检查", f"{PUBLIC_PLACES}第十条"),
    ),
    "emergency": (
        Entry(
            PENALTY,
            "对生产经营单位未按照规定对从业人员进行安全生产教育和培训的行政处罚",
            f"{SAFETY}第九十七条第三项",
        ),
        Entry(
            PENALTY,
            "对生产经营单位主要负责人未履行安全生产管理职责的行政处罚",
            f"{SAFETY}第九十四条",
        ),
        Entry(
            PENALTY,
            "对生产经营单位未采取措施消除事故隐患的行政处罚",
            f"{SAFETY}第一百零二条",
        ),
        Entry(
            PENALTY,
            "对发生生产安全事故负有责任的生产经营单位的行政处罚",
            f"{SAFETY}第一百一十四条",
        ),
        Entry(
            PENALTY,
            "对未取得危险化学品经营许可证从事危险化学品经营的行政处罚",
            "《危险化学品安全管理条例》第七十七条第三款",
        ),
        Entry(
            COERCION,
            "对不符合保障安全生产的国家标准或者行业标准的设施、设备、器材予以查封、扣押",
            f"{SAFETY}第六十五条第一款第四项",
        ),
        Entry(
            INSPECTION,
            "对生产经营单位执行安全生产法律法规和标准情况的监督检查",
            f"{SAFETY}第六十五条",
        ),
    ),
    "market": (
        Entry(
            LICENSE,
            "个体工商户设立、变更、注销登记",
            "《中华人民共和国市场主体登记管理条例》第三条",
        ),
        Entry(LICENSE, "特种设备使用登记", f"{SPECIAL_EQUIPMENT}第三十三条"),
        Entry(
            PENALTY,
            "对生产经营超过保质期的食品的行政处罚",
            f"{FOOD}第一百二十四条第一款第五项",
        ),
        Entry(
            PENALTY,
            "对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
            f"{FOOD}第一百二十二条第一款",
        ),
        Entry(
            PENALTY,
            "对食品经营者进货时未查验许可证和相关证明文件的行政处罚",
            f"{FOOD}第一百二十六条第一款第三项",
        ),
        Entry(
            PENALTY,
            "对未经设立登记从事经营活动的行政处罚",
            "《中华人民共和国市场主体登记管理条例》第四十三条",
        ),
        Entry(
            PENALTY,
            "对以不合格产品冒充合格产品的行政处罚",
            "《中华人民共和国产品质量法》第五十条",
        ),
        Entry(
            PENALTY,
            "对使用未经检验或者检验不合格的特种设备的行政处罚",
            f"{SPECIAL_EQUIPMENT}第八十四条第一项",
        ),
        Entry(
            PENALTY,
            "对未取得药品经营许可证销售药品的行政处罚",
            "《中华人民共和国药品管理法》第一百一十五条",
        ),
        Entry(
            PENALTY,
            "对发布虚假广告的行政处罚",
            "《中华人民共和国广告法》第五十五条第一款",
        ),
        Entry(
            PENALTY,
            "对经营者不执行政府指导价、政府定价的行政处罚",
            "《中华人民共和国价格法》第三十九条",
        ),
        Entry(
            PENALTY,
            "对经营者不明码标价的行政处罚",
            "《中华人民共和国价格法》第四十二条",
        ),
        Entry(
            PENALTY,
            "对经营者侵害消费者合法权益的行政处罚",
            "《中华人民共和国消费者权益保护法》第五十六条",
        ),
        Entry(
            COERCION,
            "对不符合食品安全标准的食品予以查封、扣押",
            f"{FOOD}第一百一十条第四项",
        ),
        Entry(INSPECTION, "对食品生产经营活动的监督检查", f"{FOOD}第一百一十条"),
        Entry(
            REWARD,
            "对举报食品安全违法行为的举报人给予奖励",
            f"{FOOD}第一百一十五条第一款",
        ),
    ),
    "medical": (
        Entry(
            PENALTY,
            "对定点医药机构分解住院、挂床住院的行政处罚",
            f"{FUND}第三十八条第一项",
        ),
        Entry(
            PENALTY,
            "对定点医药机构以伪造、变造医学文书等方式骗取医疗保障基金支出的行政处罚",
            f"{FUND}第四十条",
        ),
        Entry(
            PENALTY,
            "对个人将本人的医疗保障凭证交由他人冒名使用的行政处罚",
            f"{FUND}第四十一条第一款",
        ),
        Entry(INSPECTION, "医疗保障基金使用监督检查", f"{FUND}第二十七条"),
        Entry(PAYMENT, "医疗救助", f"{RELIEF}第二十八条"),
    ),
    "approval": (
        Entry(LICENSE, "食品经营许可", f"{FOOD}第三十五条第一款"),
        Entry(LICENSE, "药品零售企业经营许可", "《中华人民共和国药品管理法》第五十一条"),
        Entry(
            LICENSE,
            "道路普通货物运输经营许可",
            "《中华人民共和国道路运输条例》第二十四条",
        ),
        Entry(LICENSE, "建筑工程施工许可", "《中华人民共和国建筑法》第七条"),
        Entry(LICENSE, "商品房预售许可", "《中华人民共和国城市房地产管理法》第四十五条"),
        Entry(LICENSE, "取水许可", f"{WATER}第四十八条"),
        Entry(LICENSE, "林木采伐许可", "《中华人民共和国森林法》第五十六条"),
        Entry(LICENSE, "人力资源服务许可", "《人力资源市场暂行条例》第十八条"),
        Entry(LICENSE, "民办学校办学许可", f"{PRIVATE_SCHOOLS}第十二条"),
        Entry(LICENSE, "娱乐场所经营许可", "《娱乐场所管理条例》第九条"),
        Entry(LICENSE, "公共场所卫生许可", f"{PUBLIC_PLACES}第八条"),
        Entry(LICENSE, "农药经营许可", f"{PESTICIDES}第二十四条"),
        Entry(LICENSE, "兽药经营许可", "《兽药管理条例》第二十二条"),
        Entry(
            LICENSE,
            "危险化学品经营许可（不带储存设施）",
            "《危险化学品安全管理条例》第三十五条",
        ),
        Entry(
            OTHER,
            "第三类非药品类易制毒化学品经营备案",
            "《易制毒化学品管理条例》第十三条",
        ),
    ),
    "enforcement": (
        Entry(
            PENALTY,
            "对随意倾倒、抛撒或者堆放建筑垃圾的行政处罚",
            "《城市建筑垃圾管理规定》第二十六条",
        ),
        Entry(
            PENALTY,
            "对擅自占用城市道路堆放物料的行政处罚",
            "《城市道路管理条例》第二十七条第一项、第四十二条",
        ),
        Entry(
            PENALTY,
            "对未经同意擅自设置大型户外广告影响市容的行政处罚",
            f"{CITY}第三十六条第一项",
        ),
        Entry(
            PENALTY,
            "对擅自在街道两侧和公共场地搭建建筑物、构筑物或者其他设施的行政处罚",
            f"{CITY}第三十六条第二项",
        ),
        Entry(
            PENALTY,
            "对运输液体、散装货物不作密封、包扎、覆盖造成泄漏、遗撒的行政处罚",
            f"{CITY}第三十四条",
        ),
        Entry(
            PENALTY,
            "对未取得建设工程规划许可证进行建设的行政处罚",
            "《中华人民共和国城乡规划法》第六十四条",
        ),
        Entry(
            PENALTY,
            "对在禁止区域内露天烧烤食品的行政处罚",
            f"{AIR}第一百一十八条第三款",
        ),
        Entry(
            PENALTY,
            "对擅自砍伐城市树木的行政处罚",
            "《城市绿化条例》第二十六条第二项",
        ),
        Entry(
            COERCION,
            "对违法建设查封施工现场",
            "《中华人民共和国城乡规划法》第六十八条",
        ),
    ),
    "fire": (
        Entry(
            LICENSE,
            "公众聚集场所投入使用、营业前消防安全检查",
            f"{FIRE}第十五条",
        ),
        Entry(
            PENALTY,
            "对消防设施、器材未保持完好有效的行政处罚",
            f"{FIRE}第六十条第一款第一项",
        ),
        Entry(
            PENALTY,
            "对占用、堵塞、封闭疏散通道、安全出口的行政处罚",
            f"{FIRE}第六十条第一款第三项",
        ),
        Entry(
            PENALTY,
            "对埋压、圈占、遮挡消火栓或者占用防火间距的行政处罚",
            f"{FIRE}第六十条第一款第四项",
        ),
        Entry(
            PENALTY,
            "对公众聚集场所未经消防安全检查擅自投入使用、营业的行政处罚",
            f"{FIRE}第五十八条第一款第四项",
        ),
        Entry(
            PENALTY,
            "对人员密集场所使用不合格消防产品的行政处罚",
            f"{FIRE}第六十五条第二款",
        ),
        Entry(COERCION, "对危险部位或者场所采取临时查封措施", f"{FIRE}第五十四条"),
        Entry(INSPECTION, "消防监督检查", f"{FIRE}第五十三条"),
    ),
}

#!/usr/bin/env python3
"""Generate a year of sales-lead activity for one FAW-Volkswagen store, as a `leadctl replay` journal.

    python sample_data/generate.py            # writes sample_data/store_year.jsonl
    python sample_data/generate.py --check    # re-reads the journal and checks its invariants

Deterministic (fixed seed) and standard library only. Every line is one command as if typed at `at` by
staff member `as`; lines are in time order. The rules mirrored here are those of the "standard" policy
(DOMAIN.md sections 2-5): a new lead is first contacted the same day, then again within H 2, A 7, B 15,
C 30 days; D has no requirement; a planned next contact may be earlier than that, never later.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import unicodedata
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

SEED = 20261120
START = datetime(2025, 11, 21, 8, 0)
# The demo's "today" is 2026-11-20. Activity stops before the store opens that morning, so that
# `LEADCTL_NOW=2026-11-20T08:30 leadctl due` shows the morning's work: what is due today and what is
# overdue. No line is later than 2026-11-20T18:00.
END = datetime(2026, 11, 20, 8, 30)
TODAY = END.date()
OUT = Path(__file__).with_name("store_year.jsonl")
MAX_BYTES = 8 * 1024 * 1024

CADENCE = {"H": 2, "A": 7, "B": 15, "C": 30}  # standard policy; D: no requirement
GRADES = ("H", "A", "B", "C", "D")
# Store closed over the Spring Festival (除夕 to 初二, 2026-02-16..18).
CLOSED = {date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18)}

# ---------------------------------------------------------------------------------------------------
# Staff

MANAGER = "张建国"  # 销售经理, bootstraps the store
STAFF = [
    # (name, role, team, joined)
    (MANAGER, "manager", "showroom", None),
    ("刘海燕", "manager", "dcc", None),  # DCC 主管
    ("王丽", "receptionist", "showroom", None),
    ("陈晓雪", "receptionist", "showroom", None),
    ("李明", "consultant", "showroom", None),
    ("赵磊", "consultant", "showroom", None),
    ("孙浩", "consultant", "showroom", None),
    ("周婷", "consultant", "showroom", None),
    ("吴俊", "consultant", "showroom", None),
    ("郑凯", "consultant", "showroom", None),
    ("黄鹏", "consultant", "showroom", None),
    ("林佳怡", "consultant", "showroom", None),
    ("杨洋", "telesales", "dcc", None),
    ("何静", "telesales", "dcc", None),
    ("许文博", "telesales", "dcc", None),
    ("高雅琪", "telesales", "dcc", None),
    ("罗晨", "telesales", "dcc", None),
    ("胡志强", "direct-sales", "dcc", None),
    ("郭子豪", "direct-sales", "dcc", None),
    ("唐敏", "service", "showroom", None),  # 客服
    ("马超", "consultant", "showroom", datetime(2026, 3, 2, 8, 40)),  # joins in spring
]
RECEPTIONISTS = ["王丽", "陈晓雪"]
CONSULTANT_WEIGHT = {"李明": 1.25, "赵磊": 1.1, "孙浩": 1.0, "周婷": 1.15, "吴俊": 0.95, "郑凯": 0.9,
                     "黄鹏": 1.0, "林佳怡": 1.05, "马超": 0.8}
TELESALES = ["杨洋", "何静", "许文博", "高雅琪", "罗晨"]
DIRECT_SALES = ["胡志强", "郭子豪"]
JOINED = {name: joined for name, _r, _t, joined in STAFF}
DAY_OFF = {"李明": 1, "赵磊": 2, "孙浩": 3, "周婷": 1, "吴俊": 2, "郑凯": 3, "黄鹏": 0, "林佳怡": 4,
           "马超": 0, "杨洋": 5, "何静": 6, "许文博": 6, "高雅琪": 5, "罗晨": 6}

# ---------------------------------------------------------------------------------------------------
# Customers

SURNAMES = (
    "王" * 14 + "李" * 14 + "张" * 13 + "刘" * 10 + "陈" * 9 + "杨" * 6 + "黄" * 5 + "赵" * 5 + "吴" * 4
    + "周" * 4 + "徐" * 3 + "孙" * 3 + "马" * 3 + "朱" * 3 + "胡" * 3 + "郭" * 3 + "何" * 3 + "高" * 3
    + "林" * 2 + "罗" * 2 + "郑" * 2 + "梁" * 2 + "谢" * 2 + "宋" * 2 + "唐" * 2 + "许" * 2 + "韩" * 2
    + "冯" * 2 + "邓" * 2 + "曹" * 2 + "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦"
    "付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪"
)
MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志海峰亮东文博晨然睿泽宏玉成兵"
FEMALE = "芳娜敏静丽艳娟霞秀英慧婷雪琳颖玲佳倩楠璐蕾莉琴云萍红梅月欣悦婧瑶璇露晶燕怡丹洁妍蓉"
TWO_CHAR = ["建华", "志强", "海涛", "晓东", "文斌", "子豪", "俊杰", "宇航", "浩然", "嘉怡", "思雨", "欣怡",
            "雨桐", "梓涵", "一鸣", "天宇", "晓燕", "丽娟", "春梅", "秀兰", "国栋", "永刚", "红霞", "明辉",
            "立新", "卫东", "亚楠", "佳琪", "晓峰", "振宇", "海燕", "玉兰", "金龙", "志刚", "建军", "晓丽",
            "雪梅", "凤英", "博文", "家豪", "梦琪", "诗涵", "国华", "德明", "少华", "伟民", "春生", "雅静"]

MOBILE_PREFIXES = (
    [(str(p), 6) for p in range(130, 140)]
    + [(str(p), 1) for p in range(145, 150)]
    + [(str(p), 4) for p in range(150, 160) if p != 154]
    + [("166", 2)]
    + [(str(p), 1) for p in range(170, 179) if p not in (174,)]
    + [(str(p), 5) for p in range(180, 190)]
    + [("191", 2), ("198", 2), ("199", 3)]
)
LANDLINE_HEADS = "568"

# ---------------------------------------------------------------------------------------------------
# Cars and talk

MODELS = {  # model -> (weight, segment)
    "宝来": (15, "compact"), "速腾": (17, "compact"), "高尔夫": (5, "compact"), "迈腾": (13, "midsize"),
    "CC": (4, "midsize"), "探歌": (5, "small_suv"), "探影": (4, "small_suv"), "探岳": (14, "suv"),
    "探岳X": (3, "suv"), "揽境": (5, "large_suv"), "ID.4 CROZZ": (7, "ev"), "ID.6 CROZZ": (3, "ev"),
}
RIVALS = {
    "compact": ["轩逸", "卡罗拉", "思域", "朗逸", "秦L", "星瑞", "雷凌", "英朗"],
    "midsize": ["凯美瑞", "雅阁", "帕萨特", "天籁", "比亚迪汉", "亚洲龙"],
    "small_suv": ["缤智", "XR-V", "宋Pro", "途铠", "逍客"],
    "suv": ["途观L", "本田CR-V", "丰田RAV4", "宋PLUS", "星越L", "哈弗H6"],
    "large_suv": ["汉兰达", "途昂", "理想L6", "问界M7", "揽巡"],
    "ev": ["特斯拉Model Y", "宋PLUS EV", "元PLUS", "小鹏G6", "埃安Y", "深蓝S7"],
}
FEATURES = {
    "compact": ["外观", "油耗", "后排空间", "内饰质感", "底盘", "动力"],
    "midsize": ["后排空间", "内饰", "动力", "品牌", "舒适性", "外观"],
    "small_suv": ["外观", "油耗", "空间", "车机", "颜色"],
    "suv": ["空间", "动力", "四驱", "底盘", "车机", "后备厢"],
    "large_suv": ["七座空间", "第三排", "四驱", "舒适性", "配置"],
    "ev": ["续航", "充电", "智能座舱", "辅助驾驶", "电池质保"],
}
OLD_CARS = ["捷达", "老款宝来", "朗逸", "飞度", "福克斯", "凯越", "伊兰特", "马自达6", "老雅阁", "POLO",
            "桑塔纳", "科鲁兹", "锐志", "奇瑞瑞虎"]
DAYS = ["周六", "周日", "这周末", "下周一", "下周三", "下周末", "明天下午", "后天"]
COLOURS = ["白色", "黑色", "灰色", "蓝色", "银色", "红色"]
REFERRERS = ["老客户王先生", "老车主李女士", "老客户张总", "同事", "朋友", "亲戚", "老车主赵先生", "邻居"]

NOTES = {
    "first_sms": [
        "已发感谢到店短信，附{model}配置表和门店定位",
        "发送感谢短信，告知周末店内有{model}试驾活动",
        "感谢短信已发，客户回复收到，{day}再联系",
        "短信发送{model}本月优惠信息，客户回复会考虑",
    ],
    "first_visit": [
        "致谢电话回访，客户对{model}{feature}满意，主要顾虑价格",
        "电话回访，客户还在对比{rival}，约{day}再来试驾",
        "回访客户，意向{model}{colour}，询问有没有现车",
        "电话回访，客户说要和家人商量，{day}给答复",
        "电话回访，客户关心置换，旧车{old}，已约评估",
        "回访致谢，客户询问贷款方案，已发报价",
        "电话回访，客户觉得{model}优惠力度不够，想再等等",
        "微信已加，发送{model}报价单和金融方案",
        "微信发了{model}{colour}实拍视频，客户说挺喜欢",
        "回访客户，对{model}试驾感受不错，{feature}是加分项",
        "客户对比了{rival}，周末再来试驾",
        "电话回访，客户预算{budget}万左右，推荐{model}中配",
    ],
    "first_call": [
        "来电咨询{model}落地价，已加微信发报价",
        "客户来电问{model}有无现车，邀约{day}到店",
        "来电询问置换政策，旧车{old}，邀约到店评估",
        "客户来电咨询贷款首付，已发金融方案",
        "来电问{model}和{rival}的区别，已介绍{feature}优势，约{day}到店",
        "来电咨询{model}保养费用和质保政策，已解答",
        "来电询价，客户说外地店报价更低，已说明本店优惠",
    ],
    "first_list": [
        "网络线索首次外呼，客户确认关注{model}，已加微信",
        "首呼未接，短信说明{model}优惠，稍后再呼接通",
        "外呼接通，客户在汽车之家留资，正在对比{rival}",
        "首次外呼，客户预算{budget}万，推荐{model}，邀约{day}到店",
        "外呼接通，客户问{model}最低价，说到店再谈",
        "首呼接通，客户对{model}{feature}感兴趣，已发资料",
        "外呼客户，说只是了解一下，暂时不急",
        "懂车帝留资客户，外呼确认意向{model}，约{day}看车",
    ],
    "first_hq": [
        "总部下发线索，首呼接通，客户意向{model}",
        "总部线索外呼，客户表示在其他店看过车，还在比较",
        "首呼未接，短信已发，稍后再次接通，客户关注{model}",
        "总部线索，客户称留资时间较早，目前仍有购车计划",
        "总部下发线索，外呼接通，邀约{day}到店试驾{model}",
    ],
    "first_show": [
        "车展现场留资，当天电话致谢，约{day}到店试驾{model}",
        "车展签到客户，微信发送展会优惠政策",
        "车展现场看了{model}，电话回访，客户对{feature}满意",
        "车展留资，回访确认意向{model}，还在对比{rival}",
    ],
    "first_referral": [
        "{referrer}介绍，电话致谢，客户看好{model}",
        "转介绍客户，到店看了{model}，已发感谢短信",
        "{referrer}推荐来店，回访客户，对{model}{feature}满意",
    ],
    "first_repurchase": [
        "老车主增购，关注{model}，已发老客户专属政策",
        "老客户换购，旧车在本店保养，置换评估已预约",
        "老车主回访，家里再买一台{model}，给老客户优惠",
    ],
    "store": [
        "客户到店试驾{model}，对{feature}满意，谈价格差{gap}千元",
        "二次到店，带家人看车，重点问{feature}",
        "到店看现车颜色，交流置换方案，旧车评估{trade}万",
        "邀约到店成功，试驾{model}，客户回去考虑",
        "客户到店看{model}，对比{rival}后更倾向我们",
        "到店谈金融方案，首付{down}成，月供客户可接受",
        "到店复看，客户关心交车时间，已查库存",
        "客户带{relative}到店，{relative}对{model}比较满意",
    ],
    "up": [
        "客户主动询问本月优惠，意向增强",
        "客户确认预算，准备近期定车",
        "贷款预审已通过，约{day}到店谈细节",
        "家人同意买{model}，约时间谈最终价格",
        "客户说{rival}试驾后感觉不如{model}，想尽快定",
        "旧车评估价格客户已接受，准备置换{model}",
        "客户询问{colour}现车，催问交车周期",
    ],
    "down": [
        "客户说暂时不急，过段时间再看",
        "客户对价格不满意，还在看{rival}",
        "客户出差一个月，回来再联系",
        "家里有其他开销，购车推迟",
        "客户摇号/指标还没下来，先等等",
        "客户在等{model}新款上市",
        "客户说年底奖金下来再考虑",
    ],
    "same_hot": [
        "客户约{day}到店签单，已确认配置和颜色",
        "客户确认{model}{colour}，等最终报价",
        "已发合同样本和金融方案，客户在看",
        "客户问{model}交车周期，已查库存有现车",
        "客户在走贷款审批，资料已交齐",
        "电话回访，客户说{day}带{relative}来定车",
        "客户还差{gap}千元的价格，已申请经理特价",
    ],
    "same_warm": [
        "客户在对比两家店的{model}报价",
        "客户问{model}置换补贴，已发政策",
        "约{day}到店再试驾一次{model}",
        "电话回访，客户说月底前定下来",
        "客户在等{relative}一起来看车，约了{day}",
        "微信发送{model}{colour}现车照片，客户比较满意",
    ],
    "same": [
        "例行回访，客户仍在考虑{model}",
        "微信发送本月{model}促销信息，客户已读",
        "电话回访，客户表示还在比较{rival}",
        "客户询问{model}新款上市时间",
        "提醒客户本周末店内活动，客户说看时间",
        "回访未接通，已发短信告知优惠",
        "客户问{model}保险和上牌费用，已发明细",
        "电话回访，客户说{day}有空再来看车",
        "微信沟通置换，客户旧车{old}想卖个好价钱",
        "回访客户，对{model}{feature}还有疑问，已解释",
        "客户在等我们的报价调整，已申请经理特价",
    ],
    "to_d": [
        "客户已购买{rival}，停止跟进",
        "客户表示近期没有购车计划",
        "客户预算不够，明年再说",
        "多次电话未接，微信未回复，降为D级",
        "客户已在外地4S店订了{model}",
        "客户说家里暂时不换车了",
        "客户已在其他品牌店提车",
        "客户称号码是帮朋友留的，本人无需求",
    ],
    "hot_to_d": [
        "客户最终选了{rival}，停止跟进",
        "客户在外地店订了{model}，价格差距太大",
        "家里临时有事，购车计划搁置",
        "客户贷款没批下来，暂不购车",
        "客户单位派车了，暂不买车",
    ],
    "rescue": [
        "长时间未跟进，补回访：客户已购{rival}",
        "逾期补回访，客户表示暂无购车计划",
        "久未联系，补打电话，客户说已经买车了",
        "经理督促补回访，客户无意向，转D级",
    ],
    "d_touch": [
        "D级客户季度回访，客户暂无需求",
        "节日问候短信已发送",
        "回访客户，仍无购车计划，保持联系",
        "发送店庆活动邀请，客户未回复",
    ],
    "revive": [
        "客户重新有购车意向，关注{model}",
        "老客户回访，说明年家里要添车，想了解{model}",
    ],
}
DOWNGRADE_REASONS = ["客户购车时间推迟", "预算不足", "在对比竞品，意向减弱", "家人意见不一致"]
RELATIVES = ["爱人", "父母", "孩子", "朋友"]

# ---------------------------------------------------------------------------------------------------
# Volume: how many new leads per channel, and how they spread over the year

TARGETS = {"walk-in": 2620, "call": 640, "hotline": 150, "web": 800, "hq": 420, "show": 250,
           "referral": 260, "repurchase": 60, "no-contact": 175}
MONTH_INDEX = {11: 0.95, 12: 1.05, 1: 1.2, 2: 0.62, 3: 1.15, 4: 1.15, 5: 1.05, 6: 0.95, 7: 0.8, 8: 0.85,
               9: 1.1, 10: 1.2}
WEEKDAY_VISIT = [0.75, 0.7, 0.7, 0.75, 0.9, 1.8, 1.65]  # Mon..Sun
WEEKDAY_CALL = [1.1, 1.05, 1.0, 1.0, 1.0, 1.0, 0.8]
WEEKDAY_WEB = [1.25, 1.0, 1.0, 1.0, 1.0, 0.9, 0.85]
WEEKDAY_HQ = [1.2, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
SHOW_DAYS = ([date(2025, 12, 6), date(2025, 12, 7), date(2026, 1, 10), date(2026, 1, 11),
              date(2026, 3, 21), date(2026, 3, 22), date(2026, 6, 13), date(2026, 6, 14),
              date(2026, 9, 19), date(2026, 9, 20), date(2026, 11, 7), date(2026, 11, 8)]
             + [date(2026, 4, 25) + timedelta(days=i) for i in range(9)]    # 城市春季车展
             + [date(2026, 10, 1) + timedelta(days=i) for i in range(5)])   # 国庆车展


def day_factor(day: date) -> float:
    if day in CLOSED:
        return 0.0
    f = MONTH_INDEX[day.month]
    if date(2026, 1, 20) <= day <= date(2026, 2, 13):
        f *= 1.15  # before the Spring Festival
    if date(2026, 2, 14) <= day <= date(2026, 2, 22):
        f *= 0.45
    if date(2026, 10, 1) <= day <= date(2026, 10, 7):
        f *= 1.5   # National Day holiday traffic
    if date(2026, 5, 1) <= day <= date(2026, 5, 5):
        f *= 1.3
    return f


def channel_weight(channel: str, day: date) -> float:
    wd = day.weekday()
    base = day_factor(day)
    if channel in ("walk-in", "referral", "no-contact", "repurchase"):
        return base * WEEKDAY_VISIT[wd]
    if channel in ("call", "hotline"):
        return base * WEEKDAY_CALL[wd]
    if channel == "web":
        return base * WEEKDAY_WEB[wd]
    if channel == "hq":
        return base * WEEKDAY_HQ[wd]
    if channel == "show":
        return base if day in SHOW_DAYS else 0.0
    raise ValueError(channel)


# ---------------------------------------------------------------------------------------------------
# Small helpers


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pick(rng: random.Random, table: dict):
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def at_time(day: date, minutes: int) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)


HOURS_VISIT = {9: 0.5, 10: 1.2, 11: 1.1, 12: 0.6, 13: 0.8, 14: 1.2, 15: 1.3, 16: 1.1, 17: 0.8, 18: 0.45,
               19: 0.2}
HOURS_CALL = {9: 0.8, 10: 1.2, 11: 1.1, 12: 0.5, 13: 0.7, 14: 1.0, 15: 1.0, 16: 1.0, 17: 0.8, 18: 0.5,
              19: 0.4}
HOURS_WORK = {9: 0.6, 10: 1.2, 11: 1.1, 12: 0.4, 13: 0.7, 14: 1.1, 15: 1.2, 16: 1.1, 17: 0.9, 18: 0.6,
              19: 0.7, 20: 0.3}


def clock(rng: random.Random, day: date, hours: dict) -> datetime:
    return at_time(day, pick(rng, hours) * 60 + rng.randrange(60))


def open_on_or_after(day: date) -> date:
    while day in CLOSED:
        day += timedelta(days=1)
    return day


# ---------------------------------------------------------------------------------------------------
# The generator


class Generator:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.lines: list[tuple[str, int, dict]] = []
        self.phones: set[str] = set()
        self.return_visits: list[dict] = []  # intake args of return visits, for collisions
        self.stats = Counter()

    # journal -------------------------------------------------------------------------------------
    def emit(self, at: datetime, actor: str | None, cmd: str, args: dict) -> dict:
        assert at <= END, (at, cmd)
        clean = {k: v for k, v in args.items() if v is not None}
        line = {"at": iso(at), "as": actor, "cmd": cmd, "args": clean}
        self.lines.append((line["at"], len(self.lines), line))
        return clean

    # people --------------------------------------------------------------------------------------
    def customer_name(self) -> str:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.012:
            surname = rng.choice(["欧阳", "司马", "诸葛", "上官", "慕容"])
        female = rng.random() < 0.36
        r = rng.random()
        if r < 0.07:
            return surname + ("女士" if female else "先生")
        if r < 0.09:
            return surname + ("姐" if female else "总")
        if r < 0.42:
            return surname + rng.choice(FEMALE if female else MALE)
        if r < 0.55:
            return surname + rng.choice(TWO_CHAR)
        pool = FEMALE if female else MALE
        return surname + rng.choice(pool) + rng.choice(pool)

    def new_phone(self) -> tuple[str, str]:
        """(canonical, as written at intake); unique per customer."""
        rng = self.rng
        while True:
            if rng.random() < 0.012:
                local = rng.choice(LANDLINE_HEADS) + "".join(rng.choice("0123456789") for _ in range(7))
                canon = "010" + local
                if canon in self.phones:
                    continue
                self.phones.add(canon)
                written = rng.choice([f"010-{local[:4]} {local[4:]}", f"010-{local}", f"(010){local}"])
                return canon, written
            prefix = pick(rng, dict(MOBILE_PREFIXES))
            canon = prefix + "".join(rng.choice("0123456789") for _ in range(8))
            if canon in self.phones:
                continue
            self.phones.add(canon)
            return canon, (self.variant(canon) if rng.random() < 0.10 else canon)

    def variant(self, canon: str) -> str:
        if not canon.startswith("1"):
            return canon
        a, b, c = canon[:3], canon[3:7], canon[7:]
        return self.rng.choice([f"+86 {a} {b} {c}", f"{a}-{b}-{c}", f"86{canon}", f"{a} {b} {c}",
                                f"+86{canon}"])

    def ref(self, lead: dict) -> str:
        """How staff type the lead when grading or following up: usually the number as shown."""
        return self.variant(lead["phone"]) if self.rng.random() < 0.05 else lead["phone"]

    def on_duty(self, names: list[str], day: date, at: datetime | None = None) -> list[str]:
        out = [n for n in names if (JOINED.get(n) is None or JOINED[n] <= (at or at_time(day, 0)))
               and DAY_OFF.get(n) != day.weekday()]
        return out or [n for n in names if JOINED.get(n) is None]

    def consultant(self, day: date, at: datetime) -> str:
        names = self.on_duty(list(CONSULTANT_WEIGHT), day, at)
        return self.rng.choices(names, weights=[CONSULTANT_WEIGHT[n] for n in names])[0]

    def receptionist(self, day: date) -> str:
        if day.weekday() >= 5:
            return self.rng.choice(RECEPTIONISTS)
        return RECEPTIONISTS[day.toordinal() % 2]

    # talk ----------------------------------------------------------------------------------------
    def note(self, kind: str, lead: dict) -> str:
        rng = self.rng
        model = lead["talk_model"]
        seg = MODELS[model][1]
        return rng.choice(NOTES[kind]).format(
            model=model, rival=lead["rival"], feature=rng.choice(FEATURES[seg]), day=rng.choice(DAYS),
            colour=rng.choice(COLOURS), old=lead["old_car"], budget=rng.choice(BUDGET[seg]),
            referrer=rng.choice(REFERRERS), gap=rng.randint(2, 15), trade=rng.choice(["2.5", "3", "4.2", "5",
                                                                                     "6.8", "8"]),
            down=rng.choice(["两", "三", "四"]), relative=rng.choice(RELATIVES))

    # one lead's life -----------------------------------------------------------------------------
    def new_lead(self, channel: str, at: datetime) -> None:
        rng = self.rng
        day = at.date()
        if channel == "no-contact":
            return self.no_contact(at)
        model = pick(rng, {m: w for m, (w, _s) in MODELS.items()}) if rng.random() < 0.94 else None
        seg = MODELS[model][1] if model else "compact"
        canon, written = self.new_phone()
        lead = {"phone": canon, "name": self.customer_name(), "model": model, "channel": channel,
                "talk_model": model or rng.choice(["速腾", "探岳", "迈腾", "宝来"]),
                "rival": rng.choice(RIVALS[seg]), "old_car": rng.choice(OLD_CARS), "grade": None}
        args = {"name": lead["name"], "phone": written}
        if channel in ("walk-in", "referral", "repurchase"):
            actor = self.receptionist(day)
            owner = self.consultant(day, at)
            arrived, left, at = self.visit_times(at)
            test_drive = rng.random() < (0.38 if channel != "repurchase" else 0.5)
            args.update(channel=channel, owner=owner, model=model, arrived=iso(arrived), left=iso(left),
                        party=self.party(), test_drive=test_drive or None,
                        info_source=self.info_source(channel), trade_in=(rng.random() < 0.22) or None)
            kind = {"walk-in": "first_visit", "referral": "first_referral",
                    "repurchase": "first_repurchase"}[channel]
            lead["test_drive"] = test_drive
            self.stats["showroom visits"] += 1
        elif channel == "show":
            owner = actor = self.consultant(day, at)
            args.update(channel=channel, model=model, info_source="other",
                        test_drive=(rng.random() < 0.15) or None)
            kind = "first_show"
        else:  # call, hotline, web, hq: the DCC
            names = self.on_duty(TELESALES, day)
            actor = rng.choice(names)
            r = rng.random()
            owner = actor if r < 0.68 else rng.choice(DIRECT_SALES) if r < 0.9 else rng.choice(TELESALES)
            args.update(channel=channel, owner=owner if owner != actor else None, model=model,
                        info_source=self.info_source(channel), trade_in=(rng.random() < 0.12) or None)
            kind = {"call": "first_call", "hotline": "first_call", "web": "first_list",
                    "hq": "first_hq"}[channel]
        lead["owner"], lead["created"] = owner, at
        first = self.first_grade(channel, lead.get("test_drive", False))
        if channel in ("walk-in", "referral", "repurchase") and rng.random() < 0.4:
            # the consultant told the front desk how warm the customer seemed
            args["grade"] = first if rng.random() < 0.8 else rng.choice("ABC")
            lead["grade"] = args["grade"]
        self.emit(at, actor, "intake", args)
        self.stats["leads"] += 1
        self.stats[f"channel {channel}"] += 1
        self.life(lead, first, kind)

    def no_contact(self, at: datetime) -> None:
        rng = self.rng
        day = at.date()
        arrived, left, at = self.visit_times(at, short=True)
        model = pick(rng, {m: w for m, (w, _s) in MODELS.items()}) if rng.random() < 0.6 else None
        self.emit(at, self.receptionist(day), "intake", {
            "channel": "walk-in", "no_contact": True, "party": rng.choices([1, 2, 3, 4], [45, 35, 14, 6])[0],
            "owner": self.consultant(day, at), "model": model, "arrived": iso(arrived), "left": iso(left),
            "info_source": "passing" if rng.random() < 0.6 else None})
        self.stats["leads"] += 1
        self.stats["no-contact visits"] += 1
        self.stats["showroom visits"] += 1

    def visit_times(self, arrived: datetime, short: bool = False) -> tuple[datetime, datetime, datetime]:
        rng = self.rng
        stay = rng.randint(8, 25) if short else rng.choice([25, 35, 45, 60, 75, 90, 120])
        left = arrived + timedelta(minutes=stay + rng.randrange(10))
        return arrived, left, left + timedelta(minutes=rng.randint(1, 12))

    def party(self) -> int:
        return self.rng.choices([1, 2, 3, 4, 5], [42, 36, 14, 6, 2])[0]

    def info_source(self, channel: str) -> str | None:
        table = {
            "walk-in": {"passing": 30, "internet": 32, "friends": 18, "radio": 4, "newspaper": 2,
                        "magazine": 1, "phone": 3, "other": 10},
            "referral": {"friends": 100},
            "repurchase": {"other": 60, "friends": 20, "phone": 20},
            "call": {"internet": 45, "radio": 14, "newspaper": 6, "friends": 15, "magazine": 2, "other": 18},
            "hotline": {"internet": 50, "radio": 15, "other": 35},
            "web": {"internet": 100},
            "hq": {"internet": 80, "other": 20},
        }[channel]
        return pick(self.rng, table) if self.rng.random() < 0.9 else None

    def first_grade(self, channel: str, test_drive: bool) -> str:
        table = {
            "walk-in": [10, 26, 36, 21, 7], "referral": [15, 30, 32, 18, 5], "repurchase": [20, 36, 30, 10, 4],
            "show": [5, 18, 39, 29, 9], "call": [6, 23, 37, 26, 8], "hotline": [5, 21, 37, 28, 9],
            "web": [3, 16, 37, 32, 12], "hq": [2, 11, 32, 36, 19],
        }[channel]
        if test_drive:
            table = [table[0] * 1.8, table[1] * 1.4, table[2], table[3] * 0.6, table[4] * 0.5]
        return self.rng.choices(GRADES, table)[0]

    def next_grade(self, grade: str, age: int) -> str:
        table = {
            "H": [45, 30, 12, 3, 10], "A": [9, 59, 20, 5, 7], "B": [2, 8, 67, 16, 7],
            "C": [0, 2, 7, 79, 12],
        }[grade]
        weights = table[:4] + [table[4] * (1 + age / 50)]
        if age > 120:  # a lead still H/A after four months is not that hot
            weights[0] *= 0.4
            weights[1] *= 0.6
        return self.rng.choices(GRADES, weights)[0]

    def plan_days(self, grade: str) -> int:
        rng = self.rng
        return {
            "H": lambda: rng.choices([1, 2], [30, 70])[0],
            "A": lambda: rng.choices([3, 4, 5, 6, 7], [10, 8, 15, 10, 57])[0],
            "B": lambda: rng.choices([7, 10, 14, 15], [12, 14, 20, 54])[0],
            "C": lambda: rng.choices([14, 20, 21, 30], [8, 8, 14, 70])[0],
        }[grade]()

    def slip(self) -> int:
        return self.rng.choices([-1, 0, 1, 2, 3, 5, 8], [7, 60, 16, 7, 4, 4, 2])[0]

    def grade_command(self, lead: dict, grade: str, at: datetime, reason: str | None = None) -> None:
        rng = self.rng
        args: dict = {"lead": self.ref(lead)}
        forms = {"H": [{"need": True, "confidence": True, "power": True}],
                 "A": [{"within": "10d"}, {"within": "2w"}, {"need": True, "confidence": False, "power": True}],
                 "B": [{"within": "3m"}, {"need": True, "confidence": True, "power": False}],
                 "C": [{"need": False, "confidence": True, "power": True}],
                 "D": [{"need": True, "confidence": False, "power": False}]}
        if reason is not None:
            args.update(grade=grade, reason=reason)
        else:
            args.update(rng.choice(forms[grade]))
        self.emit(at, lead["owner"], "grade", args)
        self.stats["grade commands"] += 1

    def followup(self, lead: dict, at: datetime, kind: str, method: str, grade: str | None,
                 next_on: date | None) -> None:
        result = self.note(kind, lead)
        if method not in ("store", "visit"):  # say what was done the way it was done
            if "微信" in result:
                method = "wechat"
            elif any(word in result for word in ("电话", "外呼", "首呼", "来电", "未接")):
                method = "phone"
            elif "短信" in result:
                method = "sms"
        args = {"lead": self.ref(lead), "result": result, "method": method, "grade": grade,
                "next": next_on.isoformat() if next_on else None}
        self.emit(at, lead["owner"], "followup", args)
        lead["last"] = at
        self.stats["followups"] += 1

    def plan(self, grade: str, day: date, old: str | None = None) -> tuple[date | None, date]:
        """(the `next` to write, or None; the day the owner actually calls next).

        leadctl checks `next` against the grade the follow-up gives, else the lead's current grade. When
        the new grade comes afterwards by a `grade` command, `old` is that current grade: a `next` that
        its cadence would not allow (a downgrade) is left out.
        """
        rng = self.rng
        if grade not in CADENCE:
            return None, open_on_or_after(day + timedelta(days=rng.randint(60, 150)))
        k = self.plan_days(grade)
        planned = day + timedelta(days=k)
        fits = old not in CADENCE or k <= CADENCE[old]
        written = planned if fits and rng.random() < 0.86 else None
        actual = planned + timedelta(days=self.slip())
        if actual <= day:
            actual = day + timedelta(days=1)
        return written, open_on_or_after(actual)

    def work_time(self, day: date, after: datetime | None = None) -> datetime:
        t = clock(self.rng, day, HOURS_WORK)
        if after is not None and t <= after:
            t = after + timedelta(minutes=self.rng.randint(5, 40))
        return t

    def life(self, lead: dict, grade: str, kind: str) -> None:
        rng = self.rng
        created = lead["created"]
        day = created.date()
        # --- first contact: the same day as a rule -------------------------------------------------
        r = rng.random()
        if r < 0.004 + (0.05 if (TODAY - day).days < 3 else 0):
            self.stats["never contacted"] += 1
            return
        if r < 0.93:
            limit = min(created + timedelta(minutes=240), at_time(day, 21 * 60 + 50))
            span = int((limit - created).total_seconds() // 60)
            t = created + timedelta(minutes=rng.randint(20, span) if span >= 20 else rng.randint(3, 8))
        else:
            late = rng.choices([1, 2, 3], [70, 20, 10])[0]
            t = self.work_time(open_on_or_after(day + timedelta(days=late)))
            self.stats["first contact late"] += 1
        if t > END:
            return
        if kind == "first_visit" and rng.random() < 0.3:
            kind, method = "first_sms", "sms"
        elif kind in ("first_visit", "first_referral", "first_repurchase", "first_show"):
            method = rng.choices(["phone", "wechat", "sms"], [62, 30, 8])[0]
        else:
            method = rng.choices(["phone", "wechat", "sms"], [80, 12, 8])[0]
        previous = lead["grade"]
        by_command = rng.random() < 0.1
        written, actual = self.plan(grade, t.date(), old=previous if by_command else None)
        self.followup(lead, t, kind, method, None if by_command else grade, written)
        if by_command:
            self.grade_command(lead, grade, t + timedelta(minutes=rng.randint(1, 4)))
        lead["grade"] = grade
        self.stats["first contacts"] += 1
        # --- then on cadence, until the lead settles to D or goes quiet -------------------------------
        while True:
            day = actual
            if at_time(day, 9 * 60) > END:
                return
            age = (day - created.date()).days
            g = lead["grade"]
            if g == "D":
                if rng.random() < 0.35:
                    t = self.work_time(day, lead["last"])
                    if t > END:
                        return
                    if rng.random() < 0.12:
                        new = rng.choice("BC")
                        written, actual = self.plan(new, day, old="D")
                        self.followup(lead, t, "revive", "phone", new, written)
                        lead["grade"] = new
                        continue
                    self.followup(lead, t, "d_touch", rng.choice(["sms", "wechat", "phone"]), None, None)
                return
            if rng.random() < (0.017 if age < 60 else 0.03):
                # the owner stops calling; months later a manager makes them close it out, or nobody does
                self.stats["went quiet"] += 1
                if rng.random() < 0.85:
                    day = open_on_or_after(day + timedelta(days=rng.randint(10, 75)))
                    t = self.work_time(day, lead["last"])
                    if t <= END:
                        self.followup(lead, t, "rescue", "phone", "D", None)
                        lead["grade"] = "D"
                        self.stats["rescued"] += 1
                return
            new = self.next_grade(g, age)
            store = rng.random() < {"H": 0.09, "A": 0.05, "B": 0.018, "C": 0.005}[g]
            if store and lead["phone"]:
                t = self.return_visit(lead, day)
                if t is None:
                    return
                if new == "D":
                    new = g
                method, note = "store", "store"
            else:
                t = self.work_time(day, lead["last"])
                if t > END:
                    return
                method = rng.choices(["phone", "wechat", "sms", "visit"], [56, 31, 11, 2])[0]
                order = "HABCD"
                if new == "D":
                    note = "hot_to_d" if g in "HA" else "to_d"
                elif new == g:
                    note = {"H": "same_hot", "A": "same_warm"}.get(g, "same")
                else:
                    note = "up" if order.index(new) < order.index(g) else "down"
            by_command = new != g and new != "D" and note == "down" and rng.random() < 0.3
            say = new if (new != g or rng.random() < 0.55) else None
            written, actual = self.plan(new, day, old=g if (by_command or say is None) else None)
            self.followup(lead, t, note, method, None if by_command else say, written)
            if by_command:
                self.grade_command(lead, new, t + timedelta(minutes=rng.randint(1, 3)),
                                   reason=rng.choice(DOWNGRADE_REASONS))
            lead["grade"] = new

    def return_visit(self, lead: dict, day: date) -> datetime | None:
        rng = self.rng
        arrived = clock(rng, day, HOURS_VISIT)
        if arrived <= lead["last"]:
            arrived = lead["last"] + timedelta(minutes=rng.randint(30, 90))
        arrived, left, at = self.visit_times(arrived)
        fu = at + timedelta(minutes=rng.randint(5, 35))
        if fu > END:
            return None
        phone = self.variant(lead["phone"]) if rng.random() < 0.12 else lead["phone"]
        args = self.emit(at, self.receptionist(day), "intake", {
            "name": lead["name"], "phone": phone, "channel": "walk-in", "owner": lead["owner"],
            "model": lead["model"], "arrived": iso(arrived), "left": iso(left), "party": self.party(),
            "test_drive": (rng.random() < 0.45) or None})
        self.return_visits.append({"args": args, "lead": lead, "at": at})
        lead["last"] = at
        self.stats["return visits"] += 1
        self.stats["showroom visits"] += 1
        return fu

    # the year --------------------------------------------------------------------------------------
    def run(self) -> list[dict]:
        rng = self.rng
        first = True
        for i, (name, role, team, joined) in enumerate(STAFF):
            if joined is not None:
                continue
            args = {"name": name, "role": role, "team": team}
            self.emit(START + timedelta(minutes=i), None if first else MANAGER, "staff.add", args)
            first = False
        for name, role, team, joined in STAFF:
            if joined is not None:
                self.emit(joined, MANAGER, "staff.add", {"name": name, "role": role, "team": team})
        days = [START.date() + timedelta(days=i) for i in range((TODAY - START.date()).days)]
        totals = {ch: sum(channel_weight(ch, d) for d in days) for ch in TARGETS}
        for day in days:
            for channel, target in TARGETS.items():
                n = poisson(rng, target * channel_weight(channel, day) / totals[channel])
                for _ in range(n):
                    if channel == "hq":
                        at = at_time(day, 10 * 60 + rng.randrange(5, 50))
                    elif channel in ("call", "hotline", "web"):
                        at = clock(rng, day, HOURS_CALL)
                    else:
                        at = clock(rng, day, HOURS_VISIT)
                    self.new_lead(channel, at)
        self.collisions()
        self.lines.sort(key=lambda x: (x[0], x[1]))
        return [line for _at, _seq, line in self.lines]

    def collisions(self) -> None:
        """~20 return visits where the front desk writes down the colleague who received the customer."""
        rng = self.rng
        pool = [rv for rv in self.return_visits]
        rng.shuffle(pool)
        for rv in pool[:20]:
            args, lead = rv["args"], rv["lead"]
            others = [n for n in self.on_duty(list(CONSULTANT_WEIGHT), rv["at"].date(), rv["at"])
                      if n != lead["owner"]]
            args["owner"] = rng.choice(others)
            self.stats["collisions"] += 1


BUDGET = {"compact": ["12", "13", "15", "16"], "midsize": ["20", "22", "25"], "small_suv": ["14", "15", "16"],
          "suv": ["20", "22", "25", "28"], "large_suv": ["30", "32", "35"], "ev": ["18", "20", "22"]}


def write(lines: list[dict], path: Path) -> int:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path.stat().st_size


# ---------------------------------------------------------------------------------------------------
# --check: re-read the journal and assert its invariants

_SEP = re.compile(r"[\s\-.()（）/\u2010-\u2015\u2212\u3000]+")


def normalize(raw: str) -> str:
    text = _SEP.sub("", unicodedata.normalize("NFKC", raw))
    if text.startswith("+"):
        text = text[1:]
        if not text.startswith("86"):
            return "+" + text
    if text.startswith("86") and len(text) in (12, 13):
        national = text[2:]
        text = national if national.startswith("1") else "0" + national.lstrip("0")
    if re.fullmatch(r"1[3-9]\d{9}", text) or re.fullmatch(r"0[1-9]\d{8,10}", text):
        return text
    raise ValueError(f"not a phone number: {raw!r}")


def check(path: Path) -> int:
    problems: list[str] = []

    def bad(n: int, msg: str) -> None:
        if len(problems) < 50:
            problems.append(f"line {n}: {msg}")
        else:
            problems.append("")

    staff: dict[str, tuple[str, str | None]] = {}
    leads: dict[str, dict] = {}  # canonical phone -> lead
    counts = Counter()
    prev_at = ""
    manager = None
    size = path.stat().st_size
    roles_for = {"intake": {"receptionist", "consultant", "telesales", "direct-sales", "manager", "admin"},
                 "grade": {"consultant", "telesales", "direct-sales", "manager"},
                 "followup": {"consultant", "telesales", "direct-sales", "manager"}}
    owning = {"consultant", "telesales", "direct-sales"}
    with path.open(encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = json.loads(raw)
            except json.JSONDecodeError as exc:
                bad(n, f"not JSON: {exc}")
                continue
            if set(line) != {"at", "as", "cmd", "args"}:
                bad(n, f"keys are {sorted(line)}")
                continue
            at_s, actor, cmd, args = line["at"], line["as"], line["cmd"], line["args"]
            at = datetime.fromisoformat(at_s)
            if at_s < prev_at:
                bad(n, f"out of order: {at_s} after {prev_at}")
            prev_at = max(prev_at, at_s)
            if at > datetime(2026, 11, 20, 18, 0):
                bad(n, "later than 2026-11-20T18:00")
            if any(v is None for v in args.values()):
                bad(n, "an argument is null")
            counts[cmd] += 1
            if n == 1 and not (cmd == "staff.add" and actor is None and args.get("role") == "manager"):
                bad(n, "the first line must bootstrap a manager with as null")
            if cmd == "staff.add":
                if n == 1:
                    manager = args["name"]
                elif actor != manager:
                    bad(n, f"staff.add as {actor!r}, not the manager {manager!r}")
                if args["name"] in staff:
                    bad(n, f"staff {args['name']} added twice")
                staff[args["name"]] = (args["role"], args.get("team"))
                continue
            if actor not in staff:
                bad(n, f"unknown staff member {actor!r}")
                continue
            role = staff[actor][0]
            if role not in roles_for.get(cmd, set()):
                bad(n, f"{actor} ({role}) may not {cmd}")
            if cmd == "intake":
                if args.get("arrived") and args["arrived"] > at_s:
                    bad(n, "arrived after the intake")
                if args.get("left") and args.get("arrived") and args["left"] < args["arrived"]:
                    bad(n, "left before arrived")
                if args.get("party") is not None and args["party"] < 1:
                    bad(n, "party < 1")
                if args.get("no_contact"):
                    if "name" in args or "phone" in args or "party" not in args:
                        bad(n, "no_contact intake must omit name and phone and give party")
                    counts["no-contact"] += 1
                    continue
                try:
                    canon = normalize(args["phone"])
                except (KeyError, ValueError) as exc:
                    bad(n, str(exc))
                    continue
                owner = args.get("owner") or (actor if role in owning else None)
                if owner is None:
                    bad(n, "a new lead needs an owner")
                elif staff.get(owner, ("",))[0] not in owning:
                    bad(n, f"owner {owner!r} is not a sales role")
                if canon in leads:
                    lead = leads[canon]
                    counts["return visits"] += 1
                    if args["name"] != lead["name"]:
                        bad(n, f"phone {canon} reused by a different customer ({args['name']} vs {lead['name']})")
                    if args.get("owner") and args["owner"] != lead["owner"]:
                        counts["collisions"] += 1
                else:
                    leads[canon] = {"name": args["name"], "owner": owner, "created": at, "grade": args.get("grade"),
                                    "last": None, "count": 0, "planned": None}
                continue
            try:
                canon = normalize(args["lead"])
            except (KeyError, ValueError) as exc:
                bad(n, str(exc))
                continue
            lead = leads.get(canon)
            if lead is None:
                bad(n, f"{cmd} of unregistered phone {canon}")
                continue
            if at <= lead["created"]:
                bad(n, f"{cmd} not after the lead's registration")
            if actor != lead["owner"]:
                bad(n, f"{cmd} as {actor}, but the owner is {lead['owner']}")
            if cmd == "grade":
                new = args.get("grade") or grade_of(args)
                if new not in GRADES:
                    bad(n, f"grade {new!r} cannot be given")
                lead["grade"] = new
            elif cmd == "followup":
                if not args.get("result", "").strip():
                    bad(n, "empty result")
                if args.get("method", "phone") not in ("phone", "sms", "wechat", "visit", "store"):
                    bad(n, f"method {args['method']!r}")
                new = args.get("grade", lead["grade"])
                if new is not None and new not in GRADES:
                    bad(n, f"grade {new!r} cannot be given")
                if "next" in args:
                    planned = date.fromisoformat(args["next"])
                    if planned < at.date():
                        bad(n, "next is before the follow-up")
                    if new in CADENCE and planned > at.date() + timedelta(days=CADENCE[new]):
                        bad(n, f"next {planned} is later than grade {new} allows")
                lead.update(grade=new, last=at, planned=date.fromisoformat(args["next"]) if "next" in args else None)
                lead["count"] += 1
            else:
                bad(n, f"unknown command {cmd!r}")
    if size > MAX_BYTES:
        problems.append(f"file is {size} bytes, over {MAX_BYTES}")
    if counts["collisions"] > 30:
        problems.append(f"{counts['collisions']} ownership collisions; meant to be a handful")

    # the due list on the demo's today, as the standard policy computes it
    due = Counter()
    overdue = Counter()
    for lead in leads.values():
        when = next_due(lead)
        if when is not None and when <= TODAY:
            due[lead["owner"]] += 1
            if when < TODAY:
                overdue[lead["owner"]] += 1
    roles = Counter(r for r, _t in staff.values())
    followed = sum(1 for lead in leads.values() if lead["count"])
    print(f"{path.name}: {n} lines, {size / 1e6:.2f} MB")
    print(f"staff {len(staff)} ({', '.join(f'{k} {v}' for k, v in sorted(roles.items()))})")
    print(f"leads {len(leads) + counts['no-contact']} ({len(leads)} with a phone, {counts['no-contact']} no-contact); "
          f"intakes {counts['intake']} ({counts['return visits']} return visits, {counts['collisions']} collisions)")
    print(f"followups {counts['followup']} (leads followed up: {followed}); grade commands {counts['grade']}")
    print(f"due on {TODAY} (today or overdue): {sum(due.values())}, of which overdue {sum(overdue.values())}")
    for owner, k in sorted(due.items(), key=lambda x: -x[1]):
        print(f"  {owner:<4} {staff[owner][0]:<13} due {k:>3}  overdue {overdue[owner]:>3}")
    real = [p for p in problems if p]
    for p in real:
        print("PROBLEM", p, file=sys.stderr)
    if len(problems) > len(real):
        print(f"... and {len(problems) - len(real)} more", file=sys.stderr)
    return 1 if problems else 0


def grade_of(args: dict) -> str | None:
    if "within" in args:
        days = int(args["within"][:-1]) * {"d": 1, "w": 7, "m": 30}[args["within"][-1]]
        return "H" if days <= 7 else "A" if days <= 30 else "B" if days <= 90 else "C"
    factors = frozenset(f for f in ("need", "confidence", "power") if args.get(f))
    return {frozenset({"need", "confidence", "power"}): "H", frozenset({"need", "power"}): "A",
            frozenset({"need", "confidence"}): "B", frozenset({"confidence", "power"}): "C",
            frozenset({"need"}): "D"}.get(factors)


def next_due(lead: dict) -> date | None:
    """leadctl's rule for the standard policy (no settling calls)."""
    if lead["count"] == 0:
        return None if lead["grade"] == "D" else lead["created"].date()
    if lead["grade"] is None:
        return lead["last"].date()
    if lead["grade"] not in CADENCE:
        return None
    due = lead["last"].date() + timedelta(days=CADENCE[lead["grade"]])
    if lead["planned"] is not None and lead["planned"] < due:
        due = lead["planned"]
    return due


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="check the journal instead of writing it")
    parser.add_argument("--out", type=Path, default=OUT, help=f"journal path (default {OUT.name})")
    opts = parser.parse_args()
    if opts.check:
        return check(opts.out)
    gen = Generator()
    lines = gen.run()
    size = write(lines, opts.out)
    print(f"wrote {opts.out} ({len(lines)} lines, {size / 1e6:.2f} MB)")
    for key, value in sorted(gen.stats.items()):
        print(f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Generate a year of sales-lead activity for one FAW-Volkswagen store, as a `leadctl replay` journal.

    python sample_data/generate.py            # writes sample_data/store_year.jsonl
    python sample_data/generate.py --check    # re-reads the journal and checks its invariants

Deterministic (fixed seed) and standard library only. Every line is one command as if typed at `at` by
staff member `as`; lines are in time order. The rules mirrored here are those of the "standard" policy
(DOMAIN.md sections 2-8): a new lead is first contacted the same day, then again within H 2, A 7, B 15,
C 30 days; D has no requirement; a planned next contact may be earlier than that, never later.

Leads close as in sections 7-8: telesales invite their warm leads and hand the arrived customer over to
direct sales, who own it from then on; the owner (a consultant or direct sales, never telesales) writes the
order and delivers the car; a lead lost from H, A or B goes through a defeat request, customer service's
verification and a manager's decision (C and D leads are never put up for defeat); unreachable leads are
marked lost. Every line's `as` is allowed by leadctl/rules/permissions.py for that act on that lead at that
time, which `--check` verifies along with the other invariants.
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
MAX_BYTES = 10 * 1024 * 1024

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
    + [("145", 2), ("147", 3)]  # 146, 148 and 149 are no network's prefix (phonenumbers), their weight kept
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
    "midsize": ["凯美瑞", "雅阁", "帕萨特", "天籁", "比亚迪汉", "亚洲龙", "君威", "特斯拉Model 3"],
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
# Closing a lead (DOMAIN.md sections 7-8): invitations, orders and deliveries, defeats, lost control

SERVICE = "唐敏"        # customer service: the call-back that verifies a defeat request
DCC_MANAGER = "刘海燕"  # decides the defeats of DCC-owned leads; 张建国 those of the showroom
BRAND = "大众"
LINEUP = {  # series (the lead's model) -> [(model as on the order form, guide price in yuan)]
    "宝来": [("1.5L 自动 悦行版", 119800), ("1.5L 自动 畅行版", 129800), ("200TSI DSG 尊行版", 139800),
           ("280TSI DSG 悦享版", 149800)],
    "速腾": [("200TSI DSG 飞越版", 139900), ("300TSI DSG 超越版", 159900), ("300TSI DSG 30周年纪念版", 172900),
           ("280TSI DSG 豪华版", 179900)],
    "高尔夫": [("280TSI DSG Pro", 155800), ("280TSI DSG R-Line", 168800), ("380TSI DSG GTI", 229800)],
    "迈腾": [("330TSI 领先型", 199900), ("330TSI 豪华型", 219900), ("330TSI 尊贵型", 239900),
           ("380TSI 旗舰型", 259900)],
    "CC": [("330TSI 魅颜版", 249800), ("380TSI 夺目版", 279800), ("猎装车 380TSI 猎目版", 309800)],
    "探歌": [("280TSI DSG 两驱 R-Line", 165800), ("300TSI DSG 两驱 悦享版", 175800)],
    "探影": [("1.5L 自动 悦智联版", 129800), ("280TSI DSG 炫智联版", 149800)],
    "探岳": [("330TSI 两驱 豪华智联版", 219800), ("330TSI 四驱 R-Line 智联版", 249800),
           ("380TSI 四驱 旗舰智联版", 279800)],
    "探岳X": [("330TSI 两驱 尊贵智联版", 249800), ("380TSI 四驱 旗舰智联版", 289800)],
    "揽境": [("380TSI 四驱 豪华佳境版", 339900), ("380TSI 四驱 旗舰胜境版", 369900), ("530V6 四驱 旗舰胜境版", 399900)],
    "ID.4 CROZZ": [("纯净智享版", 199900), ("极智版", 219900), ("Prime", 259900)],
    "ID.6 CROZZ": [("长续航 纯净版", 249900), ("高能 Pro", 289900)],
}
CONFIGS = ["选装全景天窗", "选装驾驶辅助包", "选装舒适包", "选装20英寸轮毂", "选装音响升级包"]
# FAW-Volkswagen VINs: WMI LFV, the model's descriptor (positions 4-8), the check digit (9), the model
# year (10: S = 2025, T = 2026), the plant (11) and a serial number (12-17).
VIN_DESCRIPTOR = {"宝来": "2A21J", "速腾": "2A25B", "高尔夫": "2A2AU", "迈腾": "3A28H", "CC": "3A23C",
                  "探歌": "2A21T", "探影": "2A22T", "探岳": "3A24G", "探岳X": "3A24X", "揽境": "3A27C",
                  "ID.4 CROZZ": "1E23Z", "ID.6 CROZZ": "1E25Z"}
VIN_PLANT = {"宝来": "3", "速腾": "1", "高尔夫": "5", "迈腾": "1", "CC": "1", "探歌": "6", "探影": "6", "探岳": "7",
             "探岳X": "7", "揽境": "7", "ID.4 CROZZ": "5", "ID.6 CROZZ": "5"}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)  # ISO 3779 / GB 16735 check digit
VIN_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", (1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8,
                                                    9), strict=True))
PLATE_OFFICES = {"Q": 30, "N": 22, "P": 14, "M": 8, "E": 6, "F": 5, "H": 5, "J": 4, "K": 3, "L": 3}
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on a plate
INSURERS = {"人保": 45, "平安": 35, "太平洋": 20}
COVERS = ["交强险+车损险+三者险200万", "交强险+车损险+三者险300万+座位险", "交强险+车损险+三者险100万",
          "交强险+车损险+三者险200万+医保外用药", "交强险+车损险+三者险300万"]
ACCESSORIES = ["脚垫", "行车记录仪", "太阳膜", "隐形车衣", "后备厢垫", "座套", "挡泥板", "车载冰箱", "电动尾门"]
CANCEL_REASONS = ["客户资金周转困难，申请退订", "家人不同意买这个车，退订", "贷款审批未通过，退订",
                  "等车时间太长，客户退订", "客户在其他店拿到更低价格，退订", "客户工作调动离京，退订"]
BRANDED = {  # how a defeat request names the car the customer bought instead
    "轩逸": "日产轩逸", "卡罗拉": "丰田卡罗拉", "思域": "本田思域", "朗逸": "上汽大众朗逸", "秦L": "比亚迪秦L",
    "星瑞": "吉利星瑞", "雷凌": "丰田雷凌", "英朗": "别克英朗", "凯美瑞": "丰田凯美瑞", "雅阁": "本田雅阁",
    "帕萨特": "上汽大众帕萨特", "天籁": "日产天籁", "比亚迪汉": "比亚迪汉", "亚洲龙": "丰田亚洲龙", "君威": "别克君威",
    "特斯拉Model 3": "特斯拉Model 3", "缤智": "本田缤智", "XR-V": "本田XR-V", "宋Pro": "比亚迪宋Pro",
    "途铠": "上汽大众途铠", "逍客": "日产逍客", "途观L": "上汽大众途观L", "本田CR-V": "本田CR-V",
    "丰田RAV4": "丰田RAV4", "宋PLUS": "比亚迪宋PLUS", "星越L": "吉利星越L", "哈弗H6": "哈弗H6",
    "汉兰达": "丰田汉兰达", "途昂": "上汽大众途昂", "理想L6": "理想L6", "问界M7": "问界M7", "揽巡": "上汽大众揽巡",
    "特斯拉Model Y": "特斯拉Model Y", "宋PLUS EV": "比亚迪宋PLUS EV", "元PLUS": "比亚迪元PLUS", "小鹏G6": "小鹏G6",
    "埃安Y": "埃安Y", "深蓝S7": "深蓝S7",
}
PRICE_RANGE = {"compact": (105, 165), "midsize": (165, 265), "small_suv": (115, 175), "suv": (175, 295),
               "large_suv": (285, 400), "ev": (150, 265)}  # thousand yuan, what such a car sells for
DEFEAT_REASONS = {"competitor": 38, "price": 20, "no-longer-buying": 16, "financing": 8, "product": 8,
                  "unreachable": 4, "other": 6}
LOST_TO_DEALER = ["外地大众4S店", "同城其他大众4S店", "汽车超市"]  # a price defeat: the same car, elsewhere
NOTES.update({
    "defeat_competitor": [
        "电话回访，客户已订了{lost_to}，说对方优惠更多",
        "客户说家人更喜欢{lost_to}的外观，已经提车了",
        "回访得知客户已购{lost_to}，对方有现车",
        "客户最终选了{lost_to}，觉得智能化配置更高",
    ],
    "defeat_price": [
        "客户说{lost_to}报价比我们低{gap}千元，已在那边订车",
        "价格没谈拢，客户在{lost_to}订了{model}",
    ],
    "defeat_no-longer-buying": [
        "客户家里有变故，不买车了",
        "客户决定继续开旧车{old}，取消购车计划",
        "客户工作变动，购车计划取消",
    ],
    "defeat_financing": [
        "客户贷款审批没通过，首付凑不齐，放弃购车",
        "客户征信有问题，贷款办不下来",
    ],
    "defeat_product": [
        "客户对{model}的{feature}不满意，不考虑了",
        "客户想要的颜色和配置等不到，放弃",
    ],
    "defeat_unreachable": [
        "多次电话未接，微信已把我们删除",
    ],
    "defeat_other": [
        "客户单位团购了车辆，不需要了",
        "客户买了一台二手车",
    ],
    "verify_competitor": [
        "客服回访：客户确认已购买{lost_to}",
        "客服回访：情况属实，客户已提{lost_to}",
    ],
    "verify_price": [
        "客服回访：客户确认已在{lost_to}订车，差价是主要原因",
        "客服回访：情况属实，客户嫌价格高已在别处订车",
    ],
    "verify_ok": [
        "客服回访：情况属实，客户{why}",
        "客服回访：客户确认不再考虑{model}",
    ],
    "verify_unreachable": [
        "客服回访：电话三次未接通，短信已发，情况属实",
    ],
    "verify_doubt": [
        "客服回访：客户说还没买车，还在考虑{model}",
        "客服回访：客户表示价格合适还是想买{model}",
    ],
    "after_reject": [
        "战败申请未通过，重新联系客户，客户还在考虑{model}",
        "经理驳回战败，再次回访，客户说等{day}再来看看",
        "重新跟进，客户对{model}仍有兴趣，已申请经理特价",
    ],
    "invite": [
        "电话邀约客户{when}到店试驾{model}，客户已确认",
        "邀约客户{when}来店看{colour}现车，已发门店定位",
        "客户同意{when}带{relative}来店，已发导航和试驾预约",
        "邀约客户{when}到店参加周末团购会",
    ],
    "reinvite": [
        "客户上次临时有事没来，重新邀约{when}到店",
        "客户说上次加班没来成，改约{when}",
    ],
    "no_show": [
        "客户未按约到店，电话说临时有事，改天再约",
        "客户爽约，电话未接，已发短信",
        "客户说这周来不了，过段时间再说",
    ],
    "reception": [
        "接待邀约到店客户，试驾{model}，客户对{feature}满意",
        "电销邀约客户到店，已介绍{model}，报价已发",
        "接待到店客户，谈了置换方案，旧车{old}评估{trade}万",
        "邀约客户到店试驾后意向强烈，约{day}来签单",
        "接待邀约客户，客户在对比{rival}，已做竞品对比",
    ],
    "arrived_kept": [
        "客户按约到店看车，只是先了解，继续电话跟进",
        "客户到店看了{model}，说要再比较，暂不转直销",
    ],
    "after_cancel": [
        "客户退订后回访，说过段时间再看",
        "退订回访，客户表示暂时不买了",
        "退订回访，客户说换个配置再考虑{model}",
    ],
})

# ---------------------------------------------------------------------------------------------------
# Volume: how many new leads per channel, and how they spread over the year

TARGETS = {"walk-in": 2620, "call": 640, "hotline": 150, "web": 800, "hq": 420, "show": 250,
           "referral": 260, "repurchase": 60, "no-contact": 175}
MONTH_INDEX = {11: 0.95, 12: 1.05, 1: 1.2, 2: 0.62, 3: 1.15, 4: 1.15, 5: 1.05, 6: 0.95, 7: 0.8, 8: 0.85,
               9: 1.1, 10: 1.2}
# How leads close. Rates per step of a lead's follow-up loop, tuned so that about 12% of leads order and
# 9% are defeated; a lead the DCC invited and handed over orders more readily.
P_SPOT_ORDER = 0.15                     # a walk-in graded H after a test drive signs on the first visit
P_ORDER = {"H": 0.52, "A": 0.065}       # the owner (consultant or direct sales) writes the order
HANDED_OVER_BOOST = 1.4
# Customers sign more before the Spring Festival and at year end, and in 金九银十 (September-October).
ORDER_MONTH = {1: 1.15, 2: 0.7, 3: 1.05, 4: 1.1, 5: 1.0, 6: 0.95, 7: 0.85, 8: 0.9, 9: 1.15, 10: 1.25, 11: 1.0,
               12: 1.2}
P_INVITE = {"H": 0.75, "A": 0.45, "B": 0.15}  # telesales invite their lead to the store
P_ARRIVE = (0.4, 0.3, 0.25)             # first invitation, second, third
P_REINVITE = 0.9                        # after a no-show, telesales invite again (which records the no-show)
P_HANDOVER = 0.9                        # an arrived customer is handed over to direct sales
P_DEFEAT = {"H": 0.55, "A": 0.46, "B": 0.33}  # instead of dropping an H, A or B lead to D: a defeat request
P_REJECT = 0.1
P_LOST = 0.022                          # instead of dropping a lead to D: lost control
P_QUIET_LOST = 0.15                     # a lead that went quiet is closed out as lost control
P_CANCEL = 0.03
P_REPURCHASE = 0.08                     # an owner delivered before May comes back for another car
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


def vin_check_digit(vin: str) -> str:
    """Position 9 of a 17-character VIN (GB 16735 / ISO 3779, the North-American scheme): each character's
    value times its position's weight, summed, modulo 11; 10 is written X."""
    total = sum((int(c) if c.isdigit() else VIN_VALUES[c]) * w for c, w in zip(vin, VIN_WEIGHTS, strict=True))
    return "X" if total % 11 == 10 else str(total % 11)


# ---------------------------------------------------------------------------------------------------
# The generator


class Generator:
    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.lines: list[tuple[str, int, dict]] = []
        self.phones: set[str] = set()
        self.return_visits: list[dict] = []  # intake args of return visits, for collisions
        self.vins: set[str] = set()
        self.plates: set[str] = set()
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
    def note(self, kind: str, lead: dict, **extra) -> str:
        rng = self.rng
        model = lead["talk_model"]
        seg = MODELS[model][1]
        return rng.choice(NOTES[kind]).format(**extra,
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
                 next_on: date | None, **extra) -> None:
        result = self.note(kind, lead, **extra)
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
        lead["count"] = lead.get("count", 0) + 1
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
        # --- an H walk-in who test-drove may sign on the spot (grade O at once) ------------------------
        if (kind in ("first_visit", "first_referral", "first_repurchase") and lead.get("test_drive")
                and grade == "H" and lead["grade"] in (None, "H") and rng.random() < P_SPOT_ORDER):
            self.stats["orders on the first visit"] += 1
            step = self.sale(lead, day, at=created + timedelta(minutes=rng.randint(3, 25)))
            if step is not None:
                self.work(lead, step)
            return
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
        self.work(lead, actual)

    def work(self, lead: dict, actual: date) -> None:
        """On cadence from `actual`, until the lead closes (order, defeat, lost), settles to D or goes quiet."""
        rng = self.rng
        created = lead["created"]
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
            # telesales invite a warm lead to the store; an owner who may sell writes the order
            if lead["owner"] in TELESALES and g in P_INVITE and rng.random() < P_INVITE[g] * (
                    0.35 if lead.get("invites") else 1.0) and lead.get("invites", 0) < 3:
                step = self.invitation(lead, day, g)
                if step is None:
                    return
                actual = step
                continue
            if (lead["owner"] not in TELESALES and g in P_ORDER and lead.get("count", 0) >= 2
                    and rng.random() < P_ORDER[g] * ORDER_MONTH[day.month]
                    * (HANDED_OVER_BOOST if lead.get("handed_over") else 1.0)):
                step = self.sale(lead, day)
                if step is None:
                    return
                actual = step
                continue
            if rng.random() < (0.017 if age < 60 else 0.03):
                # the owner stops calling; months later a manager makes them close it out, or nobody does
                self.stats["went quiet"] += 1
                if rng.random() < 0.85:
                    day = open_on_or_after(day + timedelta(days=rng.randint(10, 75)))
                    if rng.random() < P_QUIET_LOST:
                        self.lost(lead, day)
                        return
                    t = self.work_time(day, lead["last"])
                    if t <= END:
                        self.followup(lead, t, "rescue", "phone", "D", None)
                        lead["grade"] = "D"
                        self.stats["rescued"] += 1
                return
            new = self.next_grade(g, age)
            if new == "D":
                # a lead lost from H, A or B is put up for defeat; an unreachable one is lost control
                if g in P_DEFEAT and rng.random() < P_DEFEAT[g]:
                    step = self.defeat(lead, day, g)
                    if step is None:
                        return
                    actual = step
                    continue
                if rng.random() < P_LOST:
                    self.lost(lead, day)
                    return
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

    def step_after(self, lead: dict, t: datetime, kind: str, grade: str, method: str = "phone",
                   **extra) -> date | None:
        """A follow-up at `t` giving `grade`, with its plan: the day of the next step (None: after END)."""
        if t > END:
            return None
        written, actual = self.plan(grade, t.date())
        self.followup(lead, t, kind, method, grade, written, **extra)
        lead["grade"] = grade
        return actual

    # closing a lead ------------------------------------------------------------------------------------
    def sale(self, lead: dict, day: date, at: datetime | None = None) -> date | None:
        """The owner writes the order, usually with the customer in the showroom; then delivery (or, rarely,
        a cancellation). Returns the day the lead is worked again (after a cancellation or a re-purchase)."""
        rng = self.rng
        if at is None:
            # the customer comes in to sign; or pays the deposit by WeChat and signs on delivery
            at = self.return_visit(lead, day) if rng.random() < 0.7 else self.work_time(day, lead["last"])
        if at is None or at > END:
            return None
        series = lead["talk_model"] if rng.random() < 0.88 else pick(rng, {m: w for m, (w, _s) in MODELS.items()})
        model, guide = rng.choice(LINEUP[series])
        price = int(round(guide * (1 - rng.uniform(0.05, 0.17)), -2))
        args = {"lead": self.ref(lead), "brand": BRAND, "series": series, "model": model,
                "config": rng.choice(CONFIGS) if rng.random() < 0.15 else None, "colour": rng.choice(COLOURS),
                "price": price, "deposit": rng.choice([5000, 10000, 10000, 20000, 30000])}
        if rng.random() < 0.4:  # a car in stock, chosen by its VIN
            args = {"lead": args["lead"], "vin": self.new_vin(series, at), **{k: v for k, v in args.items()
                                                                              if k != "lead"}}
        previous = lead["grade"]
        self.emit(at, lead["owner"], "order", args)
        lead["grade"], lead["last"] = "O", at
        self.stats["orders"] += 1
        if lead.get("handed_over"):
            self.stats["orders after a handover"] += 1
        if rng.random() < P_CANCEL:
            cancelled = self.work_time(open_on_or_after(at.date() + timedelta(days=rng.randint(2, 20))), at)
            if cancelled > END:
                return None
            reasons = [r for r in CANCEL_REASONS if "vin" not in args or "等车" not in r]  # a VIN: the car is here
            self.emit(cancelled, lead["owner"], "order.cancel", {"lead": self.ref(lead), "reason": rng.choice(reasons)})
            lead["grade"], lead["last"] = previous, cancelled
            self.stats["orders cancelled"] += 1
            return self.step_after(lead, cancelled + timedelta(minutes=rng.randint(10, 90)), "after_cancel",
                                   rng.choices("DCB", [60, 20, 20])[0])
        lag = rng.choices(range(7, 31), [3, 5, 7, 8, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1])[0]
        delivery_day = open_on_or_after(at.date() + timedelta(days=lag))
        delivered = at_time(delivery_day, rng.choice([10, 10, 11, 14, 15, 15, 16, 17]) * 60 + rng.randrange(60))
        if delivered > END:
            return None  # still waiting for the car on the demo's today
        plate_day = max(at.date() + timedelta(days=1), delivery_day - timedelta(days=rng.choice([0, 0, 1, 2, 3])))
        self.emit(delivered, lead["owner"], "deliver", {
            "lead": self.ref(lead), "plate": self.new_plate(series), "plate_date": plate_day.isoformat(),
            "insurer": pick(rng, INSURERS), "cover": rng.choice(COVERS),
            "accessories": "、".join(rng.sample(ACCESSORIES, rng.randint(1, 3)))})
        lead["last"] = delivered
        self.stats["deliveries"] += 1
        if delivery_day < date(2026, 5, 1) and rng.random() < P_REPURCHASE:
            # 续购: the owner comes back for another car; the delivered lead is worked again, ungraded
            back = open_on_or_after(delivery_day + timedelta(days=rng.randint(120, 300)))
            if back >= TODAY:
                return None
            lead["talk_model"] = rng.choice([m for m in MODELS if m != series])
            t = self.return_visit(lead, back, channel="续购")
            if t is None:
                return None
            self.stats["re-purchases"] += 1
            lead["grade"] = None
            return self.step_after(lead, t, "first_repurchase", rng.choices("HAB", [25, 45, 30])[0], "store")
        return None

    def new_vin(self, series: str, at: datetime) -> str:
        rng = self.rng
        while True:
            year = "T" if at >= datetime(2026, 6, 1) or rng.random() < 0.3 else "S"
            body = "LFV" + VIN_DESCRIPTOR[series] + "0" + year + VIN_PLANT[series] + f"{rng.randrange(10**6):06d}"
            vin = body[:8] + vin_check_digit(body) + body[9:]
            if vin not in self.vins:
                self.vins.add(vin)
                return vin

    def new_plate(self, series: str) -> str:
        rng = self.rng
        while True:
            if MODELS[series][1] == "ev":  # new-energy plate: D (pure electric) and five more
                plate = "京A·D" + "".join(rng.choice("0123456789") for _ in range(5))
            else:
                letters = rng.choices([0, 1, 2], [55, 35, 10])[0]
                serial = [rng.choice(PLATE_LETTERS) for _ in range(letters)]
                serial += [rng.choice("0123456789") for _ in range(5 - letters)]
                if letters == 1 and rng.random() < 0.5:
                    serial = serial[1:3] + serial[:1] + serial[3:]
                plate = "京" + pick(rng, PLATE_OFFICES) + "·" + "".join(serial)
            if plate not in self.plates:
                self.plates.add(plate)
                return plate

    def manager_for(self, lead: dict) -> str:
        return DCC_MANAGER if lead["owner"] in TELESALES or lead["owner"] in DIRECT_SALES else MANAGER

    def defeat(self, lead: dict, day: date, grade: str) -> date | None:
        """战败: the owner hears the customer is lost and files a request; customer service calls back to
        verify, a manager decides. Returns the day the lead is worked again after a rejection."""
        rng = self.rng
        t = self.work_time(day, lead["last"])
        if t > END:
            return None
        reason = pick(rng, DEFEAT_REASONS)
        if reason == "unreachable":  # [003]: a defeat for it only after half a year without effect; before, 失控
            self.lost(lead, day)
            return None
        seg = MODELS[lead["talk_model"]][1]
        lost_to, price = None, None
        if reason == "competitor":
            rival = lead["rival"] if rng.random() < 0.7 else rng.choice(RIVALS[seg])
            lost_to = BRANDED[rival]
            lo, hi = PRICE_RANGE[seg]
            price = rng.randint(lo, hi) * 1000
        elif reason == "price":
            lost_to = rng.choice(LOST_TO_DEALER)
            price = int(round(rng.choice(LINEUP[lead["talk_model"]])[1] * rng.uniform(0.8, 0.9), -3))
        elif reason in ("product", "financing") and rng.random() < 0.5:
            price = int(round(rng.choice(LINEUP[lead["talk_model"]])[1] * rng.uniform(0.85, 0.95), -3))
        if rng.random() < 0.75:  # the follow-up that found it out
            self.followup(lead, t, f"defeat_{reason}", rng.choice(["phone", "phone", "wechat"]), None, None,
                          lost_to=lost_to or "")
            t += timedelta(minutes=rng.randint(3, 25))
            if t > END:
                return None
        note = self.note(f"defeat_{reason}", lead, lost_to=lost_to or "")
        self.emit(t, lead["owner"], "defeat.request", {"lead": self.ref(lead), "reason": reason,
                                                       "lost_to": lost_to, "price": price, "note": note})
        lead["last"] = t
        self.stats["defeat requests"] += 1
        verified = self.work_time(self.office_day(t.date(), [35, 45, 20]), t)
        if verified > END:
            return None
        rejected = rng.random() < P_REJECT
        kind = ("verify_doubt" if rejected else f"verify_{reason}"
                if reason in ("competitor", "price", "unreachable") else "verify_ok")
        why = {"no-longer-buying": "暂不购车", "financing": "贷款未批，暂缓购车", "product": "不考虑本品牌车型了",
               "other": "已不需要购车"}
        self.emit(verified, SERVICE, "defeat.verify", {"lead": self.ref(lead), "result": self.note(
            kind, lead, lost_to=lost_to or "", why=why.get(reason, "不买了"))})
        decided = self.work_time(self.office_day(verified.date(), [30, 40, 20, 10]), verified)
        if decided > END:
            return None
        manager = self.manager_for(lead)
        if rejected:
            self.emit(decided, manager, "defeat.reject", {"lead": self.ref(lead), "note": rng.choice(
                ["客户仍有意向，继续跟进", "客服回访客户还没买车，再争取一下", "理由不充分，继续跟进"])})
            self.stats["defeats rejected"] += 1
            again = self.work_time(decided.date() + timedelta(days=rng.choice([0, 1, 1, 2])), decided)
            return self.step_after(lead, again, "after_reject", rng.choices([grade, "B", "C"], [40, 35, 25])[0])
        self.emit(decided, manager, "defeat.approve", {"lead": self.ref(lead), "note": rng.choice(
            ["同意战败", "情况属实，同意", None, None])})
        lead["grade"] = "F"
        self.stats["defeats approved"] += 1
        return None

    def office_day(self, day: date, weights: list[int]) -> date:
        """The day customer service or a manager takes up a request: 0, 1, 2.. days after `day` (by `weights`),
        an office day (Monday to Saturday, the store open) when the span holds one."""
        span = [day + timedelta(days=k) for k in range(len(weights))]
        ok = [i for i, d in enumerate(span) if d not in CLOSED and d.weekday() != 6] or list(range(len(span)))
        return span[self.rng.choices(ok, [weights[i] for i in ok])[0]]

    def lost(self, lead: dict, day: date) -> None:
        """失控: after several failed attempts the owner marks the customer unreachable."""
        rng = self.rng
        t = self.work_time(day, lead["last"])
        if t > END:
            return
        attempts = rng.randint(3, 6)
        note = rng.choice([f"连续{attempts}次电话未接通，微信未回复", f"电话{attempts}次均无人接听，短信无回复",
                           "号码已停机，微信已删除", f"打了{attempts}次电话都被挂断，客户拒绝沟通"])
        self.emit(t, lead["owner"], "lost", {"lead": self.ref(lead), "attempts": attempts, "note": note})
        lead["grade"] = "L"
        self.stats["lost"] += 1

    def invitation(self, lead: dict, day: date, grade: str) -> date | None:
        """邀约: telesales invite the lead for a day within its cadence; the customer comes (arrive, or the desk
        registers the visit) and is handed over to direct sales, or does not come (a no-show: telesales call
        the next day and often invite again, which records the no-show). Returns the next step's day."""
        rng = self.rng
        t = self.work_time(day, lead["last"])
        if t > END:
            return None
        ahead = [day + timedelta(days=k) for k in range(1, min(5, CADENCE[grade]) + 1)]
        # a day the store is open and the inviting telesales is in: they greet the customer at the handover
        ahead = ([d for d in ahead if d not in CLOSED and DAY_OFF.get(lead["owner"]) != d.weekday()]
                 or [open_on_or_after(day + timedelta(days=1))])
        on_day = rng.choices(ahead, [WEEKDAY_VISIT[d.weekday()] for d in ahead])[0]
        expected = at_time(on_day, rng.choice([10, 10, 11, 14, 14, 15, 15, 16]) * 60 + rng.choice([0, 0, 30]))
        again = bool(lead.get("invitation"))
        when = f"{on_day.month}月{on_day.day}日{'上午' if expected.hour < 12 else '下午'}"
        within = on_day <= day + timedelta(days=CADENCE[grade])  # not when the store is closed until then
        self.followup(lead, t, "reinvite" if again else "invite", "phone", grade if rng.random() < 0.5 else None,
                      on_day if within else None, when=when)
        invited = t + timedelta(minutes=rng.randint(1, 5))
        if invited > END:
            return None
        self.emit(invited, lead["owner"], "invite", {
            "lead": self.ref(lead), "on": expected.strftime("%Y-%m-%dT%H:%M"),
            "note": f"试驾{lead['talk_model']}" if rng.random() < 0.5 else None})
        lead["invitation"], lead["last"] = expected, invited
        lead["invites"] = lead.get("invites", 0) + 1
        self.stats["invitations"] += 1
        if again:
            self.stats["no-shows recorded by a new invitation"] += 1
        if rng.random() < P_ARRIVE[min(lead["invites"], 3) - 1]:
            return self.invited_visit(lead, expected, grade)
        # no-show: the day passes; telesales call the next day or the one after
        nxt = open_on_or_after(on_day + timedelta(days=rng.choice([1, 1, 1, 2])))
        if at_time(nxt, 9 * 60) > END:
            return None
        if lead["invites"] < 3 and rng.random() < P_REINVITE:
            return self.invitation(lead, nxt, grade) if grade in CADENCE else nxt
        self.stats["no-shows left open"] += 1
        new = {"H": "A", "A": rng.choice("AB"), "B": rng.choice("BC")}.get(grade, grade)
        return self.step_after(lead, self.work_time(nxt, lead["last"]), "no_show", new)

    def invited_visit(self, lead: dict, expected: datetime, grade: str) -> date | None:
        rng = self.rng
        day = expected.date()
        came = expected + timedelta(minutes=rng.randint(-25, 40))
        if rng.random() < 0.55:
            at = came
            if at > END:
                return None
            self.emit(at, self.receptionist(day), "arrive", {"lead": self.ref(lead)})
            self.stats["showroom visits"] += 1
        else:  # the desk registers the visit; an invited visitor's open invitation is closed as arrived
            arrived, left, at = self.visit_times(came)
            if at > END:
                return None
            self.emit(at, self.receptionist(day), "intake", {
                "name": lead["name"], "phone": lead["phone"], "channel": "walk-in", "owner": lead["owner"],
                "model": lead["model"], "arrived": iso(arrived), "left": iso(left), "party": self.party(),
                "test_drive": (rng.random() < 0.6) or None})
            self.stats["showroom visits"] += 1
        lead["invitation"], lead["last"] = None, at
        self.stats["arrivals"] += 1
        if rng.random() >= P_HANDOVER:
            return self.step_after(lead, at + timedelta(minutes=rng.randint(60, 180)), "arrived_kept", grade)
        to = rng.choice(DIRECT_SALES)
        handed = at + timedelta(minutes=rng.randint(5, 40))
        if handed > END:
            return None
        horizon = {"H": (0, 7), "A": (3, 30), "B": (14, 60)}[grade]
        self.emit(handed, lead["owner"], "handover", {
            "lead": self.ref(lead), "to": to,
            "expected": (day + timedelta(days=rng.randint(*horizon))).isoformat()})
        lead["owner"], lead["handed_over"], lead["last"] = to, True, handed
        self.stats["handovers"] += 1
        new = rng.choices("HAB", {"H": [60, 35, 5], "A": [35, 50, 15], "B": [15, 45, 40]}[grade])[0]
        received = handed + timedelta(minutes=rng.randint(20, 150))
        if received.hour >= 22:
            received = self.work_time(day + timedelta(days=1), handed)
        return self.step_after(lead, received, "reception", new, "store")

    def return_visit(self, lead: dict, day: date, channel: str = "walk-in",
                     arrived: datetime | None = None) -> datetime | None:
        """A known customer in the showroom again; returns when the owner follows it up (None: after END).

        The desk asks whether they were invited: a customer who missed an invitation on an earlier day and
        now comes on their own is registered with invited false, so the old invitation is not taken as
        kept. A customer the DCC invited for today comes through `invited_visit`, not here.
        """
        rng = self.rng
        if arrived is None:
            arrived = clock(rng, day, HOURS_VISIT)
            if arrived <= lead["last"]:
                arrived = lead["last"] + timedelta(minutes=rng.randint(30, 90))
        arrived, left, at = self.visit_times(arrived)
        fu = at + timedelta(minutes=rng.randint(5, 35))
        if fu > END:
            return None
        phone = self.variant(lead["phone"]) if rng.random() < 0.12 else lead["phone"]
        model = lead["talk_model"] if channel == "续购" else lead["model"]
        args = self.emit(at, self.receptionist(day), "intake", {
            "name": lead["name"], "phone": phone, "channel": channel, "owner": lead["owner"],
            "model": model, "arrived": iso(arrived), "left": iso(left), "party": self.party(),
            "test_drive": (rng.random() < 0.45) or None,
            "invited": False if lead.get("invitation") is not None else None})
        if channel == "walk-in":
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


# The permission table (leadctl/rules/permissions.py) for the journal's commands: act -> role -> scope. "own" also
# stands for the table's POOL: nothing in the journal moves a lead into a pool (no sweep is replayed).
SCOPES = {
    "intake": dict.fromkeys(("receptionist", "consultant", "telesales", "direct-sales", "manager", "admin"), "any"),
    "grade": {"consultant": "own", "direct-sales": "own", "telesales": "own", "manager": "any"},
    "followup": {"consultant": "own", "direct-sales": "own", "telesales": "own", "manager": "any"},
    "invite": {"telesales": "own", "manager": "any"},
    "arrive": {"receptionist": "any", "telesales": "own", "manager": "any"},
    "handover": {"telesales": "own", "manager": "any"},
    "defeat.request": {"consultant": "own", "direct-sales": "own", "telesales": "own", "manager": "any"},
    "defeat.verify": {"service": "any", "manager": "any"},
    "defeat.approve": {"manager": "any"},
    "defeat.reject": {"manager": "any"},
    "lost": {"consultant": "own", "direct-sales": "own", "telesales": "own", "manager": "any"},
    "order": {"consultant": "own", "direct-sales": "own", "manager": "any"},
    "order.cancel": {"consultant": "own", "direct-sales": "own", "manager": "any"},
    "deliver": {"consultant": "own", "direct-sales": "own", "manager": "any"},
}
OWNING = {"consultant", "telesales", "direct-sales"}
VISIT_CHANNELS = {"walk-in", "show", "referral", "repurchase", "展厅", "车展", "转介绍", "续购"}
REPURCHASE = {"repurchase", "续购", "re-purchase"}
# the standard preset's [defeat] section
DEFEAT_CODES = ("price", "product", "competitor", "financing", "no-longer-buying", "unreachable", "other")
FORBIDDEN_DEFEAT = ("C", "D")
_PLATE = re.compile("[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]"
                    "(?:[A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳领试超])")


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
    vins: set[str] = set()
    plates: set[str] = set()
    prev_at = ""
    manager = None
    size = path.stat().st_size
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
            if cmd not in SCOPES:
                bad(n, f"unknown command {cmd!r}")
                continue
            if actor not in staff:
                bad(n, f"unknown staff member {actor!r}")
                continue
            role = staff[actor][0]
            scope = SCOPES[cmd].get(role)
            if scope is None:
                bad(n, f"{actor} ({role}) may not {cmd}")
            if cmd == "intake":
                intake_line(n, at, actor, role, args, staff, leads, counts, bad)
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
            if at <= lead["registered"]:
                bad(n, f"{cmd} not after the lead's registration")
            if scope == "own" and actor != lead["owner"]:
                bad(n, f"{cmd} as {actor}, but the owner is {lead['owner']}")
            if cmd in ("grade", "followup", "invite", "handover", "defeat.request", "lost", "order") \
                    and lead["status"] != "active":
                bad(n, f"{cmd} of a lead that is {lead['status']}")
            handler = {"grade": grade_line, "followup": followup_line, "invite": invite_line,
                       "arrive": arrive_line, "handover": handover_line, "lost": lost_line}.get(cmd)
            if handler is not None:
                handler(n, at, args, lead, staff, counts, bad)
            elif cmd.startswith("defeat."):
                defeat_line(n, at, cmd, args, lead, counts, bad)
            else:
                order_line(n, at, cmd, args, lead, vins, plates, counts, bad)
    if size > MAX_BYTES:
        problems.append(f"file is {size} bytes, over {MAX_BYTES}")
    if counts["collisions"] > 30:
        problems.append(f"{counts['collisions']} ownership collisions; meant to be a handful")
    report(path, n, size, staff, leads, counts)
    real = [p for p in problems if p]
    for p in real:
        print("PROBLEM", p, file=sys.stderr)
    if len(problems) > len(real):
        print(f"... and {len(problems) - len(real)} more", file=sys.stderr)
    return 1 if problems else 0


def intake_line(n, at, actor, role, args, staff, leads, counts, bad) -> None:
    if args.get("arrived") and args["arrived"] > at.isoformat():
        bad(n, "arrived after the intake")
    if args.get("left") and args.get("arrived") and args["left"] < args["arrived"]:
        bad(n, "left before arrived")
    if args.get("party") is not None and args["party"] < 1:
        bad(n, "party < 1")
    if args.get("no_contact"):
        if "name" in args or "phone" in args or "party" not in args:
            bad(n, "no_contact intake must omit name and phone and give party")
        counts["no-contact"] += 1
        return
    try:
        canon = normalize(args["phone"])
    except (KeyError, ValueError) as exc:
        bad(n, str(exc))
        return
    owner = args.get("owner") or (actor if role in OWNING else None)
    if owner is None:
        bad(n, "a new lead needs an owner")
    elif staff.get(owner, ("",))[0] not in OWNING:
        bad(n, f"owner {owner!r} is not a sales role")
    arrived = datetime.fromisoformat(args["arrived"]) if args.get("arrived") else at
    channel = args.get("channel", "walk-in")
    if canon not in leads:
        leads[canon] = {"name": args["name"], "owner": owner, "registered": at, "created": arrived,
                        "contact": arrived, "grade": args.get("grade"), "count": 0, "planned": None,
                        "status": "active", "request": None, "order": None, "invitation": None, "waiting": False}
        return
    lead = leads[canon]
    counts["return visits"] += 1
    if args["name"] != lead["name"]:
        bad(n, f"phone {canon} reused by a different customer ({args['name']} vs {lead['name']})")
    if args.get("owner") and args["owner"] != lead["owner"]:
        counts["collisions"] += 1
    lead["contact"] = max(lead["contact"], arrived)
    if args.get("grade"):
        lead["grade"] = args["grade"]
    if channel in VISIT_CHANNELS and args.get("invited", True) and lead["invitation"] is not None:
        # leadctl closes the open invitation as arrived with this visit, whatever day it was for
        if lead["invitation"].date() != arrived.date():
            bad(n, f"a visit on {arrived.date()} would close the invitation for {lead['invitation'].date()} as "
                   "arrived; the desk writes invited false")
        lead["invitation"], lead["waiting"] = None, True
        counts["arrivals"] += 1
        counts["arrivals registered at the desk"] += 1
    if channel in REPURCHASE:
        if lead["status"] != "delivered":
            bad(n, f"续购 of a lead that is {lead['status']}, not delivered")
        counts["re-purchases"] += 1
        lead.update(status="active", grade=None, planned=None)


def grade_line(n, at, args, lead, staff, counts, bad) -> None:
    new = args.get("grade") or grade_of(args)
    if new not in GRADES:
        bad(n, f"grade {new!r} cannot be given")
    lead["grade"] = new


def followup_line(n, at, args, lead, staff, counts, bad) -> None:
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
    lead.update(grade=new, contact=max(lead["contact"], at),
                planned=date.fromisoformat(args["next"]) if "next" in args else None)
    lead["count"] += 1


def invite_line(n, at, args, lead, staff, counts, bad) -> None:
    expected = datetime.fromisoformat(args["on"])
    if not 1 <= (expected.date() - at.date()).days <= 5:
        bad(n, f"invited for {expected.date()}, not 1-5 days ahead")
    if expected.date() in CLOSED:
        bad(n, "invited for a day the store is closed")
    if lead["invitation"] is not None:
        counts["no-shows" if lead["invitation"].date() < at.date() else "rescheduled"] += 1
    lead["invitation"] = expected
    counts["invited leads"] += lead.get("invites", 0) == 0
    lead["invites"] = lead.get("invites", 0) + 1


def arrive_line(n, at, args, lead, staff, counts, bad) -> None:
    if lead["invitation"] is None:
        bad(n, "arrive without an open invitation")
    elif lead["invitation"].date() != at.date():
        bad(n, f"arrived on {at.date()}, invited for {lead['invitation'].date()}")
    lead.update(invitation=None, waiting=True, contact=max(lead["contact"], at))
    counts["arrivals"] += 1


def handover_line(n, at, args, lead, staff, counts, bad) -> None:
    if not lead["waiting"]:
        bad(n, "handover without an arrived invitation waiting for it")
    receiver = args.get("to")
    if staff.get(receiver, ("",))[0] not in ("direct-sales", "consultant"):
        bad(n, f"handover to {receiver!r}, not direct sales or a consultant")
    elif receiver == lead["owner"]:
        bad(n, f"handover to {receiver}, who owns the lead already")
    if "expected" in args and date.fromisoformat(args["expected"]) < at.date():
        bad(n, "expected purchase date in the past")
    lead.update(owner=receiver, waiting=False)


def lost_line(n, at, args, lead, staff, counts, bad) -> None:
    if lead["request"] is not None:
        bad(n, "lost while a defeat request is open")
    if not 3 <= args.get("attempts", 0) <= 6:
        bad(n, f"attempts {args.get('attempts')!r}, not 3-6")
    lead.update(status="lost", grade="L")


def defeat_line(n, at, cmd, args, lead, counts, bad) -> None:
    request = lead["request"]
    if cmd == "defeat.request":
        if request is not None:
            bad(n, "a second defeat request while one is open")
        if lead["grade"] in FORBIDDEN_DEFEAT or lead["grade"] not in ("H", "A", "B"):
            bad(n, f"defeat requested from grade {lead['grade']}; only H, A and B (C and D are forbidden)")
        if args.get("reason") not in DEFEAT_CODES:
            bad(n, f"defeat reason {args.get('reason')!r}")
        if args.get("reason") == "competitor" and not args.get("lost_to"):
            bad(n, "a competitor defeat without lost_to")
        if args.get("price") is not None and not (isinstance(args["price"], int) and args["price"] >= 0):
            bad(n, f"price {args['price']!r}")
        lead["request"] = {"status": "requested", "at": at}
        counts[f"defeat reason {args.get('reason')}"] += 1
        return
    if request is None:
        bad(n, f"{cmd} without an open defeat request")
        return
    if cmd == "defeat.verify":
        if request["status"] != "requested":
            bad(n, "verified twice")
        if not args.get("result", "").strip():
            bad(n, "a verification without its result")
        if not 0 <= (at.date() - request["at"].date()).days <= 2:
            bad(n, "verified more than 2 days after the request")
        request.update(status="verified", at=at)
    elif cmd == "defeat.approve":
        if request["status"] != "verified":
            bad(n, "approved before customer service verified it (the standard policy requires it)")
        elif not 0 <= (at.date() - request["at"].date()).days <= 3:
            bad(n, "decided more than 3 days after the verification")
        lead.update(status="defeated", grade="F", request=None)
        counts["defeats approved"] += 1
    else:
        lead["request"] = None
        counts["defeats rejected"] += 1


def order_line(n, at, cmd, args, lead, vins, plates, counts, bad) -> None:
    order = lead["order"]
    if cmd == "order":
        if lead["request"] is not None:
            bad(n, "ordered while a defeat request is open")
        if lead["grade"] not in ("H", "A") and not (lead["grade"] is None and at.date() == lead["created"].date()):
            bad(n, f"ordered from grade {lead['grade']}; orders come from H and A leads (or on the spot)")
        if "vin" in args:
            vin = args["vin"]
            if not re.fullmatch(r"L[0-9A-HJ-NPR-Z]{16}", vin) or vin[8] != vin_check_digit(vin):
                bad(n, f"VIN {vin} is not a Chinese VIN with its check digit")
            if vin in vins:
                bad(n, f"VIN {vin} ordered twice")
            vins.add(vin)
        elif not all(args.get(k) for k in ("brand", "series", "model")):
            bad(n, "an order names the car by vin, or by brand, series and model")
        price, deposit = args.get("price"), args.get("deposit")
        if price is not None and deposit is not None and not 0 <= deposit <= price:
            bad(n, f"deposit {deposit} against price {price}")
        lead["order"] = {"at": at, "grade": lead["grade"]}
        lead.update(status="ordered", grade="O")
        counts["ordered leads"] += lead.get("orders", 0) == 0
        lead["orders"] = lead.get("orders", 0) + 1
        return
    if order is None or lead["status"] != "ordered":
        bad(n, f"{cmd} without an open order")
        return
    if cmd == "order.cancel":
        if not args.get("reason", "").strip():
            bad(n, "a cancellation without its reason")
        lead.update(status="active", grade=order["grade"], planned=None, order=None)
        return
    days = (at.date() - order["at"].date()).days
    if not 7 <= days <= 30:
        bad(n, f"delivered {days} days after the order, not 7-30")
    plate = re.sub(r"[\s\-\u00b7.]", "", args.get("plate", ""))
    if not _PLATE.fullmatch(plate):
        bad(n, f"plate {args.get('plate')!r}")
    if plate in plates:
        bad(n, f"plate {plate} issued twice")
    plates.add(plate)
    if args.get("insurer") not in INSURERS:
        bad(n, f"insurer {args.get('insurer')!r}")
    if "plate_date" in args and not order["at"].date() <= date.fromisoformat(args["plate_date"]) <= at.date():
        bad(n, "plate date outside the order..delivery span")
    lead.update(status="delivered", order=None)


def report(path: Path, n: int, size: int, staff: dict, leads: dict, counts: Counter) -> None:
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
    total = len(leads) + counts["no-contact"]
    status = Counter(lead["status"] for lead in leads.values())

    def share(k: int) -> str:
        return f"{k} ({k / total:.1%} of leads)"

    print(f"{path.name}: {n} lines, {size / 1e6:.2f} MB")
    print(f"staff {len(staff)} ({', '.join(f'{k} {v}' for k, v in sorted(roles.items()))})")
    print(f"leads {total} ({len(leads)} with a phone, {counts['no-contact']} no-contact); "
          f"intakes {counts['intake']} ({counts['return visits']} return visits, {counts['collisions']} collisions)")
    print(f"followups {counts['followup']} (leads followed up: {followed}); grade commands {counts['grade']}")
    print(f"invitations {counts['invite']} to {counts['invited leads']} leads: arrived {counts['arrivals']} "
          f"({counts['arrivals registered at the desk']} registered by intake), no-shows recorded "
          f"{counts['no-shows']}, rescheduled {counts['rescheduled']}; handovers {counts['handover']}")
    print(f"orders {counts['order']} from {share(counts['ordered leads'])}: delivered {counts['deliver']}, "
          f"cancelled {counts['order.cancel']}, open {status['ordered']}; re-purchases {counts['re-purchases']}")
    print(f"defeat requests {counts['defeat.request']}: approved {share(counts['defeats approved'])}, rejected "
          f"{counts['defeats rejected']}, open {sum(1 for lead in leads.values() if lead['request'])}; "
          f"lost control {share(counts['lost'])}")
    print("  defeat reasons: " + ", ".join(f"{code} {counts[f'defeat reason {code}']}" for code in DEFEAT_CODES))
    print(f"lead status now: {', '.join(f'{k} {v}' for k, v in status.most_common())}")
    print(f"due on {TODAY} (today or overdue): {sum(due.values())}, of which overdue {sum(overdue.values())}")
    for owner, k in sorted(due.items(), key=lambda x: -x[1]):
        print(f"  {owner:<4} {staff[owner][0]:<13} due {k:>3}  overdue {overdue[owner]:>3}")


def grade_of(args: dict) -> str | None:
    if "within" in args:
        days = int(args["within"][:-1]) * {"d": 1, "w": 7, "m": 30}[args["within"][-1]]
        return "H" if days <= 7 else "A" if days <= 30 else "B" if days <= 90 else "C"
    factors = frozenset(f for f in ("need", "confidence", "power") if args.get(f))
    return {frozenset({"need", "confidence", "power"}): "H", frozenset({"need", "power"}): "A",
            frozenset({"need", "confidence"}): "B", frozenset({"confidence", "power"}): "C",
            frozenset({"need"}): "D"}.get(factors)


def next_due(lead: dict) -> date | None:
    """leadctl's rule for the standard policy (no settling calls): only an active lead is due; the last
    contact is the latest follow-up or visit."""
    if lead["status"] != "active" or lead["grade"] in ("O", "F", "L", "W", "D"):
        return None
    if lead["count"] == 0:
        return max(lead["created"], lead["contact"]).date()
    if lead["grade"] is None:
        return lead["contact"].date()
    due = lead["contact"].date() + timedelta(days=CADENCE[lead["grade"]])
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

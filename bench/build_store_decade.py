"""Build a "store decade" database: ten years (2016-11-24 .. 2026-11-24) of one dealership's sales leads.

    python bench/build_store_decade.py --out bench/data/store-decade.db [--leads 1000000] [--followups 10000000]
                                       [--seed 7] [--force] [--verify]

The database is created with the real CLI (`leadctl init`, `leadctl staff add` for a manager, two receptionists,
26 showroom consultants and 12 dcc telesales), then leads, visits, follow-ups, grade history and owner history are
bulk-inserted with the stdlib sqlite3 module. Every lead's followup_count, last_contact_at, planned_on, grade,
grade_basis, status and next_due agree with the rows inserted; next_due comes from
leadctl.rules.cadence.next_due under the standard preset. Output is deterministic for a given
(--leads, --followups, --seed): the random streams depend on the seed and a fixed chunk size only, not on the
number of worker processes. Bulk rows carry no audit events (one `bench.build` event records the load).

Rows of each table get ids in chronological order, as if they had been typed in over the decade.

The CLI steps and the cadence rules come from whichever leadctl is first on the path: to build for a pinned commit,
put its `git archive` export first on PYTHONPATH (see bench/startup.py). Build-only settings: synchronous=OFF,
secondary indexes dropped and recreated, CHECK constraints skipped while loading (--verify re-checks them all).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from array import array
from datetime import date, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

import numpy as np

BASE = datetime(2016, 1, 1)
INIT_NOW = "2016-01-01T08:00"
FIRST_DAY = datetime(2016, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0)
CHUNK = 20_000  # leads per generation task: part of the random-stream layout, do not change lightly

MANAGER = "王建国"
RECEPTIONISTS = ["张敏", "刘洋"]
CONSULTANTS = ["李娜", "王磊", "陈静", "杨帆", "赵强", "黄丽", "周杰", "吴婷", "徐涛", "孙悦", "马超", "朱琳", "胡斌",
               "郭敏", "何勇", "高峰", "林晓", "罗欣", "郑浩", "梁爽", "谢晨", "宋佳", "唐亮", "许倩", "韩雪", "冯凯"]
TELESALES = ["邓颖", "曹宇", "彭飞", "曾丽", "肖楠", "田甜", "董洁", "袁野", "潘越", "蒋欢", "蔡琴", "余洁"]

# channel, weight, team that owns it, visit kind, who registers it, first-visit hours (minutes of day)
CHANNELS = [
    ("walk-in", 40, "showroom", "visit", "desk", (540, 1170)),
    ("call", 15, "dcc", "call", "owner", (510, 1230)),
    ("web", 20, "dcc", "list", "owner", (0, 1439)),
    ("hotline", 8, "dcc", "call", "owner", (510, 1230)),
    ("show", 5, "showroom", "visit", "desk", (540, 1140)),
    ("hq", 5, "dcc", "list", "owner", (480, 1080)),
    ("repurchase", 3, "showroom", "visit", "desk", (540, 1170)),
    ("referral", 4, "showroom", "visit", "desk", (540, 1170)),
]
INFO_SOURCES = {
    "visit": (["passing", "friends", "internet", "newspaper", "radio", "magazine", "other"], [30, 25, 25, 5, 5, 3, 7]),
    "call": (["phone", "internet", "friends", "radio", "other"], [40, 35, 10, 10, 5]),
    "list": (["internet", "other"], [90, 10]),
}
MODELS = ["卡罗拉", "雷凌", "凯美瑞", "亚洲龙", "RAV4荣放", "威兰达", "汉兰达", "锋兰达", "C-HR", "赛那", "bZ3", "bZ4X",
          "普拉多", "皇冠陆放"]
MODEL_WEIGHTS = [16, 12, 14, 5, 12, 8, 9, 7, 4, 3, 3, 3, 2, 2]
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉萍红娥玲芬燕彬斌宇浩凯鹏飞鑫波辉建国志文海东亮"
         "晨阳雪梅兰琳婷倩颖佳欣悦晓峰宁军俊嘉怡欣子轩涵博文思睿雨泽")

GRADES = ["O", "H", "A", "B", "C", "D", "F", "L", "W"]
G = {g: i for i, g in enumerate(GRADES)}
CADENCE = {G["H"]: 2, G["A"]: 7, G["B"]: 15, G["C"]: 30}  # standard preset; checked against the policy at start
WORKING = [G["H"], G["A"], G["B"], G["C"], G["D"]]
INTAKE_GRADE_WEIGHTS = [6, 18, 32, 28, 16]
FOLLOWUP_GRADE_WEIGHTS = [8, 20, 32, 28, 12]
ACTIVE_GRADES, ACTIVE_GRADE_WEIGHTS = [G["H"], G["A"], G["B"], G["C"]], [12, 28, 35, 25]
OUTCOMES, OUTCOME_WEIGHTS = ["delivered", "defeated", "lost", "closed", "dormant"], [18, 40, 12, 5, 25]
METHODS, METHOD_WEIGHTS = ["phone", "wechat", "sms", "store", "visit"], [58, 20, 8, 12, 2]
RESULTS = {
    "phone": ["客户考虑中，下周再联系", "已报价，客户在比价", "电话未接通，稍后再拨", "客户表示近期不买",
              "邀约周末到店试驾", "客户关心置换价格", "客户在等优惠政策", "家人意见未统一", "客户询问贷款方案",
              "客户要求的颜色需等车", "客户已在竞品店看车", "客户要求再降价"],
    "wechat": ["已发送车型资料和报价单", "微信沟通配置差异", "客户微信回复再考虑", "发送试驾邀请", "发送店内活动信息"],
    "sms": ["已发送感谢短信", "短信告知到店活动", "电话未接，已发短信", "短信提醒试驾预约"],
    "store": ["客户到店看车", "客户到店试驾", "到店洽谈价格", "带家人到店看车", "到店谈置换评估"],
    "visit": ["上门拜访，送资料", "上门拜访企业客户", "上门讲解金融方案"],
}
RESULT_TEXTS = [text for method in METHODS for text in RESULTS[method]]
RESULT_IDS = {m: [RESULT_TEXTS.index(t) for t in RESULTS[m]] for m in METHODS}
REASONS = ["registered", None, "order", "defeat approved", "lost control"]  # None: "follow-up {id}"
R_REGISTERED, R_FOLLOWUP, R_ORDER, R_DEFEAT, R_LOST = range(5)
BASES = ["stated", "workflow"]
KINDS = ["visit", "call", "list"]


def minutes(moment: datetime) -> int:
    return int((moment - BASE).total_seconds() // 60)


NOW_MIN = minutes(NOW)
DAYS = [(BASE + timedelta(days=d)).date().isoformat() for d in range(NOW_MIN // 1440 + 800)]
HMS = [f"T{m // 60:02d}:{m % 60:02d}:00" for m in range(1440)]
DATE_OR_NONE = [None, *DAYS]  # index day + 1; -1 -> None


def iso(t: int) -> str:
    return DAYS[t // 1440] + HMS[t % 1440]


class Progress:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def say(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.start:7.1f}s] {text}", flush=True)


# -- 1. the real CLI: init and staff -------------------------------------------------------------------------------
def leadctl_command() -> list[str]:
    script = Path(sys.executable).parent / "leadctl"
    return [str(script)] if script.exists() else [sys.executable, "-m", "leadctl"]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")}


def run_cli(db: Path, *args: str) -> None:
    done = subprocess.run([*leadctl_command(), "--db", str(db), "--now", INIT_NOW, *args], env=clean_env(),
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"leadctl {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")


def create_with_cli(db: Path, progress: Progress) -> None:
    run_cli(db, "init")
    run_cli(db, "staff", "add", MANAGER, "--role", "manager")
    for name in RECEPTIONISTS:
        run_cli(db, "--as", MANAGER, "staff", "add", name, "--role", "receptionist")
    for name in CONSULTANTS:
        run_cli(db, "--as", MANAGER, "staff", "add", name, "--role", "consultant", "--team", "showroom")
    for name in TELESALES:
        run_cli(db, "--as", MANAGER, "staff", "add", name, "--role", "telesales", "--team", "dcc")
    progress.say(f"created {db} with the CLI: init + {1 + len(RECEPTIONISTS) + len(CONSULTANTS) + len(TELESALES)} "
                 "staff")


def roster(conn: sqlite3.Connection) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {"manager": [], "receptionist": [], "showroom": [], "dcc": []}
    for staff_id, role, team in conn.execute("SELECT id, role, team FROM staff ORDER BY id"):
        out[team if role in ("consultant", "telesales") else role].append(staff_id)
    return out


# -- 2. lead skeletons: when, which channel, whose, how long in play, how many follow-ups ---------------------------
def unique_phones(rng: random.Random, count: int) -> list[str]:
    """`count` distinct mobile numbers 1[3-9]xxxxxxxxx."""
    return [f"1{3 + v // 10**9}{v % 10**9:09d}" for v in rng.sample(range(7 * 10**9), count)]


def customer_name(rng: random.Random, channel: str) -> str | None:
    roll = rng.random()
    if channel in ("web", "hq") and roll < 0.04:
        return None
    surname = SURNAMES[min(int(rng.expovariate(1 / 18)), len(SURNAMES) - 1)]
    if roll < 0.16:
        return surname + rng.choice(("先生", "女士"))
    return surname + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def working_hours(rng: random.Random, t: int, not_before: int) -> int:
    """The same day as `t` at a time between 09:00 and 20:00, but not before `not_before` + 5 minutes."""
    return max(t // 1440 * 1440 + rng.randint(540, 1199), not_before + 5)


def skeletons(rng: random.Random, count: int, staff: dict[str, list[int]]) -> list[list]:
    """Per lead: [created, channel, owner, registered_by, t_end, outcome, final_grade, ...]; sorted by created."""
    first, days = minutes(FIRST_DAY) // 1440, (NOW_MIN // 1440) - minutes(FIRST_DAY) // 1440 + 1
    channel_ix = rng.choices(range(len(CHANNELS)), [c[1] for c in CHANNELS], k=count)
    created = []
    for ch in channel_ix:
        lo, hi = CHANNELS[ch][5]
        t = (first + rng.randrange(days)) * 1440 + rng.randint(lo, hi)
        while t >= NOW_MIN:  # today: only what came in before 09:00 (web and hq lists overnight)
            t = (first + rng.randrange(days - 1)) * 1440 + rng.randint(lo, hi) if CHANNELS[ch][3] != "list" \
                else (NOW_MIN // 1440) * 1440 + rng.randint(0, 539)
        created.append(t)
    order = sorted(range(count), key=created.__getitem__)
    phones = unique_phones(rng, count)
    out = []
    for i, k in enumerate(order):
        name, _w, team, kind, registrar, _hours = CHANNELS[channel_ix[k]]
        c = created[k]
        owner = rng.choice(staff[team])
        regby = rng.choice(staff["receptionist"]) if registrar == "desk" else owner
        life = min(rng.expovariate(1 / 45), 540.0)  # days the lead stays in play
        resolved_at = working_hours(rng, c + int(life * 1440), c)
        if resolved_at < NOW_MIN - 1:
            outcome, final, t_end = rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0], -1, resolved_at
        else:
            outcome = "active"
            final = -1 if rng.random() < 0.02 else rng.choices(ACTIVE_GRADES, ACTIVE_GRADE_WEIGHTS)[0]
            lag = int(rng.uniform(0, 1.3) * CADENCE.get(final, 3) * 1440)  # since the last contact
            t_end = max(NOW_MIN - 1 - lag, c + 5 + int(rng.random() * max(0, NOW_MIN - 1 - c - 5)))
            t_end = min(working_hours(rng, t_end, c), NOW_MIN - 1)
        sources, weights = INFO_SOURCES[kind]
        info = None if rng.random() < 0.1 else rng.choices(sources, weights)[0]
        model = rng.choices(range(len(MODELS)), MODEL_WEIGHTS)[0]
        g0 = -1 if (final == -1 and outcome == "active") or rng.random() < 0.45 else \
            rng.choices(WORKING, INTAKE_GRADE_WEIGHTS)[0]
        out.append([c, channel_ix[k], owner, regby, t_end, outcome, final, 0, customer_name(rng, name),
                    phones[i], info, model, int(rng.random() < 0.15), int(rng.random() < 0.02), g0])
    return out


def allocate_followups(rng: random.Random, leads: list[list], total: int) -> None:
    """Share `total` follow-ups among the leads in proportion to their time in play; exact total; in place (ix 7)."""
    weights, caps = [], []
    for c, _ch, _o, _r, t_end, *_ in leads:
        span = (t_end - c) / 1440
        cap = 0 if t_end < c + 5 or NOW_MIN - c < 60 else 1 + int(2 * span)
        caps.append(cap)
        weights.append(span + 1 if cap else 0.0)
    scale = total / sum(weights)
    # Nearly every lead that could be called got its first call; 3% never did (or --followups is too small).
    floors = [int(cap > 0 and total >= len(leads) and rng.random() < 0.97) for cap in caps]
    counts = []
    for w, cap, floor in zip(weights, caps, floors, strict=True):
        x = w * scale
        counts.append(max(floor, min(cap, int(x) + (rng.random() < x - int(x)))))
    diff = total - sum(counts)
    if diff > sum(caps) - sum(counts) or -diff > sum(counts) - sum(floors):
        raise SystemExit(f"cannot share {total} follow-ups among {len(leads)} leads over ten years")
    while diff:
        i = rng.randrange(len(leads))
        if diff > 0 and counts[i] < caps[i]:
            counts[i], diff = counts[i] + 1, diff - 1
        elif diff < 0 and counts[i] > floors[i]:
            counts[i], diff = counts[i] - 1, diff + 1
    for lead, n in zip(leads, counts, strict=True):
        lead[7] = n


# -- 3. one chunk of leads, simulated follow-up by follow-up (runs in worker processes) ------------------------------
class Chunk:
    def __init__(self) -> None:
        self.leads: list[tuple] = []
        self.owners: list[tuple] = []
        self.fu = {k: array("i") for k in ("lead", "t", "by", "method", "result", "grade", "next")}
        self.gr = {k: array("i") for k in ("lead", "t", "by", "grade", "previous", "basis", "reason")}
        self.gr_ref = array("q")  # global index of the follow-up that gave the grade, or -1
        self.vi = {k: array("i") for k in ("lead", "t", "kind", "channel", "left", "party", "first", "drive", "model",
                                           "staff", "regby")}

    def grade(self, lead, t, by, grade, previous, basis, reason, ref=-1) -> None:
        for key, value in zip(self.gr, (lead, t, by, grade, previous, basis, reason), strict=True):
            self.gr[key].append(value)
        self.gr_ref.append(ref)

    def visit(self, lead, t, kind, channel, left, party, first, drive, model, staff, regby) -> None:
        for key, value in zip(self.vi, (lead, t, kind, channel, left, party, first, drive, model, staff, regby),
                              strict=True):
            self.vi[key].append(value)


def _times(rng: random.Random, c: int, t_end: int, n: int) -> list[int]:
    if n == 0:
        return []
    if n == 1:
        return [t_end]
    t1 = min(c + rng.randint(5, 180), t_end)
    d0, d1 = t1 // 1440, t_end // 1440
    middle = sorted(min(max(rng.randint(d0, d1) * 1440 + rng.randint(540, 1199), t1), t_end) for _ in range(n - 2))
    return [t1, *middle, t_end]


def simulate(task: tuple) -> Chunk:
    seed, chunk_no, first_id, fu_offset, skeleton, staff = task
    from leadctl.models import Grade, LeadState, Status
    from leadctl.rules import cadence
    from leadctl.rules.policy import preset

    policy = preset("standard")
    rng = random.Random(f"store-decade:{seed}:{chunk_no}")
    out, fu_index = Chunk(), fu_offset
    receptionists, manager = staff["receptionist"], staff["manager"][0]
    for lead_id, (c, ch, owner, regby, t_end, outcome, final, n, name, phone, info, model, trade_in, fleet, g0) \
            in enumerate(skeleton, first_id):
        kind = KINDS.index(CHANNELS[ch][3])
        in_person = kind == 0
        left = c + rng.randint(15, 120) if in_person else -1
        out.visit(lead_id, c, kind, ch, left if left < NOW_MIN else -1,
                  rng.choices((1, 2, 3, 4), (50, 35, 10, 5))[0] if in_person else 1, 1,
                  int(in_person and rng.random() < 0.3), model, owner, regby)
        out.owners.append((lead_id, iso(c), regby, None, owner, "registered"))
        current, basis = g0, ("stated" if g0 >= 0 else None)
        if g0 >= 0:
            out.grade(lead_id, c, regby, g0, -1, 0, R_REGISTERED)
        if n == 0 and outcome == "dormant":
            outcome = "lost"
        ungraded = outcome == "active" and final == -1
        planned = -1
        times = _times(rng, c, t_end, n)
        for k, t in enumerate(times):
            stated = -1
            if k == n - 1 and outcome == "active":
                stated = final if final >= 0 and final != current else -1
            elif k == n - 1 and outcome == "dormant":
                stated = G["D"]
            elif not ungraded and rng.random() < (0.9 if current < 0 else 0.25):
                stated = rng.choices(WORKING, FOLLOWUP_GRADE_WEIGHTS)[0]
            if stated >= 0 and stated != current:
                out.grade(lead_id, t, owner, stated, current, 0, R_FOLLOWUP, fu_index)
                current, basis = stated, "stated"
            planned = t // 1440 + rng.randint(1, CADENCE[current]) if current in CADENCE and rng.random() < 0.15 else -1
            method = rng.choices(range(len(METHODS)), METHOD_WEIGHTS)[0]
            for key, value in zip(out.fu, (lead_id, t, owner, method, rng.choice(RESULT_IDS[METHODS[method]]),
                                           stated, planned), strict=True):
                out.fu[key].append(value)
            fu_index += 1
            if METHODS[method] == "store":
                stay = t + rng.randint(20, 120)
                out.visit(lead_id, t, 0, 0, stay if stay < NOW_MIN else -1, rng.choices((1, 2, 3), (55, 35, 10))[0],
                          0, int(rng.random() < 0.25), model, owner, rng.choice(receptionists))
        status = "active"
        if outcome in ("delivered", "defeated", "lost"):
            at = min(working_hours(rng, (times[-1] if times else c) + rng.randint(0, 4320), times[-1] if times
                                   else c), NOW_MIN - 1)
            workflow = {"delivered": (G["O"], owner, R_ORDER), "defeated": (G["F"], manager, R_DEFEAT),
                        "lost": (G["L"], owner, R_LOST)}[outcome]
            out.grade(lead_id, at, workflow[1], workflow[0], current, 1, workflow[2])
            current, basis = workflow[0], None
            status = "ordered" if outcome == "delivered" and at > NOW_MIN - 20 * 1440 else outcome
        elif outcome == "closed":
            status = "closed"
        last = times[-1] if times else c
        planned_on = DATE_OR_NONE[planned + 1]
        state = LeadState(grade=Grade(GRADES[current]) if current >= 0 else None, status=Status(status),
                          created_at=BASE + timedelta(minutes=c), last_contact_at=BASE + timedelta(minutes=last),
                          followup_count=n, planned_on=date.fromisoformat(planned_on) if planned_on else None)
        due = cadence.next_due(policy, state)
        out.leads.append((lead_id, name, phone, CHANNELS[ch][0], info, MODELS[model], trade_in, fleet,
                          GRADES[current] if current >= 0 else None, basis, status, owner, regby, iso(c), iso(last),
                          n, planned_on, due.due_on.isoformat() if due else None))
    return out


# -- 4. loading -----------------------------------------------------------------------------------------------------
BULK_TABLES = ("leads", "visits", "grades", "followups", "owners")
LEAD_SQL = ("INSERT INTO leads (id, name, phone, channel, info_source, model, trade_in, fleet, grade, grade_basis,"
            " status, owner_id, registered_by, created_at, last_contact_at, followup_count, planned_on, next_due)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
OWNER_SQL = "INSERT INTO owners (lead_id, at, by_id, from_id, to_id, reason) VALUES (?,?,?,?,?,?)"
BATCH = 500_000


def drop_indexes(conn: sqlite3.Connection) -> list[str]:
    marks = ",".join("?" * len(BULK_TABLES))
    rows = conn.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                        f" AND tbl_name IN ({marks}) ORDER BY rowid", BULK_TABLES).fetchall()
    for name, _sql in rows:
        conn.execute(f"DROP INDEX {name}")
    return [sql for _name, sql in rows]


def chronological(columns: dict[str, array]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The columns reordered by time (ties keep generation order), and the order itself."""
    t = np.frombuffer(columns["t"], dtype=np.int32)
    order = np.argsort(t, kind="stable")
    return {k: np.frombuffer(v, dtype=np.int32)[order] for k, v in columns.items()}, order


def insert_batches(conn: sqlite3.Connection, sql: str, count: int, rows_for, progress: Progress, what: str) -> None:
    for lo in range(0, count, BATCH):
        hi = min(count, lo + BATCH)
        conn.execute("BEGIN")
        conn.executemany(sql, rows_for(lo, hi))
        conn.execute("COMMIT")
    progress.say(f"inserted {count:,} {what}")


def load_followups(conn, fu: dict[str, array], progress: Progress) -> np.ndarray:
    cols, order = chronological(fu)
    ids_of = np.empty(len(order), dtype=np.int64)
    ids_of[order] = np.arange(1, len(order) + 1)
    methods, results, grades = METHODS, RESULT_TEXTS, [*GRADES, None]

    def rows(lo, hi):
        get = {k: v[lo:hi].tolist() for k, v in cols.items()}
        return zip(range(lo + 1, hi + 1), get["lead"], map(iso, get["t"]), get["by"],
                   map(methods.__getitem__, get["method"]), map(results.__getitem__, get["result"]),
                   map(grades.__getitem__, get["grade"]), (DATE_OR_NONE[d + 1] for d in get["next"]), strict=True)

    insert_batches(conn, "INSERT INTO followups (id, lead_id, at, by_id, method, result, grade, next_on)"
                         " VALUES (?,?,?,?,?,?,?,?)", len(order), rows, progress, "follow-ups")
    return ids_of


def load_grades(conn, gr: dict[str, array], refs: array, fu_ids: np.ndarray, progress: Progress) -> None:
    cols, order = chronological(gr)
    ref = np.frombuffer(refs, dtype=np.int64)[order]
    grades = [*GRADES, None]

    def rows(lo, hi):
        get = {k: v[lo:hi].tolist() for k, v in cols.items()}
        reasons = [REASONS[r] if r != R_FOLLOWUP else f"follow-up {fu_ids[x]}"
                   for r, x in zip(get["reason"], ref[lo:hi].tolist(), strict=True)]
        return zip(range(lo + 1, hi + 1), get["lead"], map(iso, get["t"]), get["by"], map(grades.__getitem__,
                   get["grade"]), map(grades.__getitem__, get["previous"]), map(BASES.__getitem__, get["basis"]),
                   reasons, strict=True)

    insert_batches(conn, "INSERT INTO grades (id, lead_id, at, by_id, grade, previous, basis, reason)"
                         " VALUES (?,?,?,?,?,?,?,?)", len(order), rows, progress, "grade changes")


def load_visits(conn, vi: dict[str, array], progress: Progress) -> None:
    cols, _order = chronological(vi)
    channels = [c[0] for c in CHANNELS]

    def rows(lo, hi):
        get = {k: v[lo:hi].tolist() for k, v in cols.items()}
        return zip(range(lo + 1, hi + 1), get["lead"], map(KINDS.__getitem__, get["kind"]),
                   map(channels.__getitem__, get["channel"]), map(iso, get["t"]),
                   (iso(x) if x >= 0 else None for x in get["left"]), get["party"], get["first"],
                   get["drive"], map(MODELS.__getitem__, get["model"]), get["staff"], get["regby"], strict=True)

    insert_batches(conn, "INSERT INTO visits (id, lead_id, kind, channel, arrived_at, left_at, party, first_visit,"
                         " left_contact, test_drive, model, staff_id, registered_by)"
                         " VALUES (?,?,?,?,?,?,?,?,1,?,?,?,?)", len(cols["lead"]), rows, progress, "visits")


def merge(parts: list[dict[str, array]]) -> dict[str, array]:
    out = {k: array(v.typecode) for k, v in parts[0].items()}
    for part in parts:
        for k, v in part.items():
            out[k].extend(v)
    return out


# -- 5. checks ------------------------------------------------------------------------------------------------------
def schema_of(path: Path) -> set[tuple]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
    finally:
        conn.close()


def fresh_schema() -> set[tuple]:
    """sqlite_master of a freshly `init`ed database (taken at the start: leadctl may change during a build)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.db"
        run_cli(fresh, "init")
        return schema_of(fresh)


def check_schema(db: Path, want: set[tuple], progress: Progress) -> None:
    got = schema_of(db)
    if want != got:
        raise SystemExit(f"schema differs from a fresh init: missing {want - got}, extra {got - want}")
    progress.say(f"schema identical to a fresh `leadctl init` ({len(want)} sqlite_master entries)")


def verify(db: Path, progress: Progress) -> None:
    """Slow checks: integrity, foreign keys, and that every lead's summary fields agree with its rows."""
    from leadctl.rules import cadence
    from leadctl.rules.policy import preset
    from leadctl.services.leads import load_state

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchone() is None
    bad = conn.execute("""
        SELECT count(*) FROM leads l
        LEFT JOIN (SELECT lead_id, count(*) n, max(at) last FROM followups GROUP BY lead_id) f ON f.lead_id = l.id
        WHERE coalesce(f.n, 0) != l.followup_count OR max(l.created_at, coalesce(f.last, '')) != l.last_contact_at
        """).fetchone()[0]
    assert bad == 0, f"{bad} leads disagree with their follow-ups"
    bad = conn.execute("""
        SELECT count(*) FROM leads l JOIN followups f ON f.id = (SELECT max(id) FROM followups WHERE lead_id = l.id)
        WHERE f.next_on IS NOT l.planned_on""").fetchone()[0]
    assert bad == 0, f"{bad} leads' planned_on disagree with their last follow-up"
    bad = conn.execute("""
        SELECT count(*) FROM leads l JOIN grades g ON g.id = (SELECT max(id) FROM grades WHERE lead_id = l.id)
        WHERE g.grade IS NOT l.grade""").fetchone()[0]
    assert bad == 0, f"{bad} leads' grade disagrees with their grade history"
    assert conn.execute("SELECT count(*) FROM leads l WHERE NOT EXISTS "
                        "(SELECT 1 FROM visits v WHERE v.lead_id = l.id)").fetchone()[0] == 0
    policy = preset("standard")
    ids = [r[0] for r in conn.execute("SELECT id FROM leads WHERE id % 97 = 0")]
    for lead_id in ids:
        due = cadence.next_due(policy, load_state(conn, lead_id))
        stored = conn.execute("SELECT next_due FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
        assert stored == (due.due_on.isoformat() if due else None), lead_id
    conn.close()
    progress.say(f"verified: quick_check ok, no foreign key errors, lead summaries agree ({len(ids)} next_due "
                 "recomputed)")


# -- main -----------------------------------------------------------------------------------------------------------
def build(out: Path, leads: int, followups: int, seed: int, workers: int, progress: Progress) -> dict:
    create_with_cli(out, progress)
    conn = sqlite3.connect(out, isolation_level=None)
    # Build-only settings. CHECK constraints are skipped while loading (an IN-list CHECK costs ~4 us a row in an
    # executemany); `--verify` runs PRAGMA quick_check, which evaluates every CHECK and NOT NULL constraint.
    for pragma in ("synchronous = OFF", "cache_size = -1048576", "temp_store = MEMORY", "threads = 2",
                   "ignore_check_constraints = ON"):
        conn.execute(f"PRAGMA {pragma}")
    staff = roster(conn)
    index_sql = drop_indexes(conn)
    rng = random.Random(f"store-decade:{seed}")
    skeleton = skeletons(rng, leads, staff)
    allocate_followups(rng, skeleton, followups)
    progress.say(f"planned {leads:,} leads and {followups:,} follow-ups")
    tasks, fu_offset = [], 0
    for chunk_no, lo in enumerate(range(0, leads, CHUNK)):
        part = skeleton[lo:lo + CHUNK]
        tasks.append((seed, chunk_no, lo + 1, fu_offset, part, staff))
        fu_offset += sum(lead[7] for lead in part)
    del skeleton
    fu, gr, refs, vi = [], [], array("q"), []
    with get_context("fork").Pool(workers) as pool:
        for done, chunk in enumerate(pool.imap(simulate, tasks), 1):
            conn.execute("BEGIN")
            conn.executemany(LEAD_SQL, chunk.leads)
            conn.executemany(OWNER_SQL, chunk.owners)
            conn.execute("COMMIT")
            fu.append(chunk.fu)
            gr.append(chunk.gr)
            refs.extend(chunk.gr_ref)
            vi.append(chunk.vi)
            if done % 10 == 0 or done == len(tasks):
                progress.say(f"simulated and inserted leads {min(done * CHUNK, leads):,}/{leads:,}")
    fu_ids = load_followups(conn, merge(fu), progress)
    del fu
    load_grades(conn, merge(gr), refs, fu_ids, progress)
    load_visits(conn, merge(vi), progress)
    for sql in index_sql:
        started = time.perf_counter()
        conn.execute(sql)
        progress.say(f"created index in {time.perf_counter() - started:.1f}s: {' '.join(sql.split()[:6])}")
    counts = {t: conn.execute(f"SELECT max(id) FROM {t}").fetchone()[0] or 0 for t in BULK_TABLES}
    from leadctl.store.audit import record

    record(conn, NOW, None, "bench.build", None, seed=seed, **counts)  # chained: `check` finds the trail sound
    conn.execute("PRAGMA ignore_check_constraints = OFF")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts["user_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "store-decade.db")
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--followups", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="generator processes (the output does not depend on it)")
    parser.add_argument("--force", action="store_true", help="replace an existing --out file")
    parser.add_argument("--verify", action="store_true", help="also run slow consistency checks")
    args = parser.parse_args(argv)
    if args.leads < 1 or args.followups < 0:
        parser.error("--leads must be at least 1 and --followups at least 0")
    out: Path = args.out
    if out.exists():
        if not args.force:
            parser.error(f"{out} exists; pass --force to replace it")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out}{suffix}").unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    progress = Progress()
    want = fresh_schema()
    counts = build(out, args.leads, args.followups, args.seed, args.workers, progress)
    seconds = time.perf_counter() - progress.start
    size = out.stat().st_size
    progress.say(f"built {out}: {size / 2**20:,.0f} MiB in {seconds:.0f}s")
    check_schema(out, want, progress)
    if args.verify:
        verify(out, progress)
    meta = {"args": {k: str(v) for k, v in vars(args).items()}, "rows": counts, "build_seconds": round(seconds, 1),
            "bytes": size, "now": NOW.isoformat(), "sqlite": sqlite3.sqlite_version, "python": sys.version.split()[0]}
    Path(f"{out}.build.json").write_text(json.dumps(meta, indent=2) + "\n")
    if shutil.which("du"):
        subprocess.run(["du", "-h", str(out)], check=False)


if __name__ == "__main__":
    main()

"""The customer card's fields ([003] 客户信息资料卡, [001] 来店(电)客户登记表): each field's key (the option of
`intake` and `edit`, the key of `show --json`, the column), its Chinese header on the forms, and how a typed
value is read. Pure: values in, values (or BadInput) out.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date

from leadctl.errors import BadInput
from leadctl.i18n import N_, _, choices
from leadctl.models import noun
from leadctl.rules import lunar

MAX_TEXT = 2000
MAX_BUDGET = 100_000_000  # yuan: anything larger is a typing mistake


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # the form's heading (export)
    kind: str  # text | int | choice | list | bool | birthday | calendar
    help: str
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # code -> words a person may type for it


GENDERS = (("male", ("male", "m", "男")), ("female", ("female", "f", "女")))
PAYMENTS = (("full", ("full", "cash", "全款")), ("loan", ("loan", "贷款", "按揭", "分期")))

FIELDS: tuple[Field, ...] = (
    Field("gender", "性别", "choice", N_("male|female (男|女)."), GENDERS),
    Field("birth_year", "出生年份", "int", N_("Year of birth (age band).")),
    Field("birthday", "生日", "birthday", N_("Birthday YYYY-MM-DD, on the calendar of --birthday-calendar.")),
    Field("birthday_calendar", "生日(阳历/阴历)", "calendar", N_("solar|lunar (阳历|阴历) [default: solar].")),
    Field("employer", "单位", "text", N_("Employer (单位).")),
    Field("industry", "从事行业", "text", N_("Industry (从事行业).")),
    Field("address", "地址", "text", N_("Address or region.")),
    Field("wechat", "微信", "text", N_("WeChat id.")),
    Field("landline", "其他联系电话", "text", N_("Landline or another number.")),
    Field("current_vehicle", "现在车辆使用情况", "text", N_("Car now used: brand, model, year.")),
    Field("trade_in", "置换意愿", "bool", N_("Wants to trade in a car (置换).")),
    Field("brand", "意向品牌", "text", N_("Wanted brand.")),
    Field("series", "意向车系", "text", N_("Wanted series.")),
    Field("model", "意向车型", "text", N_("Model of interest.")),
    Field("config", "配置", "text", N_("Configuration (配置).")),
    Field("colour", "颜色", "text", N_("Colour (颜色).")),
    Field("competitors", "对比车型", "list", N_("A competitor model compared (repeat for several).")),
    Field("budget_min", "购车预算(下限)", "int", N_("Budget from, yuan (15万 allowed).")),
    Field("budget_max", "购车预算(上限)", "int", N_("Budget up to, yuan (20万 allowed).")),
    Field("payment", "购买方式", "choice", N_("full|loan (全款|贷款)."), PAYMENTS),
    Field("purpose", "购车用途", "text", N_("What the car is for (购车用途).")),
    Field("favourable", "有利条件", "text", N_("Favourable points (有利条件).")),
    Field("unfavourable", "不利条件", "text", N_("Unfavourable points (不利条件).")),
    Field("objections", "主要异议诉求", "text", N_("Main objections (主要异议诉求).")),
    Field("resources", "需要何种资源协助", "text", N_("Resources needed (需要何种资源协助).")),
    Field("story", "首次接待概况", "text", N_("The story of the first reception (首次接待概况/经过情形).")),
)
BY_KEY = {f.key: f for f in FIELDS}
KEYS = tuple(f.key for f in FIELDS)
LABELS = {"male": "男", "female": "女", "full": "全款", "loan": "贷款", "solar": "阳历", "lunar": "阴历"}


def _choice(field: Field, text: str) -> str:
    word = text.strip().lower()
    for code, words in field.choices:
        if word in words:
            return code
    allowed = choices((code, LABELS.get(code, words[-1])) for code, _words in field.choices)
    raise BadInput(_("unknown {noun} {text!r}").format(noun=noun(field.key), text=text),
                   _("use one of: {choices}").format(choices=allowed))


def yuan(value) -> int:
    """An amount of yuan as a person writes it: 189800, 189,800, 18.98万, 19万元; ValueError when it is not one."""
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元")
    if not text.endswith("万"):
        return int(text)
    number = float(text[:-1]) * 10_000
    if not math.isfinite(number):
        raise ValueError(value)
    return round(number)


def _int(field: Field, value) -> int:
    try:
        number = yuan(value) if field.key != "birth_year" else int(str(value).strip())
    except ValueError:
        raise BadInput(_("{field} '{value}' is not a whole number").format(field=noun(field.key),
                                                                           value=value)) from None
    if field.key == "birth_year":
        if not 1900 <= number <= 2100:
            raise BadInput(_("birth year {value} is not plausible").format(value=value))
    elif not 0 <= number <= MAX_BUDGET:
        raise BadInput(_("{field} {value} is out of range (0 to {top} yuan)").format(
            field=noun(field.key), value=value, top=MAX_BUDGET))
    return number


def _text(field: Field, value: str) -> str | None:
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise BadInput(_("{field} is longer than {limit} characters").format(field=noun(field.key), limit=MAX_TEXT))
    return text or None


def parse(given: dict, today: date, current: dict | None = None) -> dict:
    """The card values a person gave (only keys present, not None) as stored: codes, whole numbers, a JSON list.
    `current` holds the card's stored values, so that a budget or a birthday is checked whole (min not above max,
    a lunar date that exists). Raises BadInput on the first bad value; nothing is stored by this function."""
    out: dict = {}
    for key, value in given.items():
        if value is None or key not in BY_KEY:
            continue
        field = BY_KEY[key]
        if field.kind == "choice":
            out[key] = _choice(field, str(value))
        elif field.kind == "int":
            out[key] = _int(field, value)
        elif field.kind == "list":
            items = [str(v).strip() for v in value if str(v).strip()]
            out[key] = json.dumps(items, ensure_ascii=False) if items else None
        elif field.kind == "bool":
            out[key] = int(bool(value))
        elif field.kind == "calendar":
            out[key] = lunar.calendar(str(value))
        elif field.kind == "birthday":
            out[key] = str(value).strip()
        else:
            out[key] = _text(field, value)
    merged = {**(current or {}), **out}
    if ("birthday" in out or "birthday_calendar" in out) and merged.get("birthday"):
        kind = merged.get("birthday_calendar") or "solar"
        out["birthday"] = lunar.birthday(merged["birthday"], kind, today)
        out["birthday_calendar"] = kind
    low, high = merged.get("budget_min"), merged.get("budget_max")
    if low is not None and high is not None and low > high:
        raise BadInput(_("budget from {low} is above budget up to {high}").format(low=low, high=high),
                       _("give --budget-min no larger than --budget-max"))
    return out


def shown(key: str, stored):
    """A stored value as `show --json` gives it: the competitors as a list, trade-in as true/false."""
    if stored is None:
        return [] if key == "competitors" else None
    if key == "competitors":
        return json.loads(stored)
    if key == "trade_in":
        return bool(stored)
    return stored


def exported(key: str, stored):
    """A stored value as the forms write it (男, 全款, 阴历, 有/无, competitors joined by 、)."""
    if stored is None:
        return None
    if key == "competitors":
        return "、".join(json.loads(stored))
    if key == "trade_in":
        return "有" if stored else "无"
    return LABELS.get(stored, stored) if isinstance(stored, str) else stored


def history_text(key: str, stored) -> str | None:
    """A value as a history row keeps it (text)."""
    if stored is None:
        return None
    return str(stored)


def missing(card: dict, required: tuple[str, ...]) -> list[str]:
    """The required fields a card lacks (an empty list: complete)."""
    return [key for key in required if card.get(key) in (None, "", "[]")]


def check_required(keys: list) -> list[str]:
    """Problems with a policy's list of required fields (unknown keys)."""
    known = {*KEYS, "name", "phone", "grade", "channel", "info_source"}
    return [f"card.required: unknown field {k!r}" for k in keys if k not in known]

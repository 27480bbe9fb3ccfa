"""The domain's vocabulary: enums that accept English and Chinese terms, and the lead card. No I/O."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from leadctl import i18n
from leadctl.errors import BadInput
from leadctl.i18n import N_, _

# what an error calls each kind of term (a Term subclass may name itself in noun()), and each field of the card
# that a value can be refused for (rules/card.py, by its key)
NOUNS = {"Grade": N_("grade"), "Channel": N_("channel"), "InfoSource": N_("info source"), "Role": N_("role"),
         "Team": N_("team"), "Method": N_("method"), "Status": N_("status"),
         "gender": N_("gender"), "birth_year": N_("birth year"), "payment": N_("payment"),
         "budget_min": N_("budget from"), "budget_max": N_("budget up to"), "employer": N_("employer"),
         "industry": N_("industry"),
         "address": N_("address"), "wechat": N_("WeChat id"), "landline": N_("landline"),
         "current_vehicle": N_("current vehicle"), "brand": N_("brand"), "series": N_("series"), "model": N_("model"),
         "config": N_("configuration"), "colour": N_("colour"), "purpose": N_("purpose"),
         "favourable": N_("favourable points"), "unfavourable": N_("unfavourable points"),
         "objections": N_("objections"), "resources": N_("resources needed"), "story": N_("first reception")}


def noun(name: str) -> str:
    """What an error calls a kind of term (its class's name) or a card field (its key), in the run's language."""
    return _(NOUNS[name]) if name in NOUNS else name.lower().replace("_", " ")


class Term(StrEnum):
    """An enum whose members parse from their English value, their Chinese label or an alias."""

    @classmethod
    def labels(cls) -> dict[str, str]:
        return {}

    @classmethod
    def aliases(cls) -> dict[str, str]:
        return {}

    @classmethod
    def noun(cls) -> str:
        """What an error calls this kind of term, in the run's language."""
        return noun(cls.__name__)

    @property
    def label(self) -> str:
        return self.labels().get(self.value, self.value)

    @property
    def word(self) -> str:
        """The term as the run's language shows it: the Chinese label under zh, the code under en."""
        from leadctl.i18n import zh

        return self.label if zh() else self.value

    @classmethod
    def parse(cls, text: str) -> Term:
        key = text.strip().lower().replace("_", "-")
        table = {m.value.lower(): m for m in cls}
        table.update({label.lower(): cls(value) for value, label in cls.labels().items()})
        table.update({alias.lower(): cls(value) for alias, value in cls.aliases().items()})
        if key in table:
            return table[key]
        choices = i18n.choices((m.value, m.label) for m in cls)
        raise BadInput(
            _("unknown {noun} {text!r}").format(noun=cls.noun(), text=text),
            _("use one of: {choices}").format(choices=choices),
        )


class Grade(Term):
    O = "O"  # noqa: E741  (the trade's name for an order)
    H = "H"
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    F = "F"
    L = "L"
    W = "W"

    @classmethod
    def labels(cls):
        return {"O": "订单", "F": "战败", "L": "失控", "W": "未留档"}

    @classmethod
    def aliases(cls):
        return {"order": "O", "defeated": "F", "defeat": "F", "lost": "L", "no-contact": "W"}


class Channel(Term):
    WALK_IN = "walk-in"
    CALL = "call"
    WEB = "web"
    HOTLINE = "hotline"
    SHOW = "show"
    HQ = "hq"
    REPURCHASE = "repurchase"
    REFERRAL = "referral"

    @classmethod
    def labels(cls):
        return {
            "walk-in": "展厅", "call": "来电", "web": "网络", "hotline": "400", "show": "车展",
            "hq": "总部下发", "repurchase": "续购", "referral": "转介绍",
        }

    @classmethod
    def aliases(cls):
        return {
            "showroom": "walk-in", "visit": "walk-in", "到店": "walk-in", "inbound": "call",
            "phone": "call", "电话": "call", "online": "web", "internet": "web", "400": "hotline",
            "外展": "show", "event": "show", "车展/外展": "show", "headquarters": "hq",
            "re-purchase": "repurchase", "introduction": "referral",
        }

    @property
    def contact_kind(self) -> str:
        """How the customer reached us: in person, by telephone, or through a list."""
        if self in (Channel.CALL, Channel.HOTLINE):
            return "call"
        if self in (Channel.WEB, Channel.HQ):
            return "list"
        return "visit"


class InfoSource(Term):
    PHONE = "phone"
    NEWSPAPER = "newspaper"
    RADIO = "radio"
    MAGAZINE = "magazine"
    FRIENDS = "friends"
    PASSING = "passing"
    INTERNET = "internet"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            "phone": "电话", "newspaper": "报纸", "radio": "广播", "magazine": "杂志",
            "friends": "亲友", "passing": "路过", "internet": "网络", "other": "其他",
        }

    @classmethod
    def aliases(cls):
        return {"web": "internet", "family": "friends", "passing-by": "passing"}


class Role(Term):
    RECEPTIONIST = "receptionist"
    CONSULTANT = "consultant"
    TELESALES = "telesales"
    DIRECT_SALES = "direct-sales"
    MANAGER = "manager"
    SERVICE = "service"
    ADMIN = "admin"
    SYSTEM = "system"  # cron: the sweep, the due lists, backups; nothing else

    @classmethod
    def labels(cls):
        return {
            "receptionist": "前台", "consultant": "销售顾问", "telesales": "电销员",
            "direct-sales": "直销员", "manager": "销售经理", "service": "客服", "admin": "管理员",
            "system": "系统",
        }

    @classmethod
    def aliases(cls):
        return {
            "信息员": "receptionist", "前台ca": "receptionist", "ca": "receptionist", "sales": "consultant",
            "店销": "consultant", "dcc": "telesales", "电销": "telesales", "直销": "direct-sales",
            "supervisor": "manager", "主管": "manager", "销售主管": "manager", "内勤": "service",
            "customer-service": "service",
        }


class Team(Term):
    SHOWROOM = "showroom"
    DCC = "dcc"

    @classmethod
    def labels(cls):
        return {"showroom": "展厅", "dcc": "DCC"}

    @classmethod
    def aliases(cls):
        return {"电销": "dcc", "call-center": "dcc", "店销": "showroom"}


class Method(Term):
    PHONE = "phone"
    SMS = "sms"
    WECHAT = "wechat"
    VISIT = "visit"
    STORE = "store"

    @classmethod
    def labels(cls):
        return {"phone": "电话", "sms": "短信", "wechat": "微信", "visit": "上门", "store": "到店"}

    @classmethod
    def aliases(cls):
        return {"call": "phone", "拜访": "visit", "text": "sms"}


class Status(Term):
    ACTIVE = "active"
    ORDERED = "ordered"
    DELIVERED = "delivered"
    DEFEATED = "defeated"
    LOST = "lost"
    CLOSED = "closed"

    @classmethod
    def labels(cls):
        return {"active": "跟进中", "ordered": "已订车", "delivered": "已交车", "defeated": "战败", "lost": "失控",
                "closed": "已关闭"}


class GradeBasis(StrEnum):
    """How a grade was decided: stated outright, from a purchase horizon, or by assessment."""

    STATED = "stated"
    HORIZON = "horizon"
    ASSESSMENT = "assessment"


class LeadState(NamedTuple):
    """What the cadence rules need to know about a lead. (A NamedTuple: an import makes 100,000 of them, at a
    third of a frozen dataclass's cost.)"""

    grade: Grade | None
    status: Status
    created_at: datetime
    last_contact_at: datetime | None
    followup_count: int
    planned_on: date | None = None
    delivery_on: date | None = None  # an ordered lead's planned delivery day
    restarted_at: datetime | None = None  # its last reactivation: nothing is due before it
    no_show_at: datetime | None = None  # when it was expected, if its latest invitation was a no-show

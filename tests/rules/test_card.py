"""The card's fields as typed -> as stored; pinyin keys of names; Chinese as the search index holds it."""

from datetime import date

import pytest

from leadctl.errors import BadInput
from leadctl.rules import card, pinyin
from leadctl.store import search

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("given, stored", [
    ({"gender": "女"}, {"gender": "female"}), ({"gender": "M"}, {"gender": "male"}),
    ({"payment": "全款"}, {"payment": "full"}), ({"budget_min": "15万"}, {"budget_min": 150000}),
    ({"budget_max": "1,200,000"}, {"budget_max": 1200000}), ({"competitors": ["朗逸", " ", "卡罗拉"]},
                                                              {"competitors": '["朗逸", "卡罗拉"]'}),
    ({"birthday": "1990-1-5", "birthday_calendar": "农历"}, {"birthday": "1990-01-05", "birthday_calendar": "lunar"}),
    ({"birthday": "1990-01-05"}, {"birthday": "1990-01-05", "birthday_calendar": "solar"}),
    ({"employer": "  "}, {"employer": None}), ({"trade_in": True}, {"trade_in": 1}),
])
def test_values_as_stored(given, stored):
    assert card.parse(given, TODAY) == stored


@pytest.mark.parametrize("given, current", [
    ({"gender": "unknown"}, None), ({"budget_min": 300000}, {"budget_max": 200000}),
    ({"budget_min": "20万", "budget_max": "10万"}, None),
    ({"birthday": "1990-13-01", "birthday_calendar": "阴历"}, None),
    ({"birthday": "2027-01-01"}, None), ({"birth_year": "1850"}, None), ({"budget_max": "abc"}, None),
    ({"payment": "赊账"}, None), ({"birthday_calendar": "julian"}, None)])
def test_bad_values_are_refused(given, current):
    with pytest.raises(BadInput):
        card.parse(given, TODAY, current)


@pytest.mark.parametrize("name, keys", [("张伟", ("zhangwei", "zw")), ("章薇", ("zhangwei", "zw")),
                                        ("王小明", ("wangxiaoming", "wxm")), ("Tom Li", ("tomli", "tl")), ("", None)])
def test_pinyin_keys(name, keys):
    assert pinyin.keys(name) == keys


def test_chinese_is_indexed_as_pairs_and_queried_as_a_phrase():
    assert search.pairs("客户对比轩逸") == " 客户 户对 对比 比轩 轩逸 "
    assert search.pairs("BMW 5系") == "BMW 5 系 "
    assert search.phrase("轩逸价") == '"轩逸 逸价"'

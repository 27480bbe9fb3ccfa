"""The store's vehicle list, and orders by VIN that take their brand, series and model from it or the WMI."""

import json

import pytest

from leadctl.errors import ExitCode
from leadctl.rules.vin import check_digit
from tests.conftest import intake

MANAGER = "王经理"


def valid(start: str, serial: str = "S1000001") -> str:
    """A Chinese VIN with its check digit: 8 characters, the digit, then model year, plant and serial."""
    body = start + "0" + serial
    return body[:8] + check_digit(body) + body[9:]


MAGOTAN = valid("LFV3A28H")


@pytest.fixture
def lead(cli):
    intake(cli, "13800138000", owner="李娜", grade="H")
    return "1"


def order(cli, *args, code=0):
    return cli("order", "1", *args, "--json", actor="李娜", code=code)


def test_an_order_by_a_vin_nobody_knows_asks_for_the_model_and_changes_nothing(cli, lead):
    before = cli.fingerprint()
    result = order(cli, "--vin", MAGOTAN, code=ExitCode.USAGE)
    assert "--model" in result.stderr and "一汽-大众" in result.stderr
    assert cli.fingerprint() == before and cli.scalar("SELECT count(*) FROM orders") == 0
    done = json.loads(order(cli, "--vin", MAGOTAN, "--series", "迈腾", "--model", "330TSI").stdout)
    assert cli.query("SELECT vin, brand, series, model FROM orders") == [(MAGOTAN, None, "迈腾", "330TSI")]
    assert done["model"] == "330TSI"  # 一汽-大众's code covers 大众, 奥迪 and 捷达: no brand is guessed


def test_a_single_brand_manufacturer_code_fills_the_brand(cli, lead):
    order(cli, "--vin", "WBA8E9C50GK000001", "--model", "330Li")
    assert cli.query("SELECT brand, model FROM orders") == [("宝马", "330Li")]


def test_the_store_list_fills_brand_series_model_the_longest_start_first(cli, lead):
    cli("vehicle", "add", "LFV", "--brand", "大众", "--series", "未知车系", "--model", "待定", actor=MANAGER)
    cli("vehicle", "add", "lfv3a28h", "--brand", "大众", "--series", "迈腾", "--model", "330TSI 领先型",
        "--config", "豪华型", actor=MANAGER)
    out = json.loads(order(cli, "--vin", MAGOTAN, "--colour", "黑").stdout)
    assert (out["brand"], out["series"], out["model"], out["config"]) == ("大众", "迈腾", "330TSI 领先型", "豪华型")
    assert cli.query("SELECT brand, series, model, config FROM orders") == [("大众", "迈腾", "330TSI 领先型", "豪华型")]
    assert cli.json("vehicle", "list")[1]["prefix"] == "LFV3A28H"


def test_what_the_order_says_wins_over_the_list(cli, lead):
    cli("vehicle", "add", "LFV3A28H", "--brand", "大众", "--series", "迈腾", "--model", "330TSI", actor=MANAGER)
    order(cli, "--vin", MAGOTAN, "--model", "380TSI 旗舰型")
    assert cli.query("SELECT brand, series, model FROM orders") == [("大众", "迈腾", "380TSI 旗舰型")]


def test_only_managers_keep_the_list_and_a_listed_start_is_replaced_on_purpose(cli):
    args = ["vehicle", "add", "LFV3A28H", "--brand", "大众", "--series", "迈腾", "--model", "330TSI"]
    cli(*args, actor="李娜", code=ExitCode.PERMISSION)
    cli(*args, actor=MANAGER)
    before = cli.fingerprint()
    assert "--replace" in cli(*args[:-1], "380TSI", actor=MANAGER, code=ExitCode.REFUSED).stderr
    assert cli.fingerprint() == before
    cli(*args[:-1], "380TSI", "--replace", actor=MANAGER)
    assert cli.query("SELECT model FROM vehicles") == [("380TSI",)]
    replaced = cli.scalar("SELECT json_extract(detail, '$.replaced.model') FROM events WHERE action = 'vehicle.add'"
                          " ORDER BY id DESC LIMIT 1")
    assert replaced == "330TSI"


@pytest.mark.parametrize("start", ["LF", "LFV3A28H0S10000011", "LFV-3A2I", "LFV3A28H1S1000001"])
def test_a_start_that_is_no_vin_is_bad_input(cli, start):
    before = cli.fingerprint()
    cli("vehicle", "add", start, "--brand", "大众", "--series", "迈腾", "--model", "330TSI", actor=MANAGER,
        code=ExitCode.DATA)
    assert cli.fingerprint() == before


def test_the_list_imports_from_a_csv_all_or_nothing(cli, lead, tmp_path):
    path = tmp_path / "车型表.csv"
    path.write_bytes("VIN前缀,品牌,车系,车型,配置\r\nLFV3A28H,大众,迈腾,330TSI 领先型,\r\nLFV2A21J,大众,宝来,1.5L 自动,"
                     "舒适型\r\n".encode("gb18030"))
    assert cli.json("vehicle", "import", str(path), actor=MANAGER) == {
        "file": str(path), "read": 2, "new": 2, "updated": 0, "unchanged": 0}
    before = cli.fingerprint()
    assert cli.json("vehicle", "import", str(path), actor=MANAGER)["unchanged"] == 2
    assert cli.fingerprint() == before
    path.write_text("VIN,品牌,车系,车型\nLFV3A28H,大众,迈腾,380TSI\nLFV2A2,大众,,1.5L\n", encoding="utf-8-sig")
    result = cli("vehicle", "import", str(path), actor=MANAGER, code=ExitCode.DATA)
    assert "line 3" in result.stderr and cli.fingerprint() == before
    cli("vehicle", "import", str(tmp_path / "none.csv"), actor=MANAGER, code=ExitCode.NO_INPUT)
    order(cli, "--vin", MAGOTAN)
    assert cli.query("SELECT series, model FROM orders") == [("迈腾", "330TSI 领先型")]


def test_a_malformed_list_is_one_line_and_changes_nothing(cli, lead, tmp_path):
    path = tmp_path / "车型表.csv"
    path.write_text('VIN前缀,品牌,车系,车型\nLFV3A28H,大众,"迈腾' + "x" * 200_000 + "\n", encoding="utf-8")
    before = cli.fingerprint()
    result = cli("vehicle", "import", str(path), actor=MANAGER, code=ExitCode.DATA)
    assert "not a well-formed CSV" in result.stderr and len(result.stderr.splitlines()) == 1
    assert cli.fingerprint() == before

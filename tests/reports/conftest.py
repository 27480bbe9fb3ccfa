"""A small store month built by hand through the CLI, whose every figure is known."""

import pytest


@pytest.fixture
def shop(cli):
    def visit(phone, owner, at, **more):
        args = ["intake", "--arrived", at]
        if phone:
            args += ["--name", f"客户{phone[-1]}", "--phone", phone]
        if owner:
            args += ["--owner", owner]
        for key, value in more.items():
            flag = "--" + key.replace("_", "-")
            args += [flag] if value is True else [flag, str(value)]
        return cli.json(*args, actor=more.pop("actor", None) or "张前台")

    def follow(phone, actor, at, method="phone", grade=None, result="回访"):
        args = ["followup", phone, "--result", result, "--at", at, "--method", method]
        cli.json(*args, *(["--grade", grade] if grade else []), actor=actor)

    # 2026-10-03 (Saturday): two new showroom customers and a batch of three who left nothing
    visit("13800000001", "李娜", "2026-10-03T10:30", model="迈腾", party=2, test_drive=True, info_source="亲友",
          grade="H", left="2026-10-03T11:40", trade_in=True)
    visit("13800000002", "陈刚", "2026-10-03T14:10", model="探岳", info_source="路过")
    cli.json("intake", "--no-contact", "--party", "3", "--arrived", "2026-10-03T15:00", actor="张前台")
    follow("13800000001", "李娜", "2026-10-03T16:00", grade="H", result="致谢电话，约周一再来")
    follow("13800000002", "陈刚", "2026-10-03T18:00", method="sms", grade="B")
    # 2026-10-05: the first customer comes back
    visit("13800000001", "李娜", "2026-10-05T11:00")
    follow("13800000001", "李娜", "2026-10-05T12:00", method="wechat", result="发送报价")
    # 2026-10-06: a call; 2026-10-07: a web lead, never contacted
    cli.json("intake", "--name", "客户3", "--phone", "13800000003", "--channel", "来电",
             "--arrived", "2026-10-06T09:15", actor="赵电销")
    follow("13800000003", "赵电销", "2026-10-06T15:00", grade="A")
    cli.json("intake", "--name", "客户4", "--phone", "13800000004", "--channel", "web",
             "--arrived", "2026-10-07T20:00", actor="赵电销")
    # 2026-10-10: the second customer cools down
    follow("13800000002", "陈刚", "2026-10-10T10:00", grade="C")
    return cli


@pytest.fixture
def closings(shop):
    """The same month with the DCC and closing workflows: an invitation kept and one missed, a handover, an
    order delivered, and a defeat verified and approved."""
    cli = shop
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    cli.json("invite", "13800000003", "--on", "2026-10-08T10:00", actor="赵电销", now="2026-10-06T16:00")
    cli.json("invite", "13800000004", "--on", "2026-10-09T10:00", actor="赵电销", now="2026-10-08T09:00")
    cli.json("arrive", "13800000003", actor="张前台", now="2026-10-08T10:20")
    cli.json("handover", "13800000003", "--to", "周直销", "--expected", "2026-10-20", actor="赵电销",
             now="2026-10-08T11:00")
    order = cli.json("order", "13800000003", "--brand", "大众", "--series", "探岳", "--model", "380TSI",
                     "--price", "230000", actor="周直销", now="2026-10-15T15:00")
    cli.json("deliver", str(order["id"]), actor="周直销", now="2026-10-25T10:00")
    cli.json("intake", "--name", "客户5", "--phone", "13800000005", "--owner", "李娜", "--grade", "A",
             "--model", "迈腾", "--arrived", "2026-10-11T10:00", actor="张前台", now="2026-10-11T10:05")
    request = cli.json("defeat", "request", "13800000005", "--reason", "竞品", "--lost-to", "丰田凯美瑞",
                       "--price", "180000", actor="李娜", now="2026-10-12T09:00")
    cli.json("defeat", "verify", str(request["id"]), "--result", "已购凯美瑞", actor="孙客服",
             now="2026-10-12T15:00")
    cli.json("defeat", "approve", str(request["id"]), actor="王经理", now="2026-10-13T09:00")
    return cli

#!/usr/bin/env python3
"""Write the group-effect fixtures in this folder (tests/test_group_effect.py).

Usage:
    .venv/bin/python tests/data/group_effect/make_fixtures.py

Plain complaints in Chinese from fictional clients (*.example.cn), all about
figures in a report (数据错误): four property developers, a software company,
and two more from 华澜置业 (one by a colleague, one without the company name
in the signature), received 2-9 March 2026.  Needs only the standard library.
"""

from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

OUT = Path(__file__).resolve().parent
MAILS = [
 ("01-hualan-zhiye-data-error.eml", "周敏", "zhoumin", "hualan-zhiye.example.cn",
  "Mon, 02 Mar 2026 09:12:31 +0800", "关于2025年度审计报告数据有误的问题",
  """贵所项目组：

我司（华澜置业有限公司）于2月27日收到贵所出具的2025年度审计报告，经核对发现以下问题：

1. 报告第15页合并资产负债表中“存货”期末余额与附注七.5所列金额不一致，数据有误；
2. 附注七.12“应付账款”账龄分析表的合计数与报表数对不上。

请贵所尽快核实更正，并于3月5日前重新出具报告。

周敏
财务经理
华澜置业有限公司
电话：0571-8765 4321
"""),
 ("02-jincheng-fdc-data-error.eml", "李建华", "lijianhua", "jincheng-fdc.example.cn",
  "Wed, 04 Mar 2026 14:30:08 +0800", "审计报告附注数据错误，请更正",
  """您好：

贵所为我司锦程房地产开发有限公司出具的2025年度审计报告中，附注五.8“开发成本”明细与报表金额不一致；第22页“合同负债”的数字也有误，与我们提供的账套数据对不上。

麻烦项目组核对后尽快更正，更正后的报告请发到我的邮箱。

李建华
会计主管
锦程房地产开发有限公司
手机：138 1234 5678
"""),
 ("03-yuanwan-dichan-data-error.eml", "王芳", "wangfang", "yuanwan-group.example.cn",
  "Fri, 06 Mar 2026 10:05:44 +0800", "2025年度审计报告数据错误",
  """贵所各位老师：

我们在报送银行前复核贵所出具的审计报告时发现，第9页利润表“营业成本”金额与附注六.30的合计数不一致，计算有误。

请贵所核实后重新出具，谢谢。

王芳
财务部
远湾地产集团有限公司
"""),
 ("04-xinglan-soft-data-error.eml", "陈磊", "chenlei", "xinglan-soft.example.cn",
  "Thu, 05 Mar 2026 16:20:13 +0800", "审计报告中研发费用数据有误",
  """项目组：

贵所出具的我司2025年度审计报告第11页“研发费用”金额与附注五.35不一致，数据有误，另外第13页现金流量表的小计也对不上。

请核实后更正。

陈磊
总账会计
星澜软件科技有限公司
"""),
 ("05-hualan-zhiye-second-complaint.eml", "吴刚", "wugang", "hualan-zhiye.example.cn",
  "Thu, 05 Mar 2026 11:40:02 +0800", "土地增值税清算专项报告数据问题",
  """您好：

贵所出具的土地增值税清算鉴证报告第6页“扣除项目金额”合计数计算错误，与附表二的数字不一致。

请尽快核实并更正。

吴刚
税务主管
华澜置业有限公司
"""),
 ("06-jiahe-zhidi-data-error.eml", "赵丽", "zhaoli", "jiahe-zhidi.example.cn",
  "Mon, 09 Mar 2026 15:02:57 +0800", "审计报告金额错误",
  """贵所：

我司嘉禾置地有限公司2025年度审计报告第18页“投资性房地产”期末余额与附注七.10的金额不一致，数据有误，请核实更正。

赵丽
财务经理
嘉禾置地有限公司
"""),
 ("07-hualan-zhiye-no-company-in-signature.eml", "孙小梅", "sunxiaomei",
  "hualan-zhiye.example.cn", "Tue, 03 Mar 2026 17:45:20 +0800", "审计报告第20页金额有误",
  """您好：

审计报告第20页“其他应收款”的期末余额与我们账上的数字不一致，金额有误，麻烦项目组核对一下。

谢谢！
孙小梅
"""),
]


def main() -> None:
    for name, person, local, domain, date, subject, body in MAILS:
        msg = EmailMessage(policy=policy.SMTP)
        msg["From"] = Address(person, local, domain)
        msg["To"] = "complaints@firm.example"
        msg["Subject"] = subject
        msg["Date"] = date
        msg["Message-ID"] = f"<{name[:2]}.{local}.20260301@{domain}>"
        msg.set_content(body, charset="utf-8", cte="8bit")
        (OUT / name).write_bytes(msg.as_bytes())


if __name__ == "__main__":
    main()

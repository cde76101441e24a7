"""Official list attachments in their real layouts (shared/realdata/official-list-layouts.csv), with fictional 示例
names: written with the same libraries a department's office suite produces, so the importer reads what it will
meet — a title row above the header, merged cells, tier group rows, footnotes, blank rows.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

MATERIALS_TITLE = "2021年度浙江省首批次新材料（非认定奖励类）拟认定项目清单"
MATERIALS_HEADER = ["序号", "生产企业", "材料名称", "认定类别"]
CATEGORIES = ["先进基础材料", "关键战略材料", "前沿新材料"]
# 22 rows like the real 2021 list: 16 companies (some with two materials, merged over two rows), outside Jiaxing too
MATERIAL_COMPANIES = [
    "示例新材料股份有限公司", "示例（杭州）高分子科技有限公司", "示例化纤有限公司", "示例碳纤维科技有限公司",
    "示例光学膜材料有限公司", "示例（宁波）磁性材料有限公司", "示例特种玻璃有限公司", "示例电子化学品有限公司",
    "示例纺织新材料有限公司", "示例（温州）合金材料有限公司", "示例涂层科技有限公司", "示例生物基材料有限公司",
    "示例半导体材料有限公司", "示例（湖州）陶瓷科技有限公司", "示例锂电材料有限公司", "示例氢能材料有限公司",
]
TWICE = {0, 3, 6, 9, 12, 15}  # companies with two materials on the list


def materials_rows() -> list[tuple[str, str, str]]:
    rows = []
    for i, company in enumerate(MATERIAL_COMPANIES):
        for _j in range(2 if i in TWICE else 1):
            n = len(rows) + 1
            rows.append((company, f"示例高性能材料{n:02d}号", CATEGORIES[n % 3]))
    assert len(rows) == 22
    return rows


def materials_xlsx(path: Path) -> Path:
    """序号|生产企业|材料名称|认定类别, title row merged across, companies merged over their rows, a footnote."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append([MATERIALS_TITLE])
    ws.merge_cells("A1:D1")
    ws.append(MATERIALS_HEADER)
    rows = materials_rows()
    r = 3
    for n, (company, material, category) in enumerate(rows, start=1):
        first = n == 1 or rows[n - 2][0] != company
        ws.append([n, company if first else None, f" {material}\u3000" if n == 5 else material, category])
        if not first:
            ws.merge_cells(f"B{r - 1}:B{r}")
        r += 1
    ws.append([])
    ws.append(["注：排名不分先后。"])
    book.save(path)
    return path


EQUIPMENT_TITLE = "2022年度浙江省首台（套）装备认定名单（示例）"
EQUIPMENT_HEADER = ["序号", "产品名称", "企业名称", "类别", "档次", "地区"]
# (tier group, [(product, company, category, tier cell, district as printed)])
EQUIPMENT = [
    ("一、国际首台（套）", [
        ("示例船用氢燃料电池动力系统", "示例氢能装备有限公司", "成套装备", "国际首台（套）", "嘉兴港区"),
        ("示例十二英寸晶圆减薄机", "示例半导体装备（杭州）有限公司", "整机装备", "国际首台（套）", "杭州市"),
    ]),
    ("二、国内首台（套）", [
        ("示例五轴联动叶片加工中心", "示例数控机床股份有限公司", "整机装备", "国内首台（套）", "秀洲区"),
        ("示例卧式车铣复合机床", "示例数控机床股份有限公司", "整机装备", "国内首台（套）", "秀洲区"),
        ("示例高速纺丝卷绕机", "示例纺机有限公司", "整机装备", "国内首台（套）", "经开区"),
        ("示例大型船用曲轴", "示例重工（上海）有限公司", "关键零部件", "国内首台（套）", "上海市"),
    ]),
    ("三、省内首台（套）", [
        ("示例医用同位素自动分装设备", "示例同位素科技有限公司", "成套装备", "省内首台（套）", "海盐县"),
        ("示例智能仓储穿梭车", "示例智能装备有限公司", "整机装备", "省内首台（套）", "嘉兴国家高新区"),
        ("示例光伏组件串焊机", "示例光伏装备有限公司", "整机装备", "省内首台（套）", "嘉善县"),
        ("示例高压直流断路器", "示例电气有限公司", "关键零部件", "省内首台（套）", "宁波市"),
    ]),
]


def equipment_xlsx(path: Path) -> Path:
    """序号|产品名称|企业名称|类别|档次|地区 under a title and a blank row; tier group rows merged across the table;
    the company of two consecutive products and the 档次/地区 of a block merged down; a footnote at the end."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "名单"
    ws.append([EQUIPMENT_TITLE])
    ws.merge_cells("A1:F1")
    ws.append([None])
    ws.append(EQUIPMENT_HEADER)
    n = 0
    for group, rows in EQUIPMENT:
        ws.append([group])
        ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
        previous = None
        for product, company, category, tier, district in rows:
            n += 1
            same = previous is not None and previous[1] == company
            ws.append([n, product, None if same else company, category, None if same else tier,
                       None if same else district])
            if same:
                for col in "CEF":
                    ws.merge_cells(f"{col}{ws.max_row - 1}:{col}{ws.max_row}")
            previous = (product, company)
    ws.append(["备注：档次按国际、国内、省内排列。"])
    book.save(path)
    return path


def equipment_count() -> int:
    return sum(len(rows) for _g, rows in EQUIPMENT)

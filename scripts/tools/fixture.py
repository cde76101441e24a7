"""Deterministic synthetic data trees for benchmarks and scale tests (the 2027 shape by default).

`python -m scripts fixture --products 12000 --out build/fixture` writes OUT/data/ (registry copied from the
shipped data/registry, lists generated, the companies registry written for the generated companies) that passes
validation: 12,000 products over 2025–2027, 120 scenes, 1,200 projects, 1,350 recognitions (450 a year across
kinds, tiers and stages) and the awards that pay for them plus the other award types, realistic Chinese text
lengths; a quarter of the companies have no credit code and some are outside Jiaxing, as on real lists.
Everything is fictional and marked example: true.
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from ..load.loader import load_catalog
from ..model.checks import CREDIT_ALPHABET, make_credit_code
from ..paths import DATA
from ..validate.rules import tiers_of

HELP = "生成规模测试数据 / write a deterministic synthetic data tree"
DESCRIPTION = """生成确定性的合成数据（可通过校验），默认为 2027 年规模：12,000 条产品、120 个场景、1,200 个项目、
1,350 条认定（每年 450 条，覆盖各类别、档次和阶段）及相应奖励。
Write a deterministic synthetic data tree that passes validation (default: the 2027 shape)."""

YEARS = (2025, 2026, 2027)
SYLLABLES = "智能精密高效绿色数字新型柔性微纳超导复合先进集成低碳安全融合云端协同"
PRODUCT_NOUNS = ["压力传感器", "数控机床", "伺服电机", "工业机器人", "氢燃料电池", "无人机", "医用同位素", "合成生物材料",
                 "算力服务器", "纺织面料", "装饰板材", "检测仪器", "储能系统", "控制芯片", "视觉系统", "物流平台",
                 "诊断软件", "监测设备", "电堆", "膜电极", "激光雷达", "光伏组件", "减速器", "轴承"]
TECH_NOUNS = ["制造工艺", "检测技术", "控制算法", "节能技术", "数据平台", "表面处理工艺", "回收技术", "建模方法"]
SERVICE_NOUNS = ["运维服务", "检测认证服务", "工业设计服务", "数据服务", "中试服务"]
COMPANY_WORDS = ["科技", "智能", "精工", "新材料", "装备", "电子", "生物", "能源", "数字", "传感", "纺织", "医疗"]
COMPANY_FORMS = ["有限公司", "股份有限公司", "科技有限公司"]
UNIVERSITIES = ["示例大学", "示例理工学院", "示例研究院", "示例创新研究院"]
PLACES = "禾城湘家荡南湖秀水运河鸳湖梅湾月河子城烟雨"
SUMMARY_PHRASES = ["面向高端制造场景", "实现关键部件国产化替代", "精度达到国际先进水平", "显著降低能耗与成本",
                   "已在多家企业示范应用", "支持远程监测与智能诊断", "形成自主知识产权", "适用于复杂工况",
                   "满足行业标准要求", "具备规模化推广条件", "提升生产效率", "减少碳排放"]


def _text(rng: random.Random, lo: int, hi: int) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < lo:
        parts.append(rng.choice(SUMMARY_PHRASES))
    return "，".join(parts)[:hi] + "。"


def _credit_code(rng: random.Random, division: str, prefix: str = "91") -> str:
    body = "".join(rng.choice(CREDIT_ALPHABET) for _ in range(9))
    return make_credit_code(prefix + division + body)


def _write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if row.get(h) is None else (";".join(row[h]) if isinstance(row[h], list) else row[h])
                             for h in header])


def generate(out: Path, products: int = 12000, scale: float | None = None, seed: int = 2027) -> dict[str, int]:
    """Write OUT/data. Returns record counts per dataset."""
    scale = products / 12000 if scale is None else scale
    rng = random.Random(seed)
    data = Path(out) / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(DATA / "registry", data / "registry")
    catalog, _ = load_catalog(DATA)
    reg = {name: [r.values for r in ds.records] for name, ds in catalog.datasets.items() if ds.info.group == "registry"}
    districts = [d for d in reg["districts"] if d["level"] != "市"]
    departments = [d["id"] for d in reg["departments"] if d["kind"] == "市级部门"]
    industries = [i["id"] for i in reg["industries"] if i["category"] != "应用领域"]
    domains = [i["id"] for i in reg["industries"]]
    award_types = reg["award-types"]
    scene_types = [t["id"] for t in reg["scene-types"]]
    criteria = [c["id"] for c in reg["scene-criteria"]]

    # companies: about one per three products, each with a fixed district; a quarter without a credit code (no
    # official list prints one), a few outside Jiaxing (another Zhejiang city, or another province with no district)
    jiaxing = [d for d in districts if d["id"].startswith("3304") or d["official"] == "false"]
    elsewhere = [d for d in districts if d not in jiaxing]
    companies: list[dict[str, Any]] = []
    for i in range(max(10, products // 3)):
        outside = i % 20 == 19
        district = rng.choice(elsewhere if outside and elsewhere and i % 40 == 19 else jiaxing)
        division = district["id"] if district["official"] == "true" else "330400"
        name = "示例" + rng.choice(PLACES) + rng.choice(PLACES) + "".join(rng.sample(COMPANY_WORDS, 2)) + rng.choice(COMPANY_FORMS)
        far = outside and i % 40 == 39  # another province: no district
        companies.append({"name": f"{name[:-4]}{i:05d}{name[-4:]}", "code": None if i % 4 == 3 else _credit_code(rng, division),
                          "district": None if far else district["id"],
                          "province": "江苏省" if far else "浙江省",
                          "city": "苏州市" if far else (district["name"] if district in elsewhere else "嘉兴市")})
    institutions: list[dict[str, Any]] = []
    for i in range(max(4, round(40 * scale))):
        district = rng.choice(jiaxing)
        division = district["id"] if district["official"] == "true" else "330400"
        institutions.append({"name": f"{rng.choice(UNIVERSITIES)}{i:04d}", "code": _credit_code(rng, division, "12"),
                             "district": district["id"], "province": "浙江省", "city": "嘉兴市"})
    registry_rows = [{"name": c["name"], "credit_code": c["code"], "district": c["district"], "province": c["province"],
                      "city": c["city"]} for c in companies + institutions]
    _write_csv(data / "registry" / "companies" / "companies.csv",
               [f["name"] for f in catalog.datasets["companies"].fields], registry_rows)
    by_company: dict[str, list[dict]] = {}

    counts: dict[str, int] = {}
    meta_src = {name: (DATA / name / "dataset.yaml").read_text(encoding="utf-8")
                for name in ("products", "scenes", "awards", "projects", "recognitions")}
    for name, text in meta_src.items():
        meta = yaml.safe_load(text)
        meta["assertions"] = {"min": 1, "max": 10**7}
        meta["example"] = True
        (data / name).mkdir(parents=True, exist_ok=True)
        (data / name / "dataset.yaml").write_text(
            "# 合成规模测试数据 / synthetic scale fixture\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False),
            encoding="utf-8")

    def per_year(total: int) -> list[int]:
        base = [total // len(YEARS)] * len(YEARS)
        for k in range(total - sum(base)):
            base[k] += 1
        return base

    product_fields = [f["name"] for f in catalog.datasets["products"].fields]
    product_ids: dict[int, list[str]] = {}
    total = 0
    for year, n in zip(YEARS, per_year(products)):
        rows = []
        for seq in range(1, n + 1):
            c = rng.choice(companies)
            kind = rng.choices(["新产品", "新技术", "新服务"], [7, 2, 1])[0]
            noun = rng.choice({"新产品": PRODUCT_NOUNS, "新技术": TECH_NOUNS, "新服务": SERVICE_NOUNS}[kind])
            rows.append({
                "id": f"P-{year}-{seq:05d}", "year": year, "batch": 1 + (seq * 3) // (n + 1), "kind": kind,
                "name": "示例" + "".join(rng.sample(SYLLABLES, rng.randint(2, 6))) + noun,
                "company": c["name"], "credit_code": c["code"], "district": c["district"],
                "industry": rng.choice(industries), "summary": _text(rng, 30, 120),
                "recommended_by": rng.choice(departments),
                "status": rng.choices(["入选", "公示", "撤销"], [90, 8, 2])[0],
                "list_title": f"{year}年嘉兴市新产品新技术（新服务）推广应用目录（示例）",
                "source_url": f"https://example.org/notice/{year}/products",
            })
            by_company.setdefault(c["name"], []).append(rows[-1])
        product_ids[year] = [r["id"] for r in rows]
        _write_csv(data / "products" / f"{year}.csv", product_fields, rows)
        total += len(rows)
    counts["products"] = total

    total = 0
    for year, n in zip(YEARS, per_year(max(3, round(120 * scale)))):
        for seq in range(1, n + 1):
            record = {
                "id": f"S-{year}-{seq:03d}", "year": year,
                "title": "示例" + rng.choice(PLACES) + rng.choice(domains) + rng.choice(["示范场景", "应用场景", "超级场景"]),
                "type": rng.choice(scene_types), "domain": rng.choice(domains),
                "district": rng.choice(districts)["id"], "owner": rng.choice(companies)["name"],
                "lead_department": rng.choice(departments),
                "departments": rng.sample(departments, 2),
                "description": _text(rng, 80, 300), "needs": _text(rng, 40, 160),
                "criteria": sorted(rng.sample(criteria, rng.randint(2, 5)), key=criteria.index),
                "status": rng.choice(["征集", "发布", "建设中", "已建成"]),
                "investment_yuan": rng.randint(10, 5000) * 10000,
                "products": sorted(rng.sample(product_ids[year], min(3, len(product_ids[year])))),
                "list_title": f"{year}年嘉兴市重大应用场景清单（示例）",
                "source_url": f"https://example.org/notice/{year}/scenes",
            }
            path = data / "scenes" / str(year) / f"{record['id']}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("# 合成规模测试数据 / synthetic scale fixture\n"
                            + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
            total += 1
    counts["scenes"] = total

    recognitions = _recognitions(rng, catalog, reg, companies, by_company, scale)
    recognition_fields = [f["name"] for f in catalog.datasets["recognitions"].fields]
    for year in YEARS:
        _write_csv(data / "recognitions" / f"{year}.csv", recognition_fields, [r for r in recognitions if r["year"] == year])
    counts["recognitions"] = len(recognitions)

    award_fields = [f["name"] for f in catalog.datasets["awards"].fields]
    paying = [t for t in award_types if t.get("list_kinds")]
    other_types = [t for t in award_types if not t.get("list_kinds")]
    total = 0
    for year, n in zip(YEARS, per_year(max(3, round(300 * scale)))):
        rows = []
        # awards that pay for a recognition: one per recognition in force, of the type its kind and tier fix
        for rec in recognitions:
            if rec["year"] != year or rec["stage"] != "认定":
                continue
            types = [t for t in paying if rec["list_kind"] in t["list_kinds"] and t.get("tier") in (None, rec["tier"])]
            if not types or rng.random() < 0.15:
                continue
            atype = types[0] if len(types) == 1 or rng.random() < 0.8 else rng.choice(types[1:])
            status = rng.choices(["认定", "已拨付", "公示", "撤销"], [45, 40, 12, 3])[0]
            amount = int(atype["amount_yuan"]) if atype["rule"] == "fixed" else rng.randint(1, int(atype["cap_yuan"]) // 10000) * 10000
            rows.append(_award(year, len(rows) + 1, atype, rec["company"], rec["credit_code"], rec["district"],
                               rec["product"] + "（" + atype["id"] + "）", amount, None, status, rng,
                               recognition=rec["id"], product=rec["product_id"]))
        premium_companies = rng.sample(companies, min(len(companies), n))
        for k in range(n):
            atype = other_types[k % len(other_types)]
            c = premium_companies[k] if atype["rule"] == "premium" else rng.choice(companies)
            premium: int | None = None
            if atype["rule"] == "cap":
                amount = rng.randint(1, int(atype["cap_yuan"]) // 10000) * 10000
            else:
                premium = rng.randint(10, 110) * 1000
                amount = min(premium * 9 // 10, int(atype["company_year_cap_yuan"]))
            status = rng.choices(["认定", "已拨付", "公示", "撤销"], [50, 40, 8, 2])[0]
            rows.append(_award(year, len(rows) + 1, atype, c["name"], c["code"], c["district"],
                               "示例" + "".join(rng.sample(SYLLABLES, 3)) + rng.choice(PRODUCT_NOUNS) + "（" + atype["id"] + "）",
                               amount, premium, status, rng))
        _write_csv(data / "awards" / f"{year}.csv", award_fields, rows)
        total += len(rows)
    counts["awards"] = total

    project_fields = [f["name"] for f in catalog.datasets["projects"].fields]
    programs = catalog.datasets["projects"].field_spec("program")["constraints"]["enum"]
    total = 0
    for year, n in zip(YEARS, per_year(max(3, round(1200 * scale)))):
        rows = []
        for seq in range(1, n + 1):
            org_type = rng.choices(["企业", "高校", "科研院所", "新型研发机构"], [80, 8, 6, 6])[0]
            if org_type == "企业":
                c = rng.choice(companies)
                org, code, district = c["name"], c["code"], c["district"]
            else:
                c = rng.choice(institutions)
                org, code, district = c["name"], c["code"], c["district"]
            start_month = rng.randint(1, 12)
            rows.append({
                "id": f"T-{year}-{seq:04d}", "year": year, "program": rng.choice(programs),
                "title": "示例" + "".join(rng.sample(SYLLABLES, 4)) + rng.choice(PRODUCT_NOUNS) + "关键技术攻关",
                "lead_org": org, "lead_org_type": org_type, "credit_code": code, "district": district,
                "industry": rng.choice(industries), "budget_yuan": rng.randint(5, 500) * 10000,
                "start": f"{year}-{start_month:02d}-01", "end": f"{year + rng.randint(1, 3)}-{start_month:02d}-28",
                "status": rng.choice(["立项", "在研", "结题", "终止"]),
                "list_title": f"{year}年度嘉兴市重大（重点）科技计划项目立项名单（示例）",
                "source_url": f"https://example.org/notice/{year}/projects",
            })
        _write_csv(data / "projects" / f"{year}.csv", project_fields, rows)
        total += len(rows)
    counts["projects"] = total
    return counts


def _award(year, seq, kind, name, code, district, title, amount, premium, status, rng, recognition=None, product=None):
    notice = status == "公示"  # a public notice names the award; amount and date come with the final decision
    return {"id": f"A-{year}-{seq:04d}", "year": year, "batch": 1 + seq % 2, "award_type": kind["id"],
            "recipient": name, "credit_code": code, "district": district, "recognition_id": recognition,
            "product_id": product, "title": title, "amount_yuan": None if notice else amount,
            "premium_yuan": premium, "approved_on": None if notice else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "status": status, "list_title": f"{year}年度嘉兴市“三新”奖励名单（示例）",
            "source_url": f"https://example.org/notice/{year}/awards"}


def _recognitions(rng, catalog, reg, companies, by_company, scale) -> list[dict]:
    """450 a year at 1x: every list kind, tier (mostly 省内, as in 2022: 1/52/231) and stage, some without region."""
    kinds = reg["list-kinds"]
    weights = [45 if k["id"].startswith("首台") else 20 if k.get("three_firsts") == "true" else 8 for k in kinds]
    out, seen = [], set()
    for year in YEARS:
        for seq in range(1, max(4, round(450 * scale)) + 1):
            kind = rng.choices(kinds, weights)[0]
            tiers = tiers_of(kind)
            tier = rng.choices(tiers, [3 if t == "国际" else 20 if t == "国内" else 77 for t in tiers])[0] if tiers else None
            c = rng.choice(companies)
            own = [p for p in by_company.get(c["name"], []) if p["year"] == year]
            product = rng.choice(own) if own and rng.random() < 0.5 else None
            name = product["name"] if product else "示例" + "".join(rng.sample(SYLLABLES, 4)) + rng.choice(PRODUCT_NOUNS)
            key = (year, kind["id"], name, c["name"])
            if key in seen:
                name, product = f"{name}（{seq}型）", None
            seen.add((year, kind["id"], name, c["name"]))
            stage = rng.choices(["认定", "公示", "拟认定", "撤销"], [70, 15, 10, 5])[0]
            sublist = rng.choice(["认定奖励类", "非认定奖励类"]) if kind["id"] == "首批次新材料" else None
            out.append({"id": f"R-{year}-{seq:04d}", "year": year, "list_kind": kind["id"], "tier": tier,
                        "category": rng.choice(["整机装备", "成套装备", "关键零部件", "工业软件", "关键战略材料", "先进制造类"]),
                        "product": name, "company": c["name"], "credit_code": None, "district":
                        None if sublist == "非认定奖励类" else c["district"], "stage": stage, "sublist": sublist,
                        "list_title": f"{year}年度浙江省{kind['name']}{'公示' if stage in ('公示', '拟认定') else '认定'}名单（示例）",
                        "published_on": f"{year}-{rng.randint(5, 12):02d}-{rng.randint(1, 28):02d}",
                        "source_url": f"https://example.org/notice/{year}/recognitions",
                        "product_id": product["id"] if product else None})
    return out


def add_arguments(parser) -> None:
    parser.add_argument("--products", type=int, default=12000, help="产品条数 / number of products (default 12000, the 2027 shape)")
    parser.add_argument("--scale", type=float, default=None,
                        help="其他数据集的倍数 / scale of the other datasets (default: products/12000)")
    parser.add_argument("--out", required=True, help="输出目录，写入 OUT/data / output directory (OUT/data is replaced)")
    parser.add_argument("--seed", type=int, default=2027, help="随机种子 / random seed (default 2027)")


def main(args) -> int:
    started = time.perf_counter()
    print(f"生成合成数据 / generating fixture → {args.out}/data …", file=sys.stderr, flush=True)
    counts = generate(Path(args.out), args.products, args.scale, args.seed)
    summary = "，".join(f"{k} {v:,}" for k, v in counts.items())
    print(f"✓ 已生成 / written: {summary}（{time.perf_counter() - started:.1f} 秒 / s）")
    return 0

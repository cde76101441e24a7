"""Deterministic synthetic data trees for benchmarks and scale tests (the 2027 shape by default).

`python -m scripts fixture --products 12000 --out build/fixture` writes OUT/data/ (registry copied from the
shipped data/registry, lists generated) that passes validation: 12,000 products over 2025–2027, 120 scenes,
1,200 projects and 600 awards, realistic Chinese text lengths and valid credit codes. Everything is fictional
and marked example: true.
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
import time
from pathlib import Path

import yaml

from .checks import CREDIT_ALPHABET, make_credit_code
from .load import REPO, load_catalog

HELP = "生成规模测试数据 / write a deterministic synthetic data tree"
DESCRIPTION = """生成确定性的合成数据（可通过校验），默认为 2027 年规模：12,000 条产品、120 个场景、1,200 个项目、600 条奖励。
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
    shutil.copytree(REPO / "data" / "registry", data / "registry")
    catalog, _ = load_catalog(REPO / "data")
    reg = {name: [r.values for r in ds.records] for name, ds in catalog.datasets.items() if ds.meta["group"] == "registry"}
    districts = [d for d in reg["districts"] if d["level"] != "市"]
    departments = [d["id"] for d in reg["departments"] if d["kind"] == "市级部门"]
    industries = [i["id"] for i in reg["industries"] if i["category"] != "应用领域"]
    domains = [i["id"] for i in reg["industries"]]
    award_types = reg["award-types"]
    scene_types = [t["id"] for t in reg["scene-types"]]
    criteria = [c["id"] for c in reg["scene-criteria"]]

    # companies: about one per three products, each with a fixed district and a valid credit code
    companies = []
    for i in range(max(10, products // 3)):
        district = rng.choice(districts)
        division = district["id"] if district["official"] == "true" else "330400"
        name = "示例" + rng.choice(PLACES) + rng.choice(PLACES) + "".join(rng.sample(COMPANY_WORDS, 2)) + rng.choice(COMPANY_FORMS)
        companies.append({"name": f"{name[:-4]}{i:05d}{name[-4:]}", "code": _credit_code(rng, division),
                          "district": district["id"]})

    counts: dict[str, int] = {}
    meta_src = {name: (REPO / "data" / name / "dataset.yaml").read_text(encoding="utf-8")
                for name in ("products", "scenes", "awards", "projects")}
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
                "source_url": f"https://example.org/notice/{year}/products",
            })
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
                "source_url": f"https://example.org/notice/{year}/scenes",
            }
            path = data / "scenes" / str(year) / f"{record['id']}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("# 合成规模测试数据 / synthetic scale fixture\n"
                            + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
            total += 1
    counts["scenes"] = total

    award_fields = [f["name"] for f in catalog.datasets["awards"].fields]
    total = 0
    for year, n in zip(YEARS, per_year(max(3, round(600 * scale)))):
        rows = []
        premium_companies = rng.sample(companies, min(len(companies), n))
        for seq in range(1, n + 1):
            kind = award_types[(seq - 1) % len(award_types)]
            c = premium_companies[seq - 1] if kind["rule"] == "premium" else rng.choice(companies)
            premium = None
            if kind["rule"] == "fixed":
                amount = int(kind["amount_yuan"])
            elif kind["rule"] == "cap":
                amount = rng.randint(1, int(kind["cap_yuan"]) // 10000) * 10000
            else:
                premium = rng.randint(10, 110) * 1000
                amount = min(premium * 9 // 10, int(kind["company_year_cap_yuan"]))
            rows.append({
                "id": f"A-{year}-{seq:04d}", "year": year, "batch": 1 + seq % 2, "award_type": kind["id"],
                "recipient": c["name"], "credit_code": c["code"], "district": c["district"],
                "product_id": rng.choice(product_ids[year]) if kind["rule"] == "fixed" else None,
                "title": "示例" + "".join(rng.sample(SYLLABLES, 3)) + rng.choice(PRODUCT_NOUNS) + "（" + kind["id"] + "）",
                "amount_yuan": amount, "premium_yuan": premium,
                "approved_on": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "status": rng.choices(["认定", "已拨付", "公示", "撤销"], [50, 40, 8, 2])[0],
                "source_url": f"https://example.org/notice/{year}/awards",
            })
        _write_csv(data / "awards" / f"{year}.csv", award_fields, rows)
        total += len(rows)
    counts["awards"] = total

    project_fields = [f["name"] for f in catalog.datasets["projects"].fields]
    programs = catalog.datasets["projects"].field("program")["constraints"]["enum"]
    total = 0
    for year, n in zip(YEARS, per_year(max(3, round(1200 * scale)))):
        rows = []
        for seq in range(1, n + 1):
            org_type = rng.choices(["企业", "高校", "科研院所", "新型研发机构"], [80, 8, 6, 6])[0]
            if org_type == "企业":
                c = rng.choice(companies)
                org, code, district = c["name"], c["code"], c["district"]
            else:
                district = rng.choice(districts)
                division = district["id"] if district["official"] == "true" else "330400"
                org = rng.choice(UNIVERSITIES) + f"{seq:04d}"
                code, district = _credit_code(rng, division, "12"), district["id"]
            start_month = rng.randint(1, 12)
            rows.append({
                "id": f"T-{year}-{seq:04d}", "year": year, "program": rng.choice(programs),
                "title": "示例" + "".join(rng.sample(SYLLABLES, 4)) + rng.choice(PRODUCT_NOUNS) + "关键技术攻关",
                "lead_org": org, "lead_org_type": org_type, "credit_code": code, "district": district,
                "industry": rng.choice(industries), "budget_yuan": rng.randint(5, 500) * 10000,
                "start": f"{year}-{start_month:02d}-01", "end": f"{year + rng.randint(1, 3)}-{start_month:02d}-28",
                "status": rng.choice(["立项", "在研", "结题", "终止"]),
            })
        _write_csv(data / "projects" / f"{year}.csv", project_fields, rows)
        total += len(rows)
    counts["projects"] = total
    return counts


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

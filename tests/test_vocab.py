"""Names as official lists print them → registry ids: districts, zones, companies, list kinds, industries, tiers."""

from __future__ import annotations

import csv

import pytest
from conftest import FIXTURES, REPO

from scripts.load.loader import load_catalog
from scripts.model.vocab import closest, normalise, resolve, tier_and_kind

REALDATA = FIXTURES / "realdata" / "jiaxing-divisions-and-zones.csv"  # copied from shared/realdata


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = load_catalog(REPO / "data")
    assert problems == []
    return catalog


@pytest.mark.parametrize("spelling, wanted", [
    ("嘉兴港区", "JX-PORT"), ("浙江乍浦经济开发区（嘉兴港区）", "JX-PORT"), ("港区", "JX-PORT"),
    ("经开区", "JX-ETDZ"), ("嘉兴经济技术开发区", "JX-ETDZ"), ("嘉兴经济技术开发区（国际商务区）", "JX-ETDZ"),
    ("嘉兴国家高新区", "JX-XZHT"), ("秀洲国家高新区", "JX-XZHT"), ("市本级", "330400"), ("嘉兴临空经济区", "JX-AIRPORT"),
    ("南湖区", "330402"), ("南湖", "330402"), ("秀城区", "330402"), ("秀洲", "330411"), ("嘉善县", "330421"),
    ("嘉善", "330421"), ("海盐", "330424"), ("海宁市", "330481"), ("海宁", "330481"), ("平湖", "330482"),
    ("桐乡市", "330483"), ("桐乡", "330483"), ("杭州市", "330100"),
])
def test_every_official_spelling_resolves(catalog, spelling, wanted):
    assert resolve(catalog, "districts", spelling)[0] == wanted


def test_resolution_order_exact_normalised_alias(catalog):
    assert resolve(catalog, "districts", "330402") == ("330402", "exact")
    assert resolve(catalog, "districts", "浙江乍浦经济开发区（嘉兴港区）") == ("JX-PORT", "exact")
    assert resolve(catalog, "districts", "浙江乍浦经济开发区(嘉兴港区)") == ("JX-PORT", "normalised")
    assert resolve(catalog, "districts", "海\u3000宁市\u00a0") == ("330481", "normalised")
    assert resolve(catalog, "districts", "嘉兴港区") == ("JX-PORT", "alias")
    assert resolve(catalog, "districts", "上海市") == (None, None)
    assert resolve(catalog, "districts", "  ") == (None, None)
    assert normalise(" 首台（套）\u3000") == "首台(套)"


def test_every_name_in_the_shared_division_table_resolves(catalog):
    """The GB/T 2260 rows resolve to their code; the functional zones (no code) to a project id marked unofficial."""
    rows = list(csv.DictReader(REALDATA.open(encoding="utf-8")))
    official = {r.values["id"]: r.values["official"] for r in catalog.datasets["districts"].records}
    for row in rows:
        rid, _how = resolve(catalog, "districts", row["name"])
        assert rid is not None, row["name"]
        if row["is_gbt2260_code"] == "yes":
            assert rid == row["code"]
        else:
            assert rid.startswith("JX-") and official[rid] == "false", row["name"]


def test_companies_resolve_by_former_and_short_names(catalog):
    assert resolve(catalog, "companies", "示例数控机床") == ("示例数控机床股份有限公司", "alias")
    assert resolve(catalog, "companies", "示例传感器有限公司") == ("示例智能传感科技有限公司", "alias")
    assert resolve(catalog, "companies", " 示例数控机床股份有限公司") == ("示例数控机床股份有限公司", "normalised")


@pytest.mark.parametrize("printed", ["首台(套)", "首台（套）", "首台套", "首台（套）装备"])
def test_list_kinds_resolve_from_every_spelling(catalog, printed):
    assert resolve(catalog, "list-kinds", printed)[0] == "首台套装备"


@pytest.mark.parametrize("group_row, wanted", [
    ("一、国际首台（套）", ("国际", "首台套装备")), ("国内首版次软件", ("国内", "首版次软件")),
    ("省内首版次软件", ("省内", "首版次软件")), ("（二）省内首台(套)产品", ("省内", "首台套装备")),
    ("国内", ("国内", None)), ("先进制造类", (None, None)),
])
def test_group_rows_give_tier_and_kind(catalog, group_row, wanted):
    assert tier_and_kind(catalog, group_row) == wanted


def test_industries_fit_real_lists_and_the_national_classification(catalog):
    for printed, wanted in [("新材料", "新材料"), ("新材料产业", "新材料"), ("光伏", "光伏"), ("集成电路", "集成电路"),
                            ("工业软件", "工业软件"), ("生物医药", "生物医药"), ("数控机床", "高档数控机床")]:
        assert resolve(catalog, "industries", printed)[0] == wanted, printed
    rows = {r.values["id"]: r.values for r in catalog.datasets["industries"].records}
    sectors = sorted((v["code"], k) for k, v in rows.items() if v.get("code"))
    assert [k for _c, k in sectors] == ["新一代信息技术", "高端装备制造", "新材料", "生物", "新能源汽车", "新能源",
                                        "节能环保", "数字创意", "相关服务业"]
    assert {"智能传感", "氢能", "低空经济", "合成生物"} <= {k for k, v in rows.items() if v["scheme"] == "行动方案"}
    assert closest(catalog, "industries", "纳米材料") == "新材料"


def test_award_type_basis_quotes_the_policy_once_word_for_word(catalog):
    policy = (FIXTURES / "realdata" / "jiaxing-2025-17-action-plan.txt").read_text(encoding="utf-8")
    for record in catalog.datasets["award-types"].records:
        basis = record.values["basis"]
        assert basis in policy, record.values["id"]
        sentences = [s for s in basis.replace("；", "。").replace(";", "。").split("。") if s]
        assert len(sentences) == len(set(sentences)), f"a clause is repeated in {record.values['id']}"


def test_registry_sources_never_link_the_portal_home_page():
    import yaml
    for meta in sorted((REPO / "data").rglob("dataset.yaml")):
        for source in yaml.safe_load(meta.read_text(encoding="utf-8")).get("sources") or []:
            path = source.get("path") or ""
            assert path.rstrip("/").count("/") > 2 or not path, f"{meta}: {path} is a home page, not the document"

"""dataset.yaml read once into a typed DatasetMeta: declared roles, release snapshots written before roles existed, and
no code reading the raw metadata dict behind its back."""

from __future__ import annotations

import ast

import yaml
from conftest import REPO

from scripts.load.loader import load_catalog
from scripts.model.roles import REGISTRY_ROLES, DatasetMeta

SNAPSHOT = REPO / "releases" / "2025.1" / "source"


def test_declared_roles_of_the_shipped_lists():
    catalog, _ = load_catalog(REPO / "data")
    for ds in catalog.lists():
        display = yaml.safe_load((ds.directory / "dataset.yaml").read_text(encoding="utf-8"))["display"]
        info = ds.info
        assert (info.year, info.district, info.title_field) == (display.get("year"), display.get("district"),
                                                                display["title"])
        assert info.status.field == display["status"]["field"]
        assert set(info.status.in_force) | set(info.status.pending) | set(info.status.withdrawn) == \
            set(ds.field(info.status.field)["constraints"]["enum"])
        assert info.key == ds.schema["primaryKey"][0]
    roles = {ds.info.role: ds.name for ds in catalog.registry() if ds.info.role}
    assert len(roles) == len([ds for ds in catalog.registry() if ds.info.role])  # one table per role
    assert set(roles) == set(REGISTRY_ROLES)


def test_a_release_snapshot_without_roles_reads_with_the_conventions_of_its_time():
    """Snapshots keep their own dataset.yaml (top-level title_field, no roles): the same catalogue shape comes out."""
    old, _ = load_catalog(SNAPSHOT / "data", SNAPSHOT / "schemas")
    new, _ = load_catalog(REPO / "data")
    for name, ds in old.datasets.items():
        assert "title_field" in ds.meta and "role" not in ds.meta
        now = new.datasets[name].info
        for attr in ("title_field", "key", "year", "district", "batch", "role", "company_name", "company_code"):
            assert getattr(ds.info, attr) == getattr(now, attr), (name, attr)
        assert ds.info.status.field == now.status.field and ds.info.status.withdrawn == now.status.withdrawn


def test_a_role_naming_no_field_is_dropped_and_a_missing_title_falls_back_to_the_key():
    schema = {"primaryKey": ["code"], "fields": [{"name": "code"}, {"name": "label"}, {"name": "stage"}]}
    meta = {"name": "x", "group": "lists", "display": {"year": "year", "district": "nowhere", "money": ["label", "cost"],
                                                        "status": {"field": "stage", "in_force": ["a"], "withdrawn": ["b"]}}}
    info = DatasetMeta.build(meta, schema)
    assert (info.year, info.district, info.money, info.title_field, info.list_columns) == (None, None, ("label",),
                                                                                         "code", ("code",))
    assert info.title_of({"code": "X-1"}) == "X-1" and info.title_of({"code": "X-1", "label": "L"}) == "X-1"
    assert [info.status.rank(v) for v in ("a", "b", "c")] == [0, 2, 1]


def test_no_code_reads_dataset_metadata_as_a_dict():
    """Only the loader (which checks dataset.yaml) and DatasetMeta.build read the raw mapping; every other module
    asks dataset.info, so a role is read one way everywhere."""
    allowed = {"scripts/load/loader.py", "scripts/model/roles.py", "scripts/model/catalog.py"}
    found = []
    for path in sorted((REPO / "scripts").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "meta" and not (
                    isinstance(node.value, ast.Name) and node.value.id == "self"):  # self.meta: a search index's own
                found.append(f"{rel}:{node.lineno}")
    assert found == []

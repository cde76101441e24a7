"""Editor help: the generated JSON Schemas are up to date, match the data, and are mapped in .vscode/settings.json."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import REPO, make_tree, run_cli

SCENES_SCHEMA = REPO / "schemas/json/scenes.schema.json"


def scene_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCENES_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_generated_schemas_are_up_to_date(tmp_path):
    result = run_cli("editor-schemas", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    generated = sorted(p.name for p in tmp_path.iterdir())
    shipped = sorted(p.name for p in (REPO / "schemas/json").glob("*.schema.json"))
    assert generated == shipped == ["scenes.schema.json"]
    for name in generated:
        assert (tmp_path / name).read_bytes() == (REPO / "schemas/json" / name).read_bytes(), \
            f"schemas/json/{name} is stale: run `python -m scripts editor-schemas`"
    assert run_cli("editor-schemas", "--check").returncode == 0


def test_check_fails_when_the_registry_changes(tmp_path):
    data = make_tree(tmp_path)
    districts = data / "registry/districts/districts.csv"
    districts.write_text(districts.read_text(encoding="utf-8") + "330499,示例区,Example,example,市辖区,false,330400,,\n",
                         encoding="utf-8")
    result = run_cli("editor-schemas", "--check", "--data", data)
    assert result.returncode == 1
    assert "编辑器 JSON Schema 已过期 / out of date" in result.stderr and "python -m scripts editor-schemas" in result.stderr


def test_every_shipped_scene_validates_against_the_editor_schema():
    validator = scene_validator()
    files = sorted((REPO / "data/scenes").glob("*/*.yaml"))
    assert len(files) >= 10
    for path in files:
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert errors == [], path


def test_new_scene_draft_is_flagged_by_the_editor_only_where_a_choice_is_still_open(tmp_path):
    """The editor marks the offered defaults (待填写：…) of enum and registry fields until a person chooses; once
    the markers go, the draft matches the editor schema."""
    make_tree(tmp_path)
    run_cli("new", "scene", "--year", "2026", "--data", "data", cwd=tmp_path)
    path = tmp_path / "data/scenes/2026/S-2026-002.yaml"
    draft = yaml.safe_load(path.read_text(encoding="utf-8"))
    flagged = {e.absolute_path[0] for e in scene_validator().iter_errors(draft)}
    assert flagged == {"type", "domain", "lead_department", "criteria", "status"}
    assert all(str(draft[name]).find("待填写：") >= 0 for name in flagged)
    chosen = yaml.safe_load(path.read_text(encoding="utf-8").replace("待填写：", ""))
    assert list(scene_validator().iter_errors(chosen)) == []


@pytest.mark.parametrize("key, value, words", [
    ("district", "南湖区", "is not one of"),          # name instead of the registry id
    ("status", "已完成", "is not one of"),             # not an allowed status
    ("ower", "示例公司", "Additional properties"),      # typo in a key
    ("investment_yuan", "100万", "is not of type"),     # unit in an amount
    ("id", "S-2026-1", "does not match"),              # wrong id pattern
])
def test_editor_schema_flags_typical_mistakes(key, value, words):
    scene = yaml.safe_load((REPO / "data/scenes/2025/S-2025-001.yaml").read_text(encoding="utf-8"))
    scene[key] = value
    messages = [e.message for e in scene_validator().iter_errors(scene)]
    assert any(words in m for m in messages), messages


def test_field_titles_are_chinese_with_english_labels():
    schema = json.loads(SCENES_SCHEMA.read_text(encoding="utf-8"))
    assert schema["properties"]["district"]["title"] == "所在地区 / District"
    assert schema["properties"]["district"]["enum"][:2] == ["330400", "330402"]
    assert schema["properties"]["status"]["enum"] == ["征集", "公示", "发布", "建设中", "已建成", "撤销"]
    assert schema["properties"]["products"]["items"]["pattern"] == "^(?:P-20[0-9]{2}-[0-9]{5})$"
    assert set(schema["required"]) >= {"id", "year", "title", "type", "criteria", "status"}
    assert "district" not in schema["required"]  # optional: a source may have no region


def test_vscode_maps_every_yaml_file_to_a_schema():
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for schema_path in mapping:
        assert (REPO / schema_path).is_file(), schema_path
    covered: dict = {}
    for schema_path, globs in mapping.items():
        for pattern in globs:
            for path in REPO.glob(pattern):
                assert path not in covered, f"{path} matched by two schemas"
                covered[path] = schema_path
    yaml_files = {p for p in (REPO / "data").rglob("*.yaml")}
    assert set(covered) == yaml_files  # every data YAML file has exactly one schema
    assert covered[REPO / "data/scenes/dataset.yaml"] == "./schemas/dataset.meta.schema.json"
    assert covered[REPO / "data/scenes/2025/S-2025-001.yaml"] == "./schemas/json/scenes.schema.json"
    recommended = json.loads((REPO / ".vscode/extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert "redhat.vscode-yaml" in recommended

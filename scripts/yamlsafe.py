"""A strict YAML reader for contributor files: safe loading only, line numbers for every key, and the
YAML hazards (duplicate keys, anchors/aliases, YAML 1.1 implicit typing) reported instead of hidden."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Bounds checked on the event stream before any tree is built: deeper nesting would exhaust the C stack of
# the composer (a segfault at ~50,000 levels), more nodes only serve to exhaust memory and time.
MAX_DEPTH = 32
MAX_NODES = 50_000

TAG_WORDS = {
    "tag:yaml.org,2002:bool": ("布尔值（是/否）", "a boolean"),
    "tag:yaml.org,2002:int": ("整数", "an integer"),
    "tag:yaml.org,2002:float": ("小数", "a number"),
    "tag:yaml.org,2002:timestamp": ("日期", "a date"),
    "tag:yaml.org,2002:null": ("空值", "null"),
}


@dataclass
class Scalar:
    raw: str
    tag: str
    plain: bool
    line: int

    @property
    def is_null(self) -> bool:
        return self.plain and self.tag == "tag:yaml.org,2002:null"


@dataclass
class Node:
    """A mapping or sequence with the line it starts on."""

    value: Any  # dict[str, tuple[int, Any]] for mappings (key -> (key line, value)), list for sequences
    line: int
    kind: str  # "map" | "seq"


class YamlError(Exception):
    def __init__(self, code: str, line: int, field: str = "-", value: str | None = None, **params):
        super().__init__(code)
        self.code, self.line, self.field, self.value, self.params = code, line, field, value, params


def parse(text: str) -> tuple[Any, list[YamlError]]:
    """Parse one YAML document into Scalar/Node trees. Returns (tree, problems); tree is None on a syntax error."""
    problems: list[YamlError] = []
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1  # the parser marks every event
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return None, problems + [YamlError("yaml-too-deep", line, limit=MAX_DEPTH)]
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > MAX_NODES:
                    return None, problems + [YamlError("yaml-too-large", line, limit=MAX_NODES)]
            if isinstance(event, yaml.AliasEvent):
                problems.append(YamlError("yaml-anchor", line, token=f"*{event.anchor}"))
            elif anchor := getattr(event, "anchor", None):
                problems.append(YamlError("yaml-anchor", line, token="&" + anchor))
            if (tag := getattr(event, "tag", None)) is not None:
                problems.append(YamlError("yaml-tag", line, token=_short_tag(tag)))
        if problems:
            return None, problems
        root = yaml.compose(text, Loader=Loader)
    except RecursionError:
        return None, [YamlError("yaml-too-deep", 1, limit=MAX_DEPTH)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        detail = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [YamlError("yaml-syntax", (mark.line + 1) if mark else 1, detail=detail)]
    if root is None:
        return None, [YamlError("yaml-not-mapping", 1)]
    return _convert(root, problems), problems


def _convert(node: yaml.Node, problems: list[YamlError]) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return Scalar(node.value, node.tag, node.style in (None, ""), line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, problems) for item in node.value], line, "seq")
    mapping: dict[str, tuple[int, Any]] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(YamlError("yaml-complex-key", key_line))
            continue
        key = str(key_node.value)
        if key in mapping:
            problems.append(YamlError("yaml-duplicate-key", key_line, key, first=mapping[key][0]))
            continue
        mapping[key] = (key_line, _convert(value_node, problems))
    return Node(mapping, line, "map")


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def load_plain(text: str) -> tuple[Any, list[YamlError]]:
    """parse() then to_plain(): ordinary Python values from a bounded, tag- and anchor-free document."""
    tree, problems = parse(text)
    return (None if tree is None else to_plain(tree)), problems


def to_plain(tree: Any) -> Any:
    """Scalar/Node tree -> ordinary Python values (YAML 1.1 typing applied), for metadata files."""
    if isinstance(tree, Scalar):
        node = yaml.ScalarNode(tree.tag, tree.raw, style=None if tree.plain else '"')
        try:
            return yaml.SafeLoader("").construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):  # e.g. 2025-13-45 looks like a date but is none
            return tree.raw
    if tree.kind == "seq":
        return [to_plain(v) for v in tree.value]
    return {k: to_plain(v) for k, (_line, v) in tree.value.items()}


def implicit_type_problem(scalar: Scalar, field: str, field_type: str) -> YamlError | None:
    """Flag a plain scalar whose YAML 1.1 type differs from what the schema expects."""
    if not scalar.plain or scalar.is_null:
        return None
    tag = scalar.tag
    if field_type in ("integer", "number"):
        if tag == "tag:yaml.org,2002:int" and ":" in scalar.raw:
            return YamlError("yaml-sexagesimal", scalar.line, field, scalar.raw, raw=scalar.raw)
        if tag == "tag:yaml.org,2002:int" and scalar.raw.lstrip("+-").startswith("0") and scalar.raw.lstrip("+-") != "0":
            return YamlError("yaml-octal", scalar.line, field, scalar.raw, raw=scalar.raw)
        return None
    if field_type == "date" and tag == "tag:yaml.org,2002:timestamp":
        return None
    if field_type == "boolean" and tag == "tag:yaml.org,2002:bool":
        return None
    if tag in TAG_WORDS:
        zh, en = TAG_WORDS[tag]
        return YamlError("yaml-implicit-type", scalar.line, field, scalar.raw, raw=scalar.raw, typ_zh=zh, typ_en=en,
                         name=field)
    return None

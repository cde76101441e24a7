"""Rules named in dataset.yaml `rules:` beyond the basic ones: stages, tiers, dates near the list year, companies."""

from __future__ import annotations

from .model import Catalog, Dataset, Problem


def _todo(dataset: Dataset, catalog: Catalog, rule: dict) -> list[Problem]:
    return []


RULES = {name: _todo for name in ("date_year", "required_when", "list_kind_tier", "one_tier", "same_company",
                                  "award_recognition")}

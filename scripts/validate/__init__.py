"""Stage 2, validate: the gate (validator.py, `python -m scripts validate`) and its checks: cells (cells.py),
references (refs.py), the companies registry (registry.py), the rules named in dataset.yaml (rules.py, rule_checks.py),
targets (targets.py) and published releases against git (release_guard.py)."""

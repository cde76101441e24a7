"""The data model every stage shares: problems, records, datasets and the catalogue (catalog.py), a dataset's typed
metadata (roles.py), units, stages, registry lookups (vocab.py), names, character rules and pure cell checks.

Imports nothing of the project but messages/ and the loose foundation modules (safefs)."""

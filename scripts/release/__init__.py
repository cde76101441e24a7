"""Versioned releases: record, regenerate and verify a published version (record.py), record-level differences
between two catalogues (delta.py) and the review diff between two git refs (diff.py)."""

"""Site search: the static sharded index (index.py) with its keys (keys.py) and posting lists (postings.py), the
Python port of the query (query.py) and a two-page search site for tests and the benchmark (site.py)."""

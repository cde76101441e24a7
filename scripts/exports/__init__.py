"""The downloads: typed values and deterministic writers per format (formats.py: CSV, Excel CSV, JSON; xlsx.py),
names beside codes (code_names.py), the file set of a version (downloads.py), the downloads and changelog pages
(download_pages.py) and the DCAT catalogue, JSON-LD and Atom feed (feeds.py). Stage 4 (scripts/packages.py) runs them."""

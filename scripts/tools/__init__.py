"""Not the product: benchmarks (bench.py and the list, search and site-weight reports), the MkDocs yardstick
(mkdocs_peer.py), synthetic data trees (fixture.py), the generated CLI reference (cli_docs.py) and a local nginx
configuration (nginx_config.py). May import anything; nothing of the product imports it."""

"""Stage 3, pages: the generated site sources from a validated catalogue (pages.py and the dataset, programme and
list pages), the one Jinja environment and its templates (render.py, templates/), charts, the page shell fill
(shell.py), the copied sources (sources.py), the second engine and the precompressed copies."""

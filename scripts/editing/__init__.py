"""Help for people who edit the data: a new record with the next free id (new.py), the pre-commit check of the
datasets some files belong to (check_files.py) and JSON Schemas for editors (jsonschema_gen.py)."""

"""Stage 1, load: the data tree read into a catalogue with line numbers (loader.py finds the datasets and checks
dataset.yaml and the schemas, readers.py reads the files), where a record's file is (record_files.py) and the release
records (release_index.py)."""

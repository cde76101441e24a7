"""Import an official list attachment (xlsx, xls, csv, docx, text pdf) into a list dataset.

Small pure steps, the CLI (`python -m scripts import`) in front:
  tables   file → a table of text cells with source row numbers (merged cells filled, encoding recorded)
  header   header row found and mapped to fields by the schema's `x-import-synonyms`; rows classified
           (data, group row → a field's value for the rows below it, footnote, blank, repeated header)
  values   cells normalised (whitespace, tiers, codes) and names resolved through the registries
  merge    ids assigned after the last one of the year; rows merged into the dataset's own files
  report   the review report (Chinese first, English after)
"""

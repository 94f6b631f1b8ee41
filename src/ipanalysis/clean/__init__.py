"""Cleaning: turn the files analysts really receive into the library's canonical tables.

- :mod:`ipanalysis.clean.text` — shared text normalisation (full-width characters, missing
  markers, numbers stored as text, units).
- :mod:`ipanalysis.clean.tables` — :func:`~ipanalysis.clean.tables.read_table`, the reader of
  Chinese statistical releases (.xlsx, .xls, .csv) into a tidy long table.
- :mod:`ipanalysis.clean.patents` — patent record exports into the canonical patent table.

Every function here is pure (frame in, new frame out) and raises
:class:`~ipanalysis.errors.InputError` naming file, sheet, row and column on bad input.
"""

"""Read models: what is shown or published (the CLI, the web, PDF protocols, the press release,
open data), each read with a visibility so that a public caller sees only published results.

values.py: the `…View` values; facts.py: the few queries every view is computed from;
results.py, calendar.py, candidates.py, appeals.py: the views; opendata.py: the record of a
whole election cycle for the open-data exports; encode.py: their one JSON encoding.
See docs/results.md.
"""

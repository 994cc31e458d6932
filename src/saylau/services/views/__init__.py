"""Read models: what is shown or published (the CLI, the web, PDF protocols, the press release,
open data), each read with a visibility so that a public caller sees only published results.

values.py: the `…View` values; facts.py: the few queries every view is computed from;
results.py, calendar.py, candidates.py: the views; encode.py: their one JSON encoding.
See docs/results.md.
"""

"""Kazakhstan, August 2013: the national structure, candidates and a seeded simulation.

Pure data and functions, no database; the services store what these build.
"""

"""One module per schema revision, applied in order by `saylau.db.migrate.upgrade`."""

"""Open data: an election cycle's published record as a NIST SP 1500-100 v2 ElectionReport
(cdf.py, cdf_units.py; checked by cdf_check.py against the schema in schema/) and as CSV files
(csv_tables.py), each with its digest (artefacts.py). A front end: it reads the read models of
services/views only. See docs/open-data.md."""

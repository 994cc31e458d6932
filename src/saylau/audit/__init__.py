"""The parts of the audit log that need nothing else of saylau: the canonical form and hashing
(`chain`), and the offline check of an observer bundle (`verify_bundle`). Only the standard
library and `cryptography` (for Ed25519 signatures) are imported here, so an outside verifier
can reuse them (docs/audit.md, docs/observer-bundle.md)."""

"""The audit log in parts: `append` (record entries in the transaction of a change), `states`
(the one table from object type to state loader), `verify` (recompute and compare) and `read`
(list entries). The canonical form and the hashes are in `saylau.audit.chain`, which needs only
the standard library. Services append through `audit.record` / `audit.record_many`
(`audit.record_groups` for several actors' entries at once)."""

from saylau.services.audit.append import EntryGroup, record, record_groups, record_many

__all__ = ["EntryGroup", "record", "record_groups", "record_many"]

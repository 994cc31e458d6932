"""Use cases: each owns its transaction, checks its inputs and appends audit entries."""

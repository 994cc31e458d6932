"""Pure domain values: identifiers, enums and frozen dataclasses (stdlib only)."""

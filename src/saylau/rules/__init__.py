"""Rules engine: rule sets as data, presets, round decisions and protocol checks (pure)."""

"""The files of the static export and their manifest (docs/web.md#static-export): every file's
SHA-256 is kept in DIR/manifest.json with the audit log's head seq at the export, so a file is
written only when its content changed, and `--incremental` knows what was published since."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1  # bump when the layout changes: an incremental run then does a whole export


@dataclass
class Manifest:
    audit_head: int
    files: dict[str, str] = field(default_factory=dict)  # relative path -> sha256

    @classmethod
    def read(cls, out: Path) -> Manifest | None:
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        return cls(int(data["audit_head"]), dict(data["files"]))

    def write(self, out: Path) -> None:
        body = {
            "format": FORMAT,
            "audit_head": self.audit_head,
            "files": dict(sorted(self.files.items())),
        }
        (out / MANIFEST).write_text(json.dumps(body, indent=0) + "\n", encoding="utf-8")


@dataclass
class Writer:
    """Writes files under `out`, skipping those whose digest the manifest already has."""

    out: Path
    manifest: Manifest
    written: int = 0
    unchanged: int = 0
    _dirs: set[Path] = field(default_factory=set)

    def put(self, relative: str, content: str | bytes) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.sha256(data).hexdigest()
        path = self.out / relative
        if self.manifest.files.get(relative) == digest and path.exists():
            self.unchanged += 1
            return
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        path.write_bytes(data)
        self.manifest.files[relative] = digest
        self.written += 1

    def json(self, relative: str, value: Any) -> None:
        self.put(relative, json.dumps(value, ensure_ascii=False, separators=(",", ":")))

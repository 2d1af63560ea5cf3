"""The local-directory backend: one file per key under a root folder (the default)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class LocalStorage:
    """Keys are relative paths under `root`; a write goes to a temporary name, then is renamed."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"

    def local_path(self, key: str) -> Path:
        """Where the key's bytes are on disk (refusing keys that leave the root)."""
        if not key or key.startswith("/") or ".." in key.split("/") or "\\" in key:
            raise ValueError(f"bad storage key {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        target = self.local_path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{secrets.token_hex(4)}.part")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    def ping(self) -> None:
        if self.root.exists() and not os.access(self.root, os.W_OK | os.X_OK):
            raise PermissionError(f"{self.root} is not writable")

    def get(self, key: str) -> bytes:
        return self.local_path(key).read_bytes()

    def delete(self, key: str) -> None:
        self.local_path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.local_path(key).is_file()

    def keys(self) -> list[str]:
        if not self.root.exists():
            return []
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in self.root.rglob("*")
            if p.is_file() and not p.name.endswith(".part")
        )

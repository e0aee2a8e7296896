"""The newest schema revision shipped, read from the migration files without Alembic or
SQLAlchemy (a test checks it against Alembic's own answer)."""

from __future__ import annotations

import re
from importlib import resources

_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*(?:\"([^\"]*)\"|None)", re.MULTILINE)


def head_revision() -> str | None:
    """The one revision no other revision follows (None when there is not exactly one)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    versions = resources.files("backstride.adapters.db") / "migrations" / "versions"
    for entry in versions.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        found = {m.group(1): m.group(2) for m in _REVISION.finditer(entry.read_text("utf-8"))}
        if found.get("revision"):
            revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None

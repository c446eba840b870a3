"""Small helpers for the files devstack renders into a run directory."""
from __future__ import annotations

import pathlib

HEADER = "#!/bin/sh\n# Rendered by devstack; edits are overwritten on the next `up`.\n"


def write_script(path: pathlib.Path, body: str) -> pathlib.Path:
    """A world-readable shell script (Postgres runs its script as the postgres user)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + body)
    path.chmod(0o755)
    return path

"""API keys for the benchmarks: SCENELENS_API_KEY if set, else a new tenant of the wanted tier."""
from __future__ import annotations

import json
import os
import subprocess
import sys


def create_tenant(name: str, tier: str) -> dict[str, str]:
    """A new tenant on the stack the SCENELENS_* environment points at (the admin command)."""
    out = subprocess.run(
        [sys.executable, "-m", "scenelens.admin", "create-tenant", name, "--tier", tier],
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"cannot create a bench tenant: {out.stderr.strip()}")
    tenant: dict[str, str] = json.loads(out.stdout)
    return tenant


def auth_headers(tier: str = "enterprise") -> dict[str, str]:
    """Authorization for a benchmark's client (enterprise: limits a benchmark does not reach)."""
    key = os.environ.get("SCENELENS_API_KEY") or create_tenant(f"bench-{tier}", tier)["api_key"]
    return {"Authorization": f"Bearer {key}"}

"""After the whole session, no API key it issued is stored anywhere in plaintext (issue 7)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.support import ISSUED_KEYS, Stores


@pytest.mark.last
def test_issued_keys_appear_nowhere_in_plaintext(stack: Any, stores: Stores) -> None:
    assert len(ISSUED_KEYS) >= 5, "the session should have issued keys to look for"
    needles = {k: (k.encode(), k.encode().hex().encode()) for k in ISSUED_KEYS}

    def leaks(blob: bytes) -> list[str]:
        return [k for k, forms in needles.items() if any(f in blob for f in forms)]

    # Postgres: every column of every table (events, read models, tracking), as text.
    tables = [r[0] for r in stores.sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    assert {"tasks_events", "tenants", "api_keys", "tasks"} <= set(tables)
    for table in tables:
        rows = stores.sql(f'SELECT t::text FROM "{table}" t')
        found = leaks("\n".join(r[0] for r in rows).encode())
        assert not found, f"API key in plaintext in table {table}"
    # The key hashes are there instead.
    assert stores.sql("SELECT count(*) FROM api_keys")[0][0] >= len(ISSUED_KEYS)

    # Every log file of every program of the stack.
    logs = list((stack.run_dir / "logs").rglob("*"))
    assert logs
    for path in logs:
        if path.is_file():
            assert not leaks(path.read_bytes()), f"API key in log {path.name}"

    # Every S3 object.
    keys = stores.keys("")
    assert keys
    for key in keys:
        assert not leaks(stores.get(key)), f"API key in S3 object {key}"

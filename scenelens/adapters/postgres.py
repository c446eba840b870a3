"""The async Postgres pool every async adapter uses (read models, webhooks): one shape, one place."""
from __future__ import annotations

from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from scenelens.settings import Settings


def async_pool(settings: Settings) -> AsyncConnectionPool:
    """A closed pool (open it on start): dict rows, autocommit, connections checked on checkout."""
    return AsyncConnectionPool(
        settings.pg_conninfo, min_size=1, max_size=max(2, settings.pg_pool_size),
        open=False, kwargs={"row_factory": dict_row, "autocommit": True},
        check=AsyncConnectionPool.check_connection,
    )

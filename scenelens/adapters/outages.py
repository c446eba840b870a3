"""The exceptions that mean a backing service (Postgres, S3) is down or overloaded, not that the
request is wrong: the gateway answers them UNAVAILABLE (HTTP 503), which clients may retry."""
from __future__ import annotations

import botocore.exceptions
import eventsourcing.persistence
import psycopg
import psycopg.errors
import psycopg_pool

OUTAGES: tuple[type[BaseException], ...] = (
    psycopg.OperationalError,  # connection refused or lost, server shutting down
    psycopg_pool.PoolTimeout,  # no connection within the wait
    # The read models are dropped and replayed during `python -m projections rebuild`.
    psycopg.errors.UndefinedTable,
    eventsourcing.persistence.OperationalError,  # the event store's wrapping of the above
    eventsourcing.persistence.InterfaceError,
    botocore.exceptions.ConnectionError,  # S3 unreachable, or its connect timed out
    botocore.exceptions.HTTPClientError,  # S3 closed the connection, or a read timed out
)

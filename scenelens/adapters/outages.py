"""What means a backing service (Postgres, S3) is down or overloaded, not that the request is
wrong: the gateway answers it UNAVAILABLE (HTTP 503), which clients may retry, and workers retry
it without counting an attempt."""
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
# S3 error codes that say the service, not the request, failed (an S3 server that is starting
# or stopping answers InternalError for a while; SeaweedFS does, with its filer gone).
_S3_OUTAGE_CODES = frozenset({"InternalError", "ServiceUnavailable", "SlowDown",
                              "RequestTimeout", "RequestTimeTooSkewed"})


def is_outage(exc: BaseException) -> bool:
    """Whether `exc` means a backing service is down or overloaded (see the module's doc)."""
    if isinstance(exc, OUTAGES):
        return True
    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {}) or {}
        status = (exc.response.get("ResponseMetadata", {}) or {}).get("HTTPStatusCode", 0)
        return error.get("Code") in _S3_OUTAGE_CODES or int(status or 0) >= 500
    return False

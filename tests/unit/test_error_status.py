"""Errors become status codes in one place: a backing service down is UNAVAILABLE (503), which
clients may retry; a bug stays INTERNAL without details."""
from __future__ import annotations

import botocore.exceptions
import eventsourcing.persistence
import grpc
import psycopg
import psycopg.errors
import psycopg_pool
import pytest

from gateway.errors import UNAVAILABLE_MESSAGE, to_status
from scenelens.domain import errors


@pytest.mark.parametrize("exc", [
    psycopg.OperationalError("connection refused"),
    psycopg_pool.PoolTimeout("couldn't get a connection after 5.00 sec"),
    psycopg.errors.UndefinedTable('relation "tasks" does not exist'),  # during a rebuild
    eventsourcing.persistence.OperationalError("terminating connection"),
    eventsourcing.persistence.InterfaceError("connection is closed"),
    botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:8333"),
    botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:8333"),
    # An S3 server starting or stopping (SeaweedFS without its filer) answers InternalError.
    botocore.exceptions.ClientError(
        {"Error": {"Code": "InternalError", "Message": "We encountered an internal error"},
         "ResponseMetadata": {"HTTPStatusCode": 500}}, "PutObject"),
    botocore.exceptions.ClientError(
        {"Error": {"Code": "SlowDown"}, "ResponseMetadata": {"HTTPStatusCode": 503}}, "GetObject"),
], ids=lambda e: getattr(e, "operation_name", "") + type(e).__name__)
def test_a_backing_service_down_is_unavailable(exc: BaseException) -> None:
    code, message, http = to_status(exc)
    assert code == grpc.StatusCode.UNAVAILABLE
    assert message == UNAVAILABLE_MESSAGE
    assert "127.0.0.1" not in message and "relation" not in message
    assert http is None  # Envoy's own map gives 503


def test_an_s3_client_error_is_no_outage() -> None:
    missing = botocore.exceptions.ClientError(
        {"Error": {"Code": "NoSuchKey"}, "ResponseMetadata": {"HTTPStatusCode": 404}}, "GetObject")
    assert to_status(missing)[0] == grpc.StatusCode.INTERNAL


def test_domain_errors_and_bugs_keep_their_codes() -> None:
    assert to_status(errors.TaskNotFound("no task x"))[0] == grpc.StatusCode.NOT_FOUND
    assert to_status(psycopg.errors.SyntaxError("bad sql"))[:2] == (
        grpc.StatusCode.INTERNAL, "internal error")
    assert to_status(ValueError("bug"))[:2] == (grpc.StatusCode.INTERNAL, "internal error")

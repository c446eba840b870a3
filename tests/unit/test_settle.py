"""Every way a work message can end settles it exactly once (issue 13, finding 1)."""
from __future__ import annotations

import asyncio
from typing import Any

import botocore.exceptions
import eventsourcing.persistence
import psycopg
import pytest

from scenelens.adapters.rabbitmq import Broker, Delivery
from scenelens.domain.errors import PermanentFailure, TaskGone
from scenelens.settings import Settings

QUEUE = "recognition_queue"


class FakeMessage:
    def __init__(self, attempt: int = 1, **headers: Any) -> None:
        self.body = b"body"
        self.headers: dict[str, Any] = {"x-attempt": attempt, **headers}
        self.type = "scenelens.v1.RecognizeFrame"
        self.message_id = "m-1"
        self.content_type = "application/x-protobuf"
        self.priority = 5
        self.redelivered = False
        self.settled: list[str] = []

    async def ack(self) -> None:
        self.settled.append("ack")

    async def nack(self, requeue: bool = True) -> None:
        self.settled.append(f"nack(requeue={requeue})")


class FakeExchange:
    def __init__(self, log: list[str], failing: set[str]) -> None:
        self.log = log
        self.failing = failing
        self.published: list[tuple[str, Any]] = []

    async def publish(self, msg: Any, routing_key: str, **kwargs: Any) -> None:
        self.log.append(f"publish {routing_key}")
        if routing_key in self.failing:
            raise ConnectionError(f"cannot publish to {routing_key}")
        self.published.append((routing_key, msg))


class FakeChannel:
    def __init__(self, log: list[str], failing: set[str]) -> None:
        self.default_exchange = FakeExchange(log, failing)


def _run(handler_error: BaseException | None, *, attempt: int = 1, failing: tuple[str, ...] = (),
         give_up_fails: bool = False, **headers: Any
         ) -> tuple[FakeMessage, list[str], FakeChannel]:
    log: list[str] = []
    message = FakeMessage(attempt, **headers)
    channel = FakeChannel(log, set(failing))

    async def handler(delivery: Delivery) -> None:
        log.append("handle")
        if handler_error is not None:
            raise handler_error

    async def give_up(delivery: Delivery, reason: str) -> None:
        log.append("give_up")
        if give_up_fails:
            raise ConnectionError("postgres is down")

    broker = Broker(Settings(max_attempts=3, retry_delay_ms=1))
    asyncio.run(broker._process(channel, QUEUE, message, handler, give_up))  # type: ignore[arg-type]
    return message, log, channel


def test_success_and_a_gone_task_are_acked() -> None:
    for error in (None, TaskGone("deleted")):
        message, log, _ = _run(error)
        assert message.settled == ["ack"] and log == ["handle"]


def test_a_transient_failure_is_parked_for_retry_with_its_priority() -> None:
    message, log, channel = _run(ConnectionError("s3 blip"), attempt=1)
    assert message.settled == ["ack"]
    [(key, retry)] = channel.default_exchange.published
    assert key == f"{QUEUE}.retry" and retry.headers["x-attempt"] == 2
    assert retry.priority == 5


@pytest.mark.parametrize("error, attempt", [(PermanentFailure("undecodable"), 1),
                                            (ConnectionError("still down"), 3)])
def test_giving_up_dead_letters_before_recording_the_failure(error: Exception,
                                                             attempt: int) -> None:
    message, log, _ = _run(error, attempt=attempt)
    assert log == ["handle", f"publish {QUEUE}.dlq", "give_up"]
    assert message.settled == ["ack"]


def test_a_failing_give_up_write_is_tried_again_later_without_a_second_dead_letter() -> None:
    message, log, channel = _run(PermanentFailure("bad"), give_up_fails=True)
    assert log == ["handle", f"publish {QUEUE}.dlq", "give_up", f"publish {QUEUE}.retry"]
    assert message.settled == ["ack"]
    retry = channel.default_exchange.published[-1][1]
    assert retry.headers["x-dead-lettered"] == 1
    # When it comes back, only the give-up is left to do.
    message, log, _ = _run(PermanentFailure("bad"), **{"x-dead-lettered": 1})
    assert log == ["handle", "give_up"] and message.settled == ["ack"]


@pytest.mark.parametrize("failing, error, attempt", [
    ((f"{QUEUE}.retry",), ConnectionError("blip"), 1),   # the retry publish fails
    ((f"{QUEUE}.dlq",), PermanentFailure("bad"), 1),      # the dead-letter publish fails
    ((f"{QUEUE}.dlq",), ConnectionError("down"), 3),
])
def test_when_nothing_can_be_recorded_the_message_is_requeued(
    failing: tuple[str, ...], error: Exception, attempt: int
) -> None:
    message, log, _ = _run(error, attempt=attempt, failing=failing)
    assert message.settled == ["nack(requeue=True)"]
    assert "give_up" not in log  # never recorded as failed without a dead letter


def test_both_the_give_up_and_its_retry_failing_requeues() -> None:
    message, _, _ = _run(PermanentFailure("bad"), give_up_fails=True,
                         failing=(f"{QUEUE}.retry",))
    assert message.settled == ["nack(requeue=True)"]


def test_cancellation_requeues_and_propagates() -> None:
    message = FakeMessage()
    started = asyncio.Event()

    async def handler(delivery: Delivery) -> None:
        started.set()
        await asyncio.sleep(60)

    async def give_up(delivery: Delivery, reason: str) -> None:
        raise AssertionError("not a failure")

    async def go() -> None:
        broker = Broker(Settings())
        task = asyncio.create_task(broker._process(
            FakeChannel([], set()), QUEUE, message, handler, give_up))  # type: ignore[arg-type]
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(go())
    assert message.settled == ["nack(requeue=True)"]


@pytest.mark.parametrize("error", [
    botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:8333"),
    psycopg.OperationalError("connection refused"),
    eventsourcing.persistence.OperationalError("terminating connection"),
    botocore.exceptions.ClientError(
        {"Error": {"Code": "InternalError"}, "ResponseMetadata": {"HTTPStatusCode": 500}},
        "GetObject"),
], ids=lambda e: type(e).__name__)
def test_an_outage_counts_no_attempt_and_never_gives_up(error: Exception) -> None:
    """S3 or Postgres down is not the message's fault: even at its last attempt it is retried,
    its attempt count kept, its outage retries counted, the delay capped."""
    message, log, channel = _run(error, attempt=3, **{"x-outage-retry": 30})
    assert log == ["handle", f"publish {QUEUE}.retry"]  # no dead letter, no give-up
    assert message.settled == ["ack"]
    [(key, retry)] = channel.default_exchange.published
    assert retry.headers["x-attempt"] == 3
    assert retry.headers["x-outage-retry"] == 31
    assert retry.expiration == Settings().outage_retry_max_ms / 1000  # capped


def test_outage_retries_back_off_from_the_retry_delay() -> None:
    error = botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:8333")
    delays = []
    for outage in (0, 1, 2):
        _, _, channel = _run(error, **{"x-outage-retry": outage})
        delays.append(channel.default_exchange.published[0][1].expiration)
    assert delays == [0.001, 0.002, 0.004]  # retry_delay_ms=1, doubling

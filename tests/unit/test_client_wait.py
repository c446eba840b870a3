"""The SDK's wait() follows a task through a gateway restart and through an outage of the
service's database or storage (UNAVAILABLE with Retry-After), and gives up on other errors."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

import grpc
import pytest

from scenelens.client import AsyncClient, Client, NotFound, Unavailable
from scenelens.v1 import analysis_pb2

DONE = analysis_pb2.Task(task_id="t", status=analysis_pb2.TASK_STATUS_DONE)
RUNNING = analysis_pb2.Task(task_id="t", status=analysis_pb2.TASK_STATUS_PROCESSING)


def _down() -> Unavailable:
    return Unavailable(grpc.StatusCode.UNAVAILABLE, "database down", retry_after_s=0.01)


class Script:
    """What get() answers, call by call; watch() always breaks off as in a restart."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.gets = 0

    def get(self, task_id: str) -> analysis_pb2.Task:
        self.gets += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[no-any-return]


def test_sync_wait_rides_out_an_outage() -> None:
    client = Client("127.0.0.1:1", "slk_test")
    script = Script(_down(), _down(), RUNNING, DONE)

    def watch(task_id: str, *, after_position: int = 0) -> Iterator[Any]:
        raise _down()
        yield  # a generator

    client.watch = watch  # type: ignore[method-assign]
    client.get = script.get  # type: ignore[method-assign]
    assert client.wait("t", timeout_s=30) == DONE
    assert script.gets == 4
    client.close()


def test_sync_wait_raises_other_errors() -> None:
    client = Client("127.0.0.1:1", "slk_test")
    client.watch = lambda task_id, after_position=0: iter(())  # type: ignore[method-assign,misc]
    client.get = Script(NotFound(grpc.StatusCode.NOT_FOUND, "gone")).get  # type: ignore[method-assign]
    with pytest.raises(NotFound):
        client.wait("t")
    client.close()


def test_async_wait_rides_out_an_outage() -> None:
    async def go() -> analysis_pb2.Task:
        client = AsyncClient("127.0.0.1:1", "slk_test")
        script = Script(_down(), RUNNING, DONE)

        async def watch(task_id: str, *, after_position: int = 0) -> AsyncIterator[Any]:
            raise _down()
            yield  # an async generator

        async def get(task_id: str) -> analysis_pb2.Task:
            return script.get(task_id)

        client.watch = watch  # type: ignore[method-assign]
        client.get = get  # type: ignore[method-assign]
        try:
            return await client.wait("t", timeout_s=30)
        finally:
            await client.close()

    assert asyncio.run(go()) == DONE


def test_the_servers_own_503_is_not_called_unreachable() -> None:
    from scenelens.client.errors import from_rpc_error

    class Err(grpc.RpcError):
        def __init__(self, trailers: tuple[tuple[str, str], ...]) -> None:
            self._trailers = trailers

        def code(self) -> grpc.StatusCode:
            return grpc.StatusCode.UNAVAILABLE

        def details(self) -> str:
            return "the service's database or storage is unavailable; retry shortly"

        def trailing_metadata(self) -> tuple[tuple[str, str], ...]:
            return self._trailers

    own = from_rpc_error(Err((("retry-after", "5"),)))
    assert isinstance(own, Unavailable) and own.retry_after_s == 5.0
    assert own.message.startswith("the service's database")
    unreached = from_rpc_error(Err(()))
    assert unreached.message.startswith("cannot reach the scenelens server")

"""A gRPC client that cancels its upload is told apart from one that finished it, before the
task is recorded: grpc.aio ends the request stream the same way for both, and sets the call's
cancelled flag only later (in-process grpc.aio server and client, no other servers)."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import grpc
import pytest

from gateway.errors import client_still_there

CHUNK = b"x" * 100_000


async def _run(cancel_after_sending: bool, rounds: int) -> list[tuple[bool, str]]:
    """(the cancelled flag when the stream ended, what client_still_there found) per call."""
    seen: list[tuple[bool, str]] = []

    async def upload(requests: object, context: grpc.aio.ServicerContext) -> bytes:
        async for _ in requests:  # type: ignore[attr-defined]
            pass
        flag = context.cancelled()
        try:
            seen.append((flag, "there" if await client_still_there(context) else "gone"))
        except asyncio.CancelledError:  # the cancellation reached the handler meanwhile
            seen.append((flag, "cancelled"))
            raise
        return b"ok"

    server = grpc.aio.server()
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
        "t.Uploads", {"Up": grpc.stream_unary_rpc_method_handler(upload)}),))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()

    def client() -> None:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            up = channel.stream_unary("/t.Uploads/Up")
            for _ in range(rounds):
                if not cancel_after_sending:
                    assert up(iter([CHUNK] * 3), timeout=10) == b"ok"
                    continue
                sent, give_up = threading.Event(), threading.Event()

                def chunks(sent: threading.Event = sent,
                           give_up: threading.Event = give_up) -> Iterator[bytes]:
                    yield from [CHUNK] * 3
                    sent.set()
                    give_up.wait(10)  # goes quiet without ending the stream, then gives up

                call = up.future(chunks())
                assert sent.wait(10)
                time.sleep(0.02)
                call.cancel()
                give_up.set()

    try:
        await asyncio.to_thread(client)
        deadline = time.monotonic() + 10
        while len(seen) < rounds and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        await server.stop(None)
    return seen


def test_a_cancelled_upload_is_found_gone_though_its_stream_ended_as_if_complete() -> None:
    seen = asyncio.run(_run(cancel_after_sending=True, rounds=10))
    assert len(seen) == 10, seen
    assert all(found in ("gone", "cancelled") for _, found in seen), seen
    # The race this guards against: the stream ended before the call was marked cancelled.
    assert any(flag is False for flag, _ in seen), seen


def test_a_finished_upload_is_still_there() -> None:
    seen = asyncio.run(_run(cancel_after_sending=False, rounds=10))
    assert seen == [(False, "there")] * 10


@pytest.mark.parametrize("cancelled", [True, False])
def test_headers_already_sent_fall_back_to_the_flag(cancelled: bool) -> None:
    class Sent:
        def cancelled(self) -> bool:
            return cancelled

        async def send_initial_metadata(self, metadata: object) -> None:
            raise grpc.aio.UsageError("Send initial metadata failed: already sent")

    assert asyncio.run(client_still_there(Sent())) is (not cancelled)  # type: ignore[arg-type]

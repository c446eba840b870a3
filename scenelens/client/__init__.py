"""The Python SDK: `Client` (blocking) and `AsyncClient` (asyncio) over gRPC.

    from scenelens.client import Client
    with Client("localhost:8000", api_key) as sl:
        task = sl.upload("clip.mp4")
        for update in sl.watch(task.task_id):
            print(update.change, update.task.segments_done, update.task.segments_total)
"""
from __future__ import annotations

from scenelens.client._common import Options
from scenelens.client.aio import AsyncClient
from scenelens.client.errors import (
    InvalidRequest,
    LimitExceeded,
    NotFound,
    ScenelensError,
    Unauthenticated,
    Unavailable,
)
from scenelens.client.sync import Client

__all__ = ["AsyncClient", "Client", "InvalidRequest", "LimitExceeded", "NotFound", "Options",
           "ScenelensError", "Unauthenticated", "Unavailable"]

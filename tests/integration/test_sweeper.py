"""The sweeper removes files without a live task after a grace period (issue 13, finding 3)."""
from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from scenelens.adapters.s3 import S3Store
from scenelens.application import TaskApplication
from scenelens.cleanup import sweep_orphans
from tests.support import ApiClient, Stores


async def _sweep(stack: Any, cutoff: datetime) -> dict[str, Any]:
    s3 = S3Store(stack.settings)
    await s3.start()
    app = await asyncio.to_thread(TaskApplication, stack.settings.eventsourcing_env("Tasks"))
    try:
        return await sweep_orphans(s3, app, cutoff)
    finally:
        await s3.close()
        app.close()


def test_orphans_older_than_the_grace_period_are_swept(stack: Any, stores: Stores,
                                                       api: ApiClient, bus_bytes: bytes) -> None:
    live = api.create(bus_bytes, "live.jpg")["task_id"]
    deleted = api.create(bus_bytes, "deleted.jpg")["task_id"]
    api.wait_terminal(live)
    api.wait_terminal(deleted)
    assert api.delete(deleted).status_code == 200
    bucket = stores.settings.s3_bucket
    old_orphan, fresh_orphan = str(uuid.uuid4()), str(uuid.uuid4())
    # A gateway that crashed between storing the upload and recording TaskCreated...
    stores.s3.put_object(Bucket=bucket, Key=f"input-files/{old_orphan}/lost.jpg", Body=bus_bytes)
    # ...a late write for a task that was deleted...
    stores.s3.put_object(Bucket=bucket, Key=f"recognition-results/{deleted}/x_result.jpg",
                         Body=b"late")
    time.sleep(1.1)  # S3 timestamps have one-second resolution: separate the two generations
    cutoff = datetime.now(UTC)
    time.sleep(1.1)
    # ...and an upload still within the grace period.
    stores.s3.put_object(Bucket=bucket, Key=f"input-files/{fresh_orphan}/new.jpg", Body=b"x")
    # Something that is not ours stays too.
    stores.s3.put_object(Bucket=bucket, Key="input-files/not-a-task/readme.txt", Body=b"x")

    result = asyncio.run(_sweep(stack, cutoff))

    # The deleted task's late file goes too (by the sweeper, or already by the janitor).
    assert old_orphan in result["tasks"] and set(result["tasks"]) <= {old_orphan, deleted}
    assert result["files"] == len(result["tasks"])
    assert stores.task_keys(old_orphan) == [] and stores.task_keys(deleted) == []
    assert stores.task_keys(fresh_orphan) == [f"input-files/{fresh_orphan}/new.jpg"]
    assert len(stores.task_keys(live)) == 2  # the live task's input and result stay
    assert stores.keys("input-files/not-a-task/") == ["input-files/not-a-task/readme.txt"]


def test_unfinished_uploads_older_than_the_grace_period_are_aborted(stack: Any,
                                                                      stores: Stores) -> None:
    """A gateway killed during a large upload leaves a multipart upload that was never
    completed: stored parts that no listing of objects shows. The sweeper aborts it."""
    bucket = stores.settings.s3_bucket
    old_key = f"input-files/{uuid.uuid4()}/big.mp4"
    fresh_key = f"input-files/{uuid.uuid4()}/big.mp4"

    def start(key: str) -> str:
        upload_id = stores.s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        stores.s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=1,
                              Body=b"\0" * (5 << 20))
        return str(upload_id)

    def open_keys() -> set[str]:
        listed = stores.s3.list_multipart_uploads(Bucket=bucket, Prefix="input-files/")
        return {u["Key"] for u in listed.get("Uploads", [])}

    old_id = start(old_key)
    time.sleep(1.1)
    cutoff = datetime.now(UTC)
    time.sleep(1.1)
    fresh_id = start(fresh_key)
    assert {old_key, fresh_key} <= open_keys()
    try:
        result = asyncio.run(_sweep(stack, cutoff))
        assert old_key in result["uploads"] and fresh_key not in result["uploads"]
        assert old_key not in open_keys() and fresh_key in open_keys()
    finally:
        for key, upload_id in ((old_key, old_id), (fresh_key, fresh_id)):
            with contextlib.suppress(Exception):
                stores.s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)

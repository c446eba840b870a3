"""The one way a task's files go: every object under its three prefixes.

Used by the gateway when a task is deleted (at once, best effort), by the janitor when it passes
TaskDeleted (with retries and a dead-letter queue), by workers that wrote something after the
task was deleted, and by the sweeper for files that never got a task.
"""
from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime
from typing import Any

from scenelens.adapters.s3 import ObjectStore, task_prefixes
from scenelens.application import TaskApplication
from scenelens.domain.errors import TaskGone

log = logging.getLogger(__name__)

PREFIX_ROOTS = ("input-files/", "scene-images/", "recognition-results/")


async def remove_task_files(s3: ObjectStore, task_id: uuid.UUID | str) -> int:
    """Delete every object of the task; returns how many. Raises if S3 refuses."""
    removed = 0
    for prefix in task_prefixes(task_id):
        removed += await s3.delete_prefix(prefix)
    if removed:
        log.info("removed %d files of task %s", removed, task_id)
    return removed


async def _orphan_id(app: TaskApplication, name: str) -> uuid.UUID | None:
    """The task id a folder name under a prefix root spells, when no live task has it (the task
    never existed or was deleted); None for a live task or a name that is not ours."""
    try:
        task_id = uuid.UUID(name)
    except ValueError:
        return None  # not ours: leave it alone
    try:
        await asyncio.to_thread(app.get_live_task, task_id)
        return None
    except TaskGone:
        return task_id


async def sweep_orphans(s3: ObjectStore, app: TaskApplication, older_than: datetime
                        ) -> dict[str, Any]:
    """Remove the files of tasks that do not exist (or were deleted), when all of them are
    older than `older_than` (a grace period for uploads whose task is being recorded)."""
    candidates: set[str] = set()
    for root in PREFIX_ROOTS:
        candidates.update(await s3.list_children(root))
    swept: list[str] = []
    files = 0
    for name in sorted(candidates):
        if (task_id := await _orphan_id(app, name)) is None:
            continue
        newest = max((t for t in [await s3.newest(p) for p in task_prefixes(task_id)]
                      if t is not None), default=None)
        if newest is None or newest >= older_than:
            continue
        files += await remove_task_files(s3, task_id)
        swept.append(str(task_id))
    if swept:
        log.warning("sweeper removed %d files of %d tasks without a live task", files,
                    len(swept), extra={"tasks": swept[:20]})
    aborted = await _abort_stale_uploads(s3, app, older_than)
    return {"tasks": swept, "files": files, "uploads": aborted}


async def _abort_stale_uploads(s3: ObjectStore, app: TaskApplication, older_than: datetime
                               ) -> list[str]:
    """Abort the multipart uploads (large inputs) that began before `older_than` and whose
    task does not exist or was deleted: what a gateway killed mid-upload leaves; its parts
    take space but no object lists them, so the files sweep above never sees them."""
    aborted: list[str] = []
    for root in PREFIX_ROOTS:
        for key, upload_id, began in await s3.open_uploads(root):
            if began >= older_than:
                continue
            if await _orphan_id(app, key[len(root):].split("/", 1)[0]) is None:
                continue
            await s3.abort_upload(key, upload_id)
            aborted.append(key)
    if aborted:
        log.warning("sweeper aborted %d unfinished uploads without a live task", len(aborted),
                    extra={"keys": aborted[:20]})
    return aborted

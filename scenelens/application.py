"""The task application: commands on Task aggregates, stored in the event store (synchronous)."""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from scenelens.domain import ids
from scenelens.domain.errors import DomainError, RunNotFound, TaskGone, TaskNotFound
from scenelens.domain.task import FIRST_RUN, Task, run_id
from scenelens.observability import EVENT_APPENDS, EVENT_CONFLICTS

T = TypeVar("T")

# Concurrent writers (recognition workers, the video splitter) may race on one task;
# optimistic concurrency rejects the loser, which reloads and tries again.
CONFLICT_RETRIES = 50


@dataclass(frozen=True)
class RunSnapshot:
    """One run of a task as a worker needs it: its options and each segment's status."""

    run_id: str
    number: int
    options: dict[str, Any]
    status: str
    segments: dict[str, str]  # segment id -> status in this run

    @property
    def ended(self) -> bool:
        return self.status in ("DONE", "FAILED")


@dataclass(frozen=True)
class TaskSnapshot:
    """A small read-only view of a task for handlers (never the aggregate itself)."""

    task_id: uuid.UUID
    kind: str
    status: str
    deleted: bool
    input_key: str
    filename: str
    scene_options: dict[str, Any]
    segments: dict[str, tuple[int, str]]  # segment id -> (index, status)
    segments_total: int | None
    tenant_id: str = ""
    tier: str = ""
    request_id: str = ""
    runs: dict[str, RunSnapshot] | None = None  # every run, the first included
    default_run_id: str = ""
    error: str = ""  # why it failed, or how many segments failed in a task otherwise done

    @property
    def ended(self) -> bool:
        return self.status in ("DONE", "FAILED")

    def run(self, rid: str) -> RunSnapshot:
        """A run by id ("" is the first run)."""
        runs = self.runs or {}
        key = rid or str(run_id(self.task_id, FIRST_RUN))
        if key not in runs:
            raise RunNotFound(f"run {rid} not found in task {self.task_id}")
        return runs[key]


@dataclass(frozen=True)
class Reanalysis:
    """A started run: its id and number, and the notification id of its RunStarted event."""

    run_id: str
    number: int
    notification_id: int | None


class TaskApplication(Application[uuid.UUID]):
    """Records what happens to tasks; the event store is the source of truth."""

    name = "Tasks"
    env = {"AGGREGATE_CACHE_MAXSIZE": "2000", "COMPRESSOR_TOPIC": ""}

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env=env)

    # -- commands ---------------------------------------------------------------------------

    def create_task(
        self,
        *,
        task_id: uuid.UUID,
        kind: str,
        filename: str,
        content_type: str,
        size_bytes: int,
        input_key: str,
        scene_options: dict[str, Any],
        tenant_id: uuid.UUID,
        tier: str,
        request_id: str = "",
        analysis_options: dict[str, Any] | None = None,
    ) -> int | None:
        """Record TaskCreated; returns the notification id (for read-your-writes waits)."""
        task = Task(
            id=task_id, kind=kind, filename=filename, content_type=content_type,
            size_bytes=size_bytes, input_key=input_key, scene_options=scene_options,
            first_segment_id=str(ids.segment_id(task_id, 0)), tenant_id=str(tenant_id),
            tier=tier, request_id=request_id, analysis_options=analysis_options or {},
        )
        recordings = self.save(task)
        EVENT_APPENDS.inc()
        return recordings[-1].notification.id if recordings else None

    def start_processing(self, task_id: uuid.UUID) -> bool:
        return self._update(task_id, lambda t: t.start_processing())

    def record_scene(self, task_id: uuid.UUID, **scene: Any) -> bool:
        return self._update(task_id, lambda t: t.record_scene(**scene))

    def report_split_progress(self, task_id: uuid.UUID, fraction: float) -> bool:
        return self._update(task_id, lambda t: t.report_split_progress(fraction))

    def finish_split(self, task_id: uuid.UUID, segments_total: int) -> bool:
        return self._update(task_id, lambda t: t.finish_split(segments_total))

    def record_recognition(self, task_id: uuid.UUID, **result: Any) -> bool:
        return self._update(task_id, lambda t: t.record_recognition(**result))

    def fail_segment(self, task_id: uuid.UUID, segment_id: str, reason: str) -> bool:
        return self._update(task_id, lambda t: t.fail_segment(segment_id, reason))

    def record_run_recognition(self, task_id: uuid.UUID, **result: Any) -> bool:
        return self._update(task_id, lambda t: t.record_run_recognition(**result))

    def fail_run_segment(self, task_id: uuid.UUID, rid: str, segment_id: str, reason: str
                         ) -> bool:
        return self._update(task_id, lambda t: t.fail_run_segment(rid, segment_id, reason))

    def record_batch(
        self, task_id: uuid.UUID, commands: Sequence[Callable[[Task], bool]]
    ) -> list[bool | DomainError]:
        """Apply several commands to one task: one load, one save (the recorder's group commit).

        Returns each command's outcome in order: what it returned, or the domain error it
        raised (it then recorded nothing; the others still count). TaskNotFound when the task
        does not exist. On a conflict the whole batch is decided again on the reloaded task.
        """
        outcomes: list[bool | DomainError] = []

        def _apply_all(task: Task) -> None:
            outcomes.clear()
            for command in commands:
                try:
                    outcomes.append(command(task))
                except DomainError as e:
                    outcomes.append(e)

        self._update(task_id, _apply_all)
        return list(outcomes)

    def reanalyze(self, task_id: uuid.UUID, tenant_id: uuid.UUID | None,
                  options: dict[str, Any]) -> Reanalysis:
        """Record RunStarted; TaskNotFound if absent, deleted, or another tenant's."""
        started: list[tuple[str, int]] = []

        def _start(task: Task) -> None:
            if task.deleted or (tenant_id is not None and task.tenant_id != str(tenant_id)):
                raise TaskNotFound(f"task {task_id} not found")
            rid = task.reanalyze(options)
            started.append((rid, task.runs[rid].number))

        _, position = self._update_recorded(task_id, _start)
        rid, number = started[-1]
        return Reanalysis(run_id=rid, number=number, notification_id=position)

    def fail_task(self, task_id: uuid.UUID, reason: str) -> bool:
        return self._update(task_id, lambda t: t.fail(reason))

    def delete_task(
        self, task_id: uuid.UUID, tenant_id: uuid.UUID | None = None
    ) -> tuple[TaskSnapshot, int | None]:
        """Record TaskDeleted; TaskNotFound if absent, deleted, or another tenant's.

        Returns the task as it was and the notification id of the deletion.
        """
        snapshot: list[TaskSnapshot] = []

        def _delete(task: Task) -> None:
            if task.deleted or (tenant_id is not None and task.tenant_id != str(tenant_id)):
                raise TaskNotFound(f"task {task_id} not found")
            snapshot.append(_snapshot(task))
            task.delete()

        _, position = self._update_recorded(task_id, _delete)
        return snapshot[0], position

    # -- queries ----------------------------------------------------------------------------

    def get_task(self, task_id: uuid.UUID) -> TaskSnapshot:
        return _snapshot(self._get(task_id))

    def get_live_task(self, task_id: uuid.UUID) -> TaskSnapshot:
        """The task for a worker; TaskGone when it never existed or was deleted."""
        try:
            task = self._get(task_id)
        except TaskNotFound:
            raise TaskGone(f"task {task_id} does not exist") from None
        if task.deleted:
            raise TaskGone(f"task {task_id} was deleted")
        return _snapshot(task)

    def max_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    # -- helpers ----------------------------------------------------------------------------

    def _get(self, task_id: uuid.UUID) -> Task:
        try:
            task: Any = self.repository.get(task_id)
        except AggregateNotFoundError:
            raise TaskNotFound(f"task {task_id} not found") from None
        if not isinstance(task, Task):
            raise TaskNotFound(f"task {task_id} not found")
        return task

    def _update(self, task_id: uuid.UUID, command: Callable[[Task], T]) -> T:
        return self._update_recorded(task_id, command)[0]

    def _update_recorded(
        self, task_id: uuid.UUID, command: Callable[[Task], T]
    ) -> tuple[T, int | None]:
        """Apply a command with optimistic concurrency; the result and last notification id."""
        for attempt in range(CONFLICT_RETRIES):
            task = self._get(task_id)
            result = command(task)
            if not task.pending_events:
                return result, None
            try:
                recordings = self.save(task)
                EVENT_APPENDS.inc()
            except IntegrityError:
                EVENT_CONFLICTS.inc()
                # Another writer got there first; reload and decide again.
                time.sleep(min(0.005 * (attempt + 1), 0.1))
                continue
            return result, (recordings[-1].notification.id if recordings else None)
        raise RuntimeError(f"task {task_id}: too many concurrent updates")


def _snapshot(task: Task) -> TaskSnapshot:
    first = str(run_id(task.id, FIRST_RUN))
    runs = {first: RunSnapshot(
        run_id=first, number=FIRST_RUN, options=dict(getattr(task, "analysis_options", {})),
        status=task.status, segments={k: v.status for k, v in task.segments.items()},
    )}
    for r in getattr(task, "runs", {}).values():
        runs[r.run_id] = RunSnapshot(run_id=r.run_id, number=r.number, options=dict(r.options),
                                     status=r.status, segments=dict(r.segments))
    return TaskSnapshot(
        runs=runs, default_run_id=task.default_run_id,
        task_id=task.id, kind=task.kind, status=task.status, deleted=task.deleted,
        input_key=task.input_key, filename=task.filename,
        scene_options=dict(task.scene_options),
        segments={k: (v.index, v.status) for k, v in task.segments.items()},
        segments_total=task.segments_total, tenant_id=task.tenant_id, tier=task.tier,
        request_id=getattr(task, "request_id", ""), error=getattr(task, "error", "") or "",
    )

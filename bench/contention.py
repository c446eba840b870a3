"""Contention on one video's Task aggregate: 500 scenes, 1 and 4 recognition workers.

Run against a running stack (`make up`):
    python -m bench.contention [--scenes 500] [--workers 1 4] [--part store stack]

Two parts, each printing time to DONE, conflicts and saves per segment:

- `store`: the event store alone (real Postgres, a table of its own), recognition simulated by
  a 60 ms sleep so that CPU does not limit anything. A splitter records the scenes one by one
  while K worker processes record results as they get them, in two designs side by side:
  `direct` (the design before the recorder: the splitter saves each scene, each worker appends
  its result to the task itself, with optimistic concurrency: reload and retry on conflict) and
  `recorder` (workers hand their results to one recorder process, which group-commits them: one
  load and one save per task per batch; the splitter group-commits its scenes too).
- `stack`: a 500-scene video through the whole stack (REST upload, video service, relay,
  recognition workers, recorder) with 1 and with 4 recognition worker processes (the stack's
  own plus extra ones started here); conflicts and saves are read from every process's
  metrics. On 2 cores four workers cannot run faster than two: the point is the conflicts.
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import pathlib
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import numpy as np

from bench.synth import cache_dir
from bench.tenants import auth_headers
from bench.video import stack_settings
from scenelens.application import TaskApplication
from scenelens.settings import Settings

INFERENCE_S = 0.06
SPLIT_PACE_S = 0.005  # the splitter's time per scene between records (decoding, JPEG, S3)


# -- part 1: the event store alone -----------------------------------------------------------


class BenchTasks(TaskApplication):
    """The task application on a table of its own, so that the stack's services never see it."""

    name = "ContentionBench"


def _app(create_table: bool = False) -> TaskApplication:
    """The bench's application; only the main process creates the table (CREATE TABLE IF NOT
    EXISTS from many processes at once can fail with "tuple concurrently updated")."""
    env = Settings().eventsourcing_env("ContentionBench")
    env["CREATE_TABLE"] = "y" if create_table else "n"
    return BenchTasks(env=env)


def _counters() -> tuple[float, float]:
    from scenelens.observability import EVENT_APPENDS, EVENT_CONFLICTS
    return EVENT_APPENDS._value.get(), EVENT_CONFLICTS._value.get()


def _result(sid: str) -> dict[str, Any]:
    return dict(segment_id=sid, model_name="m", model_version="v", result_key=f"k/{sid}",
                width=1280, height=720, confidence=0.25, iou=0.7, labels=[],
                detections=[{"label": "person", "class_id": 0, "confidence": 0.9,
                             "box": [1.0, 2.0, 3.0, 4.0]}] * 3)


def _direct_worker(work: Any, out: Any, task_id: uuid.UUID, inference_s: float) -> None:
    app = _app()
    while (sid := work.get()) is not None:
        time.sleep(inference_s)
        app.record_recognition(task_id, **_result(sid))
    out.put(_counters())


def _simulated_worker(work: Any, results: Any, inference_s: float) -> None:
    while (sid := work.get()) is not None:
        time.sleep(inference_s)
        results.put(sid)
    results.put(None)


def _recording(sid: str) -> Callable[[Any], bool]:
    result = _result(sid)
    return lambda task: bool(task.record_recognition(**result))


def _recorder(results: Any, out: Any, task_id: uuid.UUID, workers: int, window_ms: float) -> None:
    from scenelens.batching import GroupCommit

    app = _app()

    async def main() -> None:
        commits: GroupCommit[uuid.UUID, Callable[[Any], bool], bool] = GroupCommit(
            app.record_batch, window_s=window_ms / 1000, max_items=256)
        loop = asyncio.get_running_loop()
        pending: set[asyncio.Task[bool]] = set()
        ended = 0
        while ended < workers:
            sid = await loop.run_in_executor(None, results.get)
            if sid is None:
                ended += 1
                continue
            pending.add(asyncio.create_task(commits.submit(task_id, _recording(sid))))
        await asyncio.gather(*pending)

    asyncio.run(main())
    out.put(_counters())


@dataclass(frozen=True)
class StoreRun:
    design: str
    workers: int
    seconds: float  # first scene recorded -> task DONE
    conflicts: float
    saves: float


def store_run(design: str, workers: int, scenes: int, window_ms: float,
              inference_s: float = INFERENCE_S) -> StoreRun:
    ctx = mp.get_context("spawn")
    app = _app(create_table=True)
    task_id = uuid.uuid4()
    app.create_task(task_id=task_id, kind="video", filename="bench.mp4", content_type="video/mp4",
                    size_bytes=1, input_key="bench", scene_options={}, tenant_id=uuid.uuid4(),
                    tier="pro")
    app.start_processing(task_id)
    work, out = ctx.Queue(), ctx.Queue()
    procs = []
    if design == "direct":
        procs = [ctx.Process(target=_direct_worker, args=(work, out, task_id, inference_s))
                 for _ in range(workers)]
    else:
        results = ctx.Queue()
        procs = [ctx.Process(target=_simulated_worker, args=(work, results, inference_s))
                 for _ in range(workers)]
        procs.append(ctx.Process(target=_recorder,
                                 args=(results, out, task_id, workers, window_ms)))
    for p in procs:
        p.start()
    time.sleep(3)  # imports and connections, before the clock starts
    before = _counters()
    t0 = time.perf_counter()
    if design == "direct":  # the splitter saves each scene as it goes, as it did
        for i in range(scenes):
            sid = _scene(app, task_id, i)
            work.put(sid)
            time.sleep(SPLIT_PACE_S)
    else:  # the splitter group-commits its scenes (200 ms windows), as video_service now does
        asyncio.run(_split_batched(app, task_id, scenes, work))
    app.finish_split(task_id, scenes)
    for _ in range(workers):
        work.put(None)
    while app.get_task(task_id).status != "DONE":
        time.sleep(0.01)
    seconds = time.perf_counter() - t0
    after = _counters()
    counts = [out.get(timeout=60) for _ in range(1)] if design == "recorder" else [
        out.get(timeout=60) for _ in range(workers)]
    for p in procs:
        p.join(30)
    saves = sum(c[0] for c in counts) + after[0] - before[0]
    conflicts = sum(c[1] for c in counts) + after[1] - before[1]
    return StoreRun(design, workers, seconds, conflicts, saves)


def _scene_fields(task_id: uuid.UUID, i: int) -> dict[str, Any]:
    from scenelens.domain import ids
    sid = str(ids.segment_id(task_id, i))
    return dict(segment_id=sid, index=i, start_time_s=i, end_time_s=i + 1, start_frame=i * 25,
                end_frame=i * 25 + 25, key_frame_time_s=i + 0.5, image_key=f"scene/{sid}",
                width=1280, height=720)


def _scene(app: TaskApplication, task_id: uuid.UUID, i: int) -> str:
    fields = _scene_fields(task_id, i)
    app.record_scene(task_id, **fields)
    return str(fields["segment_id"])


async def _split_batched(app: TaskApplication, task_id: uuid.UUID, scenes: int, work: Any
                         ) -> None:
    from scenelens.batching import GroupCommit

    commits: GroupCommit[uuid.UUID, Callable[[Any], bool], bool] = GroupCommit(
        app.record_batch, window_s=Settings().scene_batch_window_ms / 1000, max_items=256)
    pending = []
    for i in range(scenes):
        fields = _scene_fields(task_id, i)
        future = asyncio.ensure_future(commits.submit(task_id, _scene_command(fields)))
        # Its recognition is asked for once the scene is stored (the relay does that).
        future.add_done_callback(_enqueue(work, str(fields["segment_id"])))
        pending.append(future)
        await asyncio.sleep(SPLIT_PACE_S)
    await asyncio.gather(*pending)


def _enqueue(work: Any, sid: str) -> Callable[[Any], None]:
    return lambda _: work.put(sid)


def _scene_command(fields: dict[str, Any]) -> Callable[[Any], bool]:
    return lambda task: bool(task.record_scene(**fields))


def drop_bench_table(settings: Settings) -> None:
    import psycopg
    with psycopg.connect(settings.pg_conninfo, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS contentionbench_events")


# -- part 2: the whole stack -----------------------------------------------------------------


def render_many_scenes(scenes: int, frames_per_scene: int = 15, fps: int = 25) -> pathlib.Path:
    """A video of `scenes` still shots of random coarse colour patterns, joined by hard cuts."""
    path = cache_dir() / f"scenes{scenes}x{frames_per_scene}_{fps}.mp4"
    if path.exists():
        return path
    w, h = 320, 180
    rng = np.random.default_rng(500)
    tmp = path.with_suffix(".tmp.mp4")
    ffmpeg = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
         "-r", str(fps), "-i", "-", "-c:v", "libx264", "-preset", "veryfast", "-crf", "20",
         "-g", str(fps * 2), "-pix_fmt", "yuv420p", str(tmp)], stdin=subprocess.PIPE)
    assert ffmpeg.stdin is not None
    for _ in range(scenes):
        coarse = rng.integers(0, 256, (3, 4, 3), dtype=np.uint8)
        frame = np.repeat(np.repeat(coarse, h // 3, axis=0), w // 4, axis=1)
        data = np.ascontiguousarray(frame).tobytes()
        for _ in range(frames_per_scene):
            ffmpeg.stdin.write(data)
    ffmpeg.stdin.close()
    if ffmpeg.wait() != 0:
        raise SystemExit("ffmpeg failed to render the many-scenes video")
    tmp.rename(path)
    return path


_SAMPLE = re.compile(r"^(scenelens_event_store_(?:appends|conflicts)_total)\s+([0-9.e+]+)$", re.M)


def scrape(urls: list[str]) -> dict[str, float]:
    totals = {"appends": 0.0, "conflicts": 0.0}
    for url in urls:
        text = httpx.get(url, timeout=5).text
        for name, value in _SAMPLE.findall(text):
            totals["appends" if "appends" in name else "conflicts"] += float(value)
    return totals


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def extra_workers(n: int, env: dict[str, str]) -> tuple[list[subprocess.Popen[bytes]], list[str]]:
    """Start n more recognition workers; their processes and metrics URLs once ready."""
    procs, urls = [], []
    for _ in range(n):
        port = _free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "recognition_service"],
            env={**env, "SCENELENS_RECOGNITION_METRICS_PORT": str(port),
                 "SCENELENS_LOG_LEVEL": "WARNING"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}")
    deadline = time.time() + 180
    for url in urls:
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline:
                raise SystemExit("extra recognition workers did not become ready")
            time.sleep(0.5)
    return procs, [f"{u}/metrics" for u in urls]


@dataclass(frozen=True)
class StackRun:
    workers: int
    scenes: int
    split_s: float  # upload done -> the task says how many scenes (VideoSplit), polled at 0.2 s
    done_s: float  # upload done -> DONE
    conflicts: float
    saves: float


def stack_run(url: str, video: pathlib.Path, workers: int, env: dict[str, str],
              metrics: list[str]) -> StackRun:
    procs, extra = extra_workers(workers - 1, env) if workers > 1 else ([], [])
    try:
        urls = metrics + extra
        before = scrape(urls)
        with httpx.Client(base_url=url, headers=auth_headers(), timeout=120) as client:
            resp = client.post("/v1/analysis", content=video.read_bytes(),
                               params={"filename": video.name},
                               headers={"Content-Type": "video/mp4"})
            resp.raise_for_status()
            uploaded = time.time()
            tid = resp.json()["task_id"]
            split = 0.0
            while True:
                body = client.get(f"/v1/analysis/{tid}").json()
                if not split and int(body.get("segments_total") or 0) > 0:
                    split = time.time()  # VideoSplit projected: the last scene is recorded
                if body["status"] in ("TASK_STATUS_DONE", "TASK_STATUS_FAILED"):
                    break
                time.sleep(0.2)
            if body["status"] != "TASK_STATUS_DONE":
                raise SystemExit(f"task failed: {body.get('error')}")
            done = datetime.fromisoformat(body["updated_at"].replace("Z", "+00:00")).timestamp()
            after = scrape(urls)
            client.delete(f"/v1/analysis/{tid}")
        return StackRun(workers, int(body["segments_total"]), split - uploaded, done - uploaded,
                        after["conflicts"] - before["conflicts"],
                        after["appends"] - before["appends"])
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(30)


# -- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenes", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--part", nargs="+", default=["store", "stack"],
                        choices=["store", "stack"])
    parser.add_argument("--profile", default="up")
    parser.add_argument("--inference-ms", type=float, default=INFERENCE_S * 1000,
                        help="simulated recognition time in the store part (0: the writers' "
                             "own ceiling)")
    args = parser.parse_args()
    stack, settings = stack_settings(args.profile)
    cpus = len(os.sched_getaffinity(0))
    print(f"machine: {platform.node()} ({platform.machine()}, {cpus} CPUs, "
          f"{os.getloadavg()[0]:.1f} load before the run); {args.scenes} scenes")
    if "store" in args.part:
        print(f"\nevent store alone (recognition simulated: {args.inference_ms:.0f} ms sleep; "
              f"splitter {SPLIT_PACE_S * 1000:.0f} ms a scene)")
        print(f"{'design':<9} {'workers':>7} {'to DONE':>9} {'conflicts/seg':>14} "
              f"{'saves/seg':>10}")
        try:
            for design in ("direct", "recorder"):
                for k in args.workers:
                    r = store_run(design, k, args.scenes, settings.recorder_batch_window_ms,
                                  args.inference_ms / 1000)
                    print(f"{r.design:<9} {r.workers:>7} {r.seconds:>8.1f}s "
                          f"{r.conflicts / args.scenes:>14.2f} {r.saves / args.scenes:>10.2f}")
        finally:
            drop_bench_table(settings)
    if "stack" in args.part:
        video = render_many_scenes(args.scenes)
        env = {k: v for k, v in os.environ.items()}
        env_file = stack.run_dir / "env.json"
        if env_file.exists():
            import json
            env.update(json.loads(env_file.read_text()))
        metrics = [f"http://{settings.metrics_host}:{settings.metrics_port(s)}/metrics"
                   for s in ("recognition", "recorder", "video")]
        url = f"http://127.0.0.1:{settings.http_port}"
        print(f"\nwhole stack: {video.name} ({video.stat().st_size // 1024} KB, "
              f"{args.scenes} shots of 0.6 s, 320x180)")
        print(f"{'workers':>7} {'scenes':>7} {'split':>8} {'to DONE':>9} {'conflicts/seg':>14} "
              f"{'saves/seg':>10}")
        for k in args.workers:
            s = stack_run(url, video, k, env, metrics)
            print(f"{s.workers:>7} {s.scenes:>7} {s.split_s:>7.1f}s {s.done_s:>8.1f}s "
                  f"{s.conflicts / max(1, s.scenes):>14.2f} {s.saves / max(1, s.scenes):>10.2f}")
    if shutil.which("ffmpeg") is None:
        print("(ffmpeg not found)")


if __name__ == "__main__":
    main()

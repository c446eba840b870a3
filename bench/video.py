"""A long video through the whole stack beside an in-process PySceneDetect + Ultralytics baseline.

Run against a running stack (`python -m devstack up --profile up`):
    python -m bench.video [--minutes 10] [--also-minutes 2] [--url http://127.0.0.1:8000]

The video is bench.synth.render_long (720p, 30 fps, many 2-9 s shots; cached after the first
render). For each length (the --also-minutes one first, 0 skips it) it runs:

- the baseline, in a fresh process while the stack is idle: PySceneDetect (PyAV backend,
  SceneManager + the service's detector and settings), then for each scene a seek to its middle
  frame with PySceneDetect's VideoStream.seek and `YOLO(model).predict(frame)`. Its clock starts
  after the model is loaded and warmed up and stops after the last prediction;
- the stack: a streamed upload (POST /v1/analysis:upload, chunked) and a wait for DONE; the wall
  time runs from the upload's start to the task's server-side updated_at at DONE. Meanwhile the
  RSS of each app's process tree is sampled every --sample-s seconds, and the CPU seconds of each
  supervised program (infrastructure too) are counted; the services' logs give milestones.

Prints both wall times, their ratio (stack / baseline; 1.0 means no overhead), the realtime
factor (video seconds per wall second), CPU seconds, and the peak RSS of each service per length.
The task is deleted afterwards.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import json
import multiprocessing
import os
import pathlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
import psutil

from bench.synth import Truth, render_long
from bench.tenants import auth_headers
from devstack import Stack
from devstack.profiles import fields_from_env
from devstack.stack import DEPS
from scenelens.settings import Settings

APPS = ("gateway", "relay", "projections", "recorder", "recognition_service", "video_service",
        "envoy")
MiB = 1024 * 1024


def stack_settings(profile: str) -> tuple[Stack, Settings]:
    """The profile's Stack, and the settings its apps run with (its env.json once started)."""
    stack = Stack(profile)
    env_file = stack.run_dir / "env.json"
    if env_file.exists():
        env = json.loads(env_file.read_text())
        return stack, Settings.model_validate(fields_from_env(env, set(Settings.model_fields)))
    return stack, stack.settings


# -- baseline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    wall_s: float
    detect_s: float  # PySceneDetect alone
    detect_cpu_s: float
    scenes: int
    detections: int
    cpu_s: float  # user + system, while the clock ran
    peak_rss: int  # bytes, the whole process (imports, model and all)


def baseline(path: str, settings: Settings) -> Baseline:
    """PySceneDetect, a seek to each scene's middle frame, YOLO predict; run in a fresh process."""
    import resource

    import numpy as np
    from scenedetect import (
        AdaptiveDetector,
        ContentDetector,
        HashDetector,
        HistogramDetector,
        SceneManager,
        open_video,
    )
    from ultralytics import YOLO

    from video_service.splitter import DEFAULT_THRESHOLDS

    name = settings.scene_detector
    threshold = (
        settings.scene_threshold if settings.scene_threshold > 0 else DEFAULT_THRESHOLDS[name]
    )
    detectors = {
        "content": lambda s: ContentDetector(threshold=threshold, min_scene_len=s),
        "adaptive": lambda s: AdaptiveDetector(adaptive_threshold=threshold, min_scene_len=s),
        "histogram": lambda s: HistogramDetector(threshold=threshold, min_scene_len=s),
        "hash": lambda s: HashDetector(threshold=threshold, min_scene_len=s),
    }
    args: dict[str, Any] = {
        "imgsz": settings.imgsz,
        "conf": settings.conf,
        "iou": settings.iou,
        "verbose": False,
        **({"device": settings.device} if settings.device else {}),
    }
    model = YOLO(settings.model, task="detect")
    model.predict(np.zeros((720, 1280, 3), np.uint8), **args)  # loads and warms up, off the clock
    if name == "transition":  # its TransNetV2 too, as the video service loads it at start
        from video_service.verifier import shared_verifier

        shared_verifier()

    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    video = open_video(path, backend="pyav")
    if type(video).__name__ != "VideoStreamAv":
        raise RuntimeError(f"PySceneDetect fell back to {type(video).__name__}")
    # As the service: the shortest scene is the longer of min_scene_seconds and min_scene_frames.
    fps = float(video.frame_rate)
    min_s = max(settings.min_scene_seconds, settings.min_scene_frames / fps if fps else 0.0)
    if name in detectors:
        manager = SceneManager()
        manager.add_detector(detectors[name](float(min_s)))  # a float is seconds to PySceneDetect
        manager.detect_scenes(video)
        spans = [(s.frame_num, e.frame_num)
                 for s, e in manager.get_scene_list(start_in_scene=True)]
    else:  # our own detector ("transition"): the same function the service calls, in process
        from video_service.splitter import detect_scenes

        spans = [(sc.start_frame, sc.end_frame) for sc in detect_scenes(
            path, detector=name, threshold=threshold,
            min_scene_seconds=settings.min_scene_seconds,
            min_scene_frames=settings.min_scene_frames)]
    detect_s = time.perf_counter() - start
    cpu_d = resource.getrusage(resource.RUSAGE_SELF)
    if len(spans) > settings.max_scenes > 0:  # as the service: merge the rest into the last kept
        spans = [
            *spans[: settings.max_scenes - 1],
            (spans[settings.max_scenes - 1][0], spans[-1][1]),
        ]
    detections = 0
    for first, end in spans:
        video.seek((first + end - 1) // 2)  # the middle frame; end is exclusive
        frame = video.read()
        if frame is False:
            raise RuntimeError(f"no frame at {(first + end - 1) // 2}")
        results: Any = model.predict(frame, **args)
        detections += sum(len(r.boxes) for r in results)
    wall_s = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu_s = cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    detect_cpu_s = cpu_d.ru_utime + cpu_d.ru_stime - cpu0.ru_utime - cpu0.ru_stime
    peak = cpu1.ru_maxrss * 1024  # KiB on Linux
    return Baseline(wall_s, detect_s, detect_cpu_s, len(spans), detections, cpu_s, peak)


def run_baseline(path: pathlib.Path, settings: Settings) -> Baseline:
    """baseline() in a fresh process, so its peak RSS is its own."""
    ctx = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(1, mp_context=ctx) as pool:
        return pool.submit(baseline, str(path), settings).result()


# -- memory and CPU ------------------------------------------------------------------------------


def _cpu(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return float(t.user + t.system)


@dataclass
class ServiceSampler:
    """Peak RSS of each app's process tree, sampled in a thread, and the CPU seconds each
    program's tree (infrastructure too) used meanwhile. Children are listed again every 2 s."""

    stack: Stack
    interval: float = 0.2
    apps: tuple[str, ...] = APPS
    infra: tuple[str, ...] = DEPS
    idle: dict[str, int] = field(default_factory=dict)
    peak: dict[str, int] = field(default_factory=dict)
    cpu_s: dict[str, float] = field(default_factory=dict)
    _trees: dict[str, list[psutil.Process]] = field(default_factory=dict)
    _cpu_start: dict[int, float] = field(default_factory=dict)
    _cpu_last: dict[int, tuple[str, float]] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _refresh(self) -> None:
        for name in (*self.apps, *self.infra):
            root = psutil.Process(self.stack.pid(name))
            self._trees[name] = [root, *root.children(recursive=True)]
            for proc in self._trees[name]:
                try:
                    self._cpu_last[proc.pid] = (name, _cpu(proc))
                except psutil.NoSuchProcess:
                    pass

    def _rss(self) -> dict[str, int]:
        out = {}
        for name in self.apps:
            total = 0
            for proc in self._trees[name]:
                try:
                    total += proc.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
            out[name] = total
        return out

    def __enter__(self) -> ServiceSampler:
        self._refresh()
        self._cpu_start = {pid: cpu for pid, (_, cpu) in self._cpu_last.items()}
        self.idle = self._rss()
        self.peak = dict(self.idle)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        last_refresh = time.monotonic()
        while not self._stop.wait(self.interval):
            if time.monotonic() - last_refresh > 2.0:
                self._refresh()
                last_refresh = time.monotonic()
            for name, rss in self._rss().items():
                self.peak[name] = max(self.peak[name], rss)

    def __exit__(self, *exc: object) -> None:
        if self._thread is None or self._stop.is_set():
            return  # not started, or already stopped
        self._stop.set()
        self._thread.join()
        self._refresh()
        self.cpu_s = dict.fromkeys((*self.apps, *self.infra), 0.0)
        for pid, (name, cpu) in self._cpu_last.items():
            self.cpu_s[name] += cpu - self._cpu_start.get(pid, 0.0)


# -- stack ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StackRun:
    wall_s: float  # upload start to DONE (server-side updated_at)
    upload_s: float  # until the upload's response
    scenes: int
    detections: int
    peak: dict[str, int]
    idle: dict[str, int]
    cpu_s: dict[str, float]  # per program, infrastructure included
    phases: dict[str, float]  # seconds from upload start, from the services' logs (if found)


def _chunks(path: pathlib.Path, size: int = 1 * MiB) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(size):
            yield chunk


def run_stack(
    url: str,
    path: pathlib.Path,
    stack: Stack | None,
    *,
    poll_s: float,
    sample_s: float,
    timeout_s: float,
) -> StackRun:
    client = httpx.Client(base_url=url, timeout=300, headers=auth_headers())
    sampler = ServiceSampler(stack, sample_s) if stack is not None else None
    task_id = ""
    try:
        if sampler is not None:
            sampler.__enter__()
        t0 = time.time()
        resp = client.post(
            "/v1/analysis:upload",
            content=_chunks(path),
            params={"filename": path.name},
            headers={"Content-Type": "video/mp4"},
        )
        resp.raise_for_status()
        upload_s = time.time() - t0
        task_id = resp.json()["task_id"]
        deadline = time.monotonic() + timeout_s
        while True:
            body = client.get(f"/v1/analysis/{task_id}").json()
            if body["status"] == "TASK_STATUS_DONE":
                break
            if body["status"] == "TASK_STATUS_FAILED":
                raise SystemExit(f"task {task_id} failed: {body.get('error')}")
            if time.monotonic() > deadline:
                raise SystemExit(f"task {task_id} not DONE after {timeout_s:.0f} s: {body}")
            time.sleep(poll_s)
        if sampler is not None:
            sampler.__exit__()
        done_at = datetime.fromisoformat(body["updated_at"].replace("Z", "+00:00")).timestamp()
        if body.get("segments_failed"):
            print(f"warning: {body['segments_failed']} segments failed")
        detections, token = 0, ""
        while True:
            page = client.get(
                f"/v1/analysis/{task_id}/segments", params={"page_size": 100, "page_token": token}
            ).json()
            detections += sum(seg.get("detection_count", 0) for seg in page["segments"])
            if not (token := page.get("next_page_token", "")):
                break
    finally:
        if sampler is not None:
            sampler.__exit__()
        if task_id:
            with contextlib.suppress(httpx.HTTPError):
                client.delete(f"/v1/analysis/{task_id}").raise_for_status()
        client.close()
    return StackRun(
        wall_s=done_at - t0,
        upload_s=upload_s,
        scenes=int(body["segments_total"]),
        detections=detections,
        peak=sampler.peak if sampler else {},
        idle=sampler.idle if sampler else {},
        cpu_s=sampler.cpu_s if sampler else {},
        phases=_phases(stack, task_id, t0) if stack is not None else {},
    )


_MILESTONES = {  # (program, log message) -> phase name; the last line of each counts
    ("gateway", "task created"): "stored",
    ("video_service", "scenes detected"): "scenes detected",
    ("video_service", "video split"): "key frames sent",
    ("recognition_service", "frame recognized"): "last recognized",
}


def _phases(stack: Stack, task_id: str, t0: float) -> dict[str, float]:
    """When the task passed each milestone, from the JSON logs of the devstack run dir."""
    found: dict[str, float] = {}
    for (program, message), phase in _MILESTONES.items():
        log = stack.run_dir / "logs" / f"{program}.log"
        try:
            lines = log.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            if task_id not in line or f'"{message}"' not in line:
                continue
            try:
                ts = json.loads(line)["ts"]
            except (ValueError, KeyError):
                continue
            found[phase] = datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp() - t0
    return found


# -- report --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    minutes: float
    truth: Truth
    base: Baseline
    stack: StackRun

    @property
    def video_s(self) -> float:
        return self.truth.frames / self.truth.fps


def _report(r: Result, settings: Settings) -> None:
    t, b, s = r.truth, r.base, r.stack
    threshold = settings.scene_threshold or "default"
    print(
        f"\nvideo: {t.path.name}, {r.video_s:.1f} s, 720p {t.fps} fps, "
        f"{t.path.stat().st_size / MiB:.0f} MiB, {len(t.cuts) + 1} shots "
        f"({len(t.cuts) - sum(t.fades)} hard cuts, {sum(t.fades)} fades)"
    )
    print(
        f"model {pathlib.Path(settings.model).name}, scene detector {settings.scene_detector} "
        f"(threshold {threshold}, min {settings.min_scene_seconds} s / "
        f"{settings.min_scene_frames} frames, max {settings.max_scenes})"
    )
    stack_cpu = sum(s.cpu_s.values()) if s.cpu_s else float("nan")
    print("                         scenes  detections  wall s  realtime x   CPU s")
    print(
        f"baseline in-process    : {b.scenes:6d}  {b.detections:10d}  {b.wall_s:6.1f}  "
        f"{r.video_s / b.wall_s:10.2f}  {b.cpu_s:6.1f}   (scene detection {b.detect_s:.1f} s, CPU {b.detect_cpu_s:.1f} s)"
    )
    print(
        f"whole stack via REST   : {s.scenes:6d}  {s.detections:10d}  {s.wall_s:6.1f}  "
        f"{r.video_s / s.wall_s:10.2f}  {stack_cpu:6.1f}   (upload {s.upload_s:.1f} s)"
    )
    print(
        f"ratio stack/baseline   : {'':18s}  {s.wall_s / b.wall_s:6.2f}  {'':10s}  "
        f"{stack_cpu / b.cpu_s:6.2f}"
    )
    if s.cpu_s:
        by = ", ".join(f"{k} {v:.1f}" for k, v in sorted(s.cpu_s.items(), key=lambda i: -i[1]))
        print(f"stack CPU s by program : {by}")
    if s.phases:
        steps = ", ".join(f"{k} {v:.1f}" for k, v in sorted(s.phases.items(), key=lambda i: i[1]))
        print(f"stack milestones, s    : {steps}, DONE {s.wall_s:.1f}")
    if s.scenes != b.scenes:
        print(f"warning: the stack found {s.scenes} scenes, the baseline {b.scenes}")
    shots = len(t.cuts) + 1
    if not 0.7 * shots <= s.scenes <= 1.5 * shots:
        print(f"warning: {s.scenes} scenes is implausible for {shots} shots")


def _memory_table(results: list[Result]) -> None:
    if not results[0].stack.peak:
        return
    print("\nRSS of each process tree, MiB: before the run -> peak during it")
    print(f"{'':20s}" + "".join(f"{f'{r.minutes:g} min video':>16s}" for r in results))
    for name in results[0].stack.peak:
        cells = [
            f"{r.stack.idle[name] / MiB:.0f} -> {r.stack.peak[name] / MiB:.0f}" for r in results
        ]
        print(f"{name:20s}" + "".join(f"{c:>16s}" for c in cells))
    cells = [f"{r.base.peak_rss / MiB:.0f}" for r in results]
    print(f"{'baseline process':20s}" + "".join(f"{c:>16s}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument(
        "--also-minutes",
        type=float,
        default=2.0,
        help="a shorter video run first, to show memory does not grow (0: skip)",
    )
    parser.add_argument("--profile", default="up", help="devstack profile: settings and pids")
    parser.add_argument("--url", default=None, help="REST base URL (default: the profile's Envoy)")
    parser.add_argument(
        "--no-memory", action="store_true", help="no RSS, CPU or logs of the services"
    )
    parser.add_argument("--sample-s", type=float, default=0.2)
    parser.add_argument("--poll-s", type=float, default=0.5)
    parser.add_argument("--timeout-s", type=float, default=7200.0)
    args = parser.parse_args()
    stack, settings = stack_settings(args.profile)
    url = args.url or f"http://{settings.http_host}:{settings.http_port}"
    lengths = [m for m in (args.also_minutes, args.minutes) if m > 0]
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    truths = [render_long(minutes) for minutes in lengths]  # before any clock starts
    results = []
    for minutes, truth in zip(lengths, truths, strict=True):
        base = run_baseline(truth.path, settings)
        run = run_stack(
            url,
            truth.path,
            None if args.no_memory else stack,
            poll_s=args.poll_s,
            sample_s=args.sample_s,
            timeout_s=args.timeout_s,
        )
        results.append(Result(minutes, truth, base, run))
        _report(results[-1], settings)
    _memory_table(results)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

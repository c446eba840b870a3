"""`scenelens`: the command line client (typer + rich) over the Python SDK.

The server and key come from --server / --key, else SCENELENS_TARGET / SCENELENS_API_KEY, else
the config file (SCENELENS_CONFIG, default ~/.config/scenelens/config.toml):

    target = "localhost:8000"
    api_key = "slk_..."
"""
from __future__ import annotations

import json
import os
import sys
import tomllib
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import grpc
import httpx
import typer
from google.protobuf.json_format import MessageToDict
from rich.console import Console
from rich.live import Live
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from scenelens.client import Client, Options, ScenelensError
from scenelens.v1 import analysis_pb2

app = typer.Typer(help="scenelens: find objects in photos and videos.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
err = Console(stderr=True)
out = Console()


class Config:
    """Where to connect and how to print, resolved once per invocation."""

    def __init__(self) -> None:
        self.target = ""
        self.api_key: str | None = None
        self.json = False

    def client(self) -> Client:
        sl = Client(self.target, self.api_key)
        try:
            grpc.channel_ready_future(sl._channel).result(timeout=5)
        except grpc.FutureTimeoutError:
            sl.close()
            raise ScenelensError(grpc.StatusCode.UNAVAILABLE,
                                 f"cannot reach the scenelens server at {self.target}") from None
        return sl


CONFIG = Config()


def _config_file() -> dict[str, Any]:
    path = Path(os.environ.get("SCENELENS_CONFIG")
                or Path.home() / ".config" / "scenelens" / "config.toml")
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise typer.BadParameter(f"config file {path}: {e}") from None


@app.callback()
def main(
    server: Annotated[str | None, typer.Option(help="host:port of the API (gRPC)")] = None,
    key: Annotated[str | None, typer.Option(help="API key (slk_...)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    file = _config_file()
    CONFIG.target = (server or os.environ.get("SCENELENS_TARGET") or file.get("target")
                     or "localhost:8000")
    CONFIG.api_key = key or os.environ.get("SCENELENS_API_KEY") or file.get("api_key")
    CONFIG.json = as_json


def _dict(msg: Any) -> dict[str, Any]:
    return MessageToDict(msg, preserving_proto_field_name=True,
                         always_print_fields_with_no_presence=True)


def _status(task: analysis_pb2.Task | analysis_pb2.Run) -> str:
    return analysis_pb2.TaskStatus.Name(task.status).removeprefix("TASK_STATUS_")


def _labels(segment: analysis_pb2.Segment) -> Counter[str]:
    return Counter(d.label for d in segment.detections)


def _result(sl: Client, task: analysis_pb2.Task, run_id: str | None = None) -> dict[str, Any]:
    segments = [sl.segment(task.task_id, s.segment_id, run_id=run_id)
                for s in sl.segments(task.task_id, run_id=run_id)]
    return {"task": _dict(task), "segments": [
        {**{k: v for k, v in _dict(s).items() if k not in ("detections", "result_image_url")},
         "labels": dict(_labels(s)), "detections": [_dict(d) for d in s.detections]}
        for s in segments]}


def _print_result(result: dict[str, Any]) -> None:
    task = result["task"]
    table = Table(title=f"{task['filename']}  {task['task_id']}  {task['status']}")
    for col in ("scene", "from s", "to s", "labels"):
        table.add_column(col, justify="right" if col != "labels" else "left")
    for s in result["segments"]:
        labels = ", ".join(f"{n} {label}" for label, n in
                           sorted(s["labels"].items(), key=lambda kv: (-kv[1], kv[0])))
        table.add_row(str(s["index"]), f"{s['start_time_s']:.2f}", f"{s['end_time_s']:.2f}",
                      labels or "-")
    out.print(table)
    if task.get("error"):
        out.print(f"[yellow]{task['error']}[/yellow]")


def _upload(sl: Client, path: Path, options: Options, recognition: dict[str, Any]
            ) -> analysis_pb2.Task:
    if CONFIG.json:
        return sl.upload(path, options=options, **recognition)
    with Progress(TextColumn("upload {task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), console=err, transient=True) as bar:
        job = bar.add_task(path.name, total=path.stat().st_size)
        return sl.upload(path, options=options, **recognition,
                         progress=lambda sent, _total: bar.update(job, completed=sent))


def _follow(sl: Client, task: analysis_pb2.Task, live: bool) -> analysis_pb2.Task:
    if CONFIG.json or not live:
        return sl.wait(task.task_id)
    last = task
    with Progress(TextColumn("{task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total} segments"), console=err,
                  transient=True) as bar, Live(console=err, transient=True):
        job = bar.add_task(f"analysing {task.filename}", total=None)
        for update in sl.watch(task.task_id):
            last = update.task
            total = update.task.segments_total or None
            bar.update(job, total=total,
                       completed=update.task.segments_done + update.task.segments_failed)
            if update.change == "split_progress":
                bar.update(job, description=f"finding scenes in {task.filename}: "
                                            f"{update.task.split_progress:.0%}")
            elif update.change == "video_split":
                bar.update(job, description=f"analysing {task.filename}")
            if update.change == "frame_recognized":
                seg = update.segment
                labels = ", ".join(f"{n} {lab}" for lab, n in _labels(seg).most_common(5))
                err.print(f"  scene {seg.index:>3}  {seg.start_time_s:7.2f}s  {labels or '-'}")
    return last


ModelOption = Annotated[str | None, typer.Option(
    help="model to use (see `scenelens models`); default: the server's default model")]
ConfidenceOption = Annotated[float | None, typer.Option(
    help="keep detections at least this confident (0..1); default: the model's threshold")]
LabelOption = Annotated[list[str] | None, typer.Option(
    "--label", help="keep only this class (repeat for more); default: every class")]
RunOption = Annotated[str | None, typer.Option("--run", help="a run id; default: the task's "
                                                             "default run (see `scenelens runs`)")]


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(help="photos or videos to analyse")],
    watch: Annotated[bool, typer.Option(help="show each scene as it is recognised")] = False,
    wait: Annotated[bool, typer.Option(help="wait for the result (else print the task)")] = True,
    detector: Annotated[str, typer.Option(help="scene detector for videos")] = "",
    model: ModelOption = None,
    confidence: ConfidenceOption = None,
    label: LabelOption = None,
) -> None:
    """Upload files, follow them until done, and show the labels found in each scene."""
    for path in files:
        if not path.is_file():
            raise ScenelensError(grpc.StatusCode.INVALID_ARGUMENT, f"no such file: {path}")
    results = []
    with CONFIG.client() as sl:
        for path in files:
            task = _upload(sl, path, Options(scene_detector=detector),
                           {"model": model, "confidence": confidence, "labels": label})
            if wait:
                _follow(sl, task, watch)
                # The watch stream's task has no analysis options or runs: read it whole.
                results.append(_result(sl, sl.get(task.task_id)))
            else:
                results.append({"task": _dict(task), "segments": []})
    if CONFIG.json:
        print(json.dumps(results))
        return
    for result in results:
        if wait:
            _print_result(result)
        else:
            out.print(f"{result['task']['task_id']}  {result['task']['filename']}")


@app.command()
def status(task_id: str) -> None:
    """A task's status and progress."""
    with CONFIG.client() as sl:
        task = sl.get(task_id)
    if CONFIG.json:
        print(json.dumps(_dict(task)))
        return
    splitting = not task.segments_total and 0 < task.split_progress < 1
    out.print(f"{task.task_id}  {task.filename}  {_status(task)}  "
              f"{task.segments_done + task.segments_failed}/{task.segments_total or '?'} segments"
              + (f"  (scenes detected in {task.split_progress:.0%} of the video)"
                 if splitting else "")
              + (f"  ({task.error})" if task.error else ""))


@app.command(name="list")
def list_tasks(
    status: Annotated[str | None, typer.Option(help="PENDING, PROCESSING, DONE or FAILED")] = None,
    limit: Annotated[int, typer.Option(help="at most this many")] = 50,
) -> None:
    """Your tasks, newest first."""
    with CONFIG.client() as sl:
        tasks = []
        for task in sl.list(status=status, page_size=min(limit, 1000)):
            tasks.append(task)
            if len(tasks) >= limit:
                break
    if CONFIG.json:
        print(json.dumps([_dict(t) for t in tasks]))
        return
    table = Table()
    for col in ("task", "file", "status", "segments", "created"):
        table.add_column(col)
    for t in tasks:
        table.add_row(t.task_id, t.filename, _status(t), str(t.segments_total),
                      t.created_at.ToDatetime().isoformat(timespec="seconds"))
    out.print(table)


@app.command()
def segments(task_id: str, run: RunOption = None) -> None:
    """A task's segments (scenes) with the labels found in each."""
    with CONFIG.client() as sl:
        result = _result(sl, sl.get(task_id), run)
    if CONFIG.json:
        print(json.dumps(result))
    else:
        _print_result(result)


@app.command()
def download(task_id: str,
             out_dir: Annotated[Path, typer.Option("--out", help="folder")] = Path(".")) -> None:
    """Save the annotated image of every segment."""
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with CONFIG.client() as sl:
        for s in sl.segments(task_id):
            url = sl.segment(task_id, s.segment_id).result_image_url
            if not url:
                continue
            resp = httpx.get(url, timeout=60)
            resp.raise_for_status()
            path = out_dir / f"{task_id}_{s.index:04d}.jpg"
            path.write_bytes(resp.content)
            saved.append(str(path))
    if CONFIG.json:
        print(json.dumps(saved))
    else:
        for name in saved:
            out.print(name)


@app.command()
def models() -> None:
    """The models the server offers, with their version and default threshold."""
    with CONFIG.client() as sl:
        found = sl.models()
    if CONFIG.json:
        print(json.dumps([_dict(m) for m in found]))
        return
    table = Table()
    for col in ("model", "version", "confidence", "labels", "default"):
        table.add_column(col)
    for m in found:
        table.add_row(m.name, m.version, f"{m.default_confidence:.2f}", str(len(m.labels)),
                      "*" if m.is_default else "")
    out.print(table)


def _run_line(run: analysis_pb2.Run) -> str:
    options = run.options
    labels = ",".join(options.labels) or "all labels"
    return (f"{run.run_id}  run {run.number}  {_status(run)}  {options.model} "
            f"{options.confidence:.2f} {labels}  "
            f"{run.segments_done + run.segments_failed}/{run.segments_total or '?'} segments"
            + ("  default" if run.is_default else "") + (f"  ({run.error})" if run.error else ""))


@app.command()
def reanalyze(
    task_id: str,
    model: ModelOption = None,
    confidence: ConfidenceOption = None,
    label: LabelOption = None,
    wait: Annotated[bool, typer.Option(help="wait for the run to finish")] = False,
) -> None:
    """Recognise a task's stored key frames again, as a new run (no new upload)."""
    with CONFIG.client() as sl:
        run = sl.reanalyze(task_id, model=model, confidence=confidence, labels=label)
        if wait:
            if CONFIG.json:
                run = sl.wait_run(task_id, run.run_id)
            else:
                with err.status(f"re-analysing {task_id} (run {run.number})"):
                    run = sl.wait_run(task_id, run.run_id)
    if CONFIG.json:
        print(json.dumps(_dict(run)))
    else:
        out.print(_run_line(run), highlight=False)


@app.command()
def runs(task_id: str) -> None:
    """A task's runs, oldest first: the first analysis and every re-analysis."""
    with CONFIG.client() as sl:
        found = sl.runs(task_id)
    if CONFIG.json:
        print(json.dumps([_dict(r) for r in found]))
        return
    table = Table()
    for col in ("run", "#", "status", "model", "confidence", "labels", "segments", "default",
                "created"):
        table.add_column(col)
    for r in found:
        table.add_row(r.run_id, str(r.number), _status(r), r.options.model,
                      f"{r.options.confidence:.2f}", ", ".join(r.options.labels) or "all",
                      f"{r.segments_done + r.segments_failed}/{r.segments_total}",
                      "*" if r.is_default else "",
                      r.created_at.ToDatetime().isoformat(timespec="seconds"))
    out.print(table)


@app.command()
def summary(task_id: str, run: RunOption = None) -> None:
    """Per label: how many detections, the best confidence, the scenes and time spans."""
    with CONFIG.client() as sl:
        found = sl.summary(task_id, run_id=run)
    if CONFIG.json:
        print(json.dumps(_dict(found)))
        return
    table = Table(title=f"{found.task_id}  run {found.run_id}")
    for col in ("label", "detections", "best", "scenes", "time"):
        table.add_column(col, justify="left" if col in ("label", "scenes", "time") else "right")
    for x in found.labels:
        spans = ", ".join(f"{r.start_time_s:.2f}-{r.end_time_s:.2f}s" for r in x.time_ranges)
        table.add_row(x.label, str(x.detection_count), f"{x.max_confidence:.2f}",
                      ", ".join(str(a.index) for a in x.segments), spans or "-")
    out.print(table)


@app.command()
def search(
    label: Annotated[str | None, typer.Option(help="only this class (e.g. person)")] = None,
    min_confidence: Annotated[float, typer.Option(help="only detections at least this "
                                                       "confident (0..1)")] = 0.0,
    limit: Annotated[int, typer.Option(help="at most this many")] = 50,
) -> None:
    """Your detections across tasks (each task's default run), newest first."""
    with CONFIG.client() as sl:
        hits = []
        for hit in sl.search(label=label, min_confidence=min_confidence,
                             page_size=min(limit, 1000)):
            hits.append(hit)
            if len(hits) >= limit:
                break
    if CONFIG.json:
        print(json.dumps([_dict(h) for h in hits]))
        return
    table = Table()
    for col in ("task", "file", "scene", "at s", "label", "confidence", "recognised"):
        table.add_column(col)
    for h in hits:
        table.add_row(h.task_id, h.filename, str(h.segment_index), f"{h.key_frame_time_s:.2f}",
                      h.detection.label, f"{h.detection.confidence:.2f}",
                      h.recognized_at.ToDatetime().isoformat(timespec="seconds"))
    out.print(table)


@app.command()
def delete(task_id: str) -> None:
    """Delete a task, its files and its results."""
    with CONFIG.client() as sl:
        sl.delete(task_id)
    if CONFIG.json:
        print(json.dumps({"deleted": task_id}))
    else:
        out.print(f"deleted {task_id}")


def run() -> None:
    """Console-script entry point: one clear line and a non-zero exit on any failure."""
    try:
        app()
    except ScenelensError as e:
        err.print(f"error: {e.message}", highlight=False, markup=False, soft_wrap=True)
        sys.exit(1)
    except httpx.HTTPError as e:
        err.print(f"error: download failed: {e}", highlight=False, markup=False,
                  soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    run()

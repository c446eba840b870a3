"""The `scenelens` command line, run as a subprocess against the test stack (issue 10)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from devstack.profiles import STRICT_CONFIDENCE, STRICT_MODEL
from tests.support import ApiClient, ApiTenant, free_port_number

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = "yolov8n_int8_openvino_model"


def _cli(*args: str, env: dict[str, str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SCENELENS_")}
    return subprocess.run([sys.executable, "-m", "scenelens.cli", *args], cwd=cwd,
                          env={**clean, **env}, capture_output=True, text=True, timeout=300)


def test_analyze_json_prints_scenes_and_labels(grpc_targets: dict[str, str], tenant: ApiTenant,
                                               sample_video: Path, api: ApiClient,
                                               tmp_path: Path) -> None:
    env = {"SCENELENS_TARGET": grpc_targets["envoy"], "SCENELENS_API_KEY": tenant.api_key}
    done = _cli("--json", "analyze", str(sample_video), env=env)
    assert done.returncode == 0, done.stderr
    [result] = json.loads(done.stdout)
    task = result["task"]
    assert task["status"] == "TASK_STATUS_DONE" and task["filename"] == sample_video.name
    assert len(result["segments"]) == task["segments_total"] >= 3
    for seg in result["segments"]:
        rest = api.segment(task["task_id"], seg["segment_id"]).json()
        assert seg["labels"] == dict(Counter(d["label"] for d in rest["detections"]))
    assert any(seg["labels"] for seg in result["segments"])

    # The same through a config file, then the other commands.
    config = tmp_path / "config.toml"
    config.write_text(f'target = "{grpc_targets["direct"]}"\napi_key = "{tenant.api_key}"\n')
    file_env = {"SCENELENS_CONFIG": str(config)}
    listed = json.loads(_cli("--json", "list", "--status", "DONE", env=file_env).stdout)
    assert task["task_id"] in [t["task_id"] for t in listed]
    status = json.loads(_cli("--json", "status", task["task_id"], env=file_env).stdout)
    assert status["segments_done"] == task["segments_total"]
    saved = json.loads(_cli("--json", "download", task["task_id"], "--out", str(tmp_path / "img"),
                            env=file_env).stdout)
    assert len(saved) == task["segments_total"]
    assert all(Path(p).read_bytes()[:3] == b"\xff\xd8\xff" for p in saved)
    table = _cli("segments", task["task_id"], env=file_env)
    assert table.returncode == 0 and task["task_id"] in table.stdout
    assert _cli("delete", task["task_id"], env=file_env).returncode == 0
    assert api.task(task["task_id"]).status_code == 404


def test_bad_input_is_one_clear_line(grpc_targets: dict[str, str], tenant: ApiTenant,
                                     make_tenant: Any) -> None:
    env = {"SCENELENS_TARGET": grpc_targets["envoy"], "SCENELENS_API_KEY": tenant.api_key}
    cases = [
        (("analyze", "no/such/file.mp4"), env, "no such file: no/such/file.mp4"),
        (("status", "0b5a4a55-5d4c-4b8e-9a7e-3f1f3f1f3f1f"),
         env, "task 0b5a4a55-5d4c-4b8e-9a7e-3f1f3f1f3f1f not found"),
        (("list",), {**env, "SCENELENS_API_KEY": "slk_abcdefghij_" + "A" * 43},
         "unknown API key"),
        (("list",), {**env, "SCENELENS_TARGET": f"127.0.0.1:{free_port_number()}"},
         "cannot reach the scenelens server"),
    ]
    for args, case_env, message in cases:
        result = _cli(*args, env=case_env)
        assert result.returncode != 0, args
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines == [f"error: {message}"] or (len(lines) == 1 and message in lines[0]), \
            (args, result.stderr)
        assert "Traceback" not in result.stderr


def _label_totals(segments: list[dict[str, Any]]) -> dict[str, tuple[int, float, list[int]]]:
    """Per label, from segments' detections: count, best confidence, segment indexes."""
    totals: dict[str, tuple[int, float, list[int]]] = {}
    for s in segments:
        for d in s["detections"]:
            count, best, where = totals.get(d["label"], (0, 0.0, []))
            totals[d["label"]] = (count + 1, max(best, d["confidence"]),
                                  where if s["index"] in where else [*where, s["index"]])
    return totals


def _summary_totals(summary: dict[str, Any]) -> dict[str, tuple[int, float, list[int]]]:
    return {x["label"]: (x["detection_count"], x["max_confidence"],
                         [a["index"] for a in x["segments"]]) for x in summary["labels"]}


def _same_totals(got: dict[str, tuple[int, float, list[int]]],
                 want: dict[str, tuple[int, float, list[int]]]) -> bool:
    return got.keys() == want.keys() and all(
        got[k][0] == want[k][0] and abs(got[k][1] - want[k][1]) < 1e-4 and got[k][2] == want[k][2]
        for k in want)


def test_models_runs_summary_and_search(grpc_targets: dict[str, str], make_tenant: Any,
                                        sample_video: Path) -> None:
    """Upload with a model, re-analyse, then read runs, summaries and search from the CLI."""
    env = {"SCENELENS_TARGET": grpc_targets["envoy"],
           "SCENELENS_API_KEY": make_tenant("cli-runs").api_key}

    def cli_json(*args: str) -> Any:
        done = _cli("--json", *args, env=env)
        assert done.returncode == 0, (args, done.stderr)
        return json.loads(done.stdout)

    models = {m["name"]: m for m in cli_json("models")}
    assert set(models) == {DEFAULT_MODEL, STRICT_MODEL}
    assert models[DEFAULT_MODEL]["is_default"] and not models[STRICT_MODEL]["is_default"]
    assert (models[DEFAULT_MODEL]["default_confidence"],
            models[STRICT_MODEL]["default_confidence"]) == (0.25, STRICT_CONFIDENCE)
    assert models[STRICT_MODEL]["labels"][:3] == ["person", "bicycle", "car"]

    # The upload's model, threshold and labels are recorded and used.
    [result] = cli_json("analyze", str(sample_video), "--model", STRICT_MODEL,
                        "--confidence", "0.5", "--label", "person", "--label", "bus")
    task = result["task"]
    tid = task["task_id"]
    assert task["status"] == "TASK_STATUS_DONE"
    assert task["analysis_options"] == {"model": STRICT_MODEL, "confidence": 0.5,
                                        "labels": ["person", "bus"]}
    first = result["segments"]
    assert len(first) == task["segments_total"] >= 3
    assert any(s["detections"] for s in first)
    for s in first:  # (a segment's "labels" here are the counts of what was found)
        assert (s["model_name"], s["confidence_threshold"]) == (STRICT_MODEL, 0.5)
        assert set(s["labels"]) <= {"person", "bus"}
        assert all(d["label"] in ("person", "bus") and d["confidence"] >= 0.5
                   for d in s["detections"])

    # A re-analysis with the default model, waited for, becomes the default run.
    run = cli_json("reanalyze", tid, "--confidence", "0.3", "--wait")
    assert (run["number"], run["status"], run["is_default"]) == (2, "TASK_STATUS_DONE", True)
    assert run["options"] == {"model": DEFAULT_MODEL, "confidence": 0.3, "labels": []}
    assert run["segments_done"] == task["segments_total"]
    runs = cli_json("runs", tid)
    assert [(r["number"], r["status"], r["is_default"]) for r in runs] == [
        (1, "TASK_STATUS_DONE", False), (2, "TASK_STATUS_DONE", True)]
    assert runs[0]["run_id"] == task["default_run_id"] and runs[1]["run_id"] == run["run_id"]
    assert cli_json("status", tid)["default_run_id"] == run["run_id"]

    # Each run's summary agrees with that run's segments.
    second = cli_json("segments", tid)["segments"]
    assert all(s["run_id"] == run["run_id"] and s["confidence_threshold"] == 0.3
               for s in second)
    assert cli_json("segments", tid, "--run", runs[0]["run_id"])["segments"] == first
    summary = cli_json("summary", tid)
    assert (summary["task_id"], summary["run_id"]) == (tid, run["run_id"])
    assert _same_totals(_summary_totals(summary), _label_totals(second))
    assert {"person", "bus"} < set(_summary_totals(summary))  # all labels again
    old = cli_json("summary", tid, "--run", runs[0]["run_id"])
    assert old["run_id"] == runs[0]["run_id"]
    assert _same_totals(_summary_totals(old), _label_totals(first))
    assert set(_summary_totals(old)) <= {"person", "bus"}

    # Search: exactly the default run's detections of the label at or above the threshold.
    for label, min_conf in (("person", "0.0"), ("person", "0.6"), ("bus", "0.3")):
        hits = cli_json("search", "--label", label, "--min-confidence", min_conf,
                        "--limit", "1000")
        want = {(s["segment_id"], round(d["confidence"], 4)) for s in second
                for d in s["detections"]
                if d["label"] == label and d["confidence"] >= float(min_conf)}
        got = [(h["segment_id"], round(h["detection"]["confidence"], 4)) for h in hits]
        assert want and len(got) == len(set(got)) and set(got) == want, (label, min_conf)
        assert all(h["task_id"] == tid and h["run_id"] == run["run_id"]
                   and h["filename"] == sample_video.name for h in hits)
    everything = cli_json("search", "--limit", "1000")
    assert len(everything) == sum(len(s["detections"]) for s in second)
    assert cli_json("search", "--limit", "2") == everything[:2]

    # The tables name what the JSON does.
    wide = {**env, "COLUMNS": "250"}
    tables = {cmd: _cli(*cmd, env=wide) for cmd in
              (("models",), ("runs", tid), ("summary", tid), ("search", "--label", "bus"))}
    assert all(t.returncode == 0 for t in tables.values()), tables
    assert DEFAULT_MODEL in tables[("models",)].stdout
    assert STRICT_MODEL in tables[("models",)].stdout
    assert all(r["run_id"] in tables[("runs", tid)].stdout for r in runs)
    assert run["run_id"] in tables[("summary", tid)].stdout
    assert "person" in tables[("summary", tid)].stdout
    assert tid in tables[("search", "--label", "bus")].stdout
    line = _cli("reanalyze", tid, "--label", "bus", env=wide)
    assert line.returncode == 0 and "run 3" in line.stdout and "bus" in line.stdout, line


def test_bad_model_options_are_one_clear_line(grpc_targets: dict[str, str], make_tenant: Any,
                                              bus: Path) -> None:
    env = {"SCENELENS_TARGET": grpc_targets["direct"],
           "SCENELENS_API_KEY": make_tenant("cli-bad-options").api_key}
    [result] = json.loads(_cli("--json", "analyze", str(bus), env=env).stdout)
    tid = result["task"]["task_id"]
    unknown = "00000000-0000-4000-8000-000000000000"
    cases = [
        (("analyze", str(bus), "--model", "yolo-huge"), "unknown model 'yolo-huge'"),
        (("analyze", str(bus), "--confidence", "1.5"), "confidence must be between 0 and 1"),
        (("reanalyze", tid, "--model", "yolo-huge"), "unknown model 'yolo-huge'"),
        (("reanalyze", tid, "--label", "unicorn"), "unknown label 'unicorn'"),
        (("reanalyze", unknown), f"task {unknown} not found"),
        (("summary", tid, "--run", unknown), f"run {unknown} not found"),
        (("segments", tid, "--run", unknown), f"run {unknown} not found"),
        (("search", "--label", "unicorn"), "unknown label 'unicorn'"),
        (("search", "--min-confidence", "2"), "min_confidence must be between 0 and 1"),
    ]
    for args, message in cases:
        done = _cli(*args, env=env)
        assert done.returncode == 1, (args, done.stdout, done.stderr)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], \
            (args, done.stderr)
    # Nothing was uploaded or re-analysed by the refused requests.
    assert [t["task_id"] for t in json.loads(_cli("--json", "list", env=env).stdout)] == [tid]
    runs = json.loads(_cli("--json", "runs", tid, env=env).stdout)
    assert [r["number"] for r in runs] == [1]

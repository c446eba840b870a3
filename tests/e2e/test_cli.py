"""The `scenelens` command line, run as a subprocess against the test stack (issue 10)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from tests.support import ApiClient, ApiTenant, free_port_number

REPO = Path(__file__).resolve().parents[2]


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

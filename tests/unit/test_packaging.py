"""`pip install .` gives the `scenelens` console script, with the generated protobuf code."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_wheel_installs_a_working_scenelens_command(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    [wheel] = wheels.glob("scenelens-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "scenelens/v1/analysis_pb2_grpc.py" in names and "scenelens/client/sync.py" in names
    prefix = tmp_path / "prefix"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--prefix",
                    str(prefix), str(wheel)], check=True, capture_output=True, timeout=300)
    script = prefix / "bin" / "scenelens"
    site = next(prefix.glob("lib/python*/site-packages"))
    env = {**os.environ, "PYTHONPATH": str(site)}
    # Run away from the checkout, so only the installed package can be imported.
    result = subprocess.run([str(script), "--help"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for command in ("analyze", "status", "list", "segments", "download", "delete"):
        assert command in result.stdout
    where = subprocess.run([sys.executable, "-c", "import scenelens.cli; print(scenelens.cli.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert where.stdout.strip().startswith(str(site))

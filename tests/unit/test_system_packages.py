"""`make up` installs missing system packages itself when root (issue 13, finding 5)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "install-system-packages.sh"


def _run(tmp: Path, *args: str, uid: int = 0, present: tuple[str, ...] = ()
         ) -> subprocess.CompletedProcess[str]:
    rabbit = tmp / "rabbitmq-server"
    if "rabbitmq-server" in present:
        rabbit.write_text("#!/bin/sh\n")
        rabbit.chmod(0o755)
    env = {**os.environ, "RABBITMQ_SERVER": str(rabbit),
           "FFMPEG": "sh" if "ffmpeg" in present else "no-such-ffmpeg-xyz",
           "PG_BINDIR_GLOB": str(REPO / "Makefile") if "postgresql" in present
           else str(tmp / "none" / "*"),
           "KUBECTL": "sh" if "kubectl" in present else "no-such-kubectl-xyz",
           "SCENELENS_INSTALL_UID": str(uid)}
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=60)


def test_it_names_exactly_what_is_missing(tmp_path: Path) -> None:
    out = _run(tmp_path, "--dry-run")
    assert out.returncode == 0 and out.stdout.strip() == (
        "would install: rabbitmq-server ffmpeg postgresql kubernetes-client")
    out = _run(tmp_path, "--dry-run", present=("rabbitmq-server", "postgresql", "kubectl"))
    assert out.stdout.strip() == "would install: ffmpeg"
    out = _run(tmp_path, "--dry-run", present=("rabbitmq-server", "ffmpeg", "postgresql"))
    assert out.stdout.strip() == "would install: kubernetes-client"
    out = _run(tmp_path, present=("rabbitmq-server", "ffmpeg", "postgresql", "kubectl"))
    assert out.returncode == 0 and "are present" in out.stdout


def test_without_root_it_prints_the_command_and_fails(tmp_path: Path) -> None:
    out = _run(tmp_path, uid=1000, present=("ffmpeg", "kubectl"))
    assert out.returncode == 1
    assert "as root run: apt-get install -y rabbitmq-server postgresql" in out.stderr


def test_make_up_and_ci_use_it() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert "up: system protos" in makefile and "test: system protos" in makefile
    assert "bash scripts/install-system-packages.sh" in makefile
    assert "bash scripts/install-system-packages.sh" in (REPO / ".ci" / "run").read_text()

"""Find and end processes a stack left behind, by the marker variable every one of them inherits."""
from __future__ import annotations

import logging
import os
import pathlib
import signal
import socket
import subprocess
import time

from devstack.supervise import pid_alive, wait_gone

log = logging.getLogger("devstack")
MARKER = "DEVSTACK_RUN_DIR"
# epmd is started by the first Erlang node and shared by every node on the machine.
_SHARED = {"epmd"}


def _comm(pid: int) -> str:
    try:
        return pathlib.Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def marked(run_dir: pathlib.Path) -> list[int]:
    """Live pids (other than ours) whose environment names this run dir."""
    needle = f"{MARKER}={run_dir}".encode() + b"\0"
    found = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        pid = int(entry.name)
        if needle in environ + b"\0" and _comm(pid) not in _SHARED and pid_alive(pid):
            found.append(pid)
    return found


def reap(run_dir: pathlib.Path, grace: float = 10.0) -> list[int]:
    """TERM, then KILL after `grace`, every leftover of this run dir; returns the pids found."""
    pids = marked(run_dir)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        if wait_gone(pids, grace):
            break
    if pids:
        log.warning("ended leftover processes %s of %s", pids, run_dir)
    return pids


def stop_idle_epmd() -> None:
    """Stop epmd when no Erlang node is registered with it any more (others may still use it)."""
    try:
        names = subprocess.run(
            ["epmd", "-names"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return
    if "up and running" in names and "\nname " not in names:
        subprocess.run(["epmd", "-kill"], capture_output=True, timeout=10)
        time.sleep(0.2)


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0

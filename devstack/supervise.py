"""A small client for one supervisord: XML-RPC over its unix socket, plus its pidfile."""
from __future__ import annotations

import os
import pathlib
import signal
import time
import xmlrpc.client
from typing import Any, cast

from supervisor.xmlrpc import SupervisorTransport


class SupervisorDown(RuntimeError):
    """supervisord for this run directory is not running."""


class Supervisor:
    """The supervisord whose socket and pidfile live in `run_dir`."""

    def __init__(self, run_dir: pathlib.Path) -> None:
        self.socket = run_dir / "supervisor.sock"
        self.pidfile = run_dir / "supervisord.pid"

    def _proxy(self) -> Any:
        transport = SupervisorTransport(None, None, f"unix://{self.socket}")
        # The URL is a placeholder: the transport always talks to the socket.
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport).supervisor

    def pid(self) -> int | None:
        """supervisord's own pid when its pidfile names a live process."""
        try:
            pid = int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if pid_alive(pid) else None

    def alive(self) -> bool:
        if self.pid() is None or not self.socket.exists():
            return False
        try:
            return cast(str, self._proxy().getState()["statename"]) == "RUNNING"
        except (OSError, xmlrpc.client.Fault):
            return False

    def call(self, method: str, *args: object) -> Any:
        if not self.socket.exists():
            raise SupervisorDown(f"no supervisord socket at {self.socket}")
        try:
            return getattr(self._proxy(), method)(*args)
        except OSError as exc:
            raise SupervisorDown(f"supervisord at {self.socket}: {exc}") from None

    def info(self, program: str) -> dict[str, Any]:
        return cast("dict[str, Any]", self.call("getProcessInfo", program))

    def all_info(self) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self.call("getAllProcessInfo"))

    def state(self, program: str) -> str:
        return cast(str, self.info(program)["statename"])

    def start(self, program: str) -> None:
        """Ask for a start without waiting; a program already starting or running is left alone."""
        if self.state(program) not in ("RUNNING", "STARTING"):
            try:
                self.call("startProcess", program, False)
            except xmlrpc.client.Fault as exc:
                if "ALREADY_STARTED" not in exc.faultString:
                    raise

    def stop(self, program: str) -> None:
        """Stop and wait (supervisord escalates to SIGKILL after the program's stopwaitsecs)."""
        if self.state(program) in ("RUNNING", "STARTING", "BACKOFF"):
            try:
                self.call("stopProcess", program, True)
            except xmlrpc.client.Fault as exc:
                if "NOT_RUNNING" not in exc.faultString:
                    raise

    def stop_many(self, programs: list[str], timeout: float) -> None:
        """Signal them all at once, then wait until none runs (supervisord escalates to KILL)."""
        active = ("RUNNING", "STARTING", "BACKOFF", "STOPPING")
        for program in programs:
            if self.state(program) in active[:3]:
                try:
                    self.call("stopProcess", program, False)
                except xmlrpc.client.Fault as exc:
                    if "NOT_RUNNING" not in exc.faultString:
                        raise
        deadline = time.monotonic() + timeout
        while any(self.state(p) in active for p in programs):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{programs} still running after {timeout:.0f}s")
            time.sleep(0.1)

    def shutdown(self, timeout: float) -> None:
        """Stop every program and supervisord itself; wait until supervisord's pid is gone.

        Falls back to SIGTERM (supervisord's own shutdown signal), then SIGKILL; the caller reaps
        whatever children a killed supervisord leaves behind.
        """
        pid = self.pid()
        if pid is None:
            return
        try:
            self.call("shutdown")
        except (SupervisorDown, xmlrpc.client.Fault):
            os.kill(pid, signal.SIGTERM)
        if not wait_gone([pid], timeout):
            os.kill(pid, signal.SIGKILL)
            wait_gone([pid], 10.0)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0) but is gone for our purposes.
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def wait_gone(pids: list[int], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while any(pid_alive(p) for p in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True

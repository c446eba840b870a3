"""Program specs and the supervisord.conf rendered from them."""
from __future__ import annotations

import dataclasses
import pathlib


@dataclasses.dataclass(frozen=True)
class Program:
    """One supervised program. Nothing autostarts: the stack starts programs in order."""

    name: str
    command: str
    directory: pathlib.Path
    user: str | None = None
    startsecs: int = 2
    startretries: int = 5
    stopsignal: str = "TERM"
    stopwaitsecs: int = 20
    # Signal the whole process group (children such as ffmpeg). Postgres and RabbitMQ stop their
    # own children in order, so they get the signal alone and the group only on SIGKILL.
    stopasgroup: bool = True
    # supervisord stops higher priorities first: apps, then Envoy, then the infrastructure.
    priority: int = 300


def _esc(value: str) -> str:
    return value.replace("%", "%%")  # supervisord expands %(name)s in most values


def render(run_dir: pathlib.Path, identifier: str, programs: list[Program]) -> str:
    logs = run_dir / "logs"
    out = [
        "; Rendered by devstack; edits are overwritten on the next `up`.",
        "[unix_http_server]",
        f"file={_esc(str(run_dir / 'supervisor.sock'))}",
        "chmod=0700",
        "",
        "[supervisord]",
        f"identifier={identifier}",
        f"pidfile={_esc(str(run_dir / 'supervisord.pid'))}",
        f"logfile={_esc(str(logs / 'supervisord.log'))}",
        "logfile_maxbytes=10MB",
        "logfile_backups=2",
        f"childlogdir={_esc(str(logs))}",
        f"directory={_esc(str(run_dir))}",
        "minfds=4096",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{_esc(str(run_dir / 'supervisor.sock'))}",
        "",
    ]
    for p in programs:
        out += [
            f"[program:{p.name}]",
            f"command={_esc(p.command)}",
            f"directory={_esc(str(p.directory))}",
            *([f"user={p.user}"] if p.user else []),
            "autostart=false",
            f"priority={p.priority}",
            "autorestart=true",
            f"startsecs={p.startsecs}",
            f"startretries={p.startretries}",
            f"stopsignal={p.stopsignal}",
            f"stopwaitsecs={p.stopwaitsecs}",
            f"stopasgroup={'true' if p.stopasgroup else 'false'}",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={_esc(str(logs / (p.name + '.log')))}",
            "stdout_logfile_maxbytes=20MB",
            "stdout_logfile_backups=2",
            "",
        ]
    return "\n".join(out)

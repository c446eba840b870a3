"""A fresh start: check ports, build protos if needed, render the run dir, start supervisord."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

from devstack import apps as app_mod
from devstack import procs
from devstack.errors import StackError
from devstack.postgres import os_user
from devstack.supervisord_conf import Program, render

if TYPE_CHECKING:
    from devstack.stack import Stack

log = logging.getLogger("devstack")


def start_fresh(stack: Stack, apps: bool) -> None:
    procs.reap(stack.run_dir)  # a supervisord that died hard leaves its children behind
    ports = {**stack.dep_ports(), **(stack.app_ports() if apps else {})}
    busy = {name: port for name, port in ports.items() if procs.port_in_use(port)}
    if busy:
        raise StackError(
            f"ports already in use for profile {stack.profile.name!r}: {busy}. Another stack "
            f"or server holds them (`python -m devstack status --profile ...`).")
    if stack.profile.fresh and stack.run_dir.exists():
        shutil.rmtree(stack.run_dir)
    build_protos(stack)
    render_run_dir(stack)
    start_supervisord(stack)


def build_protos(stack: Stack) -> None:
    """The project's build step, when its outputs are missing."""
    built = stack.repo / "scenelens" / "v1", stack.repo / "build" / "scenelens.pb"
    if all(path.exists() for path in built):
        return
    log.info("building protos")
    subprocess.run([sys.executable, "scripts/build_protos.py"], cwd=stack.repo, check=True)


def programs(stack: Stack) -> list[Program]:
    bin_dir = stack.run_dir / "bin"
    pg = Program("postgres", stack.postgres.command(), stack.postgres.root, user=os_user(),
                 startsecs=2, startretries=10, stopsignal="INT", stopwaitsecs=30,
                 stopasgroup=False, priority=100)
    rabbit = Program("rabbitmq", str(stack.rabbitmq.render(bin_dir)), stack.rabbitmq.root,
                     startsecs=3, stopwaitsecs=30, stopasgroup=False, priority=100)
    # weed's filer always waits out a 15 s gRPC graceful-stop timeout (its own metadata
    # subscription keeps a stream open); a test stack's data is disposable, so cut it short.
    s3 = Program("s3", str(stack.s3.render(bin_dir)), stack.s3.root, startsecs=2,
                 stopwaitsecs=3 if stack.profile.fresh else 25, priority=100)
    hosts_s3 = ([Program("s3-hosts", str(stack.s3.render_hosts_gateway(bin_dir)), stack.s3.root,
                         startsecs=2, stopwaitsecs=3, priority=100)]
                if stack.s3.extra_listen else [])
    envoy_conf = stack.run_dir / "envoy" / "envoy.yaml"
    envoy = ([app_mod.envoy_program(stack.repo, envoy_conf)]
             if app_mod.render_envoy(stack.repo, envoy_conf, stack.env) else [])
    return [pg, rabbit, s3, *hosts_s3, *envoy, *app_mod.app_programs(stack.repo, stack.apps)]


def render_run_dir(stack: Stack) -> None:
    for sub in ("logs", "bin", "work"):
        (stack.run_dir / sub).mkdir(parents=True, exist_ok=True)
    stack.postgres.init(stack.run_dir / "logs" / "initdb.log")
    conf = render(stack.run_dir, f"scenelens-{stack.profile.name}", programs(stack))
    (stack.run_dir / "supervisord.conf").write_text(conf)
    (stack.run_dir / "env.json").write_text(json.dumps(stack.env, indent=2, sort_keys=True))


def start_supervisord(stack: Stack) -> None:
    """supervisord daemonizes; its children inherit the stack's env and the leftover marker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCENELENS_")}
    env |= stack.env | {procs.MARKER: str(stack.run_dir), "PYTHONUNBUFFERED": "1"}
    with (stack.run_dir / "logs" / "supervisord-start.log").open("ab") as out:
        subprocess.run(
            [sys.executable, "-m", "supervisor.supervisord", "-c",
             str(stack.run_dir / "supervisord.conf")],
            env=env, cwd=stack.run_dir, stdin=subprocess.DEVNULL, stdout=out,
            stderr=subprocess.STDOUT, check=True)
    stack.wait("supervisord", stack.supervisor.alive, 20.0)


def warn_if_changed(stack: Stack) -> None:
    """A running stack keeps the settings it started with; say so when they differ from now."""
    try:
        old = json.loads((stack.run_dir / "env.json").read_text())
    except (OSError, ValueError):
        return
    if old != stack.env:
        log.warning("the running %s stack was started with other settings; "
                    "`down` first to apply them", stack.profile.name)

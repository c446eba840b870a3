"""`Stack`: one profile's supervisord, its programs, and waits on their readiness."""
from __future__ import annotations

import contextlib
import json
import logging
import os
import pathlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping

from devstack import apps as app_mod
from devstack import launch, procs
from devstack.errors import StackError
from devstack.hosts import Hosts, Network, supported
from devstack.lock import profile_lock
from devstack.postgres import Postgres
from devstack.profiles import PROFILES, DevSettings, fields_from_env, stack_env
from devstack.rabbitmq import RabbitMQ
from devstack.s3 import SeaweedS3
from devstack.supervise import Supervisor, pid_alive, wait_gone
from scenelens.settings import Settings

log = logging.getLogger("devstack")
REPO = pathlib.Path(__file__).resolve().parent.parent
DEPS = ("postgres", "rabbitmq", "s3")
__all__ = ["DEPS", "Stack", "StackError"]


class Stack:
    """The stack of one profile (`up` or `test`), rooted at `run_dir` (default `.run/<profile>`)."""

    def __init__(
        self,
        profile: str = "up",
        *,
        repo: pathlib.Path = REPO,
        run_dir: pathlib.Path | None = None,
        environ: Mapping[str, str] | None = None,
        apps: tuple[str, ...] = app_mod.APPS,
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; one of {sorted(PROFILES)}")
        self.profile = PROFILES[profile]
        self.repo = repo.resolve()
        self.run_dir = (run_dir or self.repo / ".run" / profile).resolve()
        self.env: dict[str, str] = stack_env(
            self.profile, self.repo, self.run_dir, os.environ if environ is None else environ)
        self.settings = Settings.model_validate(
            fields_from_env(self.env, set(Settings.model_fields)))
        self.dev = DevSettings.model_validate(
            fields_from_env(self.env, set(DevSettings.model_fields)))
        self.apps = apps
        self.supervisor = Supervisor(self.run_dir)
        self.postgres = Postgres(self.run_dir / "postgres", self.settings,
                                 fast=self.profile.fast_pg)
        self.rabbitmq = RabbitMQ(self.run_dir / "rabbitmq", self.settings, self.dev)
        self.s3 = SeaweedS3(self.run_dir / "s3", self.settings, self.dev)
        # Worker hosts' bridge (devstack/hosts.py): the servers also listen on its address.
        self.network: Network | None = None
        if self.dev.hosts_network != "off" and not supported():
            self.network = Network.of(profile, self.dev.hosts_network or None)
            self.postgres.allow_network(self.network.gateway, str(self.network.subnet))
            self.rabbitmq.extra_listen = self.network.gateway
            self.s3.extra_listen = self.network.gateway

    @property
    def deps(self) -> list[str]:
        """The infrastructure programs (with the hosts' S3 gateway when there is a network)."""
        return [*DEPS, *(["s3-hosts"] if self.network else [])]

    @property
    def hosts(self) -> Hosts:
        """Worker hosts on this machine (needs the network: devstack run as root)."""
        if self.network is None:
            raise StackError(supported() or "the hosts network is off (SCENELENS_HOSTS_NETWORK)")
        return Hosts(self.network, self.run_dir, self.env, self.repo)

    # -- what it exposes -------------------------------------------------------------------------

    def dep_ports(self) -> dict[str, int]:
        d = self.dev
        return {
            "postgres": self.settings.pg_port, "amqp": self.rabbitmq.port,
            "rabbitmq management": d.rabbitmq_management_port,
            "rabbitmq distribution": d.rabbitmq_dist_port, "s3": self.s3.port,
            "weed master": d.weed_master_port, "weed volume": d.weed_volume_port,
            "weed filer": d.weed_filer_port,
            **{f"weed grpc {p}": p for p in self.s3.grpc_ports()},
        }

    def app_ports(self) -> dict[str, int]:
        s = self.settings
        return {"gateway grpc": s.grpc_port, "gateway docs": s.docs_port,
                "envoy http": s.http_port, "envoy admin": s.envoy_admin_port}

    def urls(self, apps: bool = True) -> dict[str, str]:
        s, http = self.settings, f"http://{self.settings.http_host}:{self.settings.http_port}"
        front = {
            "REST (Envoy)": f"{http}/v1/",
            "Swagger UI": f"{http}/docs/",
            "gRPC (Envoy)": f"{s.http_host}:{s.http_port}",
            "gRPC (gateway)": f"{s.grpc_host}:{s.grpc_port}",
        }
        return {
            **(front if apps else {}),
            "RabbitMQ management": f"{self.rabbitmq.management_url()} (guest/guest)",
            "S3": f"{s.s3_endpoint} (key {s.s3_access_key})",
            "Postgres": f"postgresql://{s.pg_user}@{s.pg_host}:{s.pg_port}/{s.pg_db}",
            **({"Envoy admin": f"http://127.0.0.1:{s.envoy_admin_port}/"} if apps else {}),
            "Logs": str(self.run_dir / "logs"),
        }

    def metrics_urls(self) -> dict[str, str]:
        """Each app's Prometheus endpoint (beside it: /healthz and /readyz)."""
        s = self.settings
        return {app: f"http://{s.metrics_host}:{s.metrics_port(app)}/metrics" for app in self.apps}

    # -- up / down -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def exclusive(self, timeout: float = 1800.0) -> Iterator[None]:
        """Own this profile's ports machine-wide (a test session in another checkout waits)."""
        with profile_lock(self.profile.name, timeout):
            yield

    def is_up(self) -> bool:
        return self.supervisor.alive()

    def up(self, apps: bool = True, timeout: float = 240.0) -> None:
        """Start (or reuse) supervisord and the programs; return once they all answer."""
        if self.network is not None:
            self.network.create()  # before the servers bind its address
        if self.is_up():
            launch.warn_if_changed(self)
        else:
            launch.start_fresh(self, apps)
        self._start_and_wait(list(DEPS), timeout)
        if self.network is not None:  # in front of the filer, so once S3 answers
            self._start_and_wait(["s3-hosts"], timeout)
        self.postgres.bootstrap()
        self.s3.ensure_bucket()
        if apps:
            envoy = ["envoy"] if (self.run_dir / "envoy" / "envoy.yaml").exists() else []
            self._start_and_wait([*self.apps, *envoy], timeout)

    def dev_tenant(self) -> dict[str, str]:
        """The development tenant, created on the first start (its key kept in the run dir)."""
        path = self.run_dir / "dev-tenant.json"
        if not path.exists():
            result = subprocess.run(
                [sys.executable, "-m", "scenelens.admin", "create-tenant", "dev", "--tier", "pro"],
                env={**os.environ, **self.env}, capture_output=True, text=True, timeout=120,
            )
            if result.returncode != 0:
                raise StackError(f"creating the dev tenant failed: {result.stderr.strip()}")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(result.stdout)
        tenant: dict[str, str] = json.loads(path.read_text())
        return tenant

    def down(self, timeout: float = 120.0) -> None:
        """Stop every program and supervisord; make sure none of their processes remain."""
        if self.network is not None:
            self.hosts.stop_all()
        if self.is_up():
            # Apps first (they hold connections), then Envoy, then the infrastructure; each tier
            # in parallel, where supervisord's own shutdown would stop one program at a time.
            configured = {i["name"] for i in self.supervisor.all_info()}
            for tier in (self.apps, ("envoy",), self.deps):
                self.supervisor.stop_many([p for p in tier if p in configured], timeout)
        self.supervisor.shutdown(timeout)
        procs.reap(self.run_dir)
        for sock in self.s3.stale_sockets():
            sock.unlink(missing_ok=True)
        procs.stop_idle_epmd()
        if self.network is not None:
            self.network.remove()

    # -- programs --------------------------------------------------------------------------------

    def _probe(self, program: str) -> Callable[[], bool] | None:
        return {
            "postgres": self.postgres.ready,
            "rabbitmq": self.rabbitmq.ready,
            "s3": self.s3.ready,
            "envoy": lambda: app_mod.envoy_ready(self.settings),
            "s3-hosts": lambda: self.network is not None and procs.port_in_use(
                self.s3.port, self.network.gateway),
            "gateway": lambda: app_mod.gateway_serving(self.settings),
        }.get(program)

    def _start_and_wait(self, programs: list[str], timeout: float) -> None:
        for name in programs:
            self.supervisor.start(name)
        deadline = time.monotonic() + timeout
        for name in programs:
            started = time.monotonic()
            self.wait_running(name, max(1.0, deadline - time.monotonic()))
            log.info("%-20s ready (%.1fs)", name, time.monotonic() - started)

    def status(self) -> dict[str, str]:
        """Program -> supervisord's state and description; empty when the stack is down."""
        if not self.is_up():
            return {}
        return {i["name"]: f"{i['statename']:<9} {i['description']}"
                for i in self.supervisor.all_info()}

    def pid(self, program: str) -> int:
        info = self.supervisor.info(program)
        if not info["pid"]:
            raise StackError(f"{program} is not running ({info['statename']})")
        return int(info["pid"])

    def kill(self, program: str, sig: int = signal.SIGKILL, wait: bool = True) -> int:
        """Signal the program's process group, as a crash would end it all; supervisord restarts it.

        The group, not just the main pid: RabbitMQ's main process is a shell that forwards signals
        to the Erlang VM, and Postgres' orphaned backends would block the restarted postmaster.
        Waits until the main process has exited.
        """
        pid = self.pid(program)
        os.killpg(pid, sig)  # supervisord makes each program a process group leader
        if wait and sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
            if not wait_gone([pid], 60.0):
                raise StackError(f"{program} (pid {pid}) did not exit after signal {sig}")
        return pid

    def start(self, program: str, timeout: float = 120.0) -> int:
        self.supervisor.start(program)
        return self.wait_running(program, timeout)

    def stop(self, program: str) -> None:
        self.supervisor.stop(program)

    def restart(self, program: str, timeout: float = 120.0) -> int:
        self.stop(program)
        return self.start(program, timeout)

    def wait_running(self, program: str, timeout: float = 120.0) -> int:
        """Wait until supervisord has it RUNNING and it answers its probe; return its pid."""
        probe = self._probe(program)

        def ready() -> bool:
            info = self.supervisor.info(program)
            if info["statename"] == "FATAL":
                raise StackError(f"{program} failed to start:\n{self.log_tail(program)}")
            running = info["statename"] == "RUNNING" and pid_alive(int(info["pid"]))
            return running and (probe is None or probe())

        self.wait(program, ready, timeout)
        return self.pid(program)

    def wait(self, what: str, ready: Callable[[], bool], timeout: float) -> None:
        """Poll `ready` until true; on timeout raise with the tail of `what`'s log."""
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                tail = self.log_tail(what)
                raise StackError(f"{what} not ready after {timeout:.0f}s\n{tail}")
            time.sleep(0.25)

    def log_path(self, program: str) -> pathlib.Path:
        return self.run_dir / "logs" / f"{program}.log"

    def log_tail(self, program: str, lines: int = 40) -> str:
        try:
            text = self.log_path(program).read_text(errors="replace")
        except OSError:
            return f"(no log at {self.log_path(program)})"
        return "\n".join(text.splitlines()[-lines:])

    def rabbitmqctl(self, *args: str) -> str:
        """Run rabbitmqctl against this stack's node; returns its stdout."""
        done = subprocess.run([str(self.run_dir / "bin" / "rabbitmqctl"), *args],
                              capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise StackError(f"rabbitmqctl {' '.join(args)}: {done.stderr or done.stdout}")
        return done.stdout

"""Worker hosts on one machine: Linux network namespaces on a bridge, each pinned to its CPUs.

A host is what a second machine would be: its own network stack and address (a veth pair into
the stack's bridge), its own CPUs (taskset, and optionally a CFS quota in a cgroup of its own),
and the services it runs, which reach the shared Postgres, RabbitMQ and S3 at the bridge's
address by settings alone (SCENELENS_PG_HOST, SCENELENS_AMQP_URL, SCENELENS_S3_ENDPOINT).
Killing a host (`kill`) sends SIGKILL to every process in its namespace at once, like pulling
its plug: the broker sees its connections drop and hands its unacknowledged work to others.

    python -m devstack hosts up 2 --cpus 0 1 [--services recognition_service video_service]
    python -m devstack hosts status | kill 1 | down

Needs root (ip netns, veth, cgroups) and a stack started with its hosts network (the default
when devstack runs as root: `Stack.network`).
"""
from __future__ import annotations

import dataclasses
import ipaddress
import json
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Mapping, Sequence

from devstack.errors import StackError

CGROUP_CPU = pathlib.Path("/sys/fs/cgroup/cpu")  # cgroup v1 cpu controller, where mounted
DEFAULT_SERVICES = ("recognition_service", "video_service")
# Each profile's subnet: two stacks (up and test) may run at once.
SUBNETS = {"up": "10.213.1.0/24", "test": "10.213.2.0/24"}


def supported() -> str:
    """Why worker hosts cannot be made here ("" when they can)."""
    if os.geteuid() != 0:
        return "worker hosts need root (ip netns, veth, cgroups)"
    if shutil.which("ip") is None or shutil.which("taskset") is None:
        return "worker hosts need `ip` (iproute2) and `taskset` (util-linux)"
    return ""


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["ip", *args], capture_output=True, text=True)
    if check and done.returncode:
        raise StackError(f"ip {' '.join(args)}: {done.stderr.strip()}")
    return done


@dataclasses.dataclass(frozen=True)
class Network:
    """A profile's bridge and the addresses of its hosts."""

    profile: str
    subnet: ipaddress.IPv4Network

    @classmethod
    def of(cls, profile: str, cidr: str | None = None) -> Network:
        return cls(profile, ipaddress.IPv4Network(cidr or SUBNETS[profile]))

    @property
    def bridge(self) -> str:
        return f"slbr-{self.profile}"[:15]

    @property
    def gateway(self) -> str:
        """The bridge's own address, where the shared servers listen for hosts."""
        return str(self.subnet[1])

    def address(self, host: int) -> str:
        return str(self.subnet[10 + host])

    def netns(self, host: int) -> str:
        return f"sl-{self.profile}-h{host}"

    def veth(self, host: int) -> str:
        return f"sl{self.profile[:2]}h{host}"[:15]

    def exists(self) -> bool:
        return _ip("link", "show", self.bridge, check=False).returncode == 0

    def create(self) -> None:
        """The bridge with its address (idempotent)."""
        if not self.exists():
            _ip("link", "add", "name", self.bridge, "type", "bridge")
        addr = f"{self.gateway}/{self.subnet.prefixlen}"
        if addr not in _ip("-o", "addr", "show", "dev", self.bridge).stdout:
            _ip("addr", "add", addr, "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")

    def remove(self) -> None:
        for host in self.hosts():
            remove_host(self, host)
        if self.exists():
            _ip("link", "del", self.bridge, check=False)

    def hosts(self) -> list[int]:
        prefix = f"sl-{self.profile}-h"
        names = [line.split()[0] for line in _ip("netns", "list").stdout.splitlines() if line]
        return sorted(int(n[len(prefix):]) for n in names
                      if n.startswith(prefix) and n[len(prefix):].isdigit())


def add_host(net: Network, host: int) -> None:
    ns, veth = net.netns(host), net.veth(host)
    remove_host(net, host)
    _ip("netns", "add", ns)
    _ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns)
    _ip("link", "set", veth, "master", net.bridge, "up")
    _ip("-n", ns, "addr", "add", f"{net.address(host)}/{net.subnet.prefixlen}", "dev", "eth0")
    _ip("-n", ns, "link", "set", "eth0", "up")
    _ip("-n", ns, "link", "set", "lo", "up")
    _ip("-n", ns, "route", "add", "default", "via", net.gateway)


def pids(net: Network, host: int) -> list[int]:
    out = _ip("netns", "pids", net.netns(host), check=False).stdout
    return [int(p) for p in out.split() if p.isdigit()]


def kill_host(net: Network, host: int, sig: int = signal.SIGKILL) -> list[int]:
    """Signal every process of the host at once; the pids signalled."""
    found = pids(net, host)
    for pid in found:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass
    return found


def remove_host(net: Network, host: int) -> None:
    if net.netns(host) not in _ip("netns", "list").stdout.split():
        return
    kill_host(net, host, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while pids(net, host) and time.monotonic() < deadline:
        time.sleep(0.2)
    kill_host(net, host)
    deadline = time.monotonic() + 5
    while pids(net, host) and time.monotonic() < deadline:
        time.sleep(0.1)
    _ip("netns", "del", net.netns(host), check=False)
    cgroup = CGROUP_CPU / net.netns(host)
    if cgroup.exists():
        try:
            cgroup.rmdir()
        except OSError:
            pass


def host_env(net: Network, stack_env: Mapping[str, str]) -> dict[str, str]:
    """The stack's settings, pointed at the shared servers through the bridge."""
    env = dict(stack_env)
    gw = net.gateway
    env["SCENELENS_PG_HOST"] = gw
    amqp = urllib.parse.urlsplit(env.get("SCENELENS_AMQP_URL", "amqp://guest:guest@127.0.0.1/"))
    netloc = amqp.netloc.rsplit("@", 1)
    hostport = f"{gw}:{amqp.port or 5672}"
    env["SCENELENS_AMQP_URL"] = urllib.parse.urlunsplit(
        amqp._replace(netloc=f"{netloc[0]}@{hostport}" if len(netloc) == 2 else hostport))
    s3 = urllib.parse.urlsplit(env.get("SCENELENS_S3_ENDPOINT", "http://127.0.0.1:8333"))
    env["SCENELENS_S3_ENDPOINT"] = urllib.parse.urlunsplit(
        s3._replace(netloc=f"{gw}:{s3.port or 8333}"))
    env["SCENELENS_RABBITMQ_MANAGEMENT_URL"] = ""
    env["SCENELENS_METRICS_HOST"] = "0.0.0.0"  # noqa: S104 - inside the host's own namespace
    return env


@dataclasses.dataclass
class Hosts:
    """The worker hosts of one stack (its run dir keeps their logs and what they run)."""

    net: Network
    run_dir: pathlib.Path
    stack_env: Mapping[str, str]
    repo: pathlib.Path

    @property
    def folder(self) -> pathlib.Path:
        return self.run_dir / "hosts"

    def start(self, host: int, cpus: Sequence[int], services: Sequence[str] = DEFAULT_SERVICES,
              cpu_quota: float | None = None, env: Mapping[str, str] | None = None) -> None:
        """Make host `host` and start `services` in it on `cpus` (quota: CPUs' worth, e.g. 0.5)."""
        why = supported()
        if why:
            raise StackError(why)
        if not self.net.exists():
            raise StackError(f"the stack's hosts network ({self.net.bridge}) is not up; start "
                             "the stack as root")
        add_host(self.net, host)
        self.folder.mkdir(parents=True, exist_ok=True)
        cgroup = self._cgroup(host, cpu_quota)
        base = {**os.environ, **host_env(self.net, self.stack_env), **(env or {}),
                "PYTHONUNBUFFERED": "1"}
        started = []
        for service in services:
            log = (self.folder / f"h{host}-{service}.log").open("ab")
            proc = subprocess.Popen(
                ["ip", "netns", "exec", self.net.netns(host), "taskset", "-c",
                 ",".join(str(c) for c in cpus), sys.executable, "-m", service],
                env=base, cwd=self.repo, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
            if cgroup is not None:
                (cgroup / "cgroup.procs").write_text(str(proc.pid))
            started.append({"service": service, "pid": proc.pid})
        (self.folder / f"h{host}.json").write_text(json.dumps({
            "host": host, "address": self.net.address(host), "cpus": list(cpus),
            "cpu_quota": cpu_quota, "services": started}, indent=2))

    def _cgroup(self, host: int, quota: float | None) -> pathlib.Path | None:
        if quota is None:
            return None
        if not (CGROUP_CPU / "cpu.cfs_quota_us").exists():
            raise StackError("a CPU quota needs the cgroup v1 cpu controller at "
                             f"{CGROUP_CPU}; run without a quota")
        group = CGROUP_CPU / self.net.netns(host)
        group.mkdir(exist_ok=True)
        period = int((group / "cpu.cfs_period_us").read_text())
        (group / "cpu.cfs_quota_us").write_text(str(int(period * quota)))
        return group

    def metrics_url(self, host: int, port: int, path: str = "/readyz") -> str:
        return f"http://{self.net.address(host)}:{port}{path}"

    def wait_ready(self, host: int, ports: Sequence[int], timeout: float = 180.0) -> None:
        """Every service's /readyz answers 200 (model loaded, queues consumed)."""
        import httpx

        deadline = time.monotonic() + timeout
        for port in ports:
            url = self.metrics_url(host, port)
            while True:
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise StackError(f"host {host}: {url} not ready after {timeout:.0f} s; see "
                                     f"{self.folder}")
                time.sleep(0.5)

    def kill(self, host: int) -> list[int]:
        return kill_host(self.net, host)

    def stop(self, host: int) -> None:
        remove_host(self.net, host)
        (self.folder / f"h{host}.json").unlink(missing_ok=True)

    def stop_all(self) -> None:
        for host in self.net.hosts():
            self.stop(host)

    def status(self) -> dict[int, dict[str, object]]:
        out: dict[int, dict[str, object]] = {}
        for host in self.net.hosts():
            info_file = self.folder / f"h{host}.json"
            info = json.loads(info_file.read_text()) if info_file.exists() else {}
            info["running"] = len(pids(self.net, host))
            out[host] = info
        return out

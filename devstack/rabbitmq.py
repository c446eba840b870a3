"""RabbitMQ for a stack: own node name, dirs, ports, management plugin; no Debian wrapper."""
from __future__ import annotations

import base64
import json
import os
import pathlib
import shlex
import urllib.error
import urllib.parse
import urllib.request

from devstack.files import write_script
from devstack.procs import port_in_use
from devstack.profiles import DevSettings
from scenelens.settings import Settings

# The server script itself; /usr/sbin/rabbitmq-server is a wrapper that switches to user rabbitmq.
SERVER = pathlib.Path("/usr/lib/rabbitmq/bin/rabbitmq-server")
CTL = pathlib.Path("/usr/lib/rabbitmq/bin/rabbitmqctl")


def install_hint() -> str:
    sudo = "" if os.geteuid() == 0 else "sudo "
    return (
        f"RabbitMQ is not installed ({SERVER} is missing). Install it with:\n"
        f"    {sudo}apt-get install -y rabbitmq-server\n"
        f"and stop the system service it may start, which would hold port 5672:\n"
        f"    {sudo}systemctl disable --now rabbitmq-server"
    )


class RabbitMQ:
    """One node's files under `root` and the environment its scripts need."""

    def __init__(self, root: pathlib.Path, settings: Settings, dev: DevSettings) -> None:
        self.root = root
        self.settings = settings
        self.dev = dev
        url = urllib.parse.urlsplit(settings.amqp_url)
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or 5672
        self.user = urllib.parse.unquote(url.username or "guest")
        self.extra_listen = ""  # worker hosts reach the node here too (allow_network)
        self.password = urllib.parse.unquote(url.password or "guest")

    def env(self) -> dict[str, str]:
        """Variables for the server and rabbitmqctl (one HOME, hence one Erlang cookie)."""
        r = self.root
        return {
            "HOME": str(r / "home"),  # Erlang keeps its cookie in $HOME/.erlang.cookie
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "RABBITMQ_NODENAME": self.dev.rabbitmq_nodename,
            # These would replace every listener of the config file with this one.
            **({} if self.extra_listen else {"RABBITMQ_NODE_IP_ADDRESS": self.host,
                                             "RABBITMQ_NODE_PORT": str(self.port)}),
            "RABBITMQ_DIST_PORT": str(self.dev.rabbitmq_dist_port),
            "RABBITMQ_MNESIA_BASE": str(r / "mnesia"),
            "RABBITMQ_LOG_BASE": str(r / "log"),
            "RABBITMQ_LOGS": "-",  # to stdout, i.e. the supervisord log
            "RABBITMQ_CONFIG_FILE": str(r / "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": str(r / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(r / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(r / "rabbitmq.pid"),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "ERL_EPMD_ADDRESS": "127.0.0.1",  # if this node starts epmd, keep it on loopback
        }

    def render(self, bin_dir: pathlib.Path) -> pathlib.Path:
        """Write the config files and the rabbitmq.sh and rabbitmqctl scripts; return the first."""
        if not SERVER.exists():
            raise RuntimeError(install_hint())
        for sub in ("home", "mnesia", "log"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        hosts = (f"listeners.tcp.hosts = {self.extra_listen}:{self.port}\n"
                 # guest/guest from loopback and from the private bridge of the worker hosts
                 "loopback_users.guest = false\n") if self.extra_listen else (
                 "loopback_users.guest = true\n")  # guest/guest, from loopback only
        (self.root / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = {self.host}:{self.port}\n"
            f"management.tcp.ip = 127.0.0.1\n"
            f"management.tcp.port = {self.dev.rabbitmq_management_port}\n"
            + hosts
        )
        # Empty: keeps /etc/rabbitmq/rabbitmq-env.conf out of our node.
        (self.root / "rabbitmq-env.conf").write_text("")
        (self.root / "enabled_plugins").write_text("[rabbitmq_management].\n")
        exports = "".join(f"export {k}={shlex.quote(v)}\n" for k, v in self.env().items())
        server = bin_dir / "rabbitmq.sh"
        write_script(server, f"{exports}exec {shlex.quote(str(SERVER))}\n")
        write_script(bin_dir / "rabbitmqctl", f'{exports}exec {shlex.quote(str(CTL))} "$@"\n')
        return server

    def pid(self) -> int | None:
        try:
            return int((self.root / "rabbitmq.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def management_url(self) -> str:
        return f"http://127.0.0.1:{self.dev.rabbitmq_management_port}/"

    def api(self, path: str) -> object:
        """GET the management API as the AMQP user (guest/guest by default)."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        req = urllib.request.Request(self.management_url() + "api/" + path,
                                     headers={"Authorization": f"Basic {token}"})
        with urllib.request.urlopen(req, timeout=3) as resp:
            return json.load(resp)

    def ready(self) -> bool:
        """AMQP listener up and the management API answering for our user."""
        if not port_in_use(self.port, self.host):
            return False
        try:
            self.api("overview")
            return True
        except (OSError, urllib.error.URLError, ValueError):
            return False


"""Postgres for a stack: initdb as the `postgres` OS user, the server command, role/db bootstrap."""
from __future__ import annotations

import os
import pathlib
import pwd
import shlex
import shutil
import subprocess

import psycopg
from psycopg import sql

from scenelens.settings import Settings

SUPERUSER = "postgres"


def bindir() -> pathlib.Path:
    """Where initdb and postgres live: `pg_config --bindir`, else the newest /usr/lib/postgresql."""
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        path = pathlib.Path(out.stdout.strip())
        if out.returncode == 0 and (path / "postgres").exists():
            return path
    found = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/postgres"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if not found:
        raise RuntimeError("Postgres not found: apt-get install -y postgresql")
    return found[-1].parent


def os_user() -> str | None:
    """The OS user to run Postgres as: `postgres` when we are root (it refuses root), else us."""
    return SUPERUSER if os.geteuid() == 0 else None


class Postgres:
    """The data and socket directories of one stack's Postgres under `root`."""

    def __init__(self, root: pathlib.Path, settings: Settings, *, fast: bool) -> None:
        self.root = root
        self.data = root / "data"
        self.sock = root / "sock"
        self.settings = settings
        self.fast = fast
        self.extra_listen = ""
        self.extra_subnet = ""

    def _chown(self, *paths: pathlib.Path) -> None:
        user = os_user()
        if user is None:
            return
        entry = pwd.getpwnam(user)
        for path in paths:
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def init(self, log: pathlib.Path) -> None:
        """initdb on first start; make the socket dir. Runs as the server's OS user."""
        if len(str(self.sock)) > 90:  # unix socket paths are capped at 107 bytes
            raise RuntimeError(f"{self.sock}: path too long for Postgres' unix socket")
        self.root.mkdir(parents=True, exist_ok=True)
        self.sock.mkdir(mode=0o700, exist_ok=True)
        self._chown(self.root, self.sock)
        user = os_user()
        if user and subprocess.run(["test", "-w", str(self.root)], user=user).returncode:
            raise RuntimeError(f"the {user} OS user cannot reach {self.root}: every folder above "
                               "it must be searchable by others (chmod o+x), or move the checkout")
        if (self.data / "PG_VERSION").exists():
            return
        cmd = [str(bindir() / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-E", "UTF8",
               "--no-locale", "--auth-local=trust", "--auth-host=scram-sha-256"]
        with log.open("ab") as out:
            done = subprocess.run(cmd, user=os_user(), stdout=out, stderr=subprocess.STDOUT,
                                  cwd=self.root)
        if done.returncode:
            raise RuntimeError(f"initdb failed ({done.returncode}); see {log}")

    def allow_network(self, address: str, subnet: str) -> None:
        """Also listen on `address` and let the app role in from `subnet` (worker hosts)."""
        self.extra_listen, self.extra_subnet = address, subnet

    def _hba(self) -> None:
        """pg_hba.conf lets the worker hosts' subnet in (password, as over loopback)."""
        hba = self.data / "pg_hba.conf"
        if not self.extra_subnet or not hba.exists():
            return
        line = f"host all all {self.extra_subnet} scram-sha-256"
        text = hba.read_text()
        if line not in text.splitlines():
            hba.write_text(text.rstrip("\n") + "\n# worker hosts (devstack)\n" + line + "\n")

    def command(self) -> str:
        """The server's command line: settings on the command line so a re-render applies them."""
        self._hba()
        listen = ",".join(a for a in (self.settings.pg_host, self.extra_listen) if a)
        options = {
            "listen_addresses": listen,
            "port": str(self.settings.pg_port),
            "max_connections": "200",
            "unix_socket_directories": str(self.sock),
        }
        if self.fast:
            options |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
        args = [str(bindir() / "postgres"), "-D", str(self.data)]
        for key, value in options.items():
            args += ["-c", f"{key}={value}"]
        return shlex.join(args)

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        # Local (socket) connections are trusted; the socket dir is readable by its owner only.
        return psycopg.connect(host=str(self.sock), port=self.settings.pg_port, user=SUPERUSER,
                               dbname="postgres", autocommit=True, connect_timeout=3)

    def bootstrap(self) -> None:
        """Create (or re-password) the app role and create its database, both idempotently."""
        s = self.settings
        with self._admin() as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                  (s.pg_user,)).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(s.pg_user), sql.Literal(s.pg_password)))
            db = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (s.pg_db,)).fetchone()
            if not db:
                conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(s.pg_db), sql.Identifier(s.pg_user)))

    def ready(self) -> bool:
        """The server takes local admin connections (the app role may not exist yet)."""
        try:
            with self._admin() as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    def app_ready(self) -> bool:
        """The app role logs in over TCP, as the services will."""
        try:
            with psycopg.connect(self.settings.pg_conninfo, connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

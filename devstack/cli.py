"""The command line: up, down, status, logs, env, hosts."""
from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys

from devstack.hosts import DEFAULT_SERVICES
from devstack.profiles import PROFILES
from devstack.stack import Stack


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in [("up", "start the stack and wait until it answers"),
                       ("down", "stop everything"), ("status", "show the programs"),
                       ("logs", "print a program's log"),
                       ("env", "print the SCENELENS_* exports for a profile"),
                       ("hosts", "worker hosts: network namespaces on the stack's bridge")]:
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--profile", choices=sorted(PROFILES), default="up")
        if name == "up":
            cmd.add_argument("--no-apps", action="store_true",
                             help="only Postgres, RabbitMQ and S3 (run the services yourself)")
            cmd.add_argument("--timeout", type=float, default=240.0)
        if name == "logs":
            cmd.add_argument("program")
            cmd.add_argument("-n", "--lines", type=int, default=100)
            cmd.add_argument("-f", "--follow", action="store_true")
        if name == "hosts":
            cmd.add_argument("action", choices=["up", "kill", "down", "status"])
            cmd.add_argument("host", type=int, nargs="?",
                             help="up: how many hosts (1..N); kill/down: which one")
            cmd.add_argument("--cpus", type=int, nargs="+", default=None,
                             help="up: one CPU per host, in order (default 0, 1, ...)")
            cmd.add_argument("--quota", type=float, default=None,
                             help="up: CPU time per host, in CPUs (cgroup CFS quota), e.g. 0.5")
            cmd.add_argument("--services", nargs="+", default=list(DEFAULT_SERVICES))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="devstack: %(message)s")
    stack = Stack(profile=args.profile)
    try:
        if args.command == "up":
            stack.up(apps=not args.no_apps, timeout=args.timeout)
            hint = (f" without the apps (their settings: python -m devstack env --profile "
                    f"{args.profile})" if args.no_apps else "")
            print(f"\nscenelens stack {args.profile!r} is up{hint}:")
            for name, url in stack.urls(apps=not args.no_apps).items():
                print(f"  {name:<20} {url}")
            if not args.no_apps:
                for name, url in stack.metrics_urls().items():
                    print(f"metrics {name} {url}")
            if args.profile == "up" and not args.no_apps:
                dev = stack.dev_tenant()
                print(f"\ndev tenant {dev['tenant_id']} (tier {dev['tier']}); its API key:")
                print(f"  export SCENELENS_API_KEY={dev['api_key']}")
                print('  curl -H "Authorization: Bearer $SCENELENS_API_KEY" '
                      f"{stack.urls()['REST (Envoy)']}analysis")
        elif args.command == "down":
            stack.down()
            print(f"scenelens stack {args.profile!r} is down")
        elif args.command == "status":
            status = stack.status()
            if not status:
                print(f"scenelens stack {args.profile!r} is not running")
                return 3
            for name, state in status.items():
                print(f"  {name:<20} {state}")
        elif args.command == "logs":
            path = stack.log_path(args.program)
            if args.follow:
                os.execvp("tail", ["tail", "-n", str(args.lines), "-F", str(path)])
            print(stack.log_tail(args.program, args.lines))
        elif args.command == "hosts":
            return _hosts(stack, args)
        elif args.command == "env":
            for key, value in sorted(stack.env.items()):
                print(f"export {key}={shlex.quote(value)}")
    except RuntimeError as exc:  # StackError, or missing software (says what to install)
        print(f"devstack: {exc}", file=sys.stderr)
        return 1
    return 0


def _hosts(stack: Stack, args: argparse.Namespace) -> int:
    hosts = stack.hosts
    if args.action == "up":
        count = args.host or 1
        cpus = args.cpus or list(range(count))
        for i in range(1, count + 1):
            hosts.start(i, [cpus[(i - 1) % len(cpus)]], args.services, args.quota)
            print(f"host {i}: {hosts.net.address(i)} ({hosts.net.netns(i)}), CPU "
                  f"{cpus[(i - 1) % len(cpus)]}, {' '.join(args.services)}")
    elif args.action == "kill":
        print(f"host {args.host}: SIGKILL to {len(hosts.kill(args.host))} processes")
    elif args.action == "down":
        if args.host:
            hosts.stop(args.host)
        else:
            hosts.stop_all()
    else:
        for host, info in hosts.status().items():
            print(f"host {host}: {info}")
    return 0

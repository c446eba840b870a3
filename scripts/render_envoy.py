"""Render envoy/envoy.yaml.in into an Envoy config from SCENELENS_* environment variables."""
from __future__ import annotations

import argparse
import ipaddress
import os
import pathlib
import re
import string
import sys
from collections.abc import Mapping

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "envoy" / "envoy.yaml.in"

# Template name -> (environment variable, default). None: computed from other values.
VARIABLES: dict[str, tuple[str, str | None]] = {
    "HTTP_HOST": ("SCENELENS_HTTP_HOST", "127.0.0.1"),
    "HTTP_PORT": ("SCENELENS_HTTP_PORT", "8000"),
    "GRPC_UPSTREAM_HOST": ("SCENELENS_GRPC_UPSTREAM_HOST", "127.0.0.1"),
    "GRPC_PORT": ("SCENELENS_GRPC_PORT", "50051"),
    "DOCS_UPSTREAM_HOST": ("SCENELENS_DOCS_UPSTREAM_HOST", None),
    "DOCS_PORT": ("SCENELENS_DOCS_PORT", "8081"),
    "ENVOY_ADMIN_PORT": ("SCENELENS_ENVOY_ADMIN_PORT", "9901"),
    "DESCRIPTOR": ("SCENELENS_DESCRIPTOR", str(ROOT / "build" / "scenelens.pb")),
    "MAX_UNARY_UPLOAD_BYTES": ("SCENELENS_MAX_UNARY_UPLOAD_BYTES", str(64 * 1024 * 1024)),
    "UPLOAD_IDLE_TIMEOUT_S": ("SCENELENS_UPLOAD_IDLE_TIMEOUT_S", "60"),
}
_PORTS = ("HTTP_PORT", "GRPC_PORT", "DOCS_PORT", "ENVOY_ADMIN_PORT")
_ANY_PORT_OK = ("HTTP_PORT", "ENVOY_ADMIN_PORT")  # 0: the kernel picks one (tests)
_HOSTNAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")


def values_from(env: Mapping[str, str]) -> dict[str, str]:
    """The template's values: environment first, then defaults; checked so YAML stays valid."""
    values = {name: env.get(var) or (default or "") for name, (var, default) in VARIABLES.items()}
    values["DOCS_UPSTREAM_HOST"] = values["DOCS_UPSTREAM_HOST"] or values["GRPC_UPSTREAM_HOST"]
    for name in _PORTS:
        lowest = 0 if name in _ANY_PORT_OK else 1
        if not values[name].isdigit() or not lowest <= int(values[name]) < 65536:
            raise ValueError(f"{VARIABLES[name][0]}={values[name]!r} is not a port")
    size = values["MAX_UNARY_UPLOAD_BYTES"]
    # Envoy's max_request_body_size is a uint32.
    if not size.isdigit() or not 0 < int(size) < 2**32:
        raise ValueError(f"SCENELENS_MAX_UNARY_UPLOAD_BYTES={size!r} must be in 1..4294967295")
    idle = values["UPLOAD_IDLE_TIMEOUT_S"]
    try:
        idle_s = float(idle)
    except ValueError:
        idle_s = 0.0
    if not 0 < idle_s <= 86400:
        raise ValueError(f"SCENELENS_UPLOAD_IDLE_TIMEOUT_S={idle!r} must be in (0, 86400] seconds")
    # Envoy's idle timeout also runs while the gateway answers (a create may wait for the read
    # models), so it gets twice the gateway's: a stalled streamed upload is ended by the gateway,
    # Envoy ends what the gateway never sees (a stalled body that Envoy buffers).
    values["UPLOAD_IDLE_TIMEOUT_S"] = f"{2 * idle_s:g}"
    values["UPLOAD_IDLE_TIMEOUT"] = f"{2 * idle_s:.3f}s"
    try:
        ipaddress.ip_address(values["HTTP_HOST"])  # Envoy listens on an IP, not a name
    except ValueError:
        raise ValueError(f"SCENELENS_HTTP_HOST={values['HTTP_HOST']!r} is not an IP address") from None
    for name in ("GRPC_UPSTREAM_HOST", "DOCS_UPSTREAM_HOST"):
        if not _HOSTNAME.match(values[name]):
            raise ValueError(f"{VARIABLES[name][0]}={values[name]!r} is not a host name or IPv4")
    # Envoy resolves a relative descriptor path against its own working directory.
    values["DESCRIPTOR"] = _yaml_str(str(pathlib.Path(values["DESCRIPTOR"]).resolve()))
    return values


def _yaml_str(text: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(env: Mapping[str, str] | None = None, template: pathlib.Path = TEMPLATE) -> str:
    """The Envoy config for these variables (os.environ when None)."""
    values = values_from(os.environ if env is None else env)
    return string.Template(template.read_text()).substitute(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="-", help="file to write ('-': stdout)")
    parser.add_argument("--template", type=pathlib.Path, default=TEMPLATE)
    args = parser.parse_args(argv)
    try:
        text = render(template=args.template)
    except ValueError as exc:
        print(f"render_envoy: {exc}", file=sys.stderr)
        return 2
    if args.out == "-":
        sys.stdout.write(text)
    else:
        out = pathlib.Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

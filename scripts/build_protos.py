"""Generate Python code and Envoy's descriptor set from protos/ (the project's build step)."""
from __future__ import annotations

import pathlib
import sys

import grpc_tools
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROTOS = ROOT / "protos"
OUT_PY = ROOT  # generated modules land in scenelens/v1/ (git-ignored)
OUT_DESC = ROOT / "build" / "scenelens.pb"


def _googleapis_dir() -> pathlib.Path:
    import google.api.annotations_pb2 as ann  # from googleapis-common-protos

    # site-packages/google/api/annotations_pb2.py -> site-packages
    return pathlib.Path(ann.__file__).resolve().parent.parent.parent


def main() -> int:
    sources = sorted(str(p.relative_to(PROTOS)) for p in PROTOS.rglob("*.proto"))
    include = [
        f"-I{PROTOS}",
        f"-I{_googleapis_dir()}",
        f"-I{pathlib.Path(grpc_tools.__file__).parent / '_proto'}",
    ]
    gen = ROOT / "scenelens" / "v1"
    gen.mkdir(parents=True, exist_ok=True)
    (gen / "__init__.py").write_text('"""Generated from protos/ by scripts/build_protos.py."""\n')
    rc = protoc.main(
        ["protoc", *include, f"--python_out={OUT_PY}", f"--pyi_out={OUT_PY}",
         f"--grpc_python_out={OUT_PY}", *sources]
    )
    if rc:
        return rc
    OUT_DESC.parent.mkdir(parents=True, exist_ok=True)
    return protoc.main(
        ["protoc", *include, "--include_imports", "--include_source_info",
         f"--descriptor_set_out={OUT_DESC}", *sources,
         "google/rpc/status.proto", "google/rpc/error_details.proto"]
    )


if __name__ == "__main__":
    sys.exit(main())

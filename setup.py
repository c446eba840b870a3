"""Packaging hook: generate scenelens/v1 from protos/ before setuptools looks for packages.

`pip install .` from a clean checkout then ships the SDK, the CLI and the generated code.
"""
from __future__ import annotations

import importlib.util
import pathlib

from setuptools import setup

HERE = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("build_protos", HERE / "scripts" / "build_protos.py")
assert spec is not None and spec.loader is not None
build_protos = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_protos)
if build_protos.main() != 0:
    raise SystemExit("generating the protobuf code failed")

setup()

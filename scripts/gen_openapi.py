"""Write the OpenAPI document of the REST API, generated from the descriptor set (build/scenelens.pb)."""
from __future__ import annotations

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from scenelens.openapi import openapi_json  # noqa: E402 - after the sys.path line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--descriptor", default=str(ROOT / "build" / "scenelens.pb"))
    parser.add_argument("--out", default="-", help="file to write ('-': stdout)")
    args = parser.parse_args(argv)
    data = openapi_json(args.descriptor)
    if args.out == "-":
        sys.stdout.buffer.write(data + b"\n")
    else:
        out = pathlib.Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

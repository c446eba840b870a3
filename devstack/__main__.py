"""Entry point: `python -m devstack up|down|status|logs|env`."""
from __future__ import annotations

import sys

from devstack.cli import main

sys.exit(main())

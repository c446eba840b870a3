"""The machine a bench runs on: how busy its CPUs are, and waiting for them to be quiet."""
from __future__ import annotations

import pathlib
import time


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, /proc/stat."""
    values = [int(x) for x in pathlib.Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return float(sum(values) - idle), float(sum(values))


def busy_share(window_s: float) -> float:
    """The share of all CPUs busy over the next window_s seconds."""
    first = machine_busy()
    time.sleep(window_s)
    last = machine_busy()
    return (last[0] - first[0]) / max(1.0, last[1] - first[1])


def wait_quiet(max_busy: float = 0.15, window_s: float = 2.0,
               timeout_s: float = 180.0) -> tuple[float, float]:
    """Wait until the CPUs are at most max_busy busy over a window (a stack just started is
    still loading and compiling its models, which would slow a baseline measured beside it).
    Returns (seconds waited, the last window's busy share); gives up after timeout_s."""
    started = time.monotonic()
    while True:
        busy = busy_share(window_s)
        if busy <= max_busy or time.monotonic() - started >= timeout_s:
            return time.monotonic() - started, busy

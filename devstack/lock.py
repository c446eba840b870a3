"""A machine-wide lock per profile: its ports are fixed, so one session at a time may own them."""
from __future__ import annotations

import contextlib
import fcntl
import logging
import pathlib
import tempfile
import time
from collections.abc import Iterator

log = logging.getLogger("devstack")


class LockTimeout(RuntimeError):
    """Another session held the profile's lock for too long."""


@contextlib.contextmanager
def profile_lock(profile: str, timeout: float) -> Iterator[pathlib.Path]:
    """Hold /tmp/scenelens-devstack-<profile>.lock (flock, so a crashed holder releases it)."""
    path = pathlib.Path(tempfile.gettempdir()) / f"scenelens-devstack-{profile}.lock"
    deadline = time.monotonic() + timeout
    with path.open("a+") as handle:
        waiting = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:
                    log.warning("waiting for another session that holds %s", path)
                    waiting = True
                if time.monotonic() > deadline:
                    raise LockTimeout(f"{path} still held after {timeout:.0f}s") from None
                time.sleep(1.0)
        try:
            yield path
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

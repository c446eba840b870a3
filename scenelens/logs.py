"""Structured (JSON) logs that carry the task, segment and request ids of the current work."""
from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

_context: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "log_context", default=None
)


def _current() -> dict[str, str]:
    return _context.get() or {}

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


@contextlib.contextmanager
def log_context(**fields: object) -> Iterator[None]:
    """Add fields (task_id=..., segment_id=...) to every log record inside the block."""
    token = _context.set({**_current(), **{k: str(v) for k, v in fields.items() if v}})
    try:
        yield
    finally:
        _context.reset(token)


def current(field: str) -> str:
    """A field of the current log context ('' when unset), e.g. the request id."""
    return _current().get(field, "")


def bind(**fields: object) -> None:
    """Add fields for the rest of the current task (e.g. in a gRPC interceptor)."""
    _context.set({**_current(), **{k: str(v) for k, v in fields.items() if v}})


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "service": self._service,
            "logger": record.name,
            "msg": record.getMessage(),
            **_current(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value if isinstance(value, (int, float, bool)) else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class ContextFilter(logging.Filter):
    """Appends the context to plain-text records."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = _current()
        record.ctx = " ".join(f"{k}={v}" for k, v in ctx.items())
        return True


def setup_logging(service: str, level: str = "INFO", json_logs: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json_logs:
        handler.setFormatter(JsonFormatter(service))
    else:
        handler.addFilter(ContextFilter())
        handler.setFormatter(
            logging.Formatter(f"%(asctime)s %(levelname)s {service} %(name)s: %(message)s %(ctx)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiormq", "aio_pika", "botocore", "aiobotocore", "urllib3", "eventsourcing"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))

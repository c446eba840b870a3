"""Run the whole scenelens stack natively under supervisord (profiles `up` and `test`)."""
from __future__ import annotations

from devstack.stack import Stack, StackError

__all__ = ["Stack", "StackError"]

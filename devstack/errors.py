"""The error devstack raises when a stack cannot reach the state asked for."""
from __future__ import annotations


class StackError(RuntimeError):
    """The stack could not be brought to the requested state."""

"""Shared fixtures: the `test` profile stack (Postgres, RabbitMQ, S3, Envoy, services)."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from devstack import Stack


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The `test` stack with the apps on, up for the whole session and down at its end.

    SCENELENS_TEST_KEEP_STACK=1 reuses a running test stack and leaves it up afterwards, for fast
    local iteration (`python -m devstack down --profile test` when done). Clients take their
    settings from `stack.env` / `stack.settings`; os.environ is left alone. The test profile's
    ports are fixed, so a session in another checkout waits for this one to finish.
    """
    keep = os.environ.get("SCENELENS_TEST_KEEP_STACK") == "1"
    s = Stack(profile="test")
    with s.exclusive():
        if not keep:
            s.down()  # a stack left by a session that crashed would carry its state over
        try:
            s.up(apps=True)
        except BaseException:
            if not keep:
                s.down()
            raise
        yield s
        if not keep:
            s.down()
pytest_plugins = ["tests.fixtures"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `last` run after every other test (they audit what the others left)."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)

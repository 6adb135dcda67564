"""Fixtures shared by the server and browser tests: a real `playground serve` process on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.harness import LiveServer, running_server


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    with running_server() as server:
        yield server

"""Fixtures shared by the server and browser tests: a real `playground serve` process on a free port. Apps made
with create_app() in tests also answer to `testserver`, the Host that Starlette's TestClient sends."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from playground.server import ENV_HOSTS
from tests.harness import LiveServer, running_server

os.environ.setdefault(ENV_HOSTS, "testserver")


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    with running_server() as server:
        yield server

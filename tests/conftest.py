"""Fixtures shared by the server and browser tests: a real `playground serve` process on a free port, and a page
connected to the app through FastAPI's TestClient (one per test module). Apps made with create_app() in tests
also answer to `testserver`, the Host that Starlette's TestClient sends."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from playground.server import ENV_HOSTS, ENV_STORE, create_app
from tests.harness import LiveServer, running_server
from tests.page_client import PageClient

os.environ.setdefault(ENV_HOSTS, "testserver")
# Apps made in tests keep their sessions in a private SQLite file, never in the user's data directory.
os.environ.setdefault(ENV_STORE, f"sqlite:///{tempfile.mkdtemp(prefix='playground-test-store-')}/sessions.sqlite3")


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    with running_server() as server:
        yield server


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """The app through FastAPI's TestClient, one per test module."""
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def connected_page() -> Iterator[PageClient]:
    """A page that has read what the server sends on connect."""
    with TestClient(create_app()) as client, client.websocket_connect("/ws") as socket:
        page = PageClient(socket)
        page.opened()
        yield page

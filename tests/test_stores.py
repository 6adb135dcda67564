"""Both session stores through one suite (SQLite in a temporary file; Redis a real redis-server): save in
batches, load, replace, delete what is idle, count; a store that cannot be used is refused with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.store import Store, StoreError, open_store
from tests.redis_server import running_redis


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield open_store(f"sqlite:///{tmp_path}/deep/sessions.sqlite3")
    else:
        with running_redis() as url:
            yield open_store(url)


def test_a_batch_of_sessions_is_saved_and_each_loads_back_byte_for_byte(store: Store) -> None:
    items = [(f"session-{k}", bytes([k]) * (1000 + k), 100.0 + k) for k in range(5)]
    store.save(items)
    for session_id, body, _ in items:
        assert store.load(session_id) == body
    assert store.load("never-saved") is None
    assert store.size() == 5


def test_saving_again_replaces_the_session_and_its_time(store: Store) -> None:
    store.save([("a", b"old", 1.0), ("b", b"b", 5.0)])
    store.save([("a", b"new", 10.0)])
    assert store.load("a") == b"new"
    assert store.delete_idle(older_than=6.0) == 1
    assert (store.load("a"), store.load("b"), store.size()) == (b"new", None, 1)


def test_sessions_idle_longer_than_keep_are_deleted_and_the_rest_stay(store: Store) -> None:
    store.save([(f"s{k}", b"x", float(k)) for k in range(10)])
    assert store.delete_idle(older_than=7.0) == 7
    assert store.size() == 3
    assert [store.load(f"s{k}") is not None for k in (6, 7, 9)] == [False, True, True]


@pytest.mark.parametrize(("url", "said"), [
    ("sqlite:////proc/no/such/place.sqlite3", "cannot be used"),
    ("redis://127.0.0.1:1/0", "cannot be used"),
    ("ftp://example.org/x", "not a store URL"),
])
def test_a_store_that_cannot_be_used_is_refused_with_the_reason(url: str, said: str) -> None:
    with pytest.raises(StoreError, match=said):
        open_store(url)

"""Both session stores through one suite (SQLite in a temporary file; Redis a real redis-server): save in
batches, load, replace (the history chunk by chunk, or whole for a new run), delete what is idle with its history,
count; a store that cannot be used is refused with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.store import Kept, Record, Store, StoreError, open_store
from tests.redis_server import running_redis


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield open_store(f"sqlite:///{tmp_path}/deep/sessions.sqlite3")
    else:
        with running_redis() as url:
            yield open_store(url)


def record(session_id: str, body: bytes, touched: float, history: dict[int, bytes] | None = None) -> Record:
    return Record(session_id, body, touched, history or {})


def test_a_batch_of_sessions_is_saved_and_each_loads_back_byte_for_byte(store: Store) -> None:
    records = [record(f"session-{k}", bytes([k]) * (1000 + k), 100.0 + k, {0: bytes([k]) * 64}) for k in range(5)]
    store.save(records)
    for saved in records:
        assert store.load(saved.id) == Kept(saved.body, saved.history)
    assert store.load("never-saved") is None
    assert store.size() == 5


def test_saving_again_replaces_the_session_and_its_time(store: Store) -> None:
    store.save([record("a", b"old", 1.0), record("b", b"b", 5.0)])
    store.save([record("a", b"new", 10.0)])
    assert store.load("a") == Kept(b"new", {})
    assert store.delete_idle(older_than=6.0) == 1
    assert (store.load("a"), store.load("b"), store.size()) == (Kept(b"new", {}), None, 1)


def test_history_chunks_are_replaced_by_number_and_a_record_with_chunk_0_replaces_them_all(store: Store) -> None:
    store.save([record("a", b"1", 1.0, {0: b"c0", 1: b"c1", 2: b"c2 partial"})])
    store.save([record("a", b"2", 2.0, {2: b"c2 full", 3: b"c3"})])  # a checkpoint: the changed chunks only
    assert store.load("a") == Kept(b"2", {0: b"c0", 1: b"c1", 2: b"c2 full", 3: b"c3"})
    store.save([record("a", b"3", 3.0)])  # paused: the body changed, the history did not
    assert store.load("a") == Kept(b"3", {0: b"c0", 1: b"c1", 2: b"c2 full", 3: b"c3"})
    store.save([record("a", b"4", 4.0, {0: b"new run"})])  # a new run's history, shorter: the old chunks go
    assert store.load("a") == Kept(b"4", {0: b"new run"})


def test_sessions_idle_longer_than_keep_are_deleted_with_their_history_and_the_rest_stay(store: Store) -> None:
    store.save([record(f"s{k}", b"x", float(k), {0: b"h", 1: b"h"}) for k in range(10)])
    assert store.delete_idle(older_than=7.0) == 7
    assert store.size() == 3
    assert [store.load(f"s{k}") is not None for k in (6, 7, 9)] == [False, True, True]
    store.save([record("s6", b"again", 20.0)])
    assert store.load("s6") == Kept(b"again", {})  # no chunk of the deleted session's history is left


@pytest.mark.parametrize(("url", "said"), [
    ("sqlite:////proc/no/such/place.sqlite3", "cannot be used"),
    ("redis://127.0.0.1:1/0", "cannot be used"),
    ("ftp://example.org/x", "not a store URL"),
])
def test_a_store_that_cannot_be_used_is_refused_with_the_reason(url: str, said: str) -> None:
    with pytest.raises(StoreError, match=said):
        open_store(url)

"""Checkpoints into a real SQLite store: a long run's checkpoint writes its body and the history chunks that
changed since the last one, never the whole history again, also after the session was restored from the store in
another process; a new run's history is written whole, replacing the old run's chunks; what is kept restores the
session's history exactly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from playground import snapshot
from playground.config import Config
from playground.history import CHUNK_ROWS
from playground.session import Session
from playground.sessions import Held, Sessions, new_id
from playground.store import Kept
from tests.test_pacing import run_async


def kept(registry: Sessions, held: Held) -> Kept:
    assert registry.store is not None
    record = registry.store.load(held.id)
    assert record is not None
    return record


def test_a_long_runs_checkpoint_writes_only_the_new_history_chunks_and_a_new_run_writes_its_history_whole(
        tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    registry = Sessions(f"sqlite:///{path}")
    session = Session(Config.from_hash("seed=checkpoints"))
    session.play()
    session.advance(CHUNK_ROWS + 10)
    held = Held(new_id(), session)
    registry.held[held.id] = held
    assert registry.checkpoint() == 1
    assert sorted(kept(registry, held).history) == [0, 1]
    with sqlite3.connect(path) as db:  # behind the server's back: was chunk 0 written again?
        db.execute("UPDATE history SET rows = ? WHERE id = ? AND chunk = 0", (b"as it was", held.id))

    session.advance(5)
    held.changed()
    assert registry.checkpoint() == 1
    later = kept(registry, held)
    assert later.history[0] == b"as it was"  # the full chunk stayed as it was in the store
    assert later.history[1] == session.history.chunks_from(CHUNK_ROWS)[1]  # the partial one has the new rows

    session.reset()  # a new run: one row of history
    held.changed()
    assert registry.checkpoint() == 1
    fresh = kept(registry, held)
    assert sorted(fresh.history) == [0]  # the old run's chunks are gone, the marked one too
    restored = snapshot.load(fresh.body, fresh.history)
    assert np.array_equal(restored.history.since(0), session.history.since(0)) and len(restored.history) == 1


def test_a_session_restored_from_the_store_does_not_write_its_kept_history_again(tmp_path: Path) -> None:
    path = tmp_path / "sessions.sqlite3"
    first = Sessions(f"sqlite:///{path}")
    session = Session(Config.from_hash("seed=restored"))
    session.advance(CHUNK_ROWS + 10)
    held = Held(new_id(), session)
    first.held[held.id] = held
    assert first.checkpoint() == 1

    later = Sessions(f"sqlite:///{path}")  # a restarted server
    restored = run_async(later.attach(held.id, None)).held
    assert np.array_equal(restored.session.history.since(0), session.history.since(0))
    with sqlite3.connect(path) as db:  # behind the server's back: is chunk 0 written again?
        db.execute("UPDATE history SET rows = ? WHERE id = ? AND chunk = 0", (b"as it was", held.id))
    restored.session.advance(3)
    restored.changed()
    assert later.checkpoint() == 1
    again = kept(later, restored)
    assert again.history[0] == b"as it was"
    assert again.history[1] == restored.session.history.chunks_from(CHUNK_ROWS)[1]

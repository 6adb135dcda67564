"""A session written to bytes and read back carries on exactly as the original: the same weights after more
training, the same next network from the random stream, the whole loss history (kept in chunks, of which a
checkpoint writes those that changed); a version 1 body is still read; bad bytes are refused clearly."""

from __future__ import annotations

import numpy as np
import pytest

from playground import snapshot
from playground.config import Config
from playground.history import CHUNK_ROWS
from playground.messages import decode_binary, encode_binary
from playground.pictures import float16_for_page
from playground.reports import State
from playground.session import Session

LARGEST = ("x=true&y=true&xTimesY=true&xSquared=true&ySquared=true&sinX=true&sinY=true&networkShape=6,8"
           "&batchSize=10&optimizer=adam&regularization=L1&regularizationRate=0.01")


def trained() -> Session:
    session = Session(Config.from_hash(LARGEST))
    session.play()
    session.advance(25)
    session.set_weight(1, 0, 0, 0.5)
    session.select(1, 2)
    session.frame()
    return session


def test_a_restored_session_trains_on_to_the_same_weights_and_draws_the_same_next_network() -> None:
    original = trained()
    restored = snapshot.load(*snapshot.dump(original))
    assert (restored.epoch, restored.state, restored.selected, restored.run) == (25, State.PLAYING, (1, 2), 1)
    assert restored.config == original.config
    for name in ("first", "second", "step", "grad", "pending", "last_step"):
        assert np.array_equal(getattr(restored.trainer, name), getattr(original.trainer, name)), name
    assert np.array_equal(restored.trainer.network.dead, original.trainer.network.dead)
    original.advance(10)
    restored.advance(10)
    assert np.array_equal(restored.trainer.network.params, original.trainer.network.params)
    original.reset()
    restored.reset()
    assert np.array_equal(restored.trainer.network.params, original.trainer.network.params)


def test_a_restored_session_sends_its_config_data_and_the_whole_history_from_epoch_0() -> None:
    original = trained()
    restored = snapshot.load(*snapshot.dump(original))
    changes = restored.take_changes()
    assert changes.config and changes.data and changes.effect is None
    frame = restored.frame()
    assert frame.history_start == 0 and frame.history.shape == (26, 4)
    assert np.array_equal(frame.history, float16_for_page(original.history.since(0)))  # as frames carry it
    assert np.array_equal(restored.trainer.data.train_points, original.trainer.data.train_points)


def test_a_three_class_softmax_session_is_restored_and_trains_on_the_same() -> None:
    original = Session(Config.from_hash("classes=3&dataset=spiral&networkShape=5,4&seed=three"))
    original.advance(5)
    restored = snapshot.load(*snapshot.dump(original))
    assert restored.config.classes == 3
    original.advance(3)
    restored.advance(3)
    assert np.array_equal(restored.trainer.network.params, original.trainer.network.params)


@pytest.mark.parametrize("blob", [b"", b"\x05\x00\x00\x00{}", snapshot.dump(Session())[0][:200]])
def test_bytes_that_are_not_a_stored_session_are_refused_with_a_snapshot_error(blob: bytes) -> None:
    with pytest.raises(snapshot.SnapshotError):
        snapshot.load(blob, {})


def long_run(epochs: int) -> Session:
    session = Session(Config.from_hash("seed=long"))
    session.play()
    session.advance(epochs)
    return session


def test_a_checkpoint_writes_the_history_chunks_from_the_last_kept_row_on_and_they_rebuild_the_whole_history(
) -> None:
    session = long_run(2 * CHUNK_ROWS + 100)  # epoch 0 and 2148 more rows: chunks 0 and 1 full, 2 partial
    _, first = snapshot.dump(session)
    assert sorted(first) == [0, 1, 2] and len(first[0]) == CHUNK_ROWS * 4 * 8
    kept_rows = len(session.history)
    session.advance(CHUNK_ROWS)
    body, later = snapshot.dump(session, stored_rows=kept_rows)
    assert sorted(later) == [2, 3]  # the partial chunk again, and the new one; not the first two
    restored = snapshot.load(body, {**first, **later})
    assert np.array_equal(restored.history.since(0), session.history.since(0))
    assert restored.history.first_epoch == 0 and len(restored.history) == 3 * CHUNK_ROWS + 101


def test_a_history_missing_a_chunk_is_refused_as_damaged() -> None:
    body, chunks = snapshot.dump(long_run(CHUNK_ROWS + 5))
    del chunks[0]
    with pytest.raises(snapshot.SnapshotError, match="lacks chunk 0 of 2"):
        snapshot.load(body, chunks)


def test_a_version_1_session_with_its_history_inside_the_body_is_still_restored() -> None:
    original = trained()
    body, _ = snapshot.dump(original)
    header, arrays = decode_binary(body)
    header["version"] = 1
    del header["historyRows"]
    arrays["history"] = original.history.since(0)
    restored = snapshot.load(encode_binary(header, arrays), {})
    assert np.array_equal(restored.history.since(0), original.history.since(0))
    original.advance(3)
    restored.advance(3)
    assert np.array_equal(restored.trainer.network.params, original.trainer.network.params)


def test_a_restored_session_keeps_the_learners_own_points_through_a_later_data_change() -> None:
    original = Session(Config.from_hash("seed=own"))
    original.clear_points()
    for x, label in ((-3.0, -1.0), (3.0, 1.0), (0.5, 1.0)):
        original.add_point(x, 1.0, label, False)
    restored = snapshot.load(*snapshot.dump(original))
    assert restored.config.dataset == "custom"
    assert restored.trainer.data.train_points.tolist() == [[-3.0, 1.0], [3.0, 1.0], [0.5, 1.0]]
    restored.update({"noise": 10})  # a data change rebuilds the data from the learner's points, not from nothing
    assert restored.trainer.data.train_points.tolist() == [[-3.0, 1.0], [3.0, 1.0], [0.5, 1.0]]

"""A session as bytes and back: what the store keeps so that a learner's session outlives its websocket and the
server process (docs/stores.md).

A session is kept as a body and its loss history in chunks (history.CHUNK_ROWS rows each), so that a checkpoint of
a long run writes the chunks that changed, not the whole history again. The body's layout is the protocol's
binary message (a JSON header, then aligned little-endian arrays): the header holds the format version, the
config (as its hash), play state, run, epoch, selection, the random stream's indices, the history's first epoch
and length and the optimizer's step; the arrays hold the data split itself (drawn or loaded points included), the
network's parameters and dead links, the optimizer's moments, the pending gradients, the last steps and the
stream's S-box. A version 1 body, which held the history itself, is still read.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from playground.config import Config
from playground.datasets import DataSplit
from playground.history import LossHistory
from playground.knobs import CUSTOM
from playground.messages import decode_binary, encode_binary
from playground.network import Architecture, Network
from playground.reports import Changes, State
from playground.seedrandom import SeedRandom
from playground.session import Session
from playground.train import Trainer

VERSION = 2
READ_VERSIONS = (1, 2)  # 1: the loss history inside the body
KIND = "session"


class SnapshotError(ValueError):
    """Bytes that are not a session this version can restore."""


def dump(session: Session, stored_rows: int = 0) -> tuple[bytes, dict[int, bytes]]:
    """The session's body, and the chunks of its loss history from the one that holds row `stored_rows` on (the
    rows before it are in the store already; 0: the whole history)."""
    trainer, network = session.trainer, session.trainer.network
    sbox, i, j = session.stream.state()
    header = {"kind": KIND, "version": VERSION, "config": session.config.to_hash(), "state": session.state.value,
              "run": session.run, "epoch": trainer.epoch, "selected": list(session.selected),
              "stream": [i, j], "historyStart": session.history.first_epoch, "historyRows": len(session.history)}
    data = trainer.data
    arrays = {"trainPoints": data.train_points, "trainLabels": data.train_labels, "testPoints": data.test_points,
              "testLabels": data.test_labels, "params": network.params, "dead": network.dead.astype(np.uint8),
              "first": trainer.first, "second": trainer.second, "step": trainer.step, "grad": trainer.grad,
              "pending": trainer.pending, "lastStep": trainer.last_step, "sbox": sbox.astype(np.uint8)}
    return encode_binary(header, arrays), session.history.chunks_from(stored_rows)


def load(body: bytes, chunks: dict[int, bytes]) -> Session:
    """The session `dump` wrote, from its body and its history's chunks; SnapshotError if they are not one."""
    try:
        header, arrays = decode_binary(body)
    except Exception as error:
        raise SnapshotError(f"not a stored session: {error}") from error
    if header.get("kind") != KIND or header.get("version") not in READ_VERSIONS:
        raise SnapshotError(f"a stored session of kind {header.get('kind')!r} version {header.get('version')!r}; "
                            f"this server restores versions {', '.join(map(str, READ_VERSIONS))}")
    try:
        return _restore(header, arrays, chunks)
    except (KeyError, TypeError, ValueError) as error:
        raise SnapshotError(f"a damaged stored session: {error}") from error


def _history(header: dict[str, Any], arrays: dict[str, np.ndarray], chunks: dict[int, bytes]) -> LossHistory:
    first_epoch = int(header["historyStart"])
    if header["version"] == 1:
        return LossHistory(first_epoch, arrays["history"])
    return LossHistory.from_chunks(first_epoch, int(header["historyRows"]), chunks)


def _restore(header: dict[str, Any], arrays: dict[str, np.ndarray], chunks: dict[int, bytes]) -> Session:
    config = Config.from_hash(header["config"])
    data = DataSplit(*(np.array(arrays[name]) for name in ("trainPoints", "trainLabels", "testPoints", "testLabels")))
    network = Network(Architecture.of(config), np.array(arrays["params"]), np.array(arrays["dead"]).astype(bool))
    trainer = Trainer(config, data, network)
    trainer.epoch = int(header["epoch"])
    for name, target in (("first", trainer.first), ("second", trainer.second), ("step", trainer.step),
                         ("grad", trainer.grad), ("pending", trainer.pending), ("lastStep", trainer.last_step)):
        target[...] = arrays[name]
    session = Session.__new__(Session)
    session.config = config
    session.trainer = trainer
    # The learner's own points of the problem in use (those of the other problem are not kept).
    session.custom = {config.problem: (data, config.classes)} if config.active_dataset == CUSTOM else {}
    session.state = State(header["state"])
    session.run = int(header["run"])
    session.stream = SeedRandom.from_state(arrays["sbox"].astype(np.int64), *header["stream"])
    session.selected = (int(header["selected"][0]), int(header["selected"][1]))
    session.metrics = trainer.measure()
    session.history = _history(header, arrays, chunks)
    session.sent_rows = 0
    session._changes = Changes()
    session.reopened()
    return session

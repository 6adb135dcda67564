"""What the server sends the page (docs/protocol.md): the JSON text messages, never with NaN or Infinity, and the
binary layout of frames and data (a JSON header, then aligned little-endian arrays), which snapshot.py also uses
for the sessions it keeps.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from functools import cache, lru_cache
from typing import Any

import numpy as np

from playground.config import Config, ConfigError, Effect
from playground.datasets import DataSplit
from playground.insight import ExamplePass, LossSlice
from playground.knobs import CUSTOM
from playground.reports import Frame

ALIGN = 8
PADDING = [bytes(count) for count in range(ALIGN)]
LITTLE_ENDIAN = ("<", "|", "=") if sys.byteorder == "little" else ("<", "|")  # byte orders written as they are
CSV_FILE_NAME = "playground-data.csv"


# --- JSON text messages ----------------------------------------------------------------------------------------
def dump_json(payload: dict[str, Any]) -> str:
    """JSON that never holds NaN or Infinity: non-finite numbers are written as null (the walk that replaces them
    runs only when there is one: a diverged session)."""
    try:
        return json.dumps(payload, allow_nan=False, separators=(",", ":"))
    except ValueError:
        return json.dumps(_finite(payload), allow_nan=False, separators=(",", ":"))


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def config_message(config: Config, effect: Effect | None) -> str:
    return dump_json({"type": "config", "config": config.to_values(), "hash": config.to_hash(),
                      "effect": None if effect is None else effect.name.lower()})


def session_message(session_id: str, resumed: bool, text: str | None) -> str:
    """Which session this connection drives: the page keeps the id and reconnects with it."""
    return dump_json({"type": "session", "id": session_id, "resumed": resumed, "message": text})


def saved_network_message(saved: dict[str, Any]) -> str:
    return dump_json({"type": "saved_network", "network": saved})


def error_message(text: str) -> str:
    return dump_json({"type": "error", "message": text})


def csv_message(text: str) -> str:
    return dump_json({"type": "csv", "text": text, "name": CSV_FILE_NAME})


def notice_message(errors: list[ConfigError] | str) -> str:
    """A notice: the settings of a link that were not all valid, or a text of its own."""
    if isinstance(errors, str):
        return dump_json({"type": "notice", "message": errors})
    listed = "; ".join(str(error) for error in errors)
    return dump_json({"type": "notice", "message": f"The link's settings were not all valid, so defaults were used "
                                                   f"for: {listed}"})


def diverged_message(epoch: int, learning_rate: float) -> str:
    return dump_json({"type": "diverged", "epoch": epoch, "message": (
        f"Training diverged at epoch {epoch}: a loss or weight is no longer a finite number. Lower the learning "
        f"rate (now {learning_rate:g}) or the regularization rate, then press reset.")})


def slice_message(loss_slice: LossSlice) -> str:
    return dump_json({"type": "slice", **loss_slice.to_dict()})


def example_message(example: ExamplePass) -> str:
    return dump_json({"type": "example", **example.to_dict()})


def keras_message(script: str, filename: str) -> str:
    return dump_json({"type": "keras", "filename": filename, "script": script})


# --- binary messages -------------------------------------------------------------------------------------------
@cache
def _dtype_name(dtype: np.dtype[Any]) -> str:
    """The name the header gives a dtype ("int8", "float32"; numpy works it out in Python, so it is kept)."""
    return dtype.name


def _little_endian(array: np.ndarray) -> np.ndarray:
    return array if array.dtype.byteorder in LITTLE_ENDIAN else array.astype(array.dtype.newbyteorder("<"))


def encode_binary(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """The binary layout: uint32 LE header length, JSON header, zero padding to 8, then the aligned arrays."""
    chunks: list[bytes] = []
    for array in arrays.values():
        data = _little_endian(array).tobytes()
        chunks += (data, PADDING[-len(data) % ALIGN])
    table = _array_table(tuple((name, _dtype_name(array.dtype), array.shape) for name, array in arrays.items()))
    text = f"{dump_json(header)[:-1]},\"arrays\":{table}}}".encode()  # the header's object, with arrays last
    return b"".join((struct.pack("<I", len(text)), text, PADDING[-(4 + len(text)) % ALIGN], *chunks))


@lru_cache(maxsize=256)  # a session's frames repeat the same arrays; building this table was a third of a header
def _array_table(arrays: tuple[tuple[str, str, tuple[int, ...]], ...]) -> str:
    """The header's `arrays`: each array's name, dtype, shape, offset and size, as JSON text."""
    table = []
    offset = 0
    for name, dtype, shape in arrays:
        size = math.prod(shape) * np.dtype(dtype).itemsize
        table.append({"name": name, "dtype": dtype, "shape": list(shape), "offset": offset, "bytes": size})
        offset += size + -size % ALIGN
    return json.dumps(table, separators=(",", ":"))


def decode_binary(message: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The inverse of encode_binary (for tests and scripts; the page has its own in JavaScript)."""
    (length,) = struct.unpack_from("<I", message)
    header = json.loads(message[4:4 + length])
    base = 4 + length + (-(4 + length) % ALIGN)
    arrays = {entry["name"]: np.frombuffer(message, dtype=np.dtype(entry["dtype"]).newbyteorder("<"),
                                           count=math.prod(entry["shape"]), offset=base + entry["offset"])
              .reshape(entry["shape"]) for entry in header["arrays"]}
    return header, arrays


def frame_message(frame: Frame, number: int) -> bytes:
    """A frame as the `number`-th frame sent on its connection (the number a page acknowledges)."""
    m = frame.metrics
    header = {"kind": "frame", "frame": number, "epoch": frame.epoch, "state": frame.state.value,
              "trainLoss": m.train_loss, "testLoss": m.test_loss, "trainAccuracy": m.train_accuracy,
              "testAccuracy": m.test_accuracy,
              "learningRate": frame.learning_rate, "sizes": list(frame.sizes), "features": list(frame.features),
              "selected": {"layer": frame.selected[0], "neuron": frame.selected[1]}, "speed": frame.speed,
              "run": frame.run, "historyStart": frame.history_start,
              "classes": frame.classes.count if frame.classes else None}
    classes = frame.classes.arrays() if frame.classes else {}
    return encode_binary(header, {"grid": frame.grid, "thumbnails": frame.thumbnails, "weights": frame.weights,
                                  "biases": frame.biases, "history": frame.history, **frame.learning.arrays(),
                                  **classes})


def data_message(config: Config, data: DataSplit) -> bytes:
    header = {"kind": "data", "problem": config.problem, "dataset": config.active_dataset, "seed": config.seed,
              "classes": config.class_count, "custom": config.active_dataset == CUSTOM}
    arrays = {"trainPoints": data.train_points, "trainLabels": data.train_labels, "testPoints": data.test_points,
              "testLabels": data.test_labels}
    return encode_binary(header, {name: array.astype(np.float32) for name, array in arrays.items()})

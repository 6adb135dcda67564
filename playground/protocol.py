"""The websocket protocol (docs/protocol.md): command models and their parsing, with errors that say what was
wrong and what is allowed; the JSON text messages; and the binary layout of frames and data.
"""

from __future__ import annotations

import json
import math
import struct
import sys
from functools import cache, lru_cache
from typing import Annotated, Any, Literal, get_args

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from playground.config import MAX_SPEED, Config, ConfigError, Effect
from playground.datasets import DataSplit
from playground.insight import ExamplePass, LossSlice
from playground.knobs import CUSTOM
from playground.reports import Frame

MAX_MESSAGE_BYTES = 65536
MAX_NESTING = 8  # levels of objects and lists in one command; the deepest real one has 3
ALIGN = 8
PADDING = [bytes(count) for count in range(ALIGN)]
LITTLE_ENDIAN = ("<", "|", "=") if sys.byteorder == "little" else ("<", "|")  # byte orders written as they are
FLOAT_MAX = sys.float_info.max


class ProtocolError(ValueError):
    """A message that is not a valid command; the text is sent back to the client as an error."""


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class HashCommand(Command):
    type: Literal["hash"]
    hash: Annotated[str, Field(max_length=8192)]


class ConfigCommand(Command):
    type: Literal["config"]
    values: dict[str, str | bool | int | float | list[int]]


class Play(Command):
    type: Literal["play"]


class Pause(Command):
    type: Literal["pause"]


class Step(Command):
    type: Literal["step"]


class Reset(Command):
    type: Literal["reset"]


class Regenerate(Command):
    type: Literal["regenerate"]


class Select(Command):
    type: Literal["select"]
    layer: int | None = None
    neuron: int | None = None


def _beyond_float(value: Any) -> Any:
    """An integer too large for a float is as unusable as Infinity, and is refused with the same message."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > FLOAT_MAX:
        return math.inf if value > 0 else -math.inf
    return value


Finite = Annotated[float, BeforeValidator(_beyond_float), Field(allow_inf_nan=False)]


class SetWeight(Command):
    type: Literal["set_weight"]
    layer: int
    source: int
    target: int
    value: Finite


class SetBias(Command):
    type: Literal["set_bias"]
    layer: int
    neuron: int
    value: Finite


class Speed(Command):
    type: Literal["speed"]
    epochs: Annotated[int, Field(ge=1, le=MAX_SPEED)]


class SliceCommand(Command):
    """The loss along a weight (layer, source, target) or a bias (layer, neuron)."""

    type: Literal["slice"]
    layer: int
    source: int | None = None
    target: int | None = None
    neuron: int | None = None


class ExampleCommand(Command):
    type: Literal["example"]
    index: int


class OpenNetwork(Command):
    """A saved network's JSON text (docs/saved-network.md) to carry on training."""

    type: Literal["open_network"]
    network: Annotated[str, Field(max_length=MAX_MESSAGE_BYTES)]


class SaveNetwork(Command):
    """Asks for the network in training as a saved network (the `saved_network` reply)."""

    type: Literal["save_network"]


class Ack(Command):
    """The page has drawn frame number `frame` (flow control: the connection answers it, not the session)."""

    type: Literal["ack"]
    frame: Annotated[int, Field(ge=0)]


class Frames(Command):
    """Whether the page wants frames (a hidden tab does not): flow control, like `ack`, not a session command."""

    type: Literal["frames"]
    send: bool


class ExportKeras(Command):
    """The network as it is now, as a Keras script (answered by a `keras` message)."""

    type: Literal["export_keras"]


class AddPoint(Command):
    type: Literal["add_point"]
    x: Finite
    y: Finite
    label: Finite
    test: bool = False


class RemovePoint(Command):
    type: Literal["remove_point"]
    x: Finite
    y: Finite


class ClearPoints(Command):
    type: Literal["clear_points"]


class LoadCsv(Command):
    type: Literal["load_csv"]
    text: str
    name: Annotated[str, Field(max_length=256)] = "data.csv"


class SaveCsv(Command):
    type: Literal["save_csv"]


COMMANDS: dict[str, type[Command]] = {
    get_args(model.model_fields["type"].annotation)[0]: model
    for model in (HashCommand, ConfigCommand, Play, Pause, Step, Reset, Regenerate, Select, SetWeight, SetBias,
                  Speed, SliceCommand, ExampleCommand, OpenNetwork, SaveNetwork, Ack, Frames, ExportKeras, AddPoint,
                  RemovePoint, ClearPoints, LoadCsv, SaveCsv)
}
# The size limit of one command; load_csv may carry a file of up to 10,000 points (the websocket's limit).
MAX_CSV_MESSAGE_BYTES = 1 << 20
CSV_FILE_NAME = "playground-data.csv"


def parse_command(message: str | bytes) -> Command:
    """A command from one websocket message, or ProtocolError saying what was wrong and what is allowed."""
    if isinstance(message, bytes):
        raise ProtocolError("binary messages are not commands: send JSON text such as {\"type\": \"play\"}")
    size = len(message.encode())
    too_large = (f"message too large: {size} bytes; at most {MAX_MESSAGE_BYTES} ({MAX_CSV_MESSAGE_BYTES} for "
                 "load_csv)")
    if size > MAX_CSV_MESSAGE_BYTES:
        raise ProtocolError(too_large)
    too_deep = ProtocolError(f"JSON nested too deeply: a command has at most {MAX_NESTING} levels of objects and "
                             "lists, such as {\"type\": \"config\", \"values\": {\"networkShape\": [4, 2]}}")
    try:
        data = json.loads(message)
    except RecursionError:
        raise too_deep from None
    except ValueError as error:
        raise ProtocolError(f"not JSON ({error}): send one JSON object such as {{\"type\": \"play\"}}") from None
    if _nesting(data) > MAX_NESTING:
        raise too_deep
    if not isinstance(data, dict):
        raise ProtocolError(f"a command is a JSON object with a \"type\", not {type(data).__name__}")
    kind = data.get("type")
    if kind not in COMMANDS:
        raise ProtocolError(f"unknown command type {kind!r}; allowed types: {', '.join(COMMANDS)}")
    if size > MAX_MESSAGE_BYTES and kind != "load_csv":
        raise ProtocolError(too_large)
    try:
        return COMMANDS[kind].model_validate(data)
    except ValidationError as error:
        problems = "; ".join(_describe(problem) for problem in error.errors())
        raise ProtocolError(f"{kind}: {problems}") from None


def _nesting(value: Any) -> int:
    """How deep objects and lists nest in a parsed JSON value (without recursion; it stops past MAX_NESTING)."""
    deepest = 0
    stack = [(value, 1)]
    while stack and deepest <= MAX_NESTING:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack += [(child, depth + 1) for child in (item.values() if isinstance(item, dict) else item)]
    return deepest


def _describe(problem: Any) -> str:
    field = ".".join(str(part) for part in problem["loc"]) or "command"
    if problem["type"] == "extra_forbidden":
        return f"unknown field '{field}'"
    if problem["type"] == "missing":
        return f"field '{field}' is missing"
    shown = json.dumps(problem.get("input"), default=str)[:60]
    return f"field '{field}': {problem['msg'].lower()} (got {shown})"


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

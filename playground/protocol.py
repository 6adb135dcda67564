"""The websocket protocol's commands (docs/protocol.md): their models and their parsing, with errors that say what
was wrong and what is allowed. What the server sends back is in messages.py.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from playground.config import MAX_SPEED

MAX_MESSAGE_BYTES = 65536
MAX_NESTING = 8  # levels of objects and lists in one command; the deepest real one has 3
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

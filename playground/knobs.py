"""The knobs of the playground: each hash key's kind, allowed values or range, page menu and Effect on a running
session; and reading and writing one value in the original's hash format, with errors that say what is allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Literal

import numpy as np

Kind = Literal["choice", "int", "float", "bool", "shape", "text"]

MAX_LAYERS = 6
MAX_NEURONS = 8
FEATURE_KEYS = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
REGULARIZATION_RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
MOMENTA = (0, 0.5, 0.9, 0.95, 0.99)
DECAYS = (0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
_SEED_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")


class Effect(IntEnum):
    """What changing a knob does to a running session; a change takes the largest effect of its knobs."""

    VIEW = 0  # only how things are drawn
    TRAIN = 1  # a training hyperparameter: training goes on
    OPTIMIZER = 2  # training goes on with fresh optimizer state
    NETWORK = 3  # new initial weights, epoch 0
    DATA = 4  # new data, then a new network


@dataclass(frozen=True)
class Knob:
    """One key of the hash: its type, default, allowed values or range, and its effect on a session."""

    key: str
    kind: Kind
    effect: Effect
    choices: tuple[str, ...] = ()
    low: float = 0.0
    high: float = 0.0
    menu: tuple[float, ...] = ()  # the values the page offers in its menu, where it has one

    def allowed(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "true or false"
        if self.kind == "int":
            return f"a whole number from {self.low:g} to {self.high:g}"
        if self.kind == "float":
            return f"a number from {format_number(self.low)} to {format_number(self.high)}"
        if self.kind == "shape":
            return (f"up to {MAX_LAYERS} comma-separated layer sizes, each from 1 to {MAX_NEURONS} "
                    "(empty for no hidden layer)")
        return "1 to 64 letters, digits, '.', '_' or '-'"


def choice_knob(key: str, effect: Effect, *choices: str) -> Knob:
    return Knob(key, "choice", effect, choices=choices)


def bool_knob(key: str, effect: Effect) -> Knob:
    return Knob(key, "bool", effect)


KNOBS: dict[str, Knob] = {k.key: k for k in (
    choice_knob("activation", Effect.NETWORK, "relu", "tanh", "sigmoid", "linear", "leakyRelu"),
    choice_knob("regularization", Effect.NETWORK, "none", "L1", "L2"),
    Knob("batchSize", "int", Effect.NETWORK, low=1, high=30),
    choice_knob("dataset", Effect.DATA, "circle", "xor", "gauss", "spiral"),
    choice_knob("regDataset", Effect.DATA, "reg-plane", "reg-gauss"),
    Knob("learningRate", "float", Effect.TRAIN, low=0.00001, high=10, menu=LEARNING_RATES),
    Knob("regularizationRate", "float", Effect.NETWORK, low=0, high=10, menu=REGULARIZATION_RATES),
    Knob("noise", "int", Effect.DATA, low=0, high=50),
    Knob("networkShape", "shape", Effect.NETWORK),
    Knob("seed", "text", Effect.DATA),
    bool_knob("showTestData", Effect.VIEW),
    bool_knob("discretize", Effect.VIEW),
    Knob("percTrainData", "int", Effect.DATA, low=10, high=90),
    *(bool_knob(key, Effect.NETWORK) for key in FEATURE_KEYS),
    bool_knob("cosX", Effect.VIEW),
    bool_knob("cosY", Effect.VIEW),
    bool_knob("collectStats", Effect.VIEW),
    choice_knob("problem", Effect.DATA, "classification", "regression"),
    bool_knob("hideText", Effect.VIEW),
    choice_knob("optimizer", Effect.OPTIMIZER, "sgd", "momentum", "nesterov", "rmsprop", "adam"),
    Knob("momentum", "float", Effect.TRAIN, low=0, high=0.99, menu=MOMENTA),
    Knob("learningRateDecay", "float", Effect.TRAIN, low=0, high=100, menu=DECAYS),
    choice_knob("loss", Effect.TRAIN, "squared", "crossEntropy"),
    choice_knob("init", Effect.NETWORK, "uniform", "zero", "xavier", "he"),
)}
# Keys of the original that map onto another knob or carry a value we keep but never use.
INIT_ZERO = "initZero"
TUTORIAL = "tutorial"
HIDE_SUFFIX = "_hide"
# The order the original writes its keys in; our own keys follow, written only when not at their default.
ORIGINAL_ORDER = ("activation", "batchSize", "dataset", "regDataset", "learningRate", "regularizationRate",
                   "noise", "networkShape", "seed", "showTestData", "discretize", "percTrainData", "x", "y",
                   "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY", "sinY", "collectStats",
                   "problem", INIT_ZERO, "hideText")
OWN_KEYS = ("regularization", "optimizer", "momentum", "learningRateDecay", "loss", "init")


class ConfigError(ValueError):
    """A hash key or value that is not allowed; the message names the key, the value and what is allowed."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key = key
        super().__init__(f"{key}={value!s:.80} is not allowed: {key} must be {allowed}")


def format_number(value: float) -> str:
    """Write a number the way the original's hash does: 0.03, 0.00001, 10 (no exponent, no trailing zeros)."""
    return str(np.format_float_positional(float(value), trim="-"))


def parse_value(knob: Knob, raw: object) -> Any:
    """One value, from its hash string or its JSON value, checked against the knob."""
    bad = ConfigError(knob.key, write_value(raw) if isinstance(raw, bool | int | float) else raw, knob.allowed())
    if knob.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if raw in ("true", "false"):
            return raw == "true"
        raise bad
    if knob.kind == "shape":
        return _parse_shape(raw, bad)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise bad
    if knob.kind in ("choice", "text"):
        text = str(raw)
        ok = text in knob.choices if knob.kind == "choice" else _SEED_PATTERN.fullmatch(text) is not None
        if not ok:
            raise bad
        return text
    try:
        number = float(raw)
    except (ValueError, OverflowError):  # OverflowError: an integer beyond float's range
        raise bad from None
    if not math.isfinite(number) or not knob.low <= number <= knob.high:
        raise bad
    if knob.kind == "int":
        if number != int(number) or (isinstance(raw, str) and not raw.strip().lstrip("-").isdigit()):
            raise bad
        return int(number)
    return number


def _parse_shape(raw: object, bad: ConfigError) -> tuple[int, ...]:
    if isinstance(raw, str):
        parts: Iterable[object] = [p for p in raw.split(",")] if raw.strip() else []
    elif isinstance(raw, list):
        parts = raw
    else:
        raise bad
    sizes: list[int] = []
    for part in parts:
        if isinstance(part, bool):
            raise bad
        if isinstance(part, int):
            size = part
        elif isinstance(part, str) and part.strip().isdigit():
            size = int(part)
        else:
            raise bad
        if not 1 <= size <= MAX_NEURONS:
            raise bad
        sizes.append(size)
    if len(sizes) > MAX_LAYERS:
        raise bad
    return tuple(sizes)


def write_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)  # exact, however large (a float would overflow)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    return str(value)

"""The knobs of the playground: each hash key's kind, allowed values or range, page menu and Effect on a running
session; and reading and writing one value in the original's hash format, with errors that say what is allowed.

A knob has two ranges. `low`..`high` is what the page's controls offer and what a `config` command may set.
`usable` is what a hash may carry: the original reads hash numbers without a range check and uses them (noise=60
is a noisier dataset there), so a link opens the same way here as long as we can use the value; only values we
cannot use (not a number, a negative noise, a batch of no examples, a split that leaves no training or no test
point...) fall back to the default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, Literal

import numpy as np

Kind = Literal["choice", "int", "float", "bool", "shape", "text"]

MAX_LAYERS = 6
MAX_NEURONS = 8
MAX_CLASSES = 6  # classes of a classification problem (the output layer's softmax neurons when more than 2)
CLASSIFY_SIZE = 500  # points of a classification dataset
REGRESS_SIZE = 1200  # points of a regression dataset
FEATURE_KEYS = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
REGULARIZATION_RATES = (0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10)
MOMENTA = (0, 0.5, 0.9, 0.95, 0.99)
DECAYS = (0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1)
CUSTOM = "custom"  # the dataset (and regDataset) of the learner's own points
MAX_SPEED = 100  # epochs per frame
SPEEDS = (1, 2, 5, 10, 20, 50, 100)
# How the page names each loss; the last is not a choice: it is what more than two classes always train on.
LOSS_LABELS = {"squared": "Squared error", "crossEntropy": "Cross-entropy",
               "categoricalCrossEntropy": "Categorical cross-entropy"}
_SEED_PATTERN = re.compile(r"[\w.-]{1,64}")  # \w: letters of any script, digits, '_'
# The leading number of a text, as JavaScript's parseFloat reads it ("60", "1e-3", ".5", "7px" -> 7).
_LEADING_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


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
    usable: tuple[float, float] | None = None  # the range a hash may carry, where wider than low..high

    def bounds(self, from_hash: bool = False) -> tuple[float, float]:
        """The range of a number: what a hash may carry, or what the page's controls offer."""
        return self.usable if from_hash and self.usable is not None else (self.low, self.high)

    def allowed(self, from_hash: bool = False) -> str:
        low, high = self.bounds(from_hash)
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "bool":
            return "true or false"
        if self.kind == "int":
            return f"a whole number from {low:g} to {high:g}"
        if self.kind == "float":
            if math.isinf(high):
                return f"a number of at least {format_number(low)}"
            return f"a number from {format_number(low)} to {format_number(high)}"
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
    # A batch larger than the training set never fills: no update, as in the original.
    Knob("batchSize", "int", Effect.NETWORK, low=1, high=30, usable=(1, REGRESS_SIZE)),
    # `custom`: the learner's own points (drawn or loaded), kept in the session, never in the hash.
    choice_knob("dataset", Effect.DATA, "circle", "xor", "gauss", "spiral", CUSTOM),
    choice_knob("regDataset", Effect.DATA, "reg-plane", "reg-gauss", CUSTOM),
    Knob("learningRate", "float", Effect.TRAIN, low=0.00001, high=10, menu=LEARNING_RATES, usable=(0, math.inf)),
    Knob("regularizationRate", "float", Effect.NETWORK, low=0, high=10, menu=REGULARIZATION_RATES,
         usable=(0, math.inf)),
    # Past 100 the noise (noise / 100 times the plane's half-width) is wider than the plane itself.
    Knob("noise", "int", Effect.DATA, low=0, high=50, usable=(0, 100)),
    Knob("networkShape", "shape", Effect.NETWORK),
    Knob("seed", "text", Effect.DATA),
    bool_knob("showTestData", Effect.VIEW),
    bool_knob("discretize", Effect.VIEW),
    # 1..99 % leaves at least one training and one test point of the smallest dataset.
    Knob("percTrainData", "int", Effect.DATA, low=10, high=90, usable=(1, 99)),
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
    Knob("speed", "int", Effect.VIEW, low=1, high=MAX_SPEED, menu=SPEEDS),
    choice_knob("linkView", Effect.VIEW, "weights", "gradients", "steps"),  # what the links of the network show
    Knob("classes", "int", Effect.DATA, low=2, high=MAX_CLASSES),  # classification only; regression ignores it
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
OWN_KEYS = ("regularization", "optimizer", "momentum", "learningRateDecay", "loss", "init", "speed", "linkView",
            "classes")
# The controls a teacher can hide (`<name>_hide=true`), by the name the page marks them with, and how the
# classroom panel names them. Each input feature can be hidden too, by its hash key.
HIDEABLE_CONTROLS = (
    ("playButton", "Run / pause button"), ("stepButton", "Step button"), ("resetButton", "Reset button"),
    ("speed", "Epochs per frame"), ("learningRate", "Learning rate"), ("activation", "Activation"),
    ("regularization", "Regularization"), ("regularizationRate", "Regularization rate"),
    ("problem", "Problem type"), ("classes", "Classes"), ("optimizer", "Optimizer"), ("momentum", "Momentum"),
    ("learningRateDecay", "Learning-rate decay"), ("loss", "Loss"), ("init", "Initial weights"),
    ("dataset", "Which dataset"), ("percTrainData", "Ratio of training to test data"), ("noise", "Noise"),
    ("batchSize", "Batch size"), ("dataRegenButton", "Regenerate button"),
    ("numHiddenLayers", "Adding and removing layers and neurons"), ("showTestData", "Show test data"),
    ("discretize", "Discretize output"), ("linkView", "What the links show"),
)


class ConfigError(ValueError):
    """A hash key or value that is not allowed; the message names the key, the value and what is allowed."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key = key
        super().__init__(f"{key}={value!s:.80} is not allowed: {key} must be {allowed}")


class ConfigErrors(ConfigError):
    """Several keys or values that are not allowed: every one's message, not only the first."""

    def __init__(self, errors: Sequence[ConfigError]) -> None:
        self.errors = tuple(errors)
        self.key = ", ".join(error.key for error in self.errors)
        ValueError.__init__(self, "; ".join(str(error) for error in self.errors))


def raise_errors(errors: Sequence[ConfigError]) -> None:
    """Raise nothing, the one error, or all of them as one ConfigErrors."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigErrors(errors)


def format_number(value: float) -> str:
    """Write a number the way the original's hash does: 0.03, 0.00001, 10 (no exponent, no trailing zeros)."""
    return str(np.format_float_positional(float(value), trim="-"))


def parse_value(knob: Knob, raw: object, from_hash: bool = False) -> Any:
    """One value, from its hash string or its JSON value, checked against the knob: against what a hash may carry
    (numbers read as parseFloat reads them) if from_hash, else against what the page's controls offer."""
    shown = write_value(raw) if isinstance(raw, bool | int | float) else raw
    bad = ConfigError(knob.key, shown, knob.allowed(from_hash))
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
    number = _read_number(raw, from_hash, bad)
    low, high = knob.bounds(from_hash)
    if not math.isfinite(number) or not low <= number <= high:
        raise bad
    if knob.kind == "int":
        whole = number == int(number) and (from_hash or not isinstance(raw, str) or raw.strip().lstrip("-").isdigit())
        if not whole:
            raise bad
        return int(number)
    return number


def _read_number(raw: str | int | float, from_hash: bool, bad: ConfigError) -> float:
    """A number from a JSON number or a text: in a hash its leading number (as the original's parseFloat), else
    the whole text."""
    if from_hash and isinstance(raw, str):
        leading = _LEADING_NUMBER.match(raw)
        if leading is None:
            raise bad
        return float(leading.group())
    try:
        return float(raw)
    except (ValueError, OverflowError):  # OverflowError: an integer beyond float's range
        raise bad from None


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

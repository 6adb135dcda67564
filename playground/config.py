"""Config: every knob of the playground, its default and what it allows, and the URL-hash format.

A Config is immutable. It reads and writes the hash format of playground.tensorflow.org
(`activation=tanh&batchSize=10&...`), so a link copied from the original opens the same setup here, and a
link from here opens in the original (which ignores the keys it does not know). Each knob also says what a
change to it does to a running session (its Effect), so the session never decides that by hand.
"""

from __future__ import annotations

import dataclasses
import math
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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


def _choice(key: str, effect: Effect, *choices: str) -> Knob:
    return Knob(key, "choice", effect, choices=choices)


def _bool(key: str, effect: Effect) -> Knob:
    return Knob(key, "bool", effect)


KNOBS: dict[str, Knob] = {k.key: k for k in (
    _choice("activation", Effect.NETWORK, "relu", "tanh", "sigmoid", "linear", "leakyRelu"),
    _choice("regularization", Effect.NETWORK, "none", "L1", "L2"),
    Knob("batchSize", "int", Effect.NETWORK, low=1, high=30),
    _choice("dataset", Effect.DATA, "circle", "xor", "gauss", "spiral"),
    _choice("regDataset", Effect.DATA, "reg-plane", "reg-gauss"),
    Knob("learningRate", "float", Effect.TRAIN, low=0.00001, high=10, menu=LEARNING_RATES),
    Knob("regularizationRate", "float", Effect.NETWORK, low=0, high=10, menu=REGULARIZATION_RATES),
    Knob("noise", "int", Effect.DATA, low=0, high=50),
    Knob("networkShape", "shape", Effect.NETWORK),
    Knob("seed", "text", Effect.DATA),
    _bool("showTestData", Effect.VIEW),
    _bool("discretize", Effect.VIEW),
    Knob("percTrainData", "int", Effect.DATA, low=10, high=90),
    *(_bool(key, Effect.NETWORK) for key in FEATURE_KEYS),
    _bool("cosX", Effect.VIEW),
    _bool("cosY", Effect.VIEW),
    _bool("collectStats", Effect.VIEW),
    _choice("problem", Effect.DATA, "classification", "regression"),
    _bool("hideText", Effect.VIEW),
    _choice("optimizer", Effect.OPTIMIZER, "sgd", "momentum", "nesterov", "rmsprop", "adam"),
    Knob("momentum", "float", Effect.TRAIN, low=0, high=0.99, menu=MOMENTA),
    Knob("learningRateDecay", "float", Effect.TRAIN, low=0, high=100, menu=DECAYS),
    _choice("loss", Effect.TRAIN, "squared", "crossEntropy"),
    _choice("init", Effect.NETWORK, "uniform", "zero", "xavier", "he"),
)}
# Keys of the original that map onto another knob or carry a value we keep but never use.
_INIT_ZERO = "initZero"
_TUTORIAL = "tutorial"
_HIDE_SUFFIX = "_hide"
# The order the original writes its keys in; our own keys follow, written only when not at their default.
_ORIGINAL_ORDER = ("activation", "batchSize", "dataset", "regDataset", "learningRate", "regularizationRate",
                   "noise", "networkShape", "seed", "showTestData", "discretize", "percTrainData", "x", "y",
                   "xTimesY", "xSquared", "ySquared", "cosX", "sinX", "cosY", "sinY", "collectStats",
                   "problem", _INIT_ZERO, "hideText")
_OWN_KEYS = ("regularization", "optimizer", "momentum", "learningRateDecay", "loss", "init")


class ConfigError(ValueError):
    """A hash key or value that is not allowed; the message names the key, the value and what is allowed."""

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key = key
        super().__init__(f"{key}={value!s:.80} is not allowed: {key} must be {allowed}")


def format_number(value: float) -> str:
    """Write a number the way the original's hash does: 0.03, 0.00001, 10 (no exponent, no trailing zeros)."""
    return str(np.format_float_positional(float(value), trim="-"))


def new_seed() -> str:
    """A fresh seed in the original's style ("0.12345")."""
    return f"0.{secrets.randbelow(100000):05d}"


@dataclass(frozen=True)
class Config:
    """One complete setup of the playground. Field names are the hash keys."""

    activation: str = "tanh"
    regularization: str = "none"
    batchSize: int = 10
    dataset: str = "circle"
    regDataset: str = "reg-plane"
    learningRate: float = 0.03
    regularizationRate: float = 0.0
    noise: int = 0
    networkShape: tuple[int, ...] = (4, 2)
    seed: str = field(default_factory=new_seed)
    showTestData: bool = False
    discretize: bool = False
    percTrainData: int = 50
    x: bool = True
    y: bool = True
    xSquared: bool = False
    ySquared: bool = False
    xTimesY: bool = False
    sinX: bool = False
    sinY: bool = False
    cosX: bool = False
    cosY: bool = False
    collectStats: bool = False
    problem: str = "classification"
    hideText: bool = False
    optimizer: str = "sgd"
    momentum: float = 0.9
    learningRateDecay: float = 0.0
    loss: str = "squared"
    init: str = "uniform"
    tutorial: str = ""
    hidden: frozenset[str] = frozenset()  # controls hidden by `<name>_hide=true` (the classroom panel)

    @property
    def features(self) -> tuple[str, ...]:
        """The enabled input features, in the network's input order."""
        return tuple(key for key in FEATURE_KEYS if getattr(self, key))

    @property
    def active_dataset(self) -> str:
        return self.dataset if self.problem == "classification" else self.regDataset

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """Inputs, hidden layers, output: the neuron count of every layer."""
        return (len(self.features), *self.networkShape, 1)

    def updated(self, values: Mapping[str, object]) -> Config:
        """A copy with the given hash keys changed; values may be hash strings or JSON values."""
        changes, errors = _read(values)
        if errors:
            raise errors[0] if len(errors) == 1 else ConfigError(
                ", ".join(e.key for e in errors), "...", "valid: " + "; ".join(str(e) for e in errors))
        return dataclasses.replace(self, **changes)

    def effect_of(self, new: Config) -> Effect | None:
        """The largest effect of the knobs that differ between self and new, None if nothing differs."""
        changed = [KNOBS[k].effect for k in KNOBS if getattr(self, k) != getattr(new, k)]
        return max(changed) if changed else None

    def to_values(self) -> dict[str, Any]:
        """The config as JSON-ready values keyed by hash key (what the server tells the page)."""
        values: dict[str, Any] = {k: getattr(self, k) for k in KNOBS}
        values["networkShape"] = list(self.networkShape)
        values["hidden"] = sorted(self.hidden)
        return values

    def to_hash(self) -> str:
        """The hash in the original's format and key order, our own keys after it when not at default."""
        default = Config(seed=self.seed)
        pairs: list[tuple[str, str]] = []
        for key in _ORIGINAL_ORDER:
            if key == _INIT_ZERO:
                pairs.append((key, _write(self.init == "zero")))
            else:
                pairs.append((key, _write(getattr(self, key))))
        pairs += [(k, _write(getattr(self, k))) for k in _OWN_KEYS if getattr(self, k) != getattr(default, k)]
        if self.tutorial:
            pairs.append((_TUTORIAL, self.tutorial))
        pairs += [(name + _HIDE_SUFFIX, "true") for name in sorted(self.hidden)]
        return "&".join(f"{k}={v}" for k, v in pairs)

    @classmethod
    def from_hash(cls, text: str) -> Config:
        """Parse a hash (with or without the leading '#'); any bad key or value raises ConfigError."""
        config, errors = cls.from_hash_lenient(text)
        if errors:
            raise errors[0]
        return config

    @classmethod
    def from_hash_lenient(cls, text: str) -> tuple[Config, list[ConfigError]]:
        """Parse a hash, keeping the default for every bad key or value and returning what was wrong."""
        values: dict[str, str] = {}
        for part in text.lstrip("#").split("&"):
            if part:
                key, _, value = part.partition("=")
                values[key] = value
        changes, errors = _read(values)
        return cls(**changes), errors


def _read(values: Mapping[str, object]) -> tuple[dict[str, Any], list[ConfigError]]:
    """Typed field values from hash keys, and an error for every key or value that is not allowed."""
    changes: dict[str, Any] = {}
    errors: list[ConfigError] = []
    hidden: set[str] = set()
    for key, raw in values.items():
        try:
            if key in KNOBS:
                changes[key] = _parse(KNOBS[key], raw)
            elif key == _INIT_ZERO:
                if _parse(_bool(key, Effect.NETWORK), raw) and "init" not in values:
                    changes["init"] = "zero"
            elif key == _TUTORIAL:
                changes["tutorial"] = _parse(Knob(key, "text", Effect.VIEW), raw) if raw else ""
            elif key == "hidden" and isinstance(raw, list):
                hidden.update(str(name) for name in raw)
            elif key.endswith(_HIDE_SUFFIX) and key != _HIDE_SUFFIX:
                if _parse(_bool(key, Effect.VIEW), raw):
                    hidden.add(key.removesuffix(_HIDE_SUFFIX))
            else:
                raise ConfigError(key, raw, "left out: it is not a setting; settings are "
                                  + ", ".join(KNOBS))
        except ConfigError as error:
            errors.append(error)
    if hidden or "hidden" in values:
        changes["hidden"] = frozenset(hidden)
    return changes, errors


def _parse(knob: Knob, raw: object) -> Any:
    """One value, from its hash string or its JSON value, checked against the knob."""
    bad = ConfigError(knob.key, _write(raw) if isinstance(raw, bool | int | float) else raw, knob.allowed())
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
    except ValueError:
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


def _write(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    return str(value)


def schema() -> dict[str, dict[str, Any]]:
    """Every knob as JSON for the page: kind, default, allowed values or range, menu, effect."""
    default = Config(seed="0")
    return {key: {"kind": k.kind, "default": default.to_values()[key], "choices": list(k.choices),
                  "min": k.low, "max": k.high, "menu": list(k.menu), "effect": k.effect.name.lower(),
                  "allowed": k.allowed()}
            for key, k in KNOBS.items()}

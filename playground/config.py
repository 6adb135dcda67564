"""Config: one complete, immutable setup of the playground, read from and written to the URL-hash format of
playground.tensorflow.org (`activation=tanh&batchSize=10&...`), so a link copied from the original opens the same
setup here, and a link from here opens in the original (which ignores the keys it does not know). What each key
allows and what a change to it does live in knobs.py.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from playground.knobs import (
    FEATURE_KEYS,
    HIDE_SUFFIX,
    INIT_ZERO,
    KNOBS,
    LOSS_LABELS,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_SPEED,
    ORIGINAL_ORDER,
    OWN_KEYS,
    TUTORIAL,
    ConfigError,
    ConfigErrors,
    Effect,
    Knob,
    bool_knob,
    format_number,
    parse_value,
    raise_errors,
    write_value,
)

__all__ = ["FEATURE_KEYS", "KNOBS", "MAX_LAYERS", "MAX_NEURONS", "MAX_SPEED", "Config", "ConfigError", "ConfigErrors",
           "Effect", "format_number", "new_seed", "schema"]


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
    speed: int = 1  # epochs per frame while playing
    linkView: str = "weights"
    classes: int = 2  # classes of a classification problem; more than 2 means a softmax output layer
    lesson: str = ""  # the lesson the page opens (lessons.py); empty: none
    tutorial: str = ""
    hidden: frozenset[str] = frozenset()  # controls hidden by `<name>_hide=true` (the classroom panel)

    def __post_init__(self) -> None:
        """Check every knob as a hash is checked (the same ranges and messages, every error at once), so a Config
        built directly never trains what a hash could not ask for; values are normalized to their field's type
        (a list of layer sizes to a tuple, 10.0 to 10)."""
        errors: list[ConfigError] = []
        for key, knob in KNOBS.items():
            value = getattr(self, key)
            try:
                parsed = parse_value(knob, list(value) if isinstance(value, tuple) else value, from_hash=True)
            except ConfigError as error:
                errors.append(error)
                continue
            if type(parsed) is not type(value) or parsed != value:
                object.__setattr__(self, key, parsed)
        raise_errors(errors)
        object.__setattr__(self, "hidden", frozenset(self.hidden))

    @cached_property  # read several times a frame; a Config never changes (frozen)
    def features(self) -> tuple[str, ...]:
        """The enabled input features, in the network's input order."""
        return tuple(key for key in FEATURE_KEYS if getattr(self, key))

    @property
    def active_dataset(self) -> str:
        return self.dataset if self.problem == "classification" else self.regDataset

    @property
    def class_count(self) -> int | None:
        """The classes of a classification problem (2: one tanh output; more: one softmax neuron each), None for
        regression."""
        return self.classes if self.problem == "classification" else None

    @property
    def multiclass(self) -> bool:
        """More than two classes: a softmax output layer trained on categorical cross-entropy."""
        return (self.class_count or 0) > 2

    @cached_property
    def layer_sizes(self) -> tuple[int, ...]:
        """Inputs, hidden layers, output (one neuron, or one per class with more than two): every layer's size."""
        return (len(self.features), *self.networkShape, self.classes if self.multiclass else 1)

    def updated(self, values: Mapping[str, object]) -> Config:
        """A copy with the given hash keys changed; values may be hash strings or JSON values."""
        changes, errors = _read(values, from_hash=False)
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
        for key in ORIGINAL_ORDER:
            if key == INIT_ZERO:
                pairs.append((key, write_value(self.init == "zero")))
            else:
                pairs.append((key, write_value(getattr(self, key))))
        pairs += [(k, write_value(getattr(self, k))) for k in OWN_KEYS if getattr(self, k) != getattr(default, k)]
        if self.tutorial:
            pairs.append((TUTORIAL, self.tutorial))
        pairs += [(name + HIDE_SUFFIX, "true") for name in sorted(self.hidden)]
        return "&".join(f"{k}={v}" for k, v in pairs)

    @classmethod
    def from_hash(cls, text: str) -> Config:
        """Parse a hash (with or without the leading '#') as from_hash_lenient does, but raise ConfigError for
        a key or value we cannot use, ConfigErrors naming all of them if several (for scripts and saved runs,
        which must not train something else)."""
        config, errors = cls.from_hash_lenient(text)
        raise_errors(errors)
        return config

    @classmethod
    def from_settings(cls, values: Mapping[str, object]) -> Config:
        """A config from hash keys and Python values (`dataset="spiral"`, `networkShape=[8, 8]`), every other key
        at its default, checked exactly as a hash is (ConfigErrors names every key or value that is not allowed).
        """
        changes, errors = _read(values, from_hash=True)
        raise_errors(errors)
        return cls(**changes)

    @classmethod
    def from_hash_lenient(cls, text: str) -> tuple[Config, list[ConfigError]]:
        """Parse a hash as the original reads it (numbers as parseFloat reads them, without the page's ranges: a
        value opens the same way as there if we can use it), keeping the default for every key or value we cannot
        use and returning what was wrong."""
        changes, errors = _read(hash_values(text), from_hash=True)
        return cls(**changes), errors


def hash_values(text: str) -> dict[str, str]:
    """A hash's keys and values as texts, percent-decoded (a pasted link may carry `networkShape=8%2C8`)."""
    values: dict[str, str] = {}
    for part in text.lstrip("#").split("&"):
        if part:
            key, _, value = part.partition("=")
            values[unquote(key)] = unquote(value)
    return values


def _read(values: Mapping[str, object], from_hash: bool) -> tuple[dict[str, Any], list[ConfigError]]:
    """Typed field values from hash keys, and an error for every key or value that is not allowed: in a hash,
    what we can use (knobs.py's `usable`); in a command, what the page's controls offer."""
    changes: dict[str, Any] = {}
    errors: list[ConfigError] = []
    hidden: set[str] = set()
    for key, raw in values.items():
        try:
            if key in KNOBS:
                changes[key] = parse_value(KNOBS[key], raw, from_hash)
            elif key == INIT_ZERO:
                if parse_value(bool_knob(key, Effect.NETWORK), raw) and "init" not in values:
                    changes["init"] = "zero"
            elif key == TUTORIAL:
                changes["tutorial"] = parse_value(Knob(key, "text", Effect.VIEW), raw) if raw else ""
            elif key == "hidden" and isinstance(raw, list):
                hidden.update(str(name) for name in raw)
            elif key.endswith(HIDE_SUFFIX) and key != HIDE_SUFFIX:
                if parse_value(bool_knob(key, Effect.VIEW), raw):
                    hidden.add(key.removesuffix(HIDE_SUFFIX))
            else:
                raise ConfigError(key, raw, "left out: it is not a setting; settings are "
                                  + ", ".join(KNOBS))
        except ConfigError as error:
            errors.append(error)
    if hidden or "hidden" in values:
        changes["hidden"] = frozenset(hidden)
    return changes, errors


def schema() -> dict[str, dict[str, Any]]:
    """Every knob as JSON for the page: kind, default, allowed values or range, menu, effect; the loss also its
    labels (the categorical cross-entropy of more than two classes among them)."""
    default = Config(seed="0")
    described = {key: {"kind": k.kind, "default": default.to_values()[key], "choices": list(k.choices),
                       "min": k.low, "max": k.high, "menu": list(k.menu), "effect": k.effect.name.lower(),
                       "allowed": k.allowed()}
                 for key, k in KNOBS.items()}
    described["loss"]["labels"] = dict(LOSS_LABELS)
    return described

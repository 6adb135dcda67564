"""What a session hands its connection: its play State, the Changes a command or a stretch of training made (each
becomes a message), and the Frame the page draws. Plain values: nothing here knows about websockets or JSON."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from playground.config import ConfigError, Effect
from playground.confusion import ClassArrays
from playground.insight import LearningArrays
from playground.train import Metrics


class State(StrEnum):
    PAUSED = "paused"
    PLAYING = "playing"
    DIVERGED = "diverged"


@dataclass
class Changes:
    """What changed since the connection last took them (Session.take_changes): each becomes a message."""

    config: bool = False  # the config was set (even to the same values): a `config` message
    effect: Effect | None = None  # the largest effect of what the config changed
    notices: list[ConfigError] = field(default_factory=list)  # bad hash values that fell back to defaults
    data: bool = False  # new points: a `data` message
    diverged: bool = False  # training went from finite to diverged: a `diverged` message
    notes: list[str] = field(default_factory=list)  # other notices for the learner (a scaled CSV file)

    def set_config(self, effect: Effect | None) -> None:
        self.config = True
        self.effect = effect if self.effect is None or (effect is not None and effect > self.effect) else self.effect


@dataclass(frozen=True)
class Frame:
    """Everything the page draws for one moment of training (see docs/protocol.md for each field)."""

    epoch: int
    state: State
    metrics: Metrics
    learning_rate: float
    sizes: tuple[int, ...]
    features: tuple[str, ...]
    selected: tuple[int, int]
    speed: int
    run: int
    history_start: int
    grid: np.ndarray  # int8 (100, 100)
    thumbnails: np.ndarray  # int8 (neurons - inputs, 10, 10): the hidden layers' and the output's
    weights: np.ndarray  # float32, every layer's weights row-major, layer after layer
    biases: np.ndarray  # float32
    history: np.ndarray  # float16 (k, 4): trainLoss, testLoss, trainAccuracy, testAccuracy per epoch
    learning: LearningArrays  # gradients, last steps, per-layer RMS gradient
    classes: ClassArrays | None  # confusion matrices (and the class grid for K > 2); None for regression

    def replacing(self, older: Frame) -> Frame:
        """This frame in place of an older one that was never sent: the older one's history rides along."""
        if older.run != self.run or not len(older.history):
            return self
        return dataclasses.replace(self, history_start=older.history_start,
                                   history=np.concatenate([older.history, self.history]))

"""Session: one learner's playground: config, data, the network in training, its loss history, play state and the
selected neuron; the commands a page can give; and the Frame and Data it shows.

Nothing here knows about websockets or JSON: the server calls these methods (from a worker thread) and encodes
what they return. A refused command raises SessionError with a message for the learner and changes nothing. What
a command or a stretch of training changed (config, data, divergence) the session notes in one place, as it
happens, and hands over as Changes; the connection turns those into messages, so no command can forget one.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from playground.config import Config, ConfigError, Effect, new_seed
from playground.datasets import generate
from playground.network import Architecture, Network, weight_stream
from playground.pictures import float32_for_page, neuron_grids, quantize, thumbnails
from playground.train import Metrics, Trainer

MAX_SPEED = 100


class State(StrEnum):
    PAUSED = "paused"
    PLAYING = "playing"
    DIVERGED = "diverged"


class SessionError(ValueError):
    """A command the session cannot carry out now; the message says why and what would work."""


@dataclass
class Changes:
    """What changed since the connection last took them (Session.take_changes): each becomes a message."""

    config: bool = False  # the config was set (even to the same values): a `config` message
    effect: Effect | None = None  # the largest effect of what the config changed
    notices: list[ConfigError] = field(default_factory=list)  # bad hash values that fell back to defaults
    data: bool = False  # new points: a `data` message
    diverged: bool = False  # training went from finite to diverged: a `diverged` message

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
    thumbnails: np.ndarray  # int8 (neurons, 10, 10)
    weights: np.ndarray  # float32, every layer's weights row-major, layer after layer
    biases: np.ndarray  # float32
    history: np.ndarray  # float32 (k, 4): trainLoss, testLoss, trainAccuracy, testAccuracy per epoch

    def replacing(self, older: Frame) -> Frame:
        """This frame in place of an older one that was never sent: the older one's history rides along."""
        if older.run != self.run or not len(older.history):
            return self
        return dataclasses.replace(self, history_start=older.history_start,
                                   history=np.concatenate([older.history, self.history]))


def _history_row(metrics: Metrics) -> tuple[float, float, float, float]:
    train, test = (math.nan if a is None else a for a in (metrics.train_accuracy, metrics.test_accuracy))
    return metrics.train_loss, metrics.test_loss, train, test


class Session:
    """One playground: created on connect, dropped on disconnect."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.state = State.PAUSED
        self.speed = 1
        self.run = 0
        self._changes = Changes()
        self._changes.set_config(None)
        self._replace_data()

    def take_changes(self) -> Changes:
        """What changed since the last call (the first call: the config and data a new session starts with)."""
        changes, self._changes = self._changes, Changes()
        return changes

    # --- building blocks -------------------------------------------------------------------------------------
    def _replace_data(self) -> None:
        """New data and a new network, both from the config's seed."""
        self._init_rng = weight_stream(self.config.seed)
        self.trainer = Trainer(self.config, generate(self.config), self._new_network())
        self._changes.data = True
        self._start_run()

    def _replace_network(self) -> None:
        """A new network on the same data: the next draw from the seed's stream of initial weights."""
        self.trainer = Trainer(self.config, self.trainer.data, self._new_network())
        self._start_run()

    def _new_network(self) -> Network:
        return Network.initial(Architecture.of(self.config), self.config.init, self._init_rng)

    def _start_run(self) -> None:
        self.run += 1
        self.selected = self.output_neuron
        if self.state is State.DIVERGED:
            self.state = State.PAUSED
        self.metrics = self.trainer.measure()
        self._new_rows: list[tuple[float, float, float, float]] = [_history_row(self.metrics)]
        self._check_finite()

    def _check_finite(self) -> None:
        """Every way into `diverged` passes here, and is noted for the page once."""
        if self.state is not State.DIVERGED and not (self.metrics.is_finite() and self.trainer.network.is_finite()):
            self.state = State.DIVERGED
            self._changes.diverged = True

    @property
    def output_neuron(self) -> tuple[int, int]:
        return len(self.config.layer_sizes) - 1, 0

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    # --- commands --------------------------------------------------------------------------------------------
    def open_hash(self, text: str) -> None:
        """Replace the whole config from a URL hash, keeping defaults for what is not allowed (noted)."""
        config, errors = Config.from_hash_lenient(text)
        self.config = config
        self._changes.set_config(Effect.DATA)
        self._changes.notices += errors
        self._replace_data()

    def update(self, values: Mapping[str, object]) -> None:
        """Change some knobs (raising ConfigError and changing nothing if any is not allowed)."""
        new = self.config.updated(values)
        effect = self.config.effect_of(new)
        self.config = new
        self._changes.set_config(effect)
        if effect is None or effect <= Effect.OPTIMIZER:
            self.trainer.config = new
            if effect is Effect.OPTIMIZER:
                self.trainer.reset_optimizer()
        elif effect is Effect.NETWORK:
            self._init_rng = weight_stream(new.seed)
            self._replace_network()
        else:
            self._replace_data()

    def play(self) -> None:
        self._refuse_if_diverged("play")
        self.state = State.PLAYING

    def pause(self) -> None:
        if self.state is State.PLAYING:
            self.state = State.PAUSED

    def step(self) -> None:
        self._refuse_if_diverged("step")
        self.state = State.PAUSED
        self.advance(1)

    def reset(self) -> None:
        self.state = State.PAUSED
        self._replace_network()

    def regenerate(self) -> None:
        """A new seed and new data; the network and its training carry on."""
        self.config = dataclasses.replace(self.config, seed=new_seed())
        self._changes.set_config(Effect.DATA)
        self.trainer.config = self.config
        self.trainer.set_data(generate(self.config))
        self._changes.data = True
        self.metrics = self.trainer.measure()
        self._check_finite()

    def select(self, layer: int | None, neuron: int | None) -> None:
        if layer is None and neuron is None:
            self.selected = self.output_neuron
            return
        sizes = self.config.layer_sizes
        if layer is None or neuron is None:
            raise SessionError("select needs both layer and neuron, or neither (for the output)")
        if not 0 <= layer < len(sizes) or not 0 <= neuron < sizes[layer]:
            raise SessionError(f"select: there is no neuron {neuron} in layer {layer}; layers are 0 (inputs) to "
                               f"{len(sizes) - 1} (output) with sizes {list(sizes)}")
        self.selected = (layer, neuron)

    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        sizes = self._check_layer("set_weight", layer)
        if not (0 <= source < sizes[layer - 1] and 0 <= target < sizes[layer]):
            raise SessionError(f"set_weight: layer {layer} has weights from neurons 0..{sizes[layer - 1] - 1} to "
                               f"neurons 0..{sizes[layer] - 1}; there is none from {source} to {target}")
        self.trainer.set_weight(layer, source, target, value)
        self._edited()

    def set_bias(self, layer: int, neuron: int, value: float) -> None:
        sizes = self._check_layer("set_bias", layer)
        if not 0 <= neuron < sizes[layer]:
            raise SessionError(f"set_bias: layer {layer} has neurons 0..{sizes[layer] - 1}; there is no {neuron}")
        self.trainer.network.set_bias(layer, neuron, value)
        self._edited()

    def set_speed(self, epochs: int) -> None:
        if not 1 <= epochs <= MAX_SPEED:
            raise SessionError(f"speed: epochs per frame must be a whole number from 1 to {MAX_SPEED}, not {epochs}")
        self.speed = epochs

    def _refuse_if_diverged(self, command: str) -> None:
        if self.state is State.DIVERGED:
            raise SessionError(f"{command}: training has diverged (a loss or weight is no longer a finite number); "
                               "press reset, or change the learning rate and reset")

    def _check_layer(self, command: str, layer: int) -> tuple[int, ...]:
        sizes = self.config.layer_sizes
        if not 1 <= layer < len(sizes):
            raise SessionError(f"{command}: layer must be from 1 (the first layer after the inputs) to "
                               f"{len(sizes) - 1} (the output), not {layer}")
        return sizes

    def _edited(self) -> None:
        self.metrics = self.trainer.measure()
        self._check_finite()

    # --- training and what the page sees ---------------------------------------------------------------------
    def advance(self, epochs: int) -> bool:
        """Train up to `epochs` epochs, stopping at divergence; True if training diverged."""
        for _ in range(epochs):
            self.metrics = self.trainer.run_epoch()
            self._new_rows.append(_history_row(self.metrics))
            self._check_finite()
            if self.state is State.DIVERGED:
                return True
        return False

    def frame(self) -> Frame:
        """What the page shows now; its history holds the epochs since the previous frame."""
        rows, self._new_rows = self._new_rows, []
        network = self.trainer.network
        features = self.config.features
        grids = neuron_grids(network, features)
        layer, neuron = self.selected
        index = sum(self.config.layer_sizes[:layer]) + neuron
        layers = range(1, network.architecture.layer_count + 1)
        weights = [network.weights(k).ravel() for k in layers]
        biases = [network.biases(k) for k in layers]
        return Frame(
            epoch=self.epoch, state=self.state, metrics=self.metrics, learning_rate=self.trainer.learning_rate,
            sizes=self.config.layer_sizes, features=features, selected=self.selected, speed=self.speed,
            run=self.run, history_start=self.epoch + 1 - len(rows),
            grid=quantize(grids[index]), thumbnails=quantize(thumbnails(grids)),
            weights=float32_for_page(np.concatenate(weights) if weights else np.zeros(0)),
            biases=float32_for_page(np.concatenate(biases) if biases else np.zeros(0)),
            history=float32_for_page(np.array(rows, dtype=np.float64).reshape(-1, 4)))

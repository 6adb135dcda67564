"""Trainer: a network in training on its data, with its optimizer state, pending gradients and epoch count.

One `epoch()` is one compiled pass over the training points (kernel.run_epoch) followed by the train and test
loss and accuracy. The learning rate of epoch e is learningRate / (1 + learningRateDecay * e).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground import kernel
from playground.config import Config
from playground.datasets import DataSplit, generate
from playground.features import inputs
from playground.knobs import CUSTOM
from playground.network import Architecture, Network
from playground.seedrandom import SeedRandom

SAVED_VERSION = 1
SAVED_KEYS = ("config", "epoch", "network", "optimizer", "pending")


class SavedNetworkError(ValueError):
    """A text that is not a saved network this version can open; the message says what is wrong."""


@dataclass(frozen=True)
class Metrics:
    """What one epoch achieved; accuracies are None for regression. A set with no points (the learner's own data
    may have none) has a NaN loss (null in JSON) and a None accuracy, and does not count as diverged."""

    epoch: int
    train_loss: float
    test_loss: float
    train_accuracy: float | None
    test_accuracy: float | None
    measured: tuple[bool, bool] = (True, True)  # whether the training and the test set had points

    def is_finite(self) -> bool:
        losses = (self.train_loss, self.test_loss)
        return all(math.isfinite(loss) for loss, had in zip(losses, self.measured, strict=True) if had)

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "trainLoss": self.train_loss, "testLoss": self.test_loss,
                "trainAccuracy": self.train_accuracy, "testAccuracy": self.test_accuracy}


class Trainer:
    """Trains one network on one data split under one config."""

    def __init__(self, config: Config, data: DataSplit, network: Network) -> None:
        self.config = config
        self.network = network
        self.epoch = 0
        self.set_data(data)
        self.grad = np.zeros_like(network.params)
        self.pending = np.zeros(1, dtype=np.int64)
        self.first = np.zeros_like(network.params)  # momentum velocity or Adam's first moment
        self.second = np.zeros_like(network.params)  # RMSprop's or Adam's second moment
        self.step = np.zeros(1, dtype=np.int64)  # optimizer updates so far (Adam's t)
        self.last_step = np.zeros_like(network.params)  # what the last update changed each parameter by

    @classmethod
    def fresh(cls, config: Config, stream: SeedRandom | None = None) -> Trainer:
        """The data and first network of a config's seed, as the original draws them from one stream: the data,
        then the weights. `stream` (a fresh stream of the seed if none) is left after the weights, where the
        original's reset button draws the next network from."""
        stream = stream or SeedRandom(config.seed)
        data = generate(config, stream)
        return cls(config, data, Network.initial(Architecture.of(config), config.init, stream))

    def set_data(self, data: DataSplit) -> None:
        self.data = data
        keys = self.config.features
        self.train_inputs = inputs(data.train_points, keys)
        self.test_inputs = inputs(data.test_points, keys)

    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        """A hand edit (network.set_weight). A weight killed by L1 comes back to life as a new weight: its
        optimizer moments, frozen while it was dead, start from zero."""
        index = (layer - 1, source, target)
        if self.network.dead[index]:
            self.first[index] = self.second[index] = 0.0
        self.network.set_weight(layer, source, target, value)

    def reset_optimizer(self) -> None:
        """Forget the optimizer's state (velocities, moments, step count); pending gradients stay."""
        for state in (self.first, self.second, self.step):
            state[:] = 0

    @property
    def loss_code(self) -> int:
        """Regression always uses squared error: cross-entropy needs outputs read as probabilities. More than two
        classes always use categorical cross-entropy (on the softmax outputs)."""
        if self.config.multiclass:
            return kernel.LOSSES.index("categoricalCrossEntropy")
        classification = self.config.problem == "classification"
        return kernel.LOSSES.index(self.config.loss if classification else "squared")

    @property
    def learning_rate(self) -> float:
        """The learning rate the next epoch uses, after decay."""
        return self.config.learningRate / (1 + self.config.learningRateDecay * self.epoch)

    @property
    def batch_size(self) -> int:
        """Examples per update: the config's batchSize, or every training point for the full batch (0)."""
        return int(self.config.batchSize) or max(1, len(self.data.train_labels))

    def hyper_parameters(self) -> kernel.HyperParameters:
        """The hyper-parameters the kernels train with now (the one place they are put together)."""
        c, net = self.config, self.network
        return kernel.HyperParameters(
            batch_size=self.batch_size, learning_rate=float(self.learning_rate),
            regularization=kernel.REGULARIZATIONS.index(c.regularization),
            regularization_rate=float(c.regularizationRate), activation=net.activation_code,
            output_activation=net.output_code, loss=self.loss_code, optimizer=kernel.OPTIMIZERS.index(c.optimizer),
            momentum=float(c.momentum))

    def run_epoch(self) -> Metrics:
        """Train one epoch, then measure it."""
        net = self.network
        kernel.run_epoch(self.train_inputs, self.data.train_labels, net.sizes, net.params, net.dead, self.grad,
                         self.pending, self.last_step, self.hyper_parameters(), self.first, self.second, self.step)
        self.epoch += 1
        return self.measure()

    def measure(self) -> Metrics:
        net = self.network
        args = (net.sizes, net.params, net.activation_code, net.output_code, self.loss_code)
        classification = self.config.problem == "classification"
        scores = []
        for points, labels in ((self.train_inputs, self.data.train_labels), (self.test_inputs, self.data.test_labels)):
            loss, accuracy = kernel.evaluate(points, labels, *args) if len(labels) else (math.nan, None)
            scores.append((loss, accuracy if classification else None))
        (train_loss, train_accuracy), (test_loss, test_accuracy) = scores
        return Metrics(self.epoch, train_loss, test_loss, train_accuracy, test_accuracy,
                       (bool(len(self.data.train_labels)), bool(len(self.data.test_labels))))

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to carry on training elsewhere (docs/saved-network.md): config, network, optimizer
        state, pending gradients, epoch."""
        return {"version": SAVED_VERSION, "config": self.config.to_hash(), "epoch": self.epoch,
                "network": self.network.to_dict(),
                "optimizer": {"first": self.first.tolist(), "second": self.second.tolist(),
                              "step": int(self.step[0])},
                "pending": {"gradient": self.grad.tolist(), "count": int(self.pending[0])}}

    @classmethod
    def from_json(cls, text: str) -> Trainer:
        """A saved network's JSON text (docs/saved-network.md); SavedNetworkError saying what is wrong if it is not
        one."""
        try:
            saved = json.loads(text)
        except ValueError as error:
            raise SavedNetworkError(f"it is not JSON ({error})") from None
        if not isinstance(saved, dict):
            raise SavedNetworkError(f"it is a JSON {type(saved).__name__}, not an object with {', '.join(SAVED_KEYS)}")
        if missing := [key for key in SAVED_KEYS if key not in saved]:
            raise SavedNetworkError(f"it has no {', '.join(missing)} (a saved network has {', '.join(SAVED_KEYS)})")
        try:
            return cls.from_dict(saved)
        except SavedNetworkError:
            raise
        except (KeyError, IndexError) as error:
            raise SavedNetworkError(f"a part is missing: {error}") from None
        except (ValueError, TypeError) as error:
            raise SavedNetworkError(str(error)) from None

    @classmethod
    def from_dict(cls, saved: dict[str, Any], data: DataSplit | None = None) -> Trainer:
        """A saved trainer on its config's generated data, or on `data` (the learner's own points)."""
        if saved.get("version", SAVED_VERSION) != SAVED_VERSION:
            raise SavedNetworkError(f"it is version {saved['version']!r}; this playground opens version "
                                    f"{SAVED_VERSION}")
        config = Config.from_hash(saved["config"])
        if data is None and config.active_dataset == CUSTOM:
            raise ValueError("this network was trained on your own points (dataset=custom): give them again with "
                             "--data FILE")
        network = Network.from_dict(saved["network"])
        if network.architecture != Architecture.of(config):
            raise ValueError("the saved network does not match its saved config")
        trainer = cls(config, generate(config) if data is None else data, network)
        trainer.epoch = int(saved["epoch"])
        optimizer, pending = saved["optimizer"], saved["pending"]
        trainer.first[:] = optimizer["first"]
        trainer.second[:] = optimizer["second"]
        trainer.step[0] = optimizer["step"]
        trainer.grad[:] = pending["gradient"]
        trainer.pending[0] = pending["count"]
        return trainer

"""The Python API, for notebooks and scripts (docs/python.md): `train(setup, epochs=...)` returns a Run, whose
History holds every epoch's losses and accuracies as NumPy arrays and whose Model predicts on given points and
gives the 100 x 100 picture of any neuron; a Run saves to and loads from the JSON of `playground train --save`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from playground.config import Config, ConfigError, hash_values
from playground.datasets import DataSplit
from playground.features import inputs
from playground.messages import dump_json
from playground.network import Network
from playground.pictures import neuron_grids
from playground.train import Metrics, Trainer


class SavedRunError(ValueError):
    """A file that is not a network saved by playground; the message names the file and what is wrong."""

    def __init__(self, path: str | Path, reason: str) -> None:
        super().__init__(f"{path}: cannot load a saved network: {reason}")


@dataclass(frozen=True)
class History:
    """Every epoch a Run trained, one entry per epoch; accuracies are None for regression."""

    epoch: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    train_accuracy: np.ndarray | None
    test_accuracy: np.ndarray | None

    @classmethod
    def of(cls, records: list[Metrics], classification: bool) -> History:
        def column(name: str) -> np.ndarray:
            return np.array([getattr(m, name) for m in records], dtype=np.float64)

        accuracy = (column("train_accuracy"), column("test_accuracy")) if classification else (None, None)
        return cls(np.array([m.epoch for m in records], dtype=np.int64), column("train_loss"), column("test_loss"),
                   *accuracy)


class Model:
    """A trained network as a learner uses it: what it predicts at points (x, y) and what each neuron computes."""

    def __init__(self, network: Network, features: tuple[str, ...]) -> None:
        self._network = network
        self.features = features  # the input features, in input order (hash keys: "x", "xSquared", ...)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Neurons per layer: inputs, hidden layers, output."""
        return self._network.architecture.sizes

    def weights(self, layer: int) -> np.ndarray:
        """A copy of layer l's (fan_in, fan_out) weights; layer 1 is the first hidden layer."""
        self._check_layer(layer, first=1)
        return self._network.weights(layer).copy()

    def biases(self, layer: int) -> np.ndarray:
        self._check_layer(layer, first=1)
        return self._network.biases(layer).copy()

    def predict(self, points: Any) -> np.ndarray:
        """The network's output at each point of an (n, 2) array of (x, y): shape (n,) with one output; with K
        classes (softmax) the probabilities of each class, shape (n, K)."""
        array = np.asarray(points, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != 2:
            raise ValueError(f"points must be an (n, 2) array of (x, y), got shape {array.shape}")
        outputs = self.sizes[-1]
        values: np.ndarray = self._network.forward(inputs(array, self.features))[-outputs:]
        return values[0] if outputs == 1 else values.T

    def grid(self, layer: int, neuron: int) -> np.ndarray:
        """What one neuron computes over the plane: a (100, 100) array, row 0 the top (y = +6), column 0 the left
        (x = -6), as the page draws it. Layer 0 is the inputs, the last layer the output."""
        self._check_layer(layer, first=0)
        if not 0 <= neuron < self.sizes[layer]:
            raise ValueError(f"layer {layer} has neurons 0..{self.sizes[layer] - 1}; there is no {neuron}")
        index = sum(self.sizes[:layer]) + neuron
        picture: np.ndarray = neuron_grids(self._network, self.features)[index]
        return picture

    def _check_layer(self, layer: int, first: int) -> None:
        if not first <= layer < len(self.sizes):
            raise ValueError(f"layer must be from {first} to {len(self.sizes) - 1}, got {layer}")


class Run:
    """A network in training on its data under one config, with the history of the epochs trained here."""

    def __init__(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self._records: list[Metrics] = []
        self.diverged = False

    @property
    def config(self) -> Config:
        return self.trainer.config

    @property
    def hash(self) -> str:
        """The setup as a hash: paste it after the page's address (`#...`) to open this run's data and start."""
        return self.config.to_hash()

    @property
    def epoch(self) -> int:
        return self.trainer.epoch

    @property
    def history(self) -> History:
        return History.of(self._records, self.config.problem == "classification")

    @property
    def network(self) -> Model:
        return Model(self.trainer.network, self.config.features)

    def epochs(self, count: int) -> Iterator[Metrics]:
        """Train up to `count` more epochs, yielding each one's metrics; stop (and set `diverged`) at the first
        epoch whose loss or a weight is no longer a finite number."""
        if count < 0:
            raise ValueError(f"epochs must be 0 or more, got {count}")
        for _ in range(count):
            if self.diverged:
                return
            metrics = self.trainer.run_epoch()
            self._records.append(metrics)
            self.diverged = not (metrics.is_finite() and self.trainer.network.is_finite())
            yield metrics

    def train(self, epochs: int) -> Run:
        """Train `epochs` more epochs (fewer if it diverges); returns the run itself."""
        for _ in self.epochs(epochs):
            pass
        return self

    def to_dict(self) -> dict[str, Any]:
        return self.trainer.to_dict()

    def save(self, path: str | Path) -> None:
        """Save as `playground train --save` does: `playground train --load` and `playground export` read it."""
        Path(path).write_text(dump_json(self.to_dict()))

    def keras_script(self) -> str:
        """A self-contained Python script that builds this network in Keras with its trained weights."""
        from playground.keras_export import keras_script

        return keras_script(self.trainer)


def setup_config(setup: str | Config | None = None, **settings: object) -> Config:
    """A config from a hash (or a Config) and keyword settings on top, checked as a hash is."""
    if isinstance(setup, Config):
        base: dict[str, object] = setup.to_values()
    elif isinstance(setup, str):
        base = dict(hash_values(setup))
    elif setup is None:
        base = {}
    else:
        raise TypeError(f"setup must be a hash string, a Config or None, got {type(setup).__name__}")
    return Config.from_settings({**base, **settings})


def train(setup: str | Config | None = None, /, *, epochs: int = 500, **settings: object) -> Run:
    """Train a fresh network: `train("dataset=xor&networkShape=4", epochs=200)` or
    `train(dataset="xor", networkShape=[4], epochs=200)`. A bad key or value raises ConfigError (every one
    named, with what is allowed); without a seed a fresh one is drawn (`run.config.seed` tells it)."""
    return Run(Trainer.fresh(setup_config(setup, **settings))).train(epochs)


def load(path: str | Path, data: DataSplit | None = None) -> Run:
    """A saved run (`Run.save`, `playground train --save`), ready to train on; on `data` (the learner's own points)
    when given, else on its config's generated data."""
    try:
        saved = json.loads(Path(path).read_text())
        return Run(Trainer.from_dict(saved, data))
    except OSError as error:
        raise SavedRunError(path, error.strerror or str(error)) from None
    except json.JSONDecodeError as error:
        raise SavedRunError(path, f"it is not JSON ({error})") from None
    except ConfigError as error:
        raise SavedRunError(path, f"its config is not allowed ({error})") from None
    except (KeyError, TypeError, IndexError, ValueError) as error:
        raise SavedRunError(path, f"it is not a network saved by playground ({type(error).__name__}: {error})") \
            from None

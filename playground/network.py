"""Network: the multilayer perceptron's weights and biases, their initialization, many-point forward passes,
and saving to / loading from JSON.

The parameters live in one float64 array in kernel.py's padded layout; `weights(l)` and `biases(l)` are views
into it, so an edit through a view is what the kernel trains next.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground import kernel
from playground.config import Config
from playground.datasets import seed_sequence
from playground.kernel import WIDTH

INITIAL_BIAS = 0.1
# An initializer draws a layer's weights given (rng, fan_in, fan_out); biases start at INITIAL_BIAS except for zero.
Initializer = Callable[[np.random.Generator, int, int], np.ndarray]
INITIALIZERS: dict[str, Initializer] = {
    "uniform": lambda rng, fan_in, fan_out: rng.uniform(-0.5, 0.5, (fan_in, fan_out)),
    "zero": lambda rng, fan_in, fan_out: np.zeros((fan_in, fan_out)),
    "xavier": lambda rng, fan_in, fan_out: rng.uniform(-1, 1, (fan_in, fan_out))
    * math.sqrt(6 / max(fan_in + fan_out, 1)),
    "he": lambda rng, fan_in, fan_out: rng.normal(0, math.sqrt(2 / max(fan_in, 1)), (fan_in, fan_out)),
}


def weight_stream(seed: str) -> np.random.Generator:
    """The reproducible stream of initial weights of a seed (its data come from another stream)."""
    return np.random.default_rng(seed_sequence(seed, 1))


@dataclass(frozen=True)
class Architecture:
    """What a network is, apart from its numbers: layer sizes and activations."""

    sizes: tuple[int, ...]  # inputs, hidden layers, output
    activation: str
    output_activation: str

    def __post_init__(self) -> None:
        if len(self.sizes) < 2 or not all(0 <= size <= WIDTH for size in self.sizes) or self.sizes[-1] != 1:
            raise ValueError(f"layer sizes {self.sizes} are not allowed: at most {WIDTH} neurons a layer, "
                             "one output")
        for name in (self.activation, self.output_activation):
            if name not in kernel.ACTIVATIONS:
                raise ValueError(f"activation {name!r} is not one of {', '.join(kernel.ACTIVATIONS)}")

    @classmethod
    def of(cls, config: Config) -> Architecture:
        output = "tanh" if config.problem == "classification" else "linear"
        return cls(config.layer_sizes, config.activation, output)

    @property
    def layer_count(self) -> int:
        """Layers with parameters: the hidden ones and the output."""
        return len(self.sizes) - 1


class Network:
    """Weights, biases and dead links (L1) of one MLP, in kernel.py's padded layout."""

    def __init__(self, architecture: Architecture, params: np.ndarray | None = None,
                 dead: np.ndarray | None = None) -> None:
        self.architecture = architecture
        self.sizes = np.array(architecture.sizes, dtype=np.int64)
        shape = (architecture.layer_count, WIDTH + 1, WIDTH)
        self.params = np.zeros(shape) if params is None else np.ascontiguousarray(params, dtype=np.float64)
        self.dead = np.zeros(shape, dtype=np.bool_) if dead is None else dead.astype(np.bool_)
        if self.params.shape != shape or self.dead.shape != shape:
            raise ValueError(f"expected parameters of shape {shape}, got {self.params.shape}")
        self.activation_code = kernel.ACTIVATIONS.index(architecture.activation)
        self.output_code = kernel.ACTIVATIONS.index(architecture.output_activation)
        slots = np.arange(self.params.size).reshape(shape)
        layers = range(architecture.layer_count)
        sizes = architecture.sizes
        self._weight_slots = np.concatenate([slots[k, :sizes[k], :sizes[k + 1]].ravel() for k in layers])
        self._bias_slots = np.concatenate([slots[k, WIDTH, :sizes[k + 1]] for k in layers])

    @classmethod
    def initial(cls, architecture: Architecture, init: str, rng: np.random.Generator) -> Network:
        """A fresh network: weights from the named initializer, biases 0.1 (0 for the zero initializer)."""
        network = cls(architecture)
        for layer in range(1, architecture.layer_count + 1):
            fan_in, fan_out = architecture.sizes[layer - 1], architecture.sizes[layer]
            network.weights(layer)[:] = INITIALIZERS[init](rng, fan_in, fan_out)
            network.biases(layer)[:] = 0.0 if init == "zero" else INITIAL_BIAS
        return network

    def weights(self, layer: int) -> np.ndarray:
        """Layer l's weights as a (fan_in, fan_out) view; layer 1 is the first hidden layer."""
        return self.params[layer - 1, :self.sizes[layer - 1], :self.sizes[layer]]

    def biases(self, layer: int) -> np.ndarray:
        return self.params[layer - 1, WIDTH, :self.sizes[layer]]

    def flat(self, padded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """An array in the padded parameter layout as flat weights and biases, the protocol's layout: layer after
        layer, each layer's (fan_in, fan_out) weights row-major, then (separately) its biases."""
        values = padded.reshape(-1)
        return values[self._weight_slots], values[self._bias_slots]

    def set_weight(self, layer: int, source: int, target: int, value: float) -> None:
        """Set the weight from neuron `source` of layer-1 to `target` of layer; a dead weight comes back."""
        self.weights(layer)[source, target] = value
        self.dead[layer - 1, source, target] = False

    def set_bias(self, layer: int, neuron: int, value: float) -> None:
        self.biases(layer)[neuron] = value

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        """Every neuron's output (inputs first, output last) at each input row: shape (sum(sizes), n)."""
        out = np.empty((int(self.sizes.sum()), len(inputs)))
        kernel.forward_many(np.ascontiguousarray(inputs, dtype=np.float64), self.sizes, self.params,
                            self.activation_code, self.output_code, out)
        return out

    def output(self, inputs: np.ndarray) -> np.ndarray:
        outputs: np.ndarray = self.forward(inputs)[-1]
        return outputs

    def is_finite(self) -> bool:
        return bool(np.isfinite(self.params).all())

    def to_dict(self) -> dict[str, Any]:
        layers = range(1, self.architecture.layer_count + 1)
        return {"sizes": list(self.architecture.sizes), "activation": self.architecture.activation,
                "outputActivation": self.architecture.output_activation,
                "weights": [self.weights(layer).tolist() for layer in layers],
                "biases": [self.biases(layer).tolist() for layer in layers],
                "dead": [[int(layer) + 1, int(i), int(j)] for layer, i, j in np.argwhere(self.dead)]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Network:
        network = cls(Architecture(tuple(data["sizes"]), data["activation"], data["outputActivation"]))
        for layer, (w, b) in enumerate(zip(data["weights"], data["biases"], strict=True), start=1):
            network.weights(layer)[:] = np.asarray(w, dtype=np.float64)
            network.biases(layer)[:] = np.asarray(b, dtype=np.float64)
        for layer, i, j in data.get("dead", []):
            network.dead[layer - 1, i, j] = True
        return network

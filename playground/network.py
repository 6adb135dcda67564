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
from playground.kernel import WIDTH
from playground.seedrandom import SeedRandom

INITIAL_BIAS = 0.1
SOFTMAX = "softmax"  # the output activation of more than two classes
# An initializer draws a layer's weights from the stream given (stream, fan_in, fan_out) and returns them as
# (fan_in, fan_out). The draws go as the original's: for each neuron of the next layer in order, one per incoming
# link in the order of the source neurons. Biases start at INITIAL_BIAS except for zero.
Initializer = Callable[[SeedRandom, int, int], np.ndarray]


def _by_target(draws: np.ndarray, fan_in: int, fan_out: int) -> np.ndarray:
    """Draws made target after target, source after source, as a (fan_in, fan_out) weight matrix."""
    matrix: np.ndarray = draws.reshape(fan_out, fan_in).T
    return matrix


def uniform(stream: SeedRandom, fan_in: int, fan_out: int) -> np.ndarray:
    """The original's: random() - 0.5."""
    return _by_target(stream.uniforms(fan_in * fan_out) - 0.5, fan_in, fan_out)


def zero(stream: SeedRandom, fan_in: int, fan_out: int) -> np.ndarray:
    """Zeros, after making the uniform draws (as the original's initZero does, so the stream moves on the same)."""
    stream.uniforms(fan_in * fan_out)
    return np.zeros((fan_in, fan_out))


def xavier(stream: SeedRandom, fan_in: int, fan_out: int) -> np.ndarray:
    """Glorot's uniform: (2 random() - 1) * sqrt(6 / (fan_in + fan_out))."""
    scale = math.sqrt(6 / max(fan_in + fan_out, 1))
    return _by_target(2 * stream.uniforms(fan_in * fan_out) - 1, fan_in, fan_out) * scale


def he(stream: SeedRandom, fan_in: int, fan_out: int) -> np.ndarray:
    """He's normal: a polar-method normal draw * sqrt(2 / fan_in)."""
    return _by_target(stream.normals(fan_in * fan_out), fan_in, fan_out) * math.sqrt(2 / max(fan_in, 1))


INITIALIZERS: dict[str, Initializer] = {"uniform": uniform, "zero": zero, "xavier": xavier, "he": he}


@dataclass(frozen=True)
class Architecture:
    """What a network is, apart from its numbers: layer sizes and activations."""

    sizes: tuple[int, ...]  # inputs, hidden layers, output
    activation: str
    output_activation: str  # softmax: one output neuron per class

    def __post_init__(self) -> None:
        if self.activation not in kernel.ACTIVATIONS:
            raise ValueError(f"activation {self.activation!r} is not one of {', '.join(kernel.ACTIVATIONS)}")
        if self.output_activation not in kernel.OUTPUT_ACTIVATIONS:
            raise ValueError(f"output activation {self.output_activation!r} is not one of "
                             f"{', '.join(kernel.OUTPUT_ACTIVATIONS)}")
        outputs = range(2, WIDTH + 1) if self.output_activation == SOFTMAX else range(1, 2)
        if len(self.sizes) < 2 or not all(0 <= size <= WIDTH for size in self.sizes) or self.sizes[-1] not in outputs:
            raise ValueError(f"layer sizes {self.sizes} are not allowed: at most {WIDTH} neurons a layer, one "
                             f"output (softmax: 2 to {WIDTH})")

    @classmethod
    def of(cls, config: Config) -> Architecture:
        output = SOFTMAX if config.multiclass else "tanh" if config.problem == "classification" else "linear"
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
        self.output_code = kernel.OUTPUT_ACTIVATIONS.index(architecture.output_activation)
        slots = np.arange(self.params.size).reshape(shape)
        layers = range(architecture.layer_count)
        sizes = architecture.sizes
        self._weight_slots = np.concatenate([slots[k, :sizes[k], :sizes[k + 1]].ravel() for k in layers])
        self._bias_slots = np.concatenate([slots[k, WIDTH, :sizes[k + 1]] for k in layers])

    @classmethod
    def initial(cls, architecture: Architecture, init: str, stream: SeedRandom) -> Network:
        """A fresh network: weights from the named initializer drawn from the stream, layer after layer (as the
        original), biases 0.1 (0 for the zero initializer)."""
        network = cls(architecture)
        for layer in range(1, architecture.layer_count + 1):
            fan_in, fan_out = architecture.sizes[layer - 1], architecture.sizes[layer]
            network.weights(layer)[:] = INITIALIZERS[init](stream, fan_in, fan_out)
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

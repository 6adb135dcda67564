"""What the page shows of learning itself, put together from the compiled computations of gradients.py: every
frame's gradients, last steps and per-layer RMS gradient (LearningArrays); the training loss along one parameter
with the next step on it (LossSlice); one training point forward and backward (ExamplePass).

Everything is in the frame's flat layout (Network.flat): layer after layer, weights row-major, biases apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground import gradients, kernel
from playground.kernel import WIDTH
from playground.pictures import float32_for_page
from playground.train import Trainer


def training_gradient(trainer: Trainer) -> tuple[np.ndarray, np.ndarray]:
    """dL/dparams of the training loss in the padded layout, and the mean-loss part of it alone (what the
    optimizer is fed; the update adds the regularization step itself)."""
    net, hyper = trainer.network, trainer.hyper_parameters()
    mean = np.empty_like(net.params)
    gradients.loss_gradient(trainer.train_inputs, trainer.data.train_labels, net.sizes, net.params, hyper, mean)
    total = mean.copy()
    gradients.add_penalty_gradient(net.params, hyper, total)
    return total, mean


@dataclass(frozen=True)
class LearningArrays:
    """A frame's view of learning: float32, in the frame's weights / biases layout (docs/protocol.md). The
    per-link arrays ride only in the link view that draws them; the weight card takes its gradient from the
    `slice` it asks for."""

    layer_gradients: np.ndarray  # (layers,): RMS of dL/dw over each layer's weights
    links: dict[str, np.ndarray]  # weightGradients and biasGradients, or weightSteps and biasSteps, or none

    def arrays(self) -> dict[str, np.ndarray]:
        return self.links | {"layerGradients": self.layer_gradients}


LINK_ARRAYS = {"gradients": ("weightGradients", "biasGradients"), "steps": ("weightSteps", "biasSteps")}


def learning_arrays(trainer: Trainer, link_view: str) -> LearningArrays:
    """Each layer's RMS weight gradient at the trainer's weights and, for the link views that draw them, the
    gradient or the last update's steps of every weight and bias."""
    net = trainer.network
    gradient, _ = training_gradient(trainer)
    rms = np.empty(len(net.sizes) - 1)
    gradients.layer_rms(gradient, net.sizes, rms)
    names = LINK_ARRAYS.get(link_view)
    links = {} if names is None else dict(zip(names, (float32_for_page(values) for values in net.flat(
        gradient if link_view == "gradients" else trainer.last_step)), strict=True))
    return LearningArrays(float32_for_page(rms), links)


SLICE_POINTS = 81  # odd: the middle one is the current value
SLICE_RADIUS = 1.0  # the slice spans at least the current value +- this, more when the steps reach further
SLICE_MARGIN = 1.25  # ... and then a quarter beyond the farthest step


def next_change(trainer: Trainer, mean_gradient: np.ndarray) -> np.ndarray:
    """What the kernel's update would change every parameter by if it were applied now to `mean_gradient`: the
    optimizer on a copy of its state, the regularization step and L1's death rule; nothing of the trainer's
    changes."""
    net = trainer.network
    params, dead, grad = net.params.copy(), net.dead.copy(), mean_gradient.copy()
    first, second, step = trainer.first.copy(), trainer.second.copy(), trainer.step.copy()
    change = np.zeros_like(params)
    kernel._update(params, dead, grad, change, 1.0, trainer.hyper_parameters(), first, second, step)
    return change


@dataclass(frozen=True)
class LossSlice:
    """The training loss along one parameter, the others fixed, and where the next step takes it."""

    address: dict[str, int]  # layer and source, target (a weight) or neuron (a bias), as the command gave them
    epoch: int
    value: float
    loss: float
    gradient: float
    learning_rate: float
    optimizer: str
    next_step: float
    landing: float
    landing_loss: float
    values: np.ndarray
    losses: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {**self.address, "parameter": "bias" if "neuron" in self.address else "weight",
                "epoch": self.epoch, "value": self.value, "loss": self.loss, "gradient": self.gradient,
                "learningRate": self.learning_rate, "optimizer": self.optimizer, "nextStep": self.next_step,
                "landing": self.landing, "landingLoss": self.landing_loss, "values": self.values.tolist(),
                "losses": self.losses.tolist()}


def weight_slice(trainer: Trainer, layer: int, source: int, target: int) -> LossSlice:
    """The slice along the weight from neuron `source` of layer - 1 to `target` of layer (indices checked)."""
    return _slice(trainer, {"layer": layer, "source": source, "target": target}, (layer - 1, source, target))


def bias_slice(trainer: Trainer, layer: int, neuron: int) -> LossSlice:
    return _slice(trainer, {"layer": layer, "neuron": neuron}, (layer - 1, WIDTH, neuron))


def _slice(trainer: Trainer, address: dict[str, int], index: tuple[int, int, int]) -> LossSlice:
    net, hyper = trainer.network, trainer.hyper_parameters()
    points, labels = trainer.train_inputs, trainer.data.train_labels
    gradient, mean = training_gradient(trainer)
    value, slope = float(net.params[index]), float(gradient[index])
    next_step = float(next_change(trainer, mean)[index])
    landing = value - hyper.learning_rate * slope
    reaches = [abs(step) for step in (landing - value, next_step) if math.isfinite(step)]
    radius = max([SLICE_RADIUS, *(SLICE_MARGIN * reach for reach in reaches)])
    values = np.linspace(value - radius, value + radius, SLICE_POINTS)
    along = np.append(values, [value, landing])  # the loss here and at the landing point come along
    losses = np.empty_like(along)
    gradients.losses_along(points, labels, net.sizes, net.params, hyper, *index, along, losses)
    return LossSlice(address=address, epoch=trainer.epoch, value=value, loss=float(losses[-2]), gradient=slope,
                     learning_rate=hyper.learning_rate, optimizer=trainer.config.optimizer, next_step=next_step,
                     landing=landing, landing_loss=float(losses[-1]), values=values, losses=losses[:-2])


@dataclass(frozen=True)
class ExamplePass:
    """One training point through the network: forward, loss, backward, and its share of the next update."""

    index: int
    point: tuple[float, float]
    label: float
    epoch: int
    sizes: tuple[int, ...]
    features: tuple[str, ...]
    z: list[list[float]]  # layers 1..L
    activations: list[list[float]]  # layers 0..L (0: the inputs)
    loss: float
    deltas: list[list[float]]  # dE/dz, layers 1..L
    weight_gradients: np.ndarray  # dE/dw in the frame's layout
    bias_gradients: np.ndarray
    batch_size: int
    learning_rate: float

    @property
    def output(self) -> float | list[float]:
        """The network's output: the one output neuron's, or the K class probabilities of a softmax output."""
        outputs = self.activations[-1]
        return outputs[0] if len(outputs) == 1 else outputs

    def to_dict(self) -> dict[str, Any]:
        share = -self.learning_rate / self.batch_size  # plain SGD: this example's part of the mean gradient's step
        return {"index": self.index, "point": list(self.point), "label": self.label, "epoch": self.epoch,
                "sizes": list(self.sizes), "features": list(self.features), "inputs": self.activations[0],
                "z": self.z, "activations": self.activations, "output": self.output, "loss": self.loss,
                "deltas": self.deltas, "weightGradients": self.weight_gradients.tolist(),
                "biasGradients": self.bias_gradients.tolist(), "batchSize": self.batch_size,
                "learningRate": self.learning_rate, "weightUpdates": (share * self.weight_gradients).tolist(),
                "biasUpdates": (share * self.bias_gradients).tolist()}


def example_pass(trainer: Trainer, index: int) -> ExamplePass:
    """Training point `index` (checked) forward and backward through the trainer's network, which it leaves as is."""
    net, hyper = trainer.network, trainer.hyper_parameters()
    sizes = net.architecture.sizes
    z, a, delta = kernel.work_arrays(net.sizes)
    grad = np.zeros_like(net.params)
    target = float(trainer.data.train_labels[index])
    loss = gradients.example_pass(np.ascontiguousarray(trainer.train_inputs[index]), target, net.sizes, net.params,
                                  hyper, z, a, delta, grad)

    def per_layer(values: np.ndarray, first: int) -> list[list[float]]:
        return [values[layer, :sizes[layer]].tolist() for layer in range(first, len(sizes))]

    weight_gradients, bias_gradients = net.flat(grad)
    x, y = trainer.data.train_points[index]
    return ExamplePass(index=index, point=(float(x), float(y)), label=target, epoch=trainer.epoch, sizes=sizes,
                       features=trainer.config.features, z=per_layer(z, 1), activations=per_layer(a, 0),
                       loss=float(loss), deltas=per_layer(delta, 1), weight_gradients=weight_gradients,
                       bias_gradients=bias_gradients, batch_size=trainer.batch_size,
                       learning_rate=hyper.learning_rate)

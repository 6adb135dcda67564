"""What the page shows of learning itself, put together from the compiled computations of gradients.py: every
frame's gradients, last steps and per-layer RMS gradient (LearningArrays).

Everything is in the frame's flat layout (Network.flat): layer after layer, weights row-major, biases apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground import gradients
from playground.kernel import WIDTH
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
    """A frame's view of learning: float32, in the frame's weights / biases layout (docs/protocol.md)."""

    weight_gradients: np.ndarray
    bias_gradients: np.ndarray
    weight_steps: np.ndarray
    bias_steps: np.ndarray
    layer_gradients: np.ndarray  # (layers,): RMS of dL/dw over each layer's weights

    def arrays(self) -> dict[str, np.ndarray]:
        return {"weightGradients": self.weight_gradients, "biasGradients": self.bias_gradients,
                "weightSteps": self.weight_steps, "biasSteps": self.bias_steps,
                "layerGradients": self.layer_gradients}


def learning_arrays(trainer: Trainer) -> LearningArrays:
    """The gradient at the trainer's weights, the last update's steps and each layer's RMS weight gradient."""
    net = trainer.network
    gradient, _ = training_gradient(trainer)
    sizes = np.asarray(net.architecture.sizes)
    counts = sizes[:-1] * sizes[1:]
    squares = np.square(gradient[:, :WIDTH]).sum(axis=(1, 2))  # the padding's gradients are zero
    rms = np.sqrt(squares / np.maximum(counts, 1))
    weight_gradients, bias_gradients = net.flat(gradient)
    weight_steps, bias_steps = net.flat(trainer.last_step)
    return LearningArrays(*(values.astype(np.float32) for values in (
        weight_gradients, bias_gradients, weight_steps, bias_steps, rms)))

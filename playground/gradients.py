"""The compiled computations that make learning visible (numba, on kernel.py's padded layout): the full-batch
gradient of the training loss, that loss itself (regularization included) along one parameter, and one example's
forward and backward pass.

They reuse the kernel's own forward and backward passes, so what the page shows is what training does. The
training loss is L = mean over the training points of the example loss + regularizationRate * sum over the
weights of R(w), R = |w| (L1) or w^2 / 2 (L2); biases are not regularized.
"""

from __future__ import annotations

import numpy as np

from playground.kernel import (
    _CATEGORICAL,
    _L1,
    _L2,
    _SOFTMAX,
    WIDTH,
    HyperParameters,
    _backward,
    _forward,
    evaluate,
    example_loss,
    jit,
    penalty_slope,
    work_arrays,
)
from playground.softmax import categorical_loss, softmax


@jit
def loss_gradient(points: np.ndarray, labels: np.ndarray, sizes: np.ndarray, params: np.ndarray,
                  hyper: HyperParameters, grad: np.ndarray) -> None:
    """grad = the mean over the points of dE/dparams (no regularization): what an update over them all applies."""
    grad[:] = 0.0
    z, a, delta = work_arrays(sizes)
    for n in range(points.shape[0]):
        _forward(points[n], sizes, params, hyper.activation, hyper.output_activation, z, a)
        if hyper.output_activation == _SOFTMAX:
            softmax(z[-1], a[-1], sizes[-1])
        _backward(sizes, params, hyper.activation, hyper.output_activation, hyper.loss, labels[n], z, a, delta,
                  grad)
    grad /= max(points.shape[0], 1)


@jit
def add_penalty_gradient(params: np.ndarray, hyper: HyperParameters, grad: np.ndarray) -> None:
    """grad += regularizationRate * dR/dw on every weight (the biases' rows are left alone)."""
    for layer in range(params.shape[0]):
        for row in range(WIDTH):
            for j in range(WIDTH):
                grad[layer, row, j] += hyper.regularization_rate * penalty_slope(hyper.regularization,
                                                                                 params[layer, row, j])


@jit
def objective(points: np.ndarray, labels: np.ndarray, sizes: np.ndarray, params: np.ndarray,
              hyper: HyperParameters) -> float:
    """L: the mean example loss plus the regularization term."""
    loss, _ = evaluate(points, labels, sizes, params, hyper.activation, hyper.output_activation, hyper.loss)
    penalty = 0.0
    for layer in range(params.shape[0]):
        for row in range(WIDTH):
            for j in range(WIDTH):
                w = params[layer, row, j]
                if hyper.regularization == _L1:
                    penalty += abs(w)
                elif hyper.regularization == _L2:
                    penalty += 0.5 * w * w
    return loss + hyper.regularization_rate * penalty


@jit
def losses_along(points: np.ndarray, labels: np.ndarray, sizes: np.ndarray, params: np.ndarray,
                 hyper: HyperParameters, layer: int, row: int, column: int, values: np.ndarray,
                 out: np.ndarray) -> None:
    """out[k] = L with params[layer, row, column] set to values[k], every other parameter as it is. Works on a
    copy: `params` itself is never changed."""
    work = params.copy()
    for k in range(len(values)):
        work[layer, row, column] = values[k]
        out[k] = objective(points, labels, sizes, work, hyper)


@jit
def example_pass(x: np.ndarray, target: float, sizes: np.ndarray, params: np.ndarray, hyper: HyperParameters,
                 z: np.ndarray, a: np.ndarray, delta: np.ndarray, grad: np.ndarray) -> float:
    """One point forward (z, a) and backward (delta = dE/dz, grad = dE/dparams, set afresh); returns its loss E."""
    grad[:] = 0.0
    _forward(x, sizes, params, hyper.activation, hyper.output_activation, z, a)
    if hyper.output_activation == _SOFTMAX:
        softmax(z[-1], a[-1], sizes[-1])
    _backward(sizes, params, hyper.activation, hyper.output_activation, hyper.loss, target, z, a, delta, grad)
    last = len(sizes) - 1
    if hyper.loss == _CATEGORICAL:
        return categorical_loss(a[last], target)
    return example_loss(hyper.loss, a[last, 0], target)

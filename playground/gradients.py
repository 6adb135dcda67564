"""The compiled computations that make learning visible (numba, on kernel.py's padded layout): the full-batch
gradient of the training loss, that loss itself (regularization included) along one parameter, and one example's
forward and backward pass.

They reuse the kernel's own passes, so what the page shows is what training does: the full-batch gradient goes
layer by layer over all the points (kernel.forward_many) and sums in the per-example passes' order, so it is the
same number to the last bit. The training loss is L = mean over the training points of the example loss +
regularizationRate * sum over the weights of R(w), R = |w| (L1) or w^2 / 2 (L2); biases are not regularized.
"""

from __future__ import annotations

import math

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
    derivative,
    evaluate,
    example_loss,
    forward_many,
    jit,
    output_delta,
    penalty_slope,
)
from playground.softmax import categorical_loss, softmax


@jit
def loss_gradient(points: np.ndarray, labels: np.ndarray, sizes: np.ndarray, params: np.ndarray,
                  hyper: HyperParameters, grad: np.ndarray) -> None:
    """grad = the mean over the points of dE/dparams (no regularization): what an update over them all applies.

    Backpropagation layer by layer over all the points at once (kernel.forward_many, then the deltas of a whole
    layer), which skips the padding the per-example passes carry: 2 to 7 times faster. Each gradient entry is
    still summed point after point, in the points' order, so it is bit for bit the sum of the per-example passes
    (example_pass) that training itself makes.
    """
    grad[:] = 0.0
    n = points.shape[0]
    if n == 0:
        return
    act, out_act = hyper.activation, hyper.output_activation
    out = np.empty((sizes.sum(), n))
    forward_many(points, sizes, params, act, out_act, out)
    last = len(sizes) - 1
    after = np.zeros((WIDTH, n))  # dE/dz of the layer above, neuron-major
    below = np.zeros((WIDTH, n))
    top = out.shape[0] - sizes[last]
    for k in range(n):
        for j in range(sizes[last]):
            after[j, k] = output_delta(hyper.loss, out_act, j, out[top + j, k], labels[k])
    for layer in range(last - 1, -1, -1):
        source = top - sizes[layer]
        _add_layer_gradient(out[source:top], after[:sizes[layer + 1]], grad[layer])
        if layer > 0:  # dE/dz below; the activations' derivatives read a, whose sign is z's where they need it
            for i in range(sizes[layer]):
                a = out[source + i]
                back = below[i]
                back[:] = 0.0
                for j in range(sizes[layer + 1]):
                    weight = params[layer, i, j]
                    delta = after[j]
                    for k in range(n):
                        back[k] += weight * delta[k]
                for k in range(n):
                    back[k] *= derivative(act, a[k], a[k])
            after, below = below, after
        top = source
    grad /= n


@jit
def _add_layer_gradient(inputs: np.ndarray, deltas: np.ndarray, g: np.ndarray) -> None:
    """g[i, j] = sum over points k of inputs[i, k] * deltas[j, k], and the bias row g[WIDTH, j] = sum of deltas[j],
    each summed in the points' order."""
    for j in range(deltas.shape[0]):
        total = 0.0
        for k in range(deltas.shape[1]):
            total += deltas[j, k]
        g[WIDTH, j] = total
        for i in range(inputs.shape[0]):
            total = 0.0
            for k in range(deltas.shape[1]):
                total += inputs[i, k] * deltas[j, k]
            g[i, j] = total


@jit
def layer_rms(grad: np.ndarray, sizes: np.ndarray, out: np.ndarray) -> None:
    """out[l] = the root mean square of dL/dw over the weights feeding layer l + 1 (biases excluded; 0 for a layer
    without weights)."""
    for layer in range(len(sizes) - 1):
        total = 0.0
        for i in range(sizes[layer]):
            for j in range(sizes[layer + 1]):
                total += grad[layer, i, j] * grad[layer, i, j]
        out[layer] = math.sqrt(total / max(sizes[layer] * sizes[layer + 1], 1))


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

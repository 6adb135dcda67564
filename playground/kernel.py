"""The compiled inner loops of the engine: forward passes, the per-example epoch, losses and the optimizer step.

Everything here is numba (`nogil`, cached) on float64 arrays, because small batches mean one NumPy call per
example would cost more than its arithmetic. The layout, shared with network.py:
- `sizes`: neurons per layer, inputs first, the output last (one neuron, or K softmax neurons for K > 2 classes).
- `params` (layers, WIDTH + 1, WIDTH): for the layer that feeds layer l + 1, rows 0..WIDTH-1 hold the weights
  (row i, column j: from neuron i to neuron j) and row WIDTH the biases. Every layer is stored WIDTH wide; the
  slots beyond a layer's size hold zeros and stay zero (their gradients are zero), which lets every inner loop
  run a fixed WIDTH times, so the compiler unrolls and vectorizes it.
- per-example work arrays `z`, `a`, `delta` are (layers + 1, WIDTH).
Codes are indices into the name tuples below, the one place where names and codes meet.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from playground.jitcache import CACHE
from playground.softmax import PROBABILITY_FLOOR, categorical_scores, softmax, softmax_rows

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear", "leakyRelu")  # of hidden layers and a single output
OUTPUT_ACTIVATIONS = (*ACTIVATIONS, "softmax")  # softmax: the K outputs of K > 2 classes
LOSSES = ("squared", "crossEntropy", "categoricalCrossEntropy")  # the last goes with softmax
OPTIMIZERS = ("sgd", "momentum", "nesterov", "rmsprop", "adam")
REGULARIZATIONS = ("none", "L1", "L2")
LEAKY_SLOPE = 0.01
RMS_DECAY, BETA1, BETA2, EPSILON = 0.9, 0.9, 0.999, 1e-8

_RELU, _TANH, _SIGMOID, _LINEAR, _LEAKY, _SOFTMAX = range(6)
_SQUARED, _CROSS_ENTROPY, _CATEGORICAL = range(3)
_SGD, _MOMENTUM, _NESTEROV, _RMSPROP, _ADAM = range(5)
_NONE, _L1, _L2 = range(3)
WIDTH = 8
_C2, _C3, _C4, _C5, _C6, _C7, _C8, _C9, _C10, _C11, _C12, _C13, _C14, _C15 = (
    1 / math.factorial(k) for k in range(2, 16))

jit = njit(nogil=True, cache=CACHE, error_model="numpy")


class HyperParameters(NamedTuple):
    """Everything an update needs to know besides the arrays, as one value the compiled loops take (numba reads
    named tuples), built in one place (Trainer.hyper_parameters) so no two numbers can be swapped by position."""

    batch_size: int
    learning_rate: float  # in force now, after decay
    regularization: int  # a code of REGULARIZATIONS
    regularization_rate: float
    activation: int  # a code of ACTIVATIONS, for the hidden layers
    output_activation: int  # a code of OUTPUT_ACTIVATIONS
    loss: int  # a code of LOSSES
    optimizer: int  # a code of OPTIMIZERS
    momentum: float


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def tanh(z: float) -> float:
    """tanh in plain arithmetic (no libm call, no branch), so loops over many neurons vectorize: about 3x faster.

    With e = expm1(-2|z|), tanh|z| = -e / (2 + e). e is built without ever forming 1 + something small (which
    would lose every digit of a small z): q = expm1(r) for r = -2|z| / 64 in [-0.625, 0] from its Taylor series
    to r^15, then doubled six times by expm1(2x) = q (q + 2). Relative error below 1e-13 from the smallest normal
    z up to 20 (beyond which tanh is 1 in float64); the sign and zeros are exact, NaN stays NaN.
    """
    r = -0.03125 * min(abs(z), 20.0)  # -2|z| / 64, exact
    q = r * (1.0 + r * (_C2 + r * (_C3 + r * (_C4 + r * (_C5 + r * (_C6 + r * (_C7 + r * (_C8 + r * (
        _C9 + r * (_C10 + r * (_C11 + r * (_C12 + r * (_C13 + r * (_C14 + r * _C15))))))))))))))
    q *= q + 2.0
    q *= q + 2.0
    q *= q + 2.0
    q *= q + 2.0
    q *= q + 2.0
    q *= q + 2.0
    return math.copysign(-q / (2.0 + q), z)


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def activate(code: int, z: float) -> float:
    if code == _RELU:
        return z if z > 0.0 else 0.0
    if code == _TANH:
        return tanh(z)
    if code == _SIGMOID:
        return 0.5 + 0.5 * tanh(0.5 * z)
    if code == _LEAKY:
        return z if z > 0.0 else LEAKY_SLOPE * z
    return z


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def derivative(code: int, z: float, a: float) -> float:
    """d activation / dz, given z and a = activate(z)."""
    if code == _RELU:
        return 1.0 if z > 0.0 else 0.0
    if code == _TANH:
        return 1.0 - a * a
    if code == _SIGMOID:
        return a * (1.0 - a)
    if code == _LEAKY:
        return 1.0 if z > 0.0 else LEAKY_SLOPE
    return 1.0


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def activate_all(code: int, z: np.ndarray, a: np.ndarray, count: int) -> None:
    """a[k] = activate(code, z[k]) for k < count, with the choice of activation made once, outside the loop,
    so that each loop is branch-free and vectorizes (2-3x faster on the grids)."""
    if code == _TANH:
        for k in range(count):
            a[k] = activate(_TANH, z[k])
    elif code == _RELU:
        for k in range(count):
            a[k] = activate(_RELU, z[k])
    elif code == _SIGMOID:
        for k in range(count):
            a[k] = activate(_SIGMOID, z[k])
    elif code == _LEAKY:
        for k in range(count):
            a[k] = activate(_LEAKY, z[k])
    else:  # linear; also a softmax layer's z, before the caller's softmax
        for k in range(count):
            a[k] = z[k]


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def example_loss(code: int, output: float, target: float) -> float:
    if code == _CROSS_ENTROPY:
        p = min(max((output + 1.0) / 2.0, PROBABILITY_FLOOR), 1.0 - PROBABILITY_FLOOR)
        q = (target + 1.0) / 2.0
        return -(q * math.log(p) + (1.0 - q) * math.log(1.0 - p))
    return 0.5 * (output - target) ** 2


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def penalty_slope(reg: int, w: float) -> float:
    """dR/dw of the regularization term: sign(w) for L1 (0 at w = 0), w for L2, 0 without."""
    if reg == _L1:
        return float((w > 0.0) - (w < 0.0))
    if reg == _L2:
        return w
    return 0.0


@jit
def _forward(x: np.ndarray, sizes: np.ndarray, params: np.ndarray, act: int, out_act: int,
             z: np.ndarray, a: np.ndarray) -> None:
    """One point through the network, filling every neuron's z and a (zero in the unused slots). A softmax output
    layer is left linear (a = z): the caller turns it into probabilities with softmax.softmax, written out in its
    own loop (any code added here, even a branch never taken, and even a shared inlined helper, cost the binary
    epoch 7-15%)."""
    for i in range(WIDTH):
        a[0, i] = x[i] if i < sizes[0] else 0.0
    last = len(sizes) - 1
    for layer in range(last):
        w = params[layer]
        zl = z[layer + 1]
        for j in range(WIDTH):
            zl[j] = w[WIDTH, j]
        for i in range(WIDTH):
            source = a[layer, i]
            for j in range(WIDTH):
                zl[j] += source * w[i, j]
        activate_all(out_act if layer == last - 1 else act, zl, a[layer + 1], sizes[layer + 1])


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def output_delta(loss: int, out_act: int, j: int, output: float, target: float) -> float:
    """dE/dz of output neuron j, whose activation is `output`, for one example's target. The activation's
    derivative is read from the output alone: where it needs z, it needs only z's sign, which is the output's."""
    if loss == _CATEGORICAL:  # goes with softmax: dE/dz = p - y, y the one-hot vector of class `target`
        return output - (1.0 if j == int(target) else 0.0)
    if loss == _CROSS_ENTROPY:
        # Cross-entropy goes with a tanh output (classification): d/dz of its loss on p = (tanh(z) + 1) / 2
        # simplifies to this.
        return output - target
    return (output - target) * derivative(out_act, output, output)


@jit
def _backward(sizes: np.ndarray, params: np.ndarray, act: int, out_act: int, loss: int, target: float,
              z: np.ndarray, a: np.ndarray, delta: np.ndarray, grad: np.ndarray) -> None:
    """Add dE/dparams of the point held in z, a to grad; delta is a work array like z."""
    last = len(sizes) - 1
    delta[last, :] = 0.0
    for j in range(sizes[last]):
        delta[last, j] = output_delta(loss, out_act, j, a[last, j], target)
    for layer in range(last - 1, -1, -1):
        w = params[layer]
        g = grad[layer]
        after = delta[layer + 1]
        for j in range(WIDTH):
            g[WIDTH, j] += after[j]
        for i in range(WIDTH):
            source = a[layer, i]
            back = 0.0
            for j in range(WIDTH):
                g[i, j] += source * after[j]
                back += w[i, j] * after[j]
            delta[layer, i] = back * derivative(act, z[layer, i], a[layer, i])


@jit
def work_arrays(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The per-example work arrays z, a and delta."""
    return np.zeros((len(sizes), WIDTH)), np.zeros((len(sizes), WIDTH)), np.zeros((len(sizes), WIDTH))


@jit
def _direction(g: np.ndarray, opt: int, momentum: float, first: np.ndarray, second: np.ndarray,
               dead: np.ndarray, step: int) -> None:
    """Turn the mean gradient g into the optimizer's step direction, in place, updating its state. A dead
    weight's moments stay as they are (its direction is never used: a dead weight does not move)."""
    if opt == _MOMENTUM:
        for k in range(len(g)):
            first[k] = first[k] if dead[k] else momentum * first[k] + g[k]
            g[k] = first[k]
    elif opt == _NESTEROV:
        for k in range(len(g)):
            first[k] = first[k] if dead[k] else momentum * first[k] + g[k]
            g[k] += momentum * first[k]
    elif opt == _RMSPROP:
        for k in range(len(g)):
            s = RMS_DECAY * second[k] + (1.0 - RMS_DECAY) * g[k] * g[k]
            second[k] = second[k] if dead[k] else s
            g[k] = g[k] / (math.sqrt(s) + EPSILON)
    elif opt == _ADAM:
        correct1 = 1.0 - BETA1 ** step
        correct2 = 1.0 - BETA2 ** step
        for k in range(len(g)):
            m = BETA1 * first[k] + (1.0 - BETA1) * g[k]
            s = BETA2 * second[k] + (1.0 - BETA2) * g[k] * g[k]
            first[k] = first[k] if dead[k] else m
            second[k] = second[k] if dead[k] else s
            g[k] = (m / correct1) / (math.sqrt(s / correct2) + EPSILON)


@jit
def _update(params: np.ndarray, dead: np.ndarray, grad: np.ndarray, moved: np.ndarray, count: float,
            hyper: HyperParameters, first: np.ndarray, second: np.ndarray, step: np.ndarray) -> None:
    """Apply the mean accumulated gradient with the optimizer, then the regularization step, then clear it;
    `moved` receives what each parameter changed by (new - old).

    The regularization step uses the weight from before the update (as the original does); with L1 a weight
    that it pushes across zero is set to zero and dead from then on: frozen entirely, its optimizer moments
    included, until a learner sets it by hand (Trainer.set_weight, which starts its moments afresh). Biases are
    not regularized.
    """
    step[0] += 1
    g = grad.reshape(-1)
    for k in range(len(g)):
        g[k] /= count
    _direction(g, hyper.optimizer, hyper.momentum, first.reshape(-1), second.reshape(-1), dead.reshape(-1),
               step[0])
    lr = hyper.learning_rate
    l1 = hyper.regularization == _L1
    for layer in range(params.shape[0]):
        for row in range(WIDTH + 1):
            rate = lr * hyper.regularization_rate if row < WIDTH else 0.0
            w = params[layer, row]
            d = grad[layer, row]
            gone = dead[layer, row]
            for j in range(WIDTH):
                old = w[j]
                penalty = penalty_slope(hyper.regularization, old)
                stepped = old - lr * d[j]
                regularized = stepped - rate * penalty
                dies = l1 and stepped * regularized < 0.0
                w[j] = old if gone[j] else (0.0 if dies else regularized)
                moved[layer, row, j] = w[j] - old
                gone[j] = gone[j] or dies
                d[j] = 0.0


@jit
def run_epoch(points: np.ndarray, labels: np.ndarray, sizes: np.ndarray, params: np.ndarray,
              dead: np.ndarray, grad: np.ndarray, pending: np.ndarray, moved: np.ndarray, hyper: HyperParameters,
              first: np.ndarray, second: np.ndarray, step: np.ndarray) -> None:
    """One pass over the training points in order, updating after every batch_size-th example.

    `pending[0]` counts examples accumulated in `grad` but not yet applied: leftovers at the end of an epoch
    stay there and join the next update, as in the original. `moved` holds the change of the last update.
    """
    z, a, delta = work_arrays(sizes)
    for n in range(points.shape[0]):
        _forward(points[n], sizes, params, hyper.activation, hyper.output_activation, z, a)
        if hyper.output_activation == _SOFTMAX:
            softmax(z[-1], a[-1], sizes[-1])
        _backward(sizes, params, hyper.activation, hyper.output_activation, hyper.loss, labels[n], z, a, delta,
                  grad)
        pending[0] += 1
        if (n + 1) % hyper.batch_size == 0:
            _update(params, dead, grad, moved, float(pending[0]), hyper, first, second, step)
            pending[0] = 0


@jit
def forward_many(points: np.ndarray, sizes: np.ndarray, params: np.ndarray, act: int, out_act: int,
                 out: np.ndarray) -> None:
    """Every neuron's output (inputs included) for every row of `points`, neuron-major: out (sum(sizes), n).

    Working a whole layer over all points at once keeps the inner loops long and contiguous, which the
    compiler vectorizes; this is what makes the 100 x 100 grid of every neuron cheap.
    """
    n = points.shape[0]
    for i in range(sizes[0]):
        for k in range(n):
            out[i, k] = points[k, i]
    src = 0
    dst = sizes[0]
    last = len(sizes) - 1
    for layer in range(last):
        code = out_act if layer == last - 1 else act
        each = _LINEAR if code == _SOFTMAX else code  # softmax needs the whole layer's z: normalized below
        for j in range(sizes[layer + 1]):
            row = out[dst + j]
            row[:] = params[layer, WIDTH, j]
            for i in range(sizes[layer]):
                weight = params[layer, i, j]
                source = out[src + i]
                for k in range(n):
                    row[k] += weight * source[k]
            activate_all(each, row, row, n)
        if code == _SOFTMAX:
            softmax_rows(out, dst, sizes[layer + 1])
        src = dst
        dst += sizes[layer + 1]


@jit
def evaluate(points: np.ndarray, labels: np.ndarray, sizes: np.ndarray, params: np.ndarray, act: int,
             out_act: int, loss: int) -> tuple[float, float]:
    """Mean loss and the fraction of points whose output sign matches the label (>= 0 counts as +1); with the
    categorical loss, whose arg-max class is the label."""
    n = points.shape[0]
    outputs = np.empty((sizes.sum(), n))
    forward_many(points, sizes, params, act, out_act, outputs)
    if loss == _CATEGORICAL:
        return categorical_scores(outputs, outputs.shape[0] - sizes[-1], sizes[-1], labels)
    loss_sum = 0.0
    hits = 0
    for k in range(n):
        output = outputs[-1, k]
        loss_sum += example_loss(loss, output, labels[k])
        if (output >= 0.0) == (labels[k] >= 0.0):
            hits += 1
    count = max(n, 1)
    return loss_sum / count, hits / count

"""The compiled float32 pass that turns a network into the int8 pictures of a frame: every hidden and output
neuron's 10 x 10 thumbnail, the selected neuron's 100 x 100 grid, and with K > 2 classes the arg-max class and its
probability at every cell.

The pictures go on the wire at 1/127 resolution, so float32 (24 bits) is far more precise than they need; it
halves the memory traffic of float64 and doubles the lanes of every vector instruction. The grid is worked in
bands of BLOCK rows (1,000 points): a band's layers stay in the processor's caches (one layer's rows in the
fastest), every inner loop runs along the band's points (contiguous, so it vectorizes), and a band is reduced to
its row of thumbnail cells and quantized as soon as it is computed. A neuron's z sums a fixed WIDTH terms (the
padding's weights and rows are zero), so the compiler unrolls that sum and one vectorized loop computes z and
the activation in registers, with no pass over memory per input. tanh, the sigmoid and the softmax's exp are
plain float32 arithmetic (no libm call, no branch), so they vectorize too. Every constant is an np.float32: a
Python float would turn the arithmetic into float64.

The float64 engine (kernel.py) stays the one that trains and reports losses; these pictures agree with its
forward pass within one int8 step (tests/test_pictures.py).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from playground.jitcache import CACHE
from playground.kernel import LEAKY_SLOPE, WIDTH

GRID = 100
THUMB = 10
QUANT = 127  # a value v in [-1, 1] goes on the wire as round(v * 127)
BLOCK = GRID // THUMB  # grid cells a thumbnail cell averages along each side
BAND = BLOCK * GRID  # the points worked at once: BLOCK rows of the grid, which give one row of thumbnail cells

# Codes as kernel.ACTIVATIONS / OUTPUT_ACTIVATIONS number them.
_RELU, _TANH, _SIGMOID, _LINEAR, _LEAKY, _SOFTMAX = range(6)

_F = np.float32
_ZERO, _HALF, _ONE, _TWO = _F(0.0), _F(0.5), _F(1.0), _F(2.0)
_LEAKY32 = _F(LEAKY_SLOPE)
_QUANT32 = _F(QUANT)
_MEAN = _F(1.0 / (BLOCK * BLOCK))
_LARGEST = float(np.finfo(np.float32).max)
# expm1(x) for x in [-18, 0] as expm1(x / 64) from its Taylor series to the 7th power, then doubled six times by
# expm1(2y) = q (q + 2) (each doubling shrinks the relative error): |error| < 1e-7.
_FLOOR = _F(-18.0)  # exp(-18) < 2e-8: below float32's resolution of 1
_SCALE = _F(1.0 / 64.0)
_T2, _T3, _T4, _T5, _T6, _T7 = (_F(1.0 / math.factorial(k)) for k in range(2, 8))

inline = njit(nogil=True, cache=CACHE, inline="always", error_model="numpy", fastmath={"contract"})


@inline
def _narrow(v: float) -> np.float32:
    """A float64 parameter as float32, a finite one beyond float32's range clamped to its largest (so that a zero
    input times a weight of 1e300 stays 0, as in float64, rather than 0 x Infinity = NaN)."""
    return np.float32(min(max(v, -_LARGEST), _LARGEST))


@inline
def _expm1(x: np.float32) -> np.float32:
    """expm1(x) in float32 for x <= 0 (clamped at -18: exp(-18) is 0 at float32's resolution of 1)."""
    r = (x if x > _FLOOR else _FLOOR) * _SCALE
    q = r * (_ONE + r * (_T2 + r * (_T3 + r * (_T4 + r * (_T5 + r * (_T6 + r * _T7))))))
    q *= q + _TWO
    q *= q + _TWO
    q *= q + _TWO
    q *= q + _TWO
    q *= q + _TWO
    q *= q + _TWO
    return q


@inline
def _tanh(z: np.float32) -> np.float32:
    """tanh in float32: with e = expm1(-2|z|), tanh|z| = -e / (2 + e); the sign is z's."""
    e = _expm1(-_TWO * abs(z))
    return np.float32(math.copysign(-e / (_TWO + e), z))


@inline
def _z(weights: np.ndarray, bias: np.float32, source: np.ndarray, k: int) -> np.float32:
    """One neuron's z at point k of the band from the layer before's WIDTH rows (the padding's weights and rows are
    zero): a fixed count of terms, so the compiler unrolls it and vectorizes the loop over the points around it."""
    z = bias
    for i in range(WIDTH):
        z += weights[i] * source[i, k]
    return z


@inline
def _neuron(code: int, weights: np.ndarray, bias: np.float32, source: np.ndarray, row: np.ndarray) -> None:
    """row = one neuron's activation at every point of the band, the choice of activation made once, outside
    each loop (branch-free loops vectorize; the piecewise-linear ones share one, which keeps compiling short). A
    softmax layer's z is left for the caller to normalize."""
    if code == _TANH:
        for k in range(BAND):
            row[k] = _tanh(_z(weights, bias, source, k))
    elif code == _SIGMOID:
        for k in range(BAND):
            row[k] = _HALF + _HALF * _tanh(_HALF * _z(weights, bias, source, k))
    else:  # ReLU, leaky ReLU and linear: z, times a slope below 0; a softmax layer's z (linear)
        slope = _ZERO if code == _RELU else _LEAKY32 if code == _LEAKY else _ONE
        for k in range(BAND):
            z = _z(weights, bias, source, k)
            row[k] = z if z > _ZERO else slope * z


@inline
def _quantize(v: np.float32) -> np.int8:
    """round(v * 127) with v clamped to [-1, 1]; NaN is 0."""
    if v != v:
        return np.int8(0)
    clamped = v if v < _ONE else _ONE
    return np.int8(round((clamped if clamped > -_ONE else -_ONE) * _QUANT32))


@inline
def _softmax(rows: np.ndarray, count: int, classes: np.ndarray, confidence: np.ndarray) -> None:
    """rows[:count] hold the output layer's z at each of the band's points: replace them by the class
    probabilities, and write the arg-max class (the first on a tie) and its probability, quantized."""
    top = rows[0].copy()
    best = np.zeros(BAND, dtype=np.int8)
    for j in range(1, count):
        row = rows[j]
        for k in range(BAND):
            if row[k] > top[k]:
                top[k] = row[k]
                best[k] = j
    total = np.zeros(BAND, dtype=np.float32)
    for j in range(count):
        row = rows[j]
        for k in range(BAND):
            row[k] = _ONE + _expm1(row[k] - top[k])
            total[k] += row[k]
    for k in range(BAND):
        total[k] = _ONE / total[k]
    for j in range(count):
        row = rows[j]
        for k in range(BAND):
            row[k] *= total[k]
    for k in range(BAND):
        classes[k] = best[k]
        confidence[k] = _quantize(total[k])  # the largest probability: exp(0) / total


@inline
def _thumbnail_row(row: np.ndarray, cells: np.ndarray) -> None:
    """cells[t] = the quantized mean of a band's values over thumbnail column t (BLOCK x BLOCK grid cells)."""
    columns = row[:GRID].copy()
    for r in range(1, BLOCK):
        band_row = row[r * GRID:(r + 1) * GRID]
        for c in range(GRID):
            columns[c] += band_row[c]
    for t in range(THUMB):
        total = _ZERO
        for c in range(t * BLOCK, (t + 1) * BLOCK):
            total += columns[c]
        cells[t] = _quantize(total * _MEAN)


@njit(nogil=True, cache=CACHE, error_model="numpy", fastmath={"contract"})
def pictures(columns: np.ndarray, sizes: np.ndarray, params: np.ndarray, act: int, out_act: int,
             selected: tuple[int, int], thumbnails: np.ndarray, grid: np.ndarray, classes: np.ndarray,
             confidence: np.ndarray) -> None:
    """The int8 pictures of a network on the grid.

    columns: float32 (sizes[0], GRID * GRID), each input feature at every grid point, row by row from the top.
    params: the network's float64 parameters in kernel.py's padded layout (each is rounded to float32).
    selected: (layer, neuron) whose grid is wanted; an input's (layer 0) is left alone.
    Out: thumbnails (neurons - sizes[0], THUMB, THUMB), the hidden layers' neurons then the output's; grid,
    classes, confidence (GRID * GRID,), the last two only for a softmax output.
    """
    last = len(sizes) - 1
    work = np.zeros((last + 1, WIDTH, BAND), dtype=np.float32)  # every layer's WIDTH rows; the padding stays 0
    weights = np.empty((last, WIDTH, WIDTH), dtype=np.float32)  # [layer, neuron, source]
    for layer in range(last):
        for j in range(WIDTH):
            for i in range(WIDTH):
                weights[layer, j, i] = _narrow(params[layer, i, j])
    for band in range(THUMB):
        start = band * BAND
        for i in range(sizes[0]):
            work[0, i] = columns[i, start:start + BAND]
        for layer in range(last):
            code = out_act if layer == last - 1 else act
            for j in range(sizes[layer + 1]):
                _neuron(code, weights[layer, j], _narrow(params[layer, WIDTH, j]), work[layer],
                        work[layer + 1, j])
        if out_act == _SOFTMAX:
            _softmax(work[last], sizes[last], classes[start:start + BAND], confidence[start:start + BAND])
        if selected[0] > 0:
            row = work[selected[0], selected[1]]
            for k in range(BAND):
                grid[start + k] = _quantize(row[k])
        m = 0
        for layer in range(1, last + 1):
            for j in range(sizes[layer]):
                _thumbnail_row(work[layer, j], thumbnails[m, band])
                m += 1

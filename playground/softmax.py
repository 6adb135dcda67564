"""The softmax output layer of a network with K > 2 classes and its categorical cross-entropy, compiled (numba)
for kernel.py's loops: one point's K probabilities, the probabilities of many points at once in the neuron-major
layout of `kernel.forward_many`, and the mean loss and arg-max accuracy of a set of points.

p_j = exp(z_j - max z) / sum_k exp(z_k - max z): subtracting the largest z changes nothing mathematically and
keeps every exp at most 1, so no z overflows. The loss of a point of class t is E = -ln p_t (p_t clipped below at
PROBABILITY_FLOOR, so a sure mistake costs a finite loss); with one-hot targets y its gradient at the output's z is
simply dE/dz_j = p_j - y_j. Labels are class indices 0..K-1 held as floats.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from playground.jitcache import CACHE

PROBABILITY_FLOOR = 1e-7  # cross-entropy clips p to at least this (binary: to [floor, 1 - floor])

jit = njit(nogil=True, cache=CACHE, error_model="numpy")


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def softmax(z: np.ndarray, p: np.ndarray, count: int) -> None:
    """p[:count] = the softmax of z[:count] (one point's output layer)."""
    top = z[0]
    for j in range(1, count):
        top = max(top, z[j])
    total = 0.0
    for j in range(count):
        p[j] = math.exp(z[j] - top)
        total += p[j]
    for j in range(count):
        p[j] /= total


@jit
def softmax_rows(out: np.ndarray, first: int, count: int) -> None:
    """Rows first .. first + count - 1 of a neuron-major (neurons, points) array hold the output layer's z of
    every point; replace them by the probabilities, point by point (every loop runs along the points, so it is
    contiguous)."""
    n = out.shape[1]
    top = out[first].copy()
    for j in range(1, count):
        row = out[first + j]
        for k in range(n):
            top[k] = max(top[k], row[k])
    total = np.zeros(n)
    for j in range(count):
        row = out[first + j]
        for k in range(n):
            row[k] = math.exp(row[k] - top[k])
            total[k] += row[k]
    for j in range(count):
        row = out[first + j]
        for k in range(n):
            row[k] /= total[k]


@njit(nogil=True, cache=CACHE, inline="always", error_model="numpy")
def categorical_loss(p: np.ndarray, target: float) -> float:
    """E = -ln p_t for the point's probabilities p and its class t."""
    return -math.log(max(p[int(target)], PROBABILITY_FLOOR))


@jit
def predicted_classes(out: np.ndarray, first: int, count: int, classes: np.ndarray) -> None:
    """classes[k] = the arg-max over rows first .. first + count - 1 at point k (the first on a tie)."""
    for k in range(out.shape[1]):
        best = 0
        for j in range(1, count):
            if out[first + j, k] > out[first + best, k]:
                best = j
        classes[k] = best


@jit
def categorical_scores(out: np.ndarray, first: int, count: int, labels: np.ndarray) -> tuple[float, float]:
    """The mean categorical cross-entropy and the fraction of points whose arg-max class is their label, from
    the probabilities in rows first .. first + count - 1 of a neuron-major array."""
    n = out.shape[1]
    predicted = np.empty(n, dtype=np.int64)
    predicted_classes(out, first, count, predicted)
    loss_sum = 0.0
    hits = 0
    for k in range(n):
        t = int(labels[k])
        loss_sum -= math.log(max(out[first + t, k], PROBABILITY_FLOOR))
        hits += predicted[k] == t
    total = max(n, 1)
    return loss_sum / total, hits / total

"""The input features: the table of what each input neuron computes from a point (x, y), and its label."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feature:
    key: str  # the hash key that enables it
    label: str  # how the page names it
    compute: Callable[[np.ndarray, np.ndarray], np.ndarray]
    expression: str  # the same computation as NumPy source over x and y (what an exported script computes)


FEATURES: dict[str, Feature] = {f.key: f for f in (
    Feature("x", "X1", lambda x, y: x, "x"),
    Feature("y", "X2", lambda x, y: y, "y"),
    Feature("xSquared", "X1²", lambda x, y: x * x, "x * x"),
    Feature("ySquared", "X2²", lambda x, y: y * y, "y * y"),
    Feature("xTimesY", "X1X2", lambda x, y: x * y, "x * y"),
    Feature("sinX", "sin(X1)", lambda x, y: np.sin(x), "np.sin(x)"),
    Feature("sinY", "sin(X2)", lambda x, y: np.sin(y), "np.sin(y)"),
)}


def inputs(points: np.ndarray, keys: Sequence[str]) -> np.ndarray:
    """The network's input matrix (n, len(keys)) for points of shape (n, 2), C-contiguous float64."""
    x, y = points[:, 0], points[:, 1]
    columns = np.empty((len(points), len(keys)))
    for j, key in enumerate(keys):
        columns[:, j] = FEATURES[key].compute(x, y)
    return columns

"""The pictures of what each neuron computes: every neuron's output on a 100 x 100 grid over the plane, its
10 x 10 thumbnail, and their quantization to int8 for the wire; float32 numbers for the page that stay finite.

Grid row 0 is the top of the plane (y = +6) and column 0 its left (x = -6); each sample sits at a cell's centre.
"""

from __future__ import annotations

from functools import cache

import numpy as np
from numba import njit

from playground.datasets import PLANE
from playground.features import inputs
from playground.jitcache import CACHE
from playground.network import Network

GRID = 100
THUMB = 10
QUANT = 127  # a value v in [-1, 1] goes on the wire as round(v * 127)
FLOAT32_MAX = float(np.finfo(np.float32).max)


@cache
def grid_points() -> np.ndarray:
    """The (GRID * GRID, 2) sample points, row by row from the top-left."""
    centres = -PLANE + 2 * PLANE * (np.arange(GRID) + 0.5) / GRID
    xs, ys = np.meshgrid(centres, centres[::-1])
    points = np.column_stack([xs.ravel(), ys.ravel()])
    points.setflags(write=False)
    return points


@cache
def grid_inputs(features: tuple[str, ...]) -> np.ndarray:
    """The network's inputs at every grid point for a feature set (computed once per set)."""
    columns = inputs(grid_points(), features)
    columns.setflags(write=False)
    return columns


def neuron_grids(network: Network, features: tuple[str, ...]) -> np.ndarray:
    """Every neuron's output (inputs first, output last) on the grid: shape (neurons, GRID, GRID)."""
    return network.forward(grid_inputs(features)).reshape(-1, GRID, GRID)


@njit(nogil=True, cache=CACHE)
def _block_means(grids: np.ndarray, block: int, out: np.ndarray) -> None:
    for n in range(grids.shape[0]):
        for row in range(grids.shape[1]):
            for column in range(grids.shape[2]):
                out[n, row // block, column // block] += grids[n, row, column]
    out /= block * block


def thumbnails(grids: np.ndarray) -> np.ndarray:
    """Each grid averaged down to THUMB x THUMB."""
    out = np.zeros((len(grids), THUMB, THUMB))
    _block_means(grids, GRID // THUMB, out)
    return out


@njit(nogil=True, cache=CACHE)
def _quantize(values: np.ndarray, out: np.ndarray) -> None:
    for k in range(values.size):
        v = values[k]
        if v != v:  # NaN
            out[k] = 0
        else:
            out[k] = round(min(max(v, -1.0), 1.0) * QUANT)


def quantize(values: np.ndarray) -> np.ndarray:
    """Values clamped to [-1, 1] as int8 in [-127, 127]; NaN becomes 0."""
    out = np.empty(values.shape, dtype=np.int8)
    _quantize(np.ascontiguousarray(values, dtype=np.float64).reshape(-1), out.reshape(-1))
    return out


def float32_for_page(values: np.ndarray) -> np.ndarray:
    """float64 values as float32 for the wire: a finite value beyond float32's range is clamped to +-FLOAT32_MAX
    (it must not reach the page as Infinity); NaN and +-Infinity stay what they are."""
    finite = np.isfinite(values)
    return np.where(finite, np.clip(values, -FLOAT32_MAX, FLOAT32_MAX), values).astype(np.float32)

"""The pictures of what each neuron computes: its output on a 100 x 100 grid over the plane, its 10 x 10
thumbnail, and their quantization to int8 for the wire; a frame's pictures (Pictures, from the float32 pass of
picture_kernel.py); float32 and float16 numbers for the page that stay finite.

Grid row 0 is the top of the plane (y = +6) and column 0 its left (x = -6); each sample sits at a cell's centre.
The input neurons' pictures never change: they are computed once per feature and never in a frame's pass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from numba import njit

from playground import picture_kernel
from playground.config import MAX_LAYERS
from playground.datasets import PLANE
from playground.features import inputs
from playground.jitcache import CACHE
from playground.kernel import WIDTH
from playground.network import SOFTMAX, Network
from playground.picture_kernel import GRID as GRID  # GRID and THUMB: for the callers too
from playground.picture_kernel import QUANT
from playground.picture_kernel import THUMB as THUMB

FLOAT32_MAX = float(np.finfo(np.float32).max)
FLOAT16_MAX = float(np.finfo(np.float16).max)  # 65504
# The largest parameter with which no neuron of the deepest, widest network can pass float32's range on the grid:
# |a| <= (WIDTH + 1) * p * |largest input| after one layer, and so on through MAX_LAYERS + 1 layers. About 2e4.
FLOAT32_SAFE = (FLOAT32_MAX / PLANE**2) ** (1 / (MAX_LAYERS + 1)) / (WIDTH + 1)


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


@cache
def grid_columns(features: tuple[str, ...]) -> np.ndarray:
    """The inputs at every grid point as picture_kernel.pictures reads them: float32 (features, GRID * GRID)."""
    columns = np.ascontiguousarray(grid_inputs(features).T, dtype=np.float32)
    columns.setflags(write=False)
    return columns


@cache
def input_grid(feature: str) -> np.ndarray:
    """An input neuron's picture, int8 (GRID, GRID): its feature on the grid (it never changes)."""
    grid = quantize(grid_inputs((feature,)).reshape(GRID, GRID))
    grid.setflags(write=False)
    return grid


def neuron_grids(network: Network, features: tuple[str, ...]) -> np.ndarray:
    """Every neuron's output (inputs first, output last) on the grid in float64: shape (neurons, GRID, GRID)."""
    return network.forward(grid_inputs(features)).reshape(-1, GRID, GRID)


def thumbnails(grids: np.ndarray) -> np.ndarray:
    """Each grid averaged down to THUMB x THUMB."""
    block = GRID // THUMB
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging network's sums: +-Infinity or NaN, as they are
        means: np.ndarray = grids.reshape(len(grids), THUMB, block, THUMB, block).mean(axis=(2, 4))
    return means


@dataclass(frozen=True)
class Pictures:
    """A frame's pictures, int8 at 1/QUANT resolution (docs/protocol.md)."""

    grid: np.ndarray  # (GRID, GRID): the selected neuron's
    thumbnails: np.ndarray  # (neurons - inputs, THUMB, THUMB): the hidden layers' neurons, then the output's
    class_grid: np.ndarray | None  # (GRID, GRID): the arg-max class at each cell (softmax output only)
    confidence: np.ndarray | None  # (GRID, GRID): its probability (softmax output only)


def pictures(network: Network, features: tuple[str, ...], selected: tuple[int, int]) -> Pictures:
    """The pictures of a network whose inputs are `features`, with the grid of neuron `selected` (layer, neuron):
    in float32, unless a parameter is so large (a hand edit, a run diverging) that float32 might overflow."""
    if np.abs(network.params).max() > FLOAT32_SAFE:
        return _float64_pictures(network, features, selected)
    sizes = network.sizes
    thumbs = np.empty((int(sizes[1:].sum()), THUMB, THUMB), dtype=np.int8)
    grid = np.empty(GRID * GRID, dtype=np.int8)
    cells = GRID * GRID if network.architecture.output_activation == SOFTMAX else 0
    classes, confidence = np.empty(cells, dtype=np.int8), np.empty(cells, dtype=np.int8)
    picture_kernel.pictures(grid_columns(features), sizes, network.params, network.activation_code,
                            network.output_code, selected, thumbs, grid, classes, confidence)
    shown = input_grid(features[selected[1]]) if selected[0] == 0 else grid.reshape(GRID, GRID)
    if not cells:
        return Pictures(shown, thumbs, None, None)
    return Pictures(shown, thumbs, classes.reshape(GRID, GRID), confidence.reshape(GRID, GRID))


def _float64_pictures(network: Network, features: tuple[str, ...], selected: tuple[int, int]) -> Pictures:
    """The same pictures from the float64 forward pass (several times slower)."""
    sizes = network.architecture.sizes
    grids = neuron_grids(network, features)
    thumbs = quantize(thumbnails(grids[sizes[0]:]))
    shown = quantize(grids[sum(sizes[:selected[0]]) + selected[1]])
    if network.architecture.output_activation != SOFTMAX:
        return Pictures(shown, thumbs, None, None)
    probabilities = grids[-sizes[-1]:]
    return Pictures(shown, thumbs, np.argmax(probabilities, axis=0).astype(np.int8),
                    quantize(probabilities.max(axis=0)))


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


@njit(nogil=True, cache=CACHE)
def _for_page(values: np.ndarray, out: np.ndarray, largest: float) -> None:
    for k in range(values.size):
        v = values[k]
        if abs(v) > largest and abs(v) != math.inf:
            v = math.copysign(largest, v)
        out[k] = v


def float32_for_page(values: np.ndarray) -> np.ndarray:
    """float64 values as float32 for the wire: a finite value beyond float32's range is clamped to +-FLOAT32_MAX
    (it must not reach the page as Infinity); NaN and +-Infinity stay what they are. (One compiled loop: a few
    NumPy calls would cost several times more on a frame's small arrays.)"""
    out = np.empty(values.shape, dtype=np.float32)
    _for_page(np.ascontiguousarray(values, dtype=np.float64).reshape(-1), out.reshape(-1), FLOAT32_MAX)
    return out


def float16_for_page(values: np.ndarray) -> np.ndarray:
    """float64 values as float16 for the wire (the loss history: three significant digits are more than a chart
    shows, and at speed 100 a frame carries 100 rows): a finite value beyond float16's range is clamped to
    +-FLOAT16_MAX; NaN and +-Infinity stay what they are."""
    clamped = np.empty(values.shape, dtype=np.float32)  # exact for every float16: then one rounding to float16
    _for_page(np.ascontiguousarray(values, dtype=np.float64).reshape(-1), clamped.reshape(-1), FLOAT16_MAX)
    return clamped.astype(np.float16)

"""The six data generators of the playground and the train/test split, drawn from the original's seeded stream in
its draw order, so that a seed gives the original's points.

Each generator is a pure function (n, noise, stream) -> (points of shape (n, 2), labels of shape (n,)) that
draws, point after point, what the original draws (noise draws included at noise 0): classification labels are
+1 / -1, regression labels lie about [-1, 1], `noise` is the hash value divided by 100. Points live on the plane
[-6, 6] x [-6, 6]. U(a, b) below is a + random() * (b - a).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.config import Config
from playground.knobs import CLASSIFY_SIZE, REGRESS_SIZE
from playground.seedrandom import SeedRandom

Points = np.ndarray
Generator = Callable[[int, float, SeedRandom], tuple[Points, np.ndarray]]

__all__ = ["CLASSIFY_SIZE", "GENERATORS", "REGRESS_SIZE", "DataSplit", "generate"]
PLANE = 6.0


def uniform(draws: np.ndarray, low: float, high: float) -> np.ndarray:
    """U(low, high) from draws in [0, 1)."""
    result: np.ndarray = low + draws * (high - low)
    return result


def distance(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result: np.ndarray = np.sqrt(x * x + y * y)
    return result


def circle(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """n/2 points at radius U(0, 2.5), then n/2 at U(3.5, 5); each draws radius, angle, noise x, noise y.
    Label +1 where the noise-shifted point lies within 2.5 of the origin."""
    half = n // 2
    inner, outer = stream.uniforms(4 * half).reshape(half, 4), stream.uniforms(4 * half).reshape(half, 4)
    radius = np.concatenate([uniform(inner[:, 0], 0, 2.5), uniform(outer[:, 0], 3.5, 5)])
    draws = np.concatenate([inner, outer])
    angle = uniform(draws[:, 1], 0, 2 * math.pi)
    x, y = radius * np.sin(angle), radius * np.cos(angle)
    shift_x, shift_y = uniform(draws[:, 2], -5, 5) * noise, uniform(draws[:, 3], -5, 5) * noise
    labels = np.where(distance(x + shift_x, y + shift_y) < 2.5, 1.0, -1.0)
    return np.column_stack([x, y]), labels


def xor(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """Each point draws x, y in U(-5, 5) (pushed 0.3 away from 0), noise x, noise y; label the sign of x * y."""
    draws = stream.uniforms(4 * n).reshape(n, 4)
    points = uniform(draws[:, :2], -5, 5)
    points += np.where(points > 0, 0.3, -0.3)
    shifted = points + uniform(draws[:, 2:], -5, 5) * noise
    labels = np.where(shifted[:, 0] * shifted[:, 1] >= 0, 1.0, -1.0)
    return points, labels


def gauss(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """n/2 points around (2, 2) labelled +1, then n/2 around (-2, -2); each coordinate one normal draw, the
    variance from 0.5 at noise 0 to 4 at noise 0.5."""
    half = n // 2
    t = noise / 0.5
    deviation = math.sqrt(0.5 * (1 - t) + 4 * t)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [half, n - half], axis=0)
    points = centres + deviation * stream.normals(2 * n).reshape(n, 2)
    labels = np.repeat([1.0, -1.0], [half, n - half])
    return points, labels


def spiral(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """Two arms of n/2 points (label +1, then the arm turned by pi, -1): point i at r = 5 i / (n/2),
    t = 1.75 * 2pi * i / (n/2) + turn, moved by noise x, noise y in U(-1, 1) * noise."""
    half = n // 2
    arms = []
    for turn in (0.0, math.pi):
        i = np.arange(half)
        r = i / half * 5
        t = 1.75 * i / half * 2 * math.pi + turn
        shift = uniform(stream.uniforms(2 * half).reshape(half, 2), -1, 1) * noise
        arms.append(np.column_stack([r * np.sin(t), r * np.cos(t)]) + shift)
    labels = np.repeat([1.0, -1.0], half)
    return np.concatenate(arms), labels


def _plane_points(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """Regression points: each draws x, y in U(-6, 6), then noise x, noise y in U(-6, 6) * noise; returns the
    points and the noise-shifted points their labels are computed at."""
    draws = stream.uniforms(4 * n).reshape(n, 4)
    points = uniform(draws[:, :2], -PLANE, PLANE)
    return points, points + uniform(draws[:, 2:], -PLANE, PLANE) * noise


def reg_plane(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    points, shifted = _plane_points(n, noise, stream)
    return points, (shifted[:, 0] + shifted[:, 1]) / 10


_GAUSS_CENTRES = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def reg_gauss(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """Six bumps of height +-1 and radius 2; a point's label is the bump value of largest magnitude (the first
    one on a tie)."""
    points, shifted = _plane_points(n, noise, stream)
    d = distance(shifted[:, None, 0] - _GAUSS_CENTRES[:, 0], shifted[:, None, 1] - _GAUSS_CENTRES[:, 1])
    values = _GAUSS_CENTRES[:, 2] * np.clip(1 - d / 2, 0, 1)
    strongest = np.argmax(np.abs(values), axis=1)
    return points, values[np.arange(n), strongest]


GENERATORS: dict[str, Generator] = {
    "circle": circle, "xor": xor, "gauss": gauss, "spiral": spiral,
    "reg-plane": reg_plane, "reg-gauss": reg_gauss,
}


@dataclass(frozen=True)
class DataSplit:
    """The shuffled points of one generation, split into training and test sets."""

    train_points: Points
    train_labels: np.ndarray
    test_points: Points
    test_labels: np.ndarray


def generate(config: Config, stream: SeedRandom | None = None) -> DataSplit:
    """The data of a config: its dataset at its noise drawn from `stream` (a fresh stream of the config's seed if
    none), shuffled as the original shuffles, then split by percTrainData. The stream is left after the shuffle."""
    stream = stream or SeedRandom(config.seed)
    n = CLASSIFY_SIZE if config.problem == "classification" else REGRESS_SIZE
    points, labels = GENERATORS[config.active_dataset](n, config.noise / 100, stream)
    order = stream.permutation(n)
    points, labels = points[order], labels[order]
    cut = math.floor(n * config.percTrainData / 100)
    return DataSplit(points[:cut], labels[:cut], points[cut:], labels[cut:])

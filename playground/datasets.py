"""The six data generators of the playground, the K-class forms of the four classification ones, and the
train/test split, drawn from the original's seeded stream in its draw order, so that a seed gives the original's
points.

Each generator is a pure function (n, noise, stream) -> (points of shape (n, 2), labels of shape (n,)) that
draws, point after point, what the original draws (noise draws included at noise 0): classification labels are
+1 / -1, regression labels lie about [-1, 1], `noise` is the hash value divided by 100. Points live on the plane
[-6, 6] x [-6, 6]. U(a, b) below is a + random() * (b - a).

The K-class forms (K = 3..6, the `classes` knob) take K too and label the points with the class indices 0..K-1.
Class k gets n // K points, one more for the first n % K classes; the classes are drawn one after the other, each
point drawing what its binary form draws. With K = 2 the binary generators are used as they are.
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

__all__ = ["CLASSIFY_SIZE", "CLASS_GENERATORS", "GENERATORS", "REGRESS_SIZE", "DataSplit", "generate"]
PLANE = 6.0


def uniform(draws: np.ndarray, low: float | np.ndarray, high: float | np.ndarray) -> np.ndarray:
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


def xor_points(n: int, noise: float, stream: SeedRandom) -> tuple[Points, Points]:
    """Each point draws x, y in U(-5, 5) (pushed 0.3 away from 0), noise x, noise y in U(-5, 5) * noise; returns
    the points and the noise-shifted points their labels are computed at."""
    draws = stream.uniforms(4 * n).reshape(n, 4)
    points = uniform(draws[:, :2], -5, 5)
    points += np.where(points > 0, 0.3, -0.3)
    return points, points + uniform(draws[:, 2:], -5, 5) * noise


def xor(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """The xor points; label the sign of x * y of the noise-shifted point."""
    points, shifted = xor_points(n, noise, stream)
    labels = np.where(shifted[:, 0] * shifted[:, 1] >= 0, 1.0, -1.0)
    return points, labels


def gauss_deviation(noise: float) -> float:
    """The gauss clusters' standard deviation: the variance goes from 0.5 at noise 0 to 4 at noise 0.5."""
    t = noise / 0.5
    return math.sqrt(0.5 * (1 - t) + 4 * t)


def gauss(n: int, noise: float, stream: SeedRandom) -> tuple[Points, np.ndarray]:
    """n/2 points around (2, 2) labelled +1, then n/2 around (-2, -2); each coordinate one normal draw."""
    half = n // 2
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [half, n - half], axis=0)
    points = centres + gauss_deviation(noise) * stream.normals(2 * n).reshape(n, 2)
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
OUTER_RADIUS = 5.0  # of the rings and the arms
RING_GAP = 0.4  # of a ring's width: where its points start, inside every ring but the innermost
CLUSTER_RADIUS = 3.5  # of the circle the K cluster centres lie on


def class_sizes(n: int, classes: int) -> np.ndarray:
    """Points per class: n // classes each, one more for the first n % classes."""
    return np.array([n // classes + (k < n % classes) for k in range(classes)])


def class_labels(n: int, classes: int) -> np.ndarray:
    """The labels of points drawn class after class: 0, ..., 0, 1, ..., 1, ..."""
    return np.repeat(np.arange(classes, dtype=np.float64), class_sizes(n, classes))


def rings(n: int, noise: float, stream: SeedRandom, classes: int) -> tuple[Points, np.ndarray]:
    """K concentric rings of width w = 5 / K. Ring k's points lie at radius U(k w + g, (k + 1) w) (g = 0 for the
    innermost ring, 0.4 w for the others: with K = 2 these would be the binary circle's radii), each drawing
    radius, angle U(0, 2 pi), noise x, noise y as the circle does. The label is the ring the noise-shifted point
    lies in, floor(r / w) (the outermost beyond radius 5)."""
    width = OUTER_RADIUS / classes
    labels = class_labels(n, classes)
    draws = stream.uniforms(4 * n).reshape(n, 4)
    inner = labels * width + np.where(labels > 0, RING_GAP * width, 0.0)
    radius = uniform(draws[:, 0], inner, (labels + 1) * width)
    angle = uniform(draws[:, 1], 0, 2 * math.pi)
    x, y = radius * np.sin(angle), radius * np.cos(angle)
    shift_x, shift_y = uniform(draws[:, 2], -5, 5) * noise, uniform(draws[:, 3], -5, 5) * noise
    ring = np.floor(distance(x + shift_x, y + shift_y) / width)
    return np.column_stack([x, y]), np.minimum(ring, classes - 1)


def clusters(n: int, noise: float, stream: SeedRandom, classes: int) -> tuple[Points, np.ndarray]:
    """K normal clusters with centres evenly spaced on the circle of radius 3.5, cluster k's at the angle
    pi / 4 + 2 pi k / K (with K = 4, one per quadrant); each coordinate one normal draw, the gauss's deviation."""
    labels = class_labels(n, classes)
    angle = math.pi / 4 + 2 * math.pi * labels / classes
    centres = CLUSTER_RADIUS * np.column_stack([np.cos(angle), np.sin(angle)])
    return centres + gauss_deviation(noise) * stream.normals(2 * n).reshape(n, 2), labels


def arms(n: int, noise: float, stream: SeedRandom, classes: int) -> tuple[Points, np.ndarray]:
    """K interleaved spiral arms: point i of arm k's m points at r = 5 i / m, t = 1.75 * 2 pi i / m + 2 pi k / K,
    moved by noise x, noise y in U(-1, 1) * noise (with K = 2, the binary spiral)."""
    parts = []
    for k, size in enumerate(class_sizes(n, classes)):
        i = np.arange(size)
        r = i / size * OUTER_RADIUS
        t = 1.75 * i / size * 2 * math.pi + 2 * math.pi * k / classes
        shift = uniform(stream.uniforms(2 * size).reshape(size, 2), -1, 1) * noise
        parts.append(np.column_stack([r * np.sin(t), r * np.cos(t)]) + shift)
    return np.concatenate(parts), class_labels(n, classes)


def sectors(n: int, noise: float, stream: SeedRandom, classes: int) -> tuple[Points, np.ndarray]:
    """The xor points; the label is the sector of the noise-shifted point's angle, floor(K angle / 2 pi), the
    angle counterclockwise from the positive x axis in [0, 2 pi) (with K = 4, the quadrants)."""
    points, shifted = xor_points(n, noise, stream)
    angle = np.mod(np.arctan2(shifted[:, 1], shifted[:, 0]), 2 * math.pi)
    return points, np.minimum(np.floor(angle * classes / (2 * math.pi)), classes - 1)


ClassGenerator = Callable[[int, float, SeedRandom, int], tuple[Points, np.ndarray]]
CLASS_GENERATORS: dict[str, ClassGenerator] = {"circle": rings, "xor": sectors, "gauss": clusters, "spiral": arms}


@dataclass(frozen=True)
class DataSplit:
    """The shuffled points of one generation, split into training and test sets."""

    train_points: Points
    train_labels: np.ndarray
    test_points: Points
    test_labels: np.ndarray


def generate(config: Config, stream: SeedRandom | None = None) -> DataSplit:
    """The data of a config: its dataset (its K-class form with more than 2 classes) at its noise drawn from
    `stream` (a fresh stream of the config's seed if none), shuffled as the original shuffles, then split by
    percTrainData. The stream is left after the shuffle."""
    stream = stream or SeedRandom(config.seed)
    n = CLASSIFY_SIZE if config.problem == "classification" else REGRESS_SIZE
    if config.multiclass:
        points, labels = CLASS_GENERATORS[config.dataset](n, config.noise / 100, stream, config.classes)
    else:
        points, labels = GENERATORS[config.active_dataset](n, config.noise / 100, stream)
    order = stream.permutation(n)
    points, labels = points[order], labels[order]
    cut = math.floor(n * config.percTrainData / 100)
    return DataSplit(points[:cut], labels[:cut], points[cut:], labels[cut:])

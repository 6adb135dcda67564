"""The six data generators of the playground, the seeding from a config's seed string, and the train/test split.

Each generator is a pure function (n, noise, rng) -> (points of shape (n, 2), labels of shape (n,)), following
REFERENCE.md: classification labels are +1 / -1, regression labels lie about [-1, 1], `noise` is the hash value
divided by 100. Points live on the plane [-6, 6] x [-6, 6].
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.config import Config

Points = np.ndarray
Generator = Callable[[int, float, np.random.Generator], tuple[Points, np.ndarray]]

CLASSIFY_SIZE = 500
REGRESS_SIZE = 1200
PLANE = 6.0


def seed_sequence(seed: str, stream: int) -> np.random.SeedSequence:
    """An independent, reproducible random stream for a seed string: 0 for data, 1 for weights."""
    digest = hashlib.sha256(seed.encode()).digest()
    return np.random.SeedSequence([int.from_bytes(digest[:8], "little"), stream])


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, np.ndarray]:
    half = n // 2
    radius = np.concatenate([rng.uniform(0, 2.5, half), rng.uniform(3.5, 5, n - half)])
    angle = rng.uniform(0, 2 * np.pi, n)
    points = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    shifted = points + rng.uniform(-5, 5, (n, 2)) * noise
    labels = np.where(np.hypot(shifted[:, 0], shifted[:, 1]) < 2.5, 1.0, -1.0)
    return points, labels


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, np.ndarray]:
    points = rng.uniform(-5, 5, (n, 2))
    points += np.where(points > 0, 0.3, -0.3)
    shifted = points + rng.uniform(-5, 5, (n, 2)) * noise
    labels = np.where(shifted[:, 0] * shifted[:, 1] >= 0, 1.0, -1.0)
    return points, labels


def gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, np.ndarray]:
    variance = 0.5 + (4 - 0.5) * noise / 0.5
    half = n // 2
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [half, n - half], axis=0)
    points = centres + rng.normal(0, np.sqrt(variance), (n, 2))
    labels = np.repeat([1.0, -1.0], [half, n - half])
    return points, labels


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, np.ndarray]:
    half = n // 2
    arms = []
    for delta in (0.0, np.pi):
        i = np.arange(half)
        r = 5 * i / half
        t = 1.75 * 2 * np.pi * i / half + delta
        arms.append(np.column_stack([r * np.sin(t), r * np.cos(t)]) + rng.uniform(-1, 1, (half, 2)) * noise)
    labels = np.repeat([1.0, -1.0], half)
    return np.concatenate(arms), labels


def reg_plane(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, np.ndarray]:
    points = rng.uniform(-PLANE, PLANE, (n, 2))
    shifted = points + rng.uniform(-PLANE, PLANE, (n, 2)) * noise
    return points, (shifted[:, 0] + shifted[:, 1]) / 10


_GAUSS_CENTRES = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def reg_gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[Points, np.ndarray]:
    points = rng.uniform(-PLANE, PLANE, (n, 2))
    shifted = points + rng.uniform(-PLANE, PLANE, (n, 2)) * noise
    distance = np.hypot(shifted[:, None, 0] - _GAUSS_CENTRES[:, 0], shifted[:, None, 1] - _GAUSS_CENTRES[:, 1])
    values = _GAUSS_CENTRES[:, 2] * np.clip(1 - distance / 2, 0, 1)
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


def generate(config: Config) -> DataSplit:
    """The data of a config: its dataset at its noise, from its seed, shuffled, then split by percTrainData."""
    rng = np.random.default_rng(seed_sequence(config.seed, 0))
    n = CLASSIFY_SIZE if config.problem == "classification" else REGRESS_SIZE
    points, labels = GENERATORS[config.active_dataset](n, config.noise / 100, rng)
    order = rng.permutation(n)
    points, labels = points[order], labels[order]
    cut = n * config.percTrainData // 100
    return DataSplit(points[:cut], labels[:cut], points[cut:], labels[cut:])

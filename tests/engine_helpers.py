"""Shared pieces of the engine tests: small hand-made data, networks and an independent objective."""

from __future__ import annotations

import numpy as np

from playground.config import Config
from playground.datasets import DataSplit
from playground.kernel import WIDTH
from playground.network import Architecture, Network
from playground.seedrandom import SeedRandom
from playground.train import Trainer


def small_data(problem: str, n: int = 20, seed: int = 0) -> DataSplit:
    rng = np.random.default_rng(seed)
    points = rng.uniform(-3, 3, (2 * n, 2))
    labels = rng.choice([-1.0, 1.0], 2 * n) if problem == "classification" else rng.uniform(-1, 1, 2 * n)
    return DataSplit(points[:n], labels[:n], points[n:], labels[n:])


def trainer_for(hash_text: str, data: DataSplit | None = None, seed: int = 1) -> Trainer:
    config = Config.from_hash(hash_text + "&seed=test")
    data = data or small_data(config.problem)
    network = Network.initial(Architecture.of(config), "uniform", SeedRandom(str(seed)))
    return Trainer(config, data, network)


def real_indices(network: Network) -> list[tuple[int, int, int]]:
    """Every (layer, row, column) of the padded params that is a real weight or bias."""
    sizes = network.architecture.sizes
    found = []
    for layer in range(len(sizes) - 1):
        rows = [*range(sizes[layer]), WIDTH]
        found += [(layer, row, j) for row in rows for j in range(sizes[layer + 1])]
    return found

"""Shared pieces of the engine tests: small hand-made data, networks and an independent objective."""

from __future__ import annotations

import numpy as np
import pytest

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


def objective(trainer: Trainer) -> float:
    """The training loss L as its parts are defined, evaluated directly: the trainer's measured mean loss over
    the training points plus regularizationRate * sum R(w) over the weights (biases are not regularized)."""
    loss = trainer.measure().train_loss
    weights = trainer.network.params[:, :WIDTH, :]
    regularization, rate = trainer.config.regularization, trainer.config.regularizationRate
    penalty = {"none": 0.0, "L1": np.abs(weights).sum(), "L2": 0.5 * (weights**2).sum()}[regularization]
    return float(loss + rate * penalty)


def numeric_gradient(trainer: Trainer, step: float = 1e-6) -> np.ndarray:
    """dL/dparams by central finite differences of `objective`, in the padded layout (zero in the padding)."""
    params = trainer.network.params
    before = params.copy()
    numeric = np.zeros_like(params)
    for index in real_indices(trainer.network):
        params[index] = before[index] + step
        up = objective(trainer)
        params[index] = before[index] - step
        down = objective(trainer)
        params[index] = before[index]
        numeric[index] = (up - down) / (2 * step)
    return numeric


def assert_the_epoch_steps_by(trainer: Trainer, numeric: np.ndarray) -> None:
    """One epoch of a trainer whose single batch is every training point at learning rate 1 moves each parameter by
    minus `numeric` (the gradient it claims to descend), and leaves the padding at zero."""
    params = trainer.network.params
    before = params.copy()
    trainer.run_epoch()
    assert not trainer.network.dead.any()
    for index in real_indices(trainer.network):
        assert before[index] - params[index] == pytest.approx(numeric[index], rel=1e-5, abs=1e-8), index
    padding = np.ones(params.shape, dtype=bool)
    padding[tuple(np.array(real_indices(trainer.network)).T)] = False
    assert not params[padding].any(), "the padding slots stay zero"


def flat_layout(network: Network, padded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A padded array in the frame's layout, written out plainly: each layer's weights row-major, then biases."""
    sizes = network.architecture.sizes
    layers = range(len(sizes) - 1)
    weights = np.concatenate([padded[k, :sizes[k], :sizes[k + 1]].ravel() for k in layers])
    biases = np.concatenate([padded[k, WIDTH, :sizes[k + 1]] for k in layers])
    return weights, biases

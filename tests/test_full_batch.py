"""The full batch (batchSize=0): one update per epoch with the mean gradient over every training point, checked
against a NumPy forward and backward pass written out here."""

from __future__ import annotations

import numpy as np
import pytest

from playground.config import Config, ConfigError
from playground.kernel import WIDTH
from tests.engine_helpers import small_data, trainer_for


def numpy_mean_gradient(w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: np.ndarray, points: np.ndarray,
                        labels: np.ndarray) -> tuple[np.ndarray, ...]:
    """tanh hidden layer, tanh output, squared error (output - label)^2 / 2, averaged over the points."""
    hidden = np.tanh(points @ w1 + b1)
    output = np.tanh(hidden @ w2 + b2)[:, 0]
    d_out = (output - labels) * (1 - output**2)  # dE/d(output's sum), per point
    d_hidden = (d_out[:, None] * w2[:, 0]) * (1 - hidden**2)
    n = len(labels)
    return (points.T @ d_hidden / n, d_hidden.mean(axis=0), hidden.T @ d_out[:, None] / n,
            np.array([d_out.mean()]))


def test_full_batch_makes_one_update_per_epoch_with_the_numpy_mean_gradient_over_all_training_points() -> None:
    data = small_data("classification", n=23)  # not a multiple of any mini-batch
    trainer = trainer_for("networkShape=3&batchSize=0&learningRate=0.1&activation=tanh", data)
    params = trainer.network.params
    before = params.copy()
    w1, b1 = before[0, :2, :3], before[0, WIDTH, :3]
    w2, b2 = before[1, :3, :1], before[1, WIDTH, :1]
    expected = numpy_mean_gradient(w1, b1, w2, b2, data.train_points, data.train_labels)
    trainer.run_epoch()
    assert trainer.pending[0] == 0  # nothing left over for the next epoch
    moved = (params[0, :2, :3], params[0, WIDTH, :3], params[1, :3, :1], params[1, WIDTH, :1])
    for after, old, gradient in zip(moved, (w1, b1, w2, b2), expected, strict=True):
        np.testing.assert_allclose(after - old, -0.1 * gradient, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(trainer.last_step, params - before, atol=1e-15)


def test_full_batch_is_batch_zero_in_the_hash_and_uses_every_training_point_of_the_split() -> None:
    config = Config.from_hash("batchSize=0&percTrainData=30&seed=1")
    assert config.batchSize == 0
    assert "batchSize=0" in config.to_hash()
    trainer = trainer_for("batchSize=0&percTrainData=30")
    assert trainer.batch_size == len(trainer.data.train_labels) == 20
    assert trainer.hyper_parameters().batch_size == 20


def test_a_negative_batch_size_is_refused_with_what_is_allowed() -> None:
    with pytest.raises(ConfigError, match=r"batchSize=-1 .* from 0 to 1200"):
        Config.from_hash("batchSize=-1")


def test_full_batch_with_softmax_classes_takes_one_step_down_the_full_batch_gradient() -> None:
    from playground.insight import training_gradient
    from playground.train import Trainer

    trainer = Trainer.fresh(Config.from_hash("seed=fb&classes=3&dataset=gauss&batchSize=0&learningRate=0.1"))
    _, mean = training_gradient(trainer)  # gradients.py's full-batch gradient, apart from the epoch's kernel
    before = trainer.network.params.copy()
    trainer.run_epoch()
    np.testing.assert_allclose(trainer.network.params - before, -0.1 * mean, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("setup", [
    "activation=tanh&networkShape=4,2",
    "activation=relu&networkShape=8,8,8&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true",
    "activation=sigmoid&problem=regression&networkShape=3",
    "activation=leakyRelu&loss=crossEntropy&networkShape=5,3",
    "activation=linear&networkShape=2",
    "activation=tanh&classes=3&dataset=spiral&networkShape=6,6",
])
def test_the_full_batch_gradient_is_bit_for_bit_the_mean_of_the_per_example_passes(setup: str) -> None:
    """The frame's gradient goes layer by layer over all points; training goes point by point. They must be the
    same numbers, not merely close: the layer-by-layer pass sums in the points' order."""
    from playground import gradients
    from playground.insight import training_gradient
    from playground.train import Trainer

    trainer = Trainer.fresh(Config.from_hash(f"seed=bits&{setup}"))
    for _ in range(3):
        trainer.run_epoch()  # weights away from their initial values
    net, hyper = trainer.network, trainer.hyper_parameters()
    total = np.zeros_like(net.params)
    one = np.zeros_like(net.params)
    z = np.zeros((len(net.sizes), WIDTH))
    a, delta = z.copy(), z.copy()
    for point, label in zip(trainer.train_inputs, trainer.data.train_labels, strict=True):
        gradients.example_pass(np.ascontiguousarray(point), label, net.sizes, net.params, hyper, z, a, delta, one)
        total += one
    _, mean = training_gradient(trainer)
    assert np.abs(mean).max() > 1e-6, "a gradient that is there to compare"
    assert np.array_equal(mean, total / len(trainer.train_inputs))

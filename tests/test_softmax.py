"""Softmax outputs and categorical cross-entropy in the compiled kernel: a hand-worked 3-class example, every
gradient the kernel applies against central finite differences of a plain NumPy re-statement of the loss (every
hidden activation, L1 and L2), the many-point forward pass against the one-point pass, and arg-max accuracy."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.datasets import DataSplit
from playground.insight import example_pass
from playground.kernel import ACTIVATIONS, WIDTH
from playground.network import Architecture, Network
from playground.seedrandom import SeedRandom
from playground.train import Trainer
from tests.engine_helpers import assert_the_epoch_steps_by, real_indices, trainer_for

HIDDEN = {
    "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    "linear": lambda z: z, "leakyRelu": lambda z: np.where(z > 0, z, 0.01 * z),
}


def class_data(classes: int = 3, n: int = 20, seed: int = 0) -> DataSplit:
    rng = np.random.default_rng(seed)
    points = rng.uniform(-3, 3, (2 * n, 2))
    labels = rng.integers(0, classes, 2 * n).astype(np.float64)
    return DataSplit(points[:n], labels[:n], points[n:], labels[n:])


def numpy_objective(trainer: Trainer) -> float:
    """Mean -ln(softmax(z)[label]) over the training points, computed with matrices, plus the penalty."""
    net = trainer.network
    a = trainer.train_inputs
    for layer in range(1, net.architecture.layer_count + 1):
        z = a @ net.weights(layer) + net.biases(layer)
        a = z if layer == net.architecture.layer_count else HIDDEN[net.architecture.activation](z)
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    p = shifted / shifted.sum(axis=1, keepdims=True)
    labels = trainer.data.train_labels.astype(int)
    loss = -np.mean(np.log(p[np.arange(len(labels)), labels]))
    weights = net.params[:, :WIDTH, :]
    penalty = {"none": 0.0, "L1": np.abs(weights).sum(), "L2": 0.5 * (weights ** 2).sum()}[
        trainer.config.regularization]
    return float(loss + trainer.config.regularizationRate * penalty)


def numpy_gradient(trainer: Trainer, step: float = 1e-6) -> np.ndarray:
    params = trainer.network.params
    numeric = np.zeros_like(params)
    for index in real_indices(trainer.network):
        kept = params[index]
        params[index] = kept + step
        up = numpy_objective(trainer)
        params[index] = kept - step
        down = numpy_objective(trainer)
        params[index] = kept
        numeric[index] = (up - down) / (2 * step)
    return numeric


def softmax_trainer(setup: str, classes: int = 3) -> Trainer:
    return trainer_for(f"classes={classes}&{setup}", class_data(classes))


def test_the_hand_worked_three_class_example() -> None:
    """No hidden layer; inputs x = 1, y = 2; weights from x 0.5 each, from y (0, ln 2 / 2, ln 3 / 2), biases -0.5:
    z = -0.5 + 0.5 * 1 + 2 * w_y = (0, ln 2, ln 3), so exp(z) = (1, 2, 3), their sum is 6 and p = (1/6, 1/3, 1/2).
    A point of class 1 costs -ln(1/3) = ln 3 = 1.0986; class 0, ln 6 = 1.7918; class 2, ln 2 = 0.6931. The mean
    over one point of each class is (ln 6 + ln 3 + ln 2) / 3 = ln 36 / 3 = 1.1945. Every point predicts class 2
    (the largest p), so the accuracy is 1/3. dE/dz for the class-1 point is p - (0, 1, 0) = (1/6, -2/3, 1/2);
    dE/dw from x is that times x = 1, from y times 2, and dE/db is dE/dz."""
    points = np.array([[1.0, 2.0]] * 3)
    labels = np.array([0.0, 1.0, 2.0])
    data = DataSplit(points, labels, points[:1], labels[1:2])
    trainer = trainer_for("classes=3&networkShape=", data)
    net = trainer.network
    net.weights(1)[:] = [[0.5, 0.5, 0.5], [0.0, math.log(2) / 2, math.log(3) / 2]]
    net.biases(1)[:] = -0.5
    assert net.forward(points[:1])[-3:, 0] == pytest.approx([1 / 6, 1 / 3, 1 / 2], rel=1e-15)
    metrics = trainer.measure()
    assert metrics.train_loss == pytest.approx(math.log(36) / 3, rel=1e-14)
    assert 1.1945 < metrics.train_loss < 1.1946
    assert metrics.test_loss == pytest.approx(math.log(3), rel=1e-14)
    assert metrics.train_accuracy == pytest.approx(1 / 3) and metrics.test_accuracy == 0.0
    walk = example_pass(trainer, 1).to_dict()
    assert walk["loss"] == pytest.approx(math.log(3), rel=1e-14)
    assert walk["output"] == pytest.approx([1 / 6, 1 / 3, 1 / 2], rel=1e-15)
    assert walk["deltas"][-1] == pytest.approx([1 / 6, -2 / 3, 1 / 2], rel=1e-14)
    assert walk["weightGradients"] == pytest.approx([1 / 6, -2 / 3, 1 / 2, 2 / 6, -4 / 3, 1.0], rel=1e-14)
    assert walk["biasGradients"] == pytest.approx([1 / 6, -2 / 3, 1 / 2], rel=1e-14)


def check_gradient(setup: str, classes: int = 3) -> None:
    trainer = softmax_trainer(f"batchSize=20&learningRate=1&networkShape=3,2&{setup}", classes)
    numeric = numpy_gradient(trainer)
    assert np.abs(numeric).max() > 1e-3
    assert_the_epoch_steps_by(trainer, numeric)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_softmax_gradient_matches_finite_differences(activation: str) -> None:
    check_gradient(f"activation={activation}")


@pytest.mark.parametrize("classes", [4, 6])
def test_softmax_gradient_with_more_classes_matches_finite_differences(classes: int) -> None:
    check_gradient("activation=tanh", classes)


@pytest.mark.parametrize("regularization", ["L1", "L2"])
def test_regularized_softmax_gradient_matches_finite_differences(regularization: str) -> None:
    check_gradient(f"activation=relu&regularization={regularization}&regularizationRate=0.001")


def test_the_loss_is_categorical_whatever_loss_says() -> None:
    squared, crossed = softmax_trainer("loss=squared"), softmax_trainer("loss=crossEntropy")
    assert squared.measure().train_loss == crossed.measure().train_loss == pytest.approx(numpy_objective(squared),
                                                                                         rel=1e-12)
    assert squared.run_epoch() == crossed.run_epoch()


def test_the_many_point_pass_gives_the_one_point_pass_probabilities() -> None:
    trainer = softmax_trainer("networkShape=5,4&activation=tanh", classes=5)
    net = trainer.network
    net.params *= 8  # large z: the softmax must not overflow
    outputs = net.forward(trainer.train_inputs)[-5:]
    assert outputs.sum(axis=0) == pytest.approx(np.ones(20), rel=1e-14) and (outputs >= 0).all()
    for k in (0, 7, 19):
        walk = example_pass(trainer, k)
        assert walk.activations[-1] == pytest.approx(outputs[:, k], rel=1e-12, abs=1e-300)


def test_accuracy_is_the_arg_max_class() -> None:
    trainer = softmax_trainer("networkShape=4&activation=relu", classes=4)
    trainer.run_epoch()
    predicted = np.argmax(trainer.network.forward(trainer.test_inputs)[-4:], axis=0)
    assert trainer.measure().test_accuracy == np.mean(predicted == trainer.data.test_labels)


def test_an_architecture_allows_softmax_only_as_a_k_neuron_output() -> None:
    assert Architecture((2, 4, 6), "tanh", "softmax").sizes[-1] == 6
    Architecture((7, 8), "relu", "softmax")
    with pytest.raises(ValueError, match="softmax: 2 to 8"):
        Architecture((2, 4, 9), "tanh", "softmax")
    with pytest.raises(ValueError, match="one output"):
        Architecture((2, 4, 3), "tanh", "tanh")
    with pytest.raises(ValueError, match="activation 'softmax' is not one of"):
        Architecture((2, 4, 3), "softmax", "softmax")
    network = Network.initial(Architecture((2, 3, 4), "tanh", "softmax"), "uniform", SeedRandom("1"))
    again = Network.from_dict(network.to_dict())
    assert again.architecture == network.architecture and np.array_equal(again.params, network.params)

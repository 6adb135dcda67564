"""Every gradient the kernel applies against central finite differences of the objective it claims to descend.

One epoch with the whole training set as one batch and learning rate 1 moves each parameter by exactly its
gradient (plus the regularization term), so (before - after) is compared with (f(w + h) - f(w - h)) / 2h, where
f is the mean loss over the training points (as the trainer measures it) plus the regularization penalty.
"""

from __future__ import annotations

import numpy as np
import pytest

from playground.kernel import ACTIVATIONS
from tests.engine_helpers import assert_the_epoch_steps_by, numeric_gradient, trainer_for

STEP = 1e-6


def check_gradient(hash_text: str, regularization: str = "none", rate: float = 0.0) -> None:
    trainer = trainer_for(hash_text + "&batchSize=20&learningRate=1&networkShape=3,2"
                          + f"&regularization={regularization}&regularizationRate={rate}")
    assert_the_epoch_steps_by(trainer, numeric_gradient(trainer, STEP))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("setup", ["problem=classification", "problem=classification&loss=crossEntropy",
                                   "problem=regression"])
def test_gradient_matches_finite_differences(activation: str, setup: str) -> None:
    check_gradient(f"{setup}&activation={activation}")


@pytest.mark.parametrize("regularization", ["L1", "L2"])
def test_regularized_gradient_matches_finite_differences(regularization: str) -> None:
    check_gradient("activation=tanh", regularization, 0.001)


def test_regression_ignores_cross_entropy() -> None:
    squared = trainer_for("problem=regression")
    crossed = trainer_for("problem=regression&loss=crossEntropy")
    assert squared.run_epoch().train_loss == crossed.run_epoch().train_loss


def test_cross_entropy_loss_value() -> None:
    trainer = trainer_for("loss=crossEntropy")
    outputs = trainer.network.output(trainer.train_inputs)
    p, q = (outputs + 1) / 2, (trainer.data.train_labels + 1) / 2
    expected = -np.mean(q * np.log(p) + (1 - q) * np.log(1 - p))
    assert trainer.measure().train_loss == pytest.approx(expected, rel=1e-12)


def test_squared_loss_and_accuracy_values() -> None:
    trainer = trainer_for("")
    outputs = trainer.network.output(trainer.test_inputs)
    labels = trainer.data.test_labels
    metrics = trainer.measure()
    assert metrics.test_loss == pytest.approx(np.mean(0.5 * (outputs - labels) ** 2), rel=1e-12)
    assert metrics.test_accuracy == np.mean(np.where(outputs >= 0, 1, -1) == labels)

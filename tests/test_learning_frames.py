"""The learning arrays of every frame, read through the protocol as a page reads them: the gradients against
central finite differences of the training loss (evaluated directly), the last steps against the weights' change
between two frames, and the per-layer RMS against the gradients themselves."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from playground.config import Config
from playground.kernel import ACTIVATIONS
from playground.train import Trainer
from tests.engine_helpers import flat_layout, numeric_gradient
from tests.page_client import PageClient

SMALL = "seed=grad&networkShape=3,2&x=true&y=true&xTimesY=true"


def check_frame_gradients(page: PageClient, hash_text: str) -> None:
    hash_text += "&linkView=gradients"  # the one link view whose frames carry every weight's gradient
    _, arrays = page.open_setup(hash_text)
    trainer = Trainer.fresh(Config.from_hash(hash_text))  # the seed gives the session's data and network
    weights, biases = flat_layout(trainer.network, trainer.network.params)
    assert np.array_equal(arrays["weights"], weights.astype(np.float32)), "the same network as the session's"
    assert np.array_equal(arrays["biases"], biases.astype(np.float32))
    expected_weights, expected_biases = flat_layout(trainer.network, numeric_gradient(trainer))
    assert arrays["weightGradients"] == pytest.approx(expected_weights, rel=1e-4, abs=1e-7)
    assert arrays["biasGradients"] == pytest.approx(expected_biases, rel=1e-4, abs=1e-7)
    assert np.abs(arrays["weightGradients"]).max() > 1e-4, "a gradient that is there to check"


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["squared", "crossEntropy"])
def test_frame_gradients_match_finite_differences_of_the_training_loss(connected_page: PageClient,
                                                                        activation: str, loss: str) -> None:
    check_frame_gradients(connected_page, f"{SMALL}&activation={activation}&loss={loss}")


@pytest.mark.parametrize("regularization", ["L1", "L2"])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_regularized_frame_gradients_include_the_penalty(connected_page: PageClient, regularization: str,
                                                         activation: str) -> None:
    check_frame_gradients(connected_page, f"{SMALL}&activation={activation}&regularization={regularization}"
                                "&regularizationRate=0.03")


@pytest.mark.parametrize("setup", ["classes=3&activation=tanh", "classes=4&activation=relu",
                                   "classes=5&activation=sigmoid&regularization=L2&regularizationRate=0.03",
                                   "classes=6&dataset=spiral&activation=leakyRelu&regularization=L1"
                                   "&regularizationRate=0.01"])
def test_softmax_frame_gradients_match_finite_differences(connected_page: PageClient, setup: str) -> None:
    check_frame_gradients(connected_page, f"{SMALL}&{setup}")


def test_regression_frame_gradients_match_finite_differences(connected_page: PageClient) -> None:
    check_frame_gradients(connected_page, f"{SMALL}&problem=regression&activation=tanh")


@pytest.mark.parametrize("setup", ["optimizer=sgd", "regularization=L2&regularizationRate=0.1", "optimizer=adam"])
def test_weight_steps_are_the_weights_change_between_two_frames(connected_page: PageClient, setup: str) -> None:
    # 50 training points and batches of 30: one update per epoch (the other 20 examples wait for the next one)
    steps_view = f"{SMALL}&percTrainData=10&batchSize=30&learningRate=0.3&linkView=steps&{setup}"
    _, before = connected_page.open_setup(steps_view)
    assert not before["weightSteps"].any() and not before["biasSteps"].any(), "no update yet"
    connected_page.send(type="step")
    _, after = connected_page.frame()
    for values, steps in (("weights", "weightSteps"), ("biases", "biasSteps")):
        change = after[values].astype(np.float64) - before[values]
        assert after[steps] == pytest.approx(change, rel=1e-5, abs=1e-7), steps
        assert np.abs(change).max() > 1e-3


def test_layer_gradients_are_the_rms_of_each_layers_weight_gradients(connected_page: PageClient) -> None:
    header, arrays = connected_page.open_setup(f"{SMALL}&activation=sigmoid&linkView=gradients")
    sizes = header["sizes"]
    bounds = np.cumsum([0] + [a * b for a, b in pairwise(sizes)])
    gradients = arrays["weightGradients"].astype(np.float64)
    rms = [np.sqrt(np.mean(gradients[start:end] ** 2)) for start, end in pairwise(bounds)]
    assert arrays["layerGradients"].shape == (len(sizes) - 1,)
    assert arrays["layerGradients"] == pytest.approx(rms, rel=1e-5)

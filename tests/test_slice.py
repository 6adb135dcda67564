"""The `slice` command: the training loss along one parameter against direct evaluation, its slope against the
frame's gradient, the next step against the update the engine then really makes, a network left as it was, and null
for what a diverged session cannot compute."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.config import Config
from playground.insight import bias_slice, weight_slice
from playground.kernel import WIDTH
from playground.messages import example_message, slice_message
from playground.session import Session
from playground.train import Trainer
from tests.engine_helpers import objective, real_indices, trainer_for
from tests.page_client import PageClient

SMALL = "seed=slice&networkShape=3,2&x=true&y=true&xTimesY=true"


def loss_with(trainer: Trainer, index: tuple[int, int, int], value: float) -> float:
    """L with one parameter set to value, evaluated directly; the parameter is put back."""
    params = trainer.network.params
    kept = params[index]
    params[index] = value
    try:
        return objective(trainer)
    finally:
        params[index] = kept


@pytest.mark.parametrize("setup", ["activation=tanh", "activation=relu&regularization=L2&regularizationRate=0.03",
                                   "activation=sigmoid&loss=crossEntropy", "problem=regression&activation=tanh",
                                   "classes=3&activation=relu&regularization=L1&regularizationRate=0.01",
                                   "classes=4&dataset=xor&activation=tanh"])
def test_slice_losses_are_the_training_loss_at_those_weights(connected_page: PageClient, setup: str) -> None:
    hash_text = f"{SMALL}&{setup}&linkView=gradients"  # frames then carry every weight's gradient
    _, arrays = connected_page.open_setup(hash_text)
    trainer = Trainer.fresh(Config.from_hash(hash_text))  # the session's network and data
    connected_page.send(type="slice", layer=2, source=1, target=0)
    got = connected_page.text("slice")
    assert (got["layer"], got["source"], got["target"], got["parameter"]) == (2, 1, 0, "weight")
    assert "neuron" not in got and got["epoch"] == 0 and got["optimizer"] == "sgd"
    index = (1, 1, 0)
    values, losses = np.array(got["values"]), np.array(got["losses"])
    assert len(values) >= 41 and len(losses) == len(values)
    assert np.diff(values) == pytest.approx(np.full(len(values) - 1, values[1] - values[0]), rel=1e-9)
    assert values[1] > values[0], "evenly spaced, ascending"
    assert got["value"] == trainer.network.params[index]
    assert values[0] < got["value"] < values[-1] and values[0] <= got["landing"] <= values[-1]
    assert losses == pytest.approx([loss_with(trainer, index, v) for v in values], rel=1e-12)
    assert got["loss"] == pytest.approx(objective(trainer), rel=1e-12)
    assert got["landing"] == pytest.approx(got["value"] - got["learningRate"] * got["gradient"], rel=1e-12)
    assert got["landingLoss"] == pytest.approx(loss_with(trainer, index, got["landing"]), rel=1e-12)
    weight_index = 3 * 3 + 1 * 2 + 0  # layer 2's weight from 1 to 0, after layer 1's 3 x 3
    assert got["gradient"] == pytest.approx(arrays["weightGradients"][weight_index], rel=1e-6)


@pytest.mark.parametrize("address", [{"layer": 1, "source": 0, "target": 2}, {"layer": 3, "neuron": 0},
                                     {"layer": 2, "neuron": 1}])
def test_the_slices_tangent_is_the_gradient(connected_page: PageClient, address: dict[str, int]) -> None:
    connected_page.open_setup(f"{SMALL}&activation=tanh&regularization=L2&regularizationRate=0.1")
    connected_page.send(type="slice", **address)
    got = connected_page.text("slice")
    values, losses = np.array(got["values"]), np.array(got["losses"])
    middle = len(values) // 2
    assert values[middle] == pytest.approx(got["value"], abs=1e-12)
    slope = (losses[middle + 1] - losses[middle - 1]) / (values[middle + 1] - values[middle - 1])
    assert slope == pytest.approx(got["gradient"], rel=1e-2, abs=1e-5)
    assert abs(got["gradient"]) > 1e-3


def test_a_slice_leaves_the_network_and_its_training_unchanged() -> None:
    session = Session(Config.from_hash(f"{SMALL}&optimizer=adam&regularization=L1&regularizationRate=0.01"))
    session.advance(3)
    trainer = session.trainer
    state = [trainer.network.params, trainer.network.dead, trainer.grad, trainer.pending, trainer.first,
             trainer.second, trainer.step, trainer.last_step]
    before = [array.copy() for array in state]
    session.slice(1, 2, 1, None)
    session.slice(2, None, None, 0)
    for array, kept in zip(state, before, strict=True):
        assert np.array_equal(array, kept)
    assert session.epoch == 3


def test_sgds_next_step_is_minus_the_learning_rate_times_the_gradient(connected_page: PageClient) -> None:
    connected_page.open_setup(f"{SMALL}&learningRate=0.3&regularization=L2&regularizationRate=0.01")
    for address in ({"layer": 1, "source": 2, "target": 1}, {"layer": 2, "neuron": 0}):
        connected_page.send(type="slice", **address)
        got = connected_page.text("slice")
        assert got["learningRate"] == 0.3
        assert got["nextStep"] == pytest.approx(-0.3 * got["gradient"], rel=1e-12)
        assert got["landing"] == pytest.approx(got["value"] + got["nextStep"], rel=1e-12)


@pytest.mark.parametrize("rule", ["optimizer=momentum&momentum=0.9", "optimizer=nesterov&momentum=0.5",
                                  "optimizer=rmsprop", "optimizer=adam", "optimizer=adam&learningRateDecay=0.1",
                                  "regularization=L1&regularizationRate=0.3&learningRate=0.3"])
def test_the_next_step_is_what_the_next_full_batch_update_does(rule: str) -> None:
    trainer = trainer_for(f"batchSize=20&networkShape=3,2&learningRate=0.1&{rule}")  # 20 points: one batch
    trainer.run_epoch()
    trainer.run_epoch()  # the optimizer has a history
    slices = {}
    for layer, row, column in real_indices(trainer.network):
        if row == WIDTH:
            slices[layer, row, column] = bias_slice(trainer, layer + 1, column)
        else:
            slices[layer, row, column] = weight_slice(trainer, layer + 1, row, column)
    before = trainer.network.params.copy()
    trainer.run_epoch()
    change = trainer.network.params - before
    for index, loss_slice in slices.items():
        assert loss_slice.next_step == pytest.approx(change[index], rel=1e-9, abs=1e-15), index
    assert np.abs(change).max() > 1e-4


def test_a_diverged_session_still_answers_with_null_for_what_is_not_finite() -> None:
    session = Session(Config.from_hash("seed=boom&problem=regression&learningRate=10&activation=relu"
                                       "&networkShape=8,8,8"))
    assert any(session.advance(10) for _ in range(50)), "this setup diverges"
    answers = [slice_message(session.slice(1, 0, 0, None)), example_message(session.example(0))]
    for text in answers:
        json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert "null" in answers[0]

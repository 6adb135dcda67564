"""The textbook knobs of issue 5 in the engine: each optimizer's update against a hand computation, symmetry
and initialization, and that every optimizer actually learns."""

from __future__ import annotations

import numpy as np
import pytest

from playground.config import Config
from playground.network import Architecture, Network
from playground.train import Trainer
from tests.test_training import LABELS, POINTS, assert_same, reference_of, tiny_trainer

LARGEST = ("dataset=spiral&networkShape=8,8,8,8,8,8&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true"
           "&sinX=true&sinY=true")


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov", "rmsprop", "adam"])
@pytest.mark.parametrize("regularization", ["none", "L2"])
def test_each_optimizer_matches_a_hand_computation(optimizer: str, regularization: str) -> None:
    trainer = tiny_trainer(f"batchSize=2&learningRate=0.05&optimizer={optimizer}&momentum=0.8"
                           f"&regularization={regularization}&regularizationRate=0.01")
    reference = reference_of(trainer, optimizer=optimizer, momentum=0.8)
    for _ in range(3):  # 6 updates, with leftovers carried over
        trainer.run_epoch()
        reference.epoch(POINTS.tolist(), LABELS.tolist(), 2, 0.05, regularization, 0.01)
        assert_same(trainer, reference)


def test_adams_first_step_is_the_learning_rate_in_every_coordinate() -> None:
    """Bias correction: after one update m_hat / sqrt(v_hat) = g / |g| = +-1, so each parameter moves by lr."""
    trainer = tiny_trainer("batchSize=5&learningRate=0.01&optimizer=adam")
    before = trainer.network.params.copy()
    trainer.run_epoch()
    moved = np.abs(trainer.network.params - before)
    real = moved[moved > 0]
    assert len(real) == 5 and real == pytest.approx(0.01, rel=1e-5)


def test_momentum_remembers_the_previous_step() -> None:
    """Two updates with momentum 0.5: the second step is g2 + 0.5 g1 (times lr)."""
    sgd = tiny_trainer("batchSize=5&learningRate=0.1")
    moving = tiny_trainer("batchSize=5&learningRate=0.1&optimizer=momentum&momentum=0.5")
    start = sgd.network.params.copy()
    sgd.run_epoch()
    g1 = (start - sgd.network.params) / 0.1
    moving.run_epoch()
    after_one = moving.network.params.copy()
    assert after_one == pytest.approx(sgd.network.params, rel=1e-14)
    check = Trainer(sgd.config, sgd.data, Network(sgd.network.architecture, after_one.copy()))
    check.run_epoch()
    g2 = (after_one - check.network.params) / 0.1
    moving.run_epoch()
    assert moving.network.params == pytest.approx(after_one - 0.1 * (g2 + 0.5 * g1), rel=1e-12, abs=1e-15)


def test_changing_optimizer_resets_its_state() -> None:
    trainer = tiny_trainer("optimizer=adam&batchSize=2")
    trainer.run_epoch()
    assert trainer.step[0] > 0 and trainer.first.any()
    trainer.reset_optimizer()
    assert trainer.step[0] == 0 and not trainer.first.any() and not trainer.second.any()


def hidden_columns_identical(network: Network) -> bool:
    for layer in range(1, network.architecture.layer_count):
        weights, biases = network.weights(layer), network.biases(layer)
        if not (np.allclose(weights, weights[:, :1]) and np.allclose(biases, biases[0])):
            return False
    return True


def test_zero_init_keeps_every_hidden_neuron_identical_and_others_break_symmetry() -> None:
    zero = Trainer.fresh(Config.from_hash("seed=1&init=zero&networkShape=4,3"))
    for _ in range(100):
        zero.run_epoch()
    assert hidden_columns_identical(zero.network)
    assert zero.network.biases(3)[0] != 0, "only the output bias could learn"
    for init in ("uniform", "xavier", "he"):
        trainer = Trainer.fresh(Config.from_hash(f"seed=1&init={init}&networkShape=4,3"))
        trainer.run_epoch()
        assert not hidden_columns_identical(trainer.network), init


def test_initial_networks_are_reproducible_per_seed() -> None:
    arch = Architecture((2, 4, 1), "tanh", "tanh")
    one = Trainer.fresh(Config.from_hash("seed=z&networkShape=4&init=he")).network.params
    two = Trainer.fresh(Config.from_hash("seed=z&networkShape=4&init=he")).network.params
    assert np.array_equal(one, two) and one.shape == Network(arch).params.shape


@pytest.mark.parametrize(("optimizer", "rate"), [("sgd", 0.1), ("momentum", 0.01), ("nesterov", 0.01),
                                                 ("rmsprop", 0.003), ("adam", 0.01)])
@pytest.mark.parametrize("seed", ["2", "3", "4"])  # seed 1's first network takes RMSprop past 500 epochs
def test_every_optimizer_learns_xor(optimizer: str, rate: float, seed: str) -> None:
    trainer = Trainer.fresh(Config.from_hash(f"dataset=xor&networkShape=4&optimizer={optimizer}"
                                             f"&learningRate={rate}&seed={seed}"))
    losses = [trainer.run_epoch().test_loss for _ in range(500)]
    assert losses[-1] < 0.1


def epochs_to_learn(hash_text: str, target: float = 0.1, limit: int = 1000) -> int:
    trainer = Trainer.fresh(Config.from_hash(hash_text))
    for epoch in range(1, limit + 1):
        if trainer.run_epoch().test_loss < target:
            return epoch
    return limit + 1


@pytest.mark.parametrize("seed", ["1", "2"])
def test_adam_learns_the_largest_spiral_in_fewer_epochs_than_sgd(seed: str) -> None:
    sgd = epochs_to_learn(f"{LARGEST}&seed={seed}")
    adam = epochs_to_learn(f"{LARGEST}&seed={seed}&optimizer=adam&learningRate=0.003")
    assert adam < sgd <= 1000


def test_accuracy_rises_with_training() -> None:
    trainer = Trainer.fresh(Config.from_hash("seed=2&dataset=xor&optimizer=adam&learningRate=0.01"))
    start = trainer.measure()
    for _ in range(100):
        end = trainer.run_epoch()
    assert start.test_accuracy is not None and end.test_accuracy is not None
    assert end.test_accuracy > max(start.test_accuracy, 0.9)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_an_l1_dead_weight_is_frozen_with_its_moments_and_revives_from_zero(optimizer: str) -> None:
    """The dead-weight rule (docs/architecture.md): no moment updates while dead; a weight revived by hand starts
    its moments from zero. Kernel and reference agree epoch by epoch, moments included."""
    rule = f"batchSize=1&learningRate=0.01&regularization=L1&regularizationRate=1&optimizer={optimizer}"
    trainer = tiny_trainer(rule + "&momentum=0.9", w=(0.3, 0.002))
    reference = reference_of(trainer, optimizer=optimizer, momentum=0.9)
    dead_param = reference.weights[0][1][0]  # the weight from input 2 to the hidden neuron

    def compare() -> None:
        assert_same(trainer, reference)
        for kernel_state, name in ((trainer.first, "first"), (trainer.second, "second")):
            assert kernel_state[0, 1, 0] == pytest.approx(getattr(dead_param, name), rel=1e-12, abs=1e-300)

    frozen = None
    for _ in range(4):
        trainer.run_epoch()
        reference.epoch(POINTS.tolist(), LABELS.tolist(), 1, 0.01, "L1", 1.0)
        compare()
        if trainer.network.dead[0, 1, 0]:
            moments = trainer.first[0, 1, 0], trainer.second[0, 1, 0]
            assert moments == (frozen or moments), "no moment update while dead"
            frozen = moments
    assert frozen is not None and frozen[0] != 0.0, "it died, with moments, within 4 epochs"
    trainer.set_weight(1, 1, 0, 0.25)  # revived by hand, as the page's set_weight does
    reference.revive(0, 1, 0, 0.25)
    for _ in range(3):
        trainer.run_epoch()
        reference.epoch(POINTS.tolist(), LABELS.tolist(), 1, 0.01, "L1", 1.0)
        compare()
    assert not trainer.network.dead[0, 1, 0] and trainer.first[0, 1, 0] != frozen[0]

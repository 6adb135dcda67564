"""Training updates against hand computations and an independent re-statement of the rules; seeding;
convergence; saving and loading."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from playground.config import Config
from playground.datasets import DataSplit
from playground.network import Architecture, Network
from playground.train import Trainer
from tests.reference_trainer import Param, ReferenceNet

POINTS = np.array([[1.0, -2.0], [0.5, 0.5], [-1.5, 1.0], [2.0, 2.0], [-0.5, -1.0]])
LABELS = np.array([1.0, -1.0, 1.0, -1.0, 1.0])
TINY = DataSplit(POINTS, LABELS, POINTS[:2], LABELS[:2])


def tiny_trainer(hash_text: str, w: tuple[float, float] = (0.3, -0.2), v: float = 0.4,
                 data: DataSplit = TINY) -> Trainer:
    """2 inputs -> 1 hidden tanh neuron -> tanh output, weights set by hand, biases 0.1."""
    config = Config.from_hash("networkShape=1&seed=tiny&" + hash_text)
    network = Network(Architecture.of(config))
    network.weights(1)[:, 0] = w
    network.weights(2)[0, 0] = v
    network.biases(1)[0] = network.biases(2)[0] = 0.1
    return Trainer(config, data, network)


def reference_of(trainer: Trainer, **rule: float | str) -> ReferenceNet:
    net = trainer.network
    layers = net.architecture.layer_count
    weights = [[[Param(float(x), True) for x in row] for row in net.weights(layer)] for layer in range(1, layers + 1)]
    biases = [[Param(float(x), False) for x in net.biases(layer)] for layer in range(1, layers + 1)]
    loss = trainer.config.loss
    return ReferenceNet(weights, biases, net.architecture.activation, net.architecture.output_activation, loss,
                        rule=dict(rule))


def assert_same(trainer: Trainer, reference: ReferenceNet) -> None:
    for layer in range(1, trainer.network.architecture.layer_count + 1):
        expected_w = [[p.value for p in row] for row in reference.weights[layer - 1]]
        expected_b = [p.value for p in reference.biases[layer - 1]]
        assert trainer.network.weights(layer) == pytest.approx(np.array(expected_w), rel=1e-12, abs=1e-14)
        assert trainer.network.biases(layer) == pytest.approx(np.array(expected_b), rel=1e-12, abs=1e-14)
        dead = [[p.dead for p in row] for row in reference.weights[layer - 1]]
        assert trainer.network.dead[layer - 1, :len(dead), :len(dead[0])].tolist() == dead


def test_first_update_by_hand() -> None:
    """Batch 2, learning rate 0.1: the first update averages the gradients of the first two examples."""
    first_two = DataSplit(POINTS[:2], LABELS[:2], POINTS[:2], LABELS[:2])
    trainer = tiny_trainer("batchSize=2&learningRate=0.1", data=first_two)
    w1, w2, v, b1, b2 = 0.3, -0.2, 0.4, 0.1, 0.1
    grads = np.zeros(5)
    for (x1, x2), t in zip(POINTS[:2], LABELS[:2], strict=True):
        h = math.tanh(w1 * x1 + w2 * x2 + b1)
        o = math.tanh(v * h + b2)
        d_out = (o - t) * (1 - o * o)  # squared error 0.5 (o - t)^2 through the tanh output
        d_hidden = d_out * v * (1 - h * h)
        grads += [d_hidden * x1, d_hidden * x2, d_out * h, d_hidden, d_out]
    expected = np.array([w1, w2, v, b1, b2]) - 0.1 * grads / 2
    trainer.run_epoch()
    net = trainer.network
    updated = [*net.weights(1)[:, 0], net.weights(2)[0, 0], net.biases(1)[0], net.biases(2)[0]]
    assert updated == pytest.approx(expected, rel=1e-13)


def test_leftovers_carry_over_and_an_l1_weight_dies() -> None:
    """5 examples, batch 2: updates after examples 2 and 4; the 5th waits and joins the next epoch's first update
    (3 examples averaged). The tiny weight w2 = -0.001 is pushed across zero by L1, dies, and stays at zero."""
    trainer = tiny_trainer("batchSize=2&learningRate=0.1&regularization=L1&regularizationRate=0.3",
                           w=(0.3, -0.001))
    reference = reference_of(trainer)
    for epoch in range(2):
        trainer.run_epoch()
        reference.epoch(POINTS.tolist(), LABELS.tolist(), 2, 0.1, "L1", 0.3)
        assert_same(trainer, reference)
        assert trainer.pending[0] == reference.pending == 1
        assert trainer.network.dead[0, :2, 0].tolist() == [False, True], epoch
        assert trainer.network.weights(1)[1, 0] == 0.0
    assert reference.steps == trainer.step[0] == 4


def test_l2_and_batch_one_match_the_rules() -> None:
    trainer = tiny_trainer("batchSize=1&learningRate=0.3&regularization=L2&regularizationRate=0.03")
    reference = reference_of(trainer)
    for _ in range(4):
        trainer.run_epoch()
        reference.epoch(POINTS.tolist(), LABELS.tolist(), 1, 0.3, "L2", 0.03)
    assert_same(trainer, reference)


def test_deeper_network_with_relu_matches_the_rules() -> None:
    config = Config.from_hash("networkShape=3,2&activation=relu&batchSize=3&learningRate=0.1&seed=7&xTimesY=true")
    full = Trainer.fresh(config)
    data = DataSplit(full.data.train_points[:40], full.data.train_labels[:40], full.data.test_points,
                     full.data.test_labels)
    trainer = Trainer(config, data, full.network)
    reference = reference_of(trainer)
    for _ in range(3):
        trainer.run_epoch()
        reference.epoch(trainer.train_inputs.tolist(), data.train_labels.tolist(), 3, 0.1)
    assert_same(trainer, reference)


def test_learning_rate_decay_divides_by_one_plus_decay_times_epoch() -> None:
    trainer = tiny_trainer("learningRate=0.3&learningRateDecay=0.5")
    assert trainer.learning_rate == 0.3
    trainer.run_epoch()
    trainer.run_epoch()
    assert trainer.learning_rate == pytest.approx(0.3 / (1 + 0.5 * 2))


def test_same_seed_gives_the_same_loss_curve_and_different_seeds_differ() -> None:
    def curve(seed: str) -> list[float]:
        trainer = Trainer.fresh(Config.from_hash(f"seed={seed}&dataset=xor&noise=10"))
        return [trainer.run_epoch().test_loss for _ in range(30)]

    assert curve("0.1") == curve("0.1")
    assert curve("0.1") != curve("0.2")


@pytest.mark.parametrize("seed", ["0.1", "0.2", "0.3"])
def test_default_circle_converges(seed: str) -> None:
    trainer = Trainer.fresh(Config.from_hash(f"seed={seed}"))
    losses = [trainer.run_epoch().test_loss for _ in range(500)]
    assert min(losses) < 0.02
    assert losses[-1] < 0.02


def test_save_and_load_carry_on_exactly() -> None:
    trainer = Trainer.fresh(Config.from_hash("seed=3&optimizer=adam&learningRate=0.01&batchSize=7&regularization=L1"
                                             "&regularizationRate=0.001"))
    for _ in range(25):
        trainer.run_epoch()
    saved = json.loads(json.dumps(trainer.to_dict()))
    loaded = Trainer.from_dict(saved)
    assert loaded.epoch == 25 and loaded.pending[0] == trainer.pending[0] != 0
    for _ in range(5):
        assert loaded.run_epoch() == trainer.run_epoch()
    assert np.array_equal(loaded.network.params, trainer.network.params)
    assert np.array_equal(loaded.network.dead, trainer.network.dead)


def test_a_network_with_no_hidden_layer_and_no_features_still_trains() -> None:
    trainer = Trainer.fresh(Config.from_hash("seed=1&networkShape=&x=false&y=false"))
    metrics = trainer.run_epoch()
    assert math.isfinite(metrics.train_loss)
    assert trainer.network.architecture.sizes == (0, 1)


def test_divergence_shows_as_non_finite_numbers_not_an_exception() -> None:
    trainer = Trainer.fresh(Config.from_hash("seed=1&learningRate=10&activation=relu&problem=regression"
                                             "&networkShape=8,8,8"))
    finite = True
    for _ in range(50):
        metrics = trainer.run_epoch()
        finite = metrics.is_finite() and trainer.network.is_finite()
        if not finite:
            break
    assert not finite

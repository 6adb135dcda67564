"""Network: forward passes against plain NumPy, initializers, hand edits, JSON round trip, pictures."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground import kernel
from playground.kernel import ACTIVATIONS
from playground.network import Architecture, Network
from playground.pictures import GRID, grid_points, neuron_grids, quantize, thumbnails
from playground.seedrandom import SeedRandom

NUMPY = {"relu": lambda z: np.maximum(z, 0), "tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
         "linear": lambda z: z, "leakyRelu": lambda z: np.where(z > 0, z, 0.01 * z)}


def plain_forward(network: Network, x: np.ndarray) -> list[np.ndarray]:
    layers = [x]
    count = network.architecture.layer_count
    for layer in range(1, count + 1):
        z = layers[-1] @ network.weights(layer) + network.biases(layer)
        name = network.architecture.output_activation if layer == count else network.architecture.activation
        layers.append(NUMPY[name](z))
    return layers


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_forward_matches_plain_numpy(activation: str) -> None:
    network = Network.initial(Architecture((3, 5, 4, 1), activation, "tanh"), "he", SeedRandom("0"))
    x = np.random.default_rng(0).uniform(-6, 6, (300, 3))
    expected = np.concatenate(plain_forward(network, x), axis=1).T
    assert network.forward(x) == pytest.approx(expected, abs=1e-13)


def test_tanh_is_accurate_far_out_and_keeps_nan() -> None:
    network = Network(Architecture((1, 1), "tanh", "tanh"))
    network.weights(1)[0, 0] = 1.0
    z = np.array([[-800.0], [-20.0], [-1e-9], [0.0], [3e-7], [0.7], [19.5], [1e6], [np.nan]])
    out = network.output(z)
    assert out[:-1] == pytest.approx(np.tanh(z[:-1, 0]), abs=2e-15)
    assert np.isnan(out[-1])


def test_tanh_has_full_relative_accuracy_at_every_magnitude_and_exact_signs() -> None:
    magnitudes = np.concatenate([np.logspace(-300, np.log10(20), 3001), np.linspace(0.01, 20, 2000)])
    z = np.concatenate([magnitudes, -magnitudes])
    network = Network(Architecture((1, 1), "tanh", "tanh"))  # output = tanh(1 * x + 0), in the vectorized loop
    network.weights(1)[0, 0] = 1.0
    expected = np.array([math.tanh(v) for v in z])
    for got in (network.output(z[:, None]), np.array([kernel.tanh(v) for v in z])):
        assert np.max(np.abs(got - expected) / np.abs(expected)) < 1e-13
    assert kernel.tanh(1e-20) == 1e-20 and kernel.tanh(-1e-300) == -1e-300
    for signed_zero in (0.0, -0.0):
        assert kernel.tanh(signed_zero) == 0.0 and math.copysign(1, kernel.tanh(signed_zero)) == math.copysign(
            1, signed_zero)
    assert (kernel.tanh(math.inf), kernel.tanh(-math.inf)) == (1.0, -1.0) and math.isnan(kernel.tanh(math.nan))


def test_initializers() -> None:
    arch = Architecture((7, 8, 8, 1), "tanh", "tanh")
    rng = SeedRandom("1")
    uniform = Network.initial(arch, "uniform", rng)
    assert np.abs(uniform.weights(1)).max() <= 0.5 and (uniform.biases(2) == 0.1).all()
    zero = Network.initial(arch, "zero", rng)
    assert not zero.params.any()
    xavier = Network.initial(arch, "xavier", rng)
    assert np.abs(xavier.weights(2)).max() <= np.sqrt(6 / 16)
    he = Network.initial(Architecture((8, 8, 8, 8, 8, 8, 8, 1), "relu", "tanh"), "he", rng)
    assert np.std([he.weights(k) for k in range(2, 7)]) == pytest.approx(np.sqrt(2 / 8), rel=0.15)


def test_hand_edits_address_layer_source_target_and_revive_dead_weights() -> None:
    network = Network(Architecture((2, 3, 1), "tanh", "tanh"))
    network.dead[0, 1, 2] = True
    network.set_weight(1, 1, 2, 0.75)
    network.set_bias(2, 0, -0.5)
    assert network.params[0, 1, 2] == 0.75 and not network.dead[0, 1, 2]
    assert network.biases(2).tolist() == [-0.5]


def test_dict_round_trip() -> None:
    network = Network.initial(Architecture((2, 4, 2, 1), "relu", "linear"), "uniform", SeedRandom("2"))
    network.dead[1, 3, 1] = True
    network.params[1, 3, 1] = 0.0
    again = Network.from_dict(network.to_dict())
    assert np.array_equal(again.params, network.params) and np.array_equal(again.dead, network.dead)
    assert again.architecture == network.architecture


def test_bad_architectures_are_refused() -> None:
    with pytest.raises(ValueError, match="at most 8"):
        Architecture((2, 9, 1), "tanh", "tanh")
    with pytest.raises(ValueError, match="softmax"):
        Architecture((2, 1), "softmax", "tanh")


def test_grids_thumbnails_and_quantization() -> None:
    points = grid_points()
    assert points[0].tolist() == pytest.approx([-5.94, 5.94])
    assert points[GRID - 1].tolist() == pytest.approx([5.94, 5.94])
    assert points[-1].tolist() == pytest.approx([5.94, -5.94])
    network = Network.initial(Architecture((2, 2, 1), "tanh", "tanh"), "uniform", SeedRandom("3"))
    grids = neuron_grids(network, ("x", "y"))
    assert grids.shape == (5, GRID, GRID)
    assert grids[0, 0, :3].tolist() == pytest.approx([-5.94, -5.82, -5.70])  # X1 along the top row
    assert grids[-1].ravel() == pytest.approx(network.output(points), abs=0)
    thumbs = thumbnails(grids)
    assert thumbs.shape == (5, 10, 10) and thumbs[3, 0, 0] == pytest.approx(grids[3, :10, :10].mean())
    assert quantize(np.array([-3.0, -1.0, -0.5, 0.0, 0.004, 1.0, np.nan, np.inf])).tolist() == [
        -127, -127, -64, 0, 1, 127, 0, 127]

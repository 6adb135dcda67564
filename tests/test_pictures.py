"""A frame's pictures (the float32 pass of picture_kernel.py) against the float64 engine's forward pass, and the
frame's layout around them: no input thumbnails, the steps arrays only in the steps view, the header's JSON."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from playground.config import Config
from playground.insight import training_gradient
from playground.messages import decode_binary, dump_json, frame_message
from playground.network import SOFTMAX, Architecture, Network
from playground.pictures import (
    FLOAT16_MAX,
    GRID,
    float16_for_page,
    grid_inputs,
    neuron_grids,
    pictures,
    quantize,
    thumbnails,
)
from playground.seedrandom import SeedRandom
from playground.session import Session

FEATURES = ("x", "y", "xTimesY", "sinX")
SIZES = (4, 8, 6, 5, 1)


def network(activation: str, output: str, sizes: tuple[int, ...] = SIZES) -> Network:
    """Weights of He's scale (times 1.5; a linear network's 0.1, so that it reaches past +-1 only in places),
    biases spread over [-1, 1]: pictures with bends and slopes all over the plane."""
    net = Network.initial(Architecture(sizes, activation, output), "he", SeedRandom(f"pictures-{activation}"))
    net.params *= 0.1 if activation == "linear" else 1.5
    rng = np.random.default_rng(7)
    for layer in range(1, len(sizes)):
        net.biases(layer)[:] = rng.uniform(-1.0, 1.0, sizes[layer])
    return net


def expected(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """Every neuron's float64 grid and the hidden and output neurons' thumbnails, quantized as the wire has them."""
    grids = net.forward(grid_inputs(FEATURES)).reshape(-1, GRID, GRID)
    return quantize(grids), quantize(thumbnails(grids[net.architecture.sizes[0]:]))


def steps_apart(got: np.ndarray, want: np.ndarray) -> int:
    return int(np.abs(got.astype(np.int64) - want).max())


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear", "leakyRelu"])
def test_float32_pictures_are_within_one_step_of_the_float64_forward_pass(activation: str) -> None:
    net = network(activation, activation)
    grids, thumbs = expected(net)
    inputs = SIZES[0]
    assert (np.abs(grids[inputs:]) < 127).mean() > 0.4, "pictures with slopes, not saturated planes"
    first = pictures(net, FEATURES, (1, 0))
    assert first.thumbnails.shape == (sum(SIZES) - inputs, 10, 10) and first.thumbnails.dtype == np.int8
    assert steps_apart(first.thumbnails, thumbs) <= 1
    assert first.class_grid is None and first.confidence is None
    for layer in range(1, len(SIZES)):
        for neuron in range(SIZES[layer]):
            grid = pictures(net, FEATURES, (layer, neuron)).grid
            assert grid.shape == (GRID, GRID) and grid.dtype == np.int8
            assert steps_apart(grid, grids[sum(SIZES[:layer]) + neuron]) <= 1, (layer, neuron)


def test_parameters_too_large_for_float32_still_give_the_float64_pictures() -> None:
    net = network("relu", "relu")
    net.weights(1)[1, 2] = -1e300  # finite in float64, as set_weight allows; beyond float32's range
    net.weights(2)[0, 0] = 1e300
    grids, thumbs = expected(net)
    shown = pictures(net, FEATURES, (2, 0))
    assert steps_apart(shown.thumbnails, thumbs) <= 1 and steps_apart(shown.grid, grids[SIZES[0] + SIZES[1]]) <= 1


def test_softmax_pictures_give_probabilities_the_arg_max_class_and_its_probability() -> None:
    sizes = (4, 8, 3)
    net = network("tanh", SOFTMAX, sizes)
    grids, thumbs = expected(net)
    probabilities = net.forward(grid_inputs(FEATURES))[-3:].reshape(3, GRID, GRID)
    shown = pictures(net, FEATURES, (2, 1))
    assert steps_apart(shown.thumbnails, thumbs) <= 1
    assert steps_apart(shown.grid, grids[-2]) <= 1
    assert shown.class_grid is not None and shown.confidence is not None
    ranked = np.sort(probabilities, axis=0)
    clear = ranked[-1] - ranked[-2] > 1e-5  # float32 may settle a near-tie either way
    assert clear.mean() > 0.99 and len(np.unique(shown.class_grid)) == 3
    assert np.array_equal(shown.class_grid[clear], np.argmax(probabilities, axis=0)[clear])
    assert steps_apart(shown.confidence, quantize(probabilities.max(axis=0))) <= 1


def test_an_input_neurons_grid_is_its_constant_feature_picture() -> None:
    net = network("tanh", "tanh")
    for neuron, feature in enumerate(FEATURES):
        shown = pictures(net, FEATURES, (0, neuron))
        assert np.array_equal(shown.grid, quantize(grid_inputs((feature,)).reshape(GRID, GRID)))
    assert np.array_equal(pictures(net, FEATURES, (0, 1)).grid, quantize(neuron_grids(net, FEATURES)[1]))


def frame_arrays(session: Session) -> dict[str, np.ndarray]:
    return decode_binary(frame_message(session.frame(), 1))[1]


def test_frames_carry_the_hidden_and_output_thumbnails_and_gradients_or_steps_only_in_their_link_view() -> None:
    session = Session(Config.from_hash("seed=layout&networkShape=4,3&x=true&y=true&sinX=true"))
    session.advance(2)
    arrays = frame_arrays(session)
    assert arrays["thumbnails"].shape == (4 + 3 + 1, 10, 10)
    per_link = {"weightGradients", "biasGradients", "weightSteps", "biasSteps"}
    assert not per_link & set(arrays) and "layerGradients" in arrays
    session.update({"linkView": "steps"})
    arrays = frame_arrays(session)
    weights, biases = session.trainer.network.flat(session.trainer.last_step)
    assert arrays["weightSteps"] == pytest.approx(weights, rel=1e-6) and np.abs(weights).max() > 0
    assert arrays["biasSteps"] == pytest.approx(biases, rel=1e-6)
    assert "weightGradients" not in arrays
    session.update({"linkView": "gradients"})
    arrays = frame_arrays(session)
    weights, biases = session.trainer.network.flat(training_gradient(session.trainer)[0])
    assert arrays["weightGradients"] == pytest.approx(weights, rel=1e-6) and np.abs(weights).max() > 0
    assert arrays["biasGradients"] == pytest.approx(biases, rel=1e-6)
    assert "weightSteps" not in arrays


def test_json_headers_write_null_for_nan_and_infinity_and_are_plain_json_otherwise() -> None:
    assert dump_json({"a": 1.5, "b": [math.nan, {"c": math.inf}], "d": -math.inf, "e": (2, None)}) == (
        '{"a":1.5,"b":[null,{"c":null}],"d":null,"e":[2,null]}')
    finite = {"kind": "frame", "loss": 0.1 + 0.2, "sizes": [2, 4, 1], "selected": {"layer": 1, "neuron": 0}}
    assert dump_json(finite) == json.dumps(finite, separators=(",", ":"))


def test_a_diverged_sessions_frame_header_has_null_losses() -> None:
    session = Session(Config.from_hash("seed=blowup&problem=regression&activation=relu&networkShape=8,8,8"
                                       "&learningRate=10"))
    assert session.advance(500), "this setup diverges"
    message = frame_message(session.frame(), 1)
    length = int.from_bytes(message[:4], "little")
    header = json.loads(message[4:4 + length])  # json.loads would read NaN: the text must not hold any
    assert "NaN" not in message[4:4 + length].decode() and "Infinity" not in message[4:4 + length].decode()
    assert header["state"] == "diverged" and header["testLoss"] is None


def test_the_loss_history_goes_out_as_float16_a_finite_value_beyond_its_range_clamped_never_infinity() -> None:
    rows = np.array([[0.1234567, 1e5, 0.5, math.nan], [-1e300, math.inf, -math.inf, 65519.0]])
    got = float16_for_page(rows)
    assert got.dtype == np.float16 and got.shape == (2, 4)
    assert float(got[0, 0]) == pytest.approx(0.1234567, rel=2**-11) and got[0, 2] == 0.5
    assert got[0, 1] == FLOAT16_MAX == 65504 and got[1, 0] == -FLOAT16_MAX and got[1, 3] == FLOAT16_MAX
    assert math.isnan(got[0, 3]) and got[1, 1] == math.inf and got[1, 2] == -math.inf

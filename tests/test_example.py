"""The `example` command: one training point's forward and backward values against an independent NumPy pass,
its update against the change the engine then makes, the pause it brings, and clear errors for bad slice and
example commands."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from playground.config import Config
from playground.datasets import DataSplit
from playground.insight import example_pass
from playground.network import Network
from playground.train import Trainer
from tests.engine_helpers import small_data, trainer_for
from tests.page_client import PageClient

SMALL = "seed=walk&networkShape=3,2&x=true&y=true&xTimesY=true"
FUNCTIONS = {  # activation: (f, f' given z)
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    "leakyRelu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
    "linear": (lambda z: z, np.ones_like),
}


def reference_pass(network: Network, x: np.ndarray, target: float, loss: str) -> dict[str, Any]:
    """Forward and backward with matrices, as a textbook writes them: z = a W + b, a = f(z), delta = dE/dz."""
    arch = network.architecture
    layers = range(1, arch.layer_count + 1)
    ws = [np.array(network.weights(k)) for k in layers]
    bs = [np.array(network.biases(k)) for k in layers]
    names = [arch.activation] * (arch.layer_count - 1) + [arch.output_activation.replace("softmax", "linear")]
    zs, activations = [], [np.asarray(x, dtype=float)]
    for w, b, name in zip(ws, bs, names, strict=True):
        zs.append(activations[-1] @ w + b)
        activations.append(FUNCTIONS[name][0](zs[-1]))
    out = activations[-1][0]
    if arch.output_activation == "softmax":  # activations[-1] holds z: the probabilities replace it
        p = np.exp(zs[-1] - zs[-1].max()) / np.exp(zs[-1] - zs[-1].max()).sum()
        activations[-1] = out = p
        error = -np.log(p[int(target)])
        deltas = [p - np.eye(len(p))[int(target)]]  # dE/dz of categorical cross-entropy on softmax
    elif loss == "crossEntropy":
        p, q = (out + 1) / 2, (target + 1) / 2
        error = -(q * np.log(p) + (1 - q) * np.log(1 - p))
        deltas = [np.array([out - target])]  # dE/dz of cross-entropy on a tanh output
    else:
        error = 0.5 * (out - target) ** 2
        deltas = [(out - target) * FUNCTIONS[names[-1]][1](zs[-1])]
    for k in range(len(ws) - 1, 0, -1):
        deltas.insert(0, (ws[k] @ deltas[0]) * FUNCTIONS[names[k - 1]][1](zs[k - 1]))
    grads_w = [np.outer(a, d) for a, d in zip(activations, deltas, strict=False)]
    return {"z": zs, "activations": activations, "output": out, "loss": error, "deltas": deltas,
            "weightGradients": np.concatenate([g.ravel() for g in grads_w]), "biasGradients": np.concatenate(deltas)}


def assert_layers(got: list[list[float]], expected: list[np.ndarray]) -> None:
    assert [len(layer) for layer in got] == [len(layer) for layer in expected]
    for values, want in zip(got, expected, strict=True):
        assert values == pytest.approx(want, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("setup", [*(f"activation={name}" for name in FUNCTIONS),
                                   "activation=tanh&loss=crossEntropy", "problem=regression&activation=relu",
                                   "classes=3&activation=tanh", "classes=5&dataset=gauss&activation=relu"])
def test_example_values_match_an_independent_numpy_pass(connected_page: PageClient, setup: str) -> None:
    hash_text = f"{SMALL}&{setup}&batchSize=5&learningRate=0.1"
    connected_page.open_setup(hash_text)
    trainer = Trainer.fresh(Config.from_hash(hash_text))
    connected_page.send(type="example", index=7)
    got = connected_page.text("example")
    x, target = trainer.train_inputs[7], trainer.data.train_labels[7]
    loss = trainer.config.loss if trainer.config.problem == "classification" else "squared"
    want = reference_pass(trainer.network, x, target, loss)
    outputs = trainer.network.architecture.sizes[-1]
    assert (got["index"], got["label"], got["epoch"], got["sizes"]) == (7, target, 0, [3, 3, 2, outputs])
    assert got["point"] == trainer.data.train_points[7].tolist() and got["features"] == ["x", "y", "xTimesY"]
    assert got["inputs"] == pytest.approx(x, rel=1e-15) and got["activations"][0] == got["inputs"]
    assert_layers(got["z"], want["z"])
    assert_layers(got["activations"], want["activations"])
    assert_layers(got["deltas"], want["deltas"])
    assert got["output"] == pytest.approx(want["output"], rel=1e-12)
    assert got["loss"] == pytest.approx(want["loss"], rel=1e-10)
    assert got["weightGradients"] == pytest.approx(want["weightGradients"], rel=1e-10, abs=1e-14)
    assert got["biasGradients"] == pytest.approx(want["biasGradients"], rel=1e-10, abs=1e-14)
    assert (got["batchSize"], got["learningRate"]) == (5, 0.1)
    assert got["weightUpdates"] == pytest.approx(-0.1 / 5 * want["weightGradients"], rel=1e-10, abs=1e-15)
    assert got["biasUpdates"] == pytest.approx(-0.1 / 5 * want["biasGradients"], rel=1e-10, abs=1e-15)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_with_batch_size_one_the_shown_update_is_the_change_the_next_update_makes(activation: str) -> None:
    data = small_data("classification")
    k = 4
    alone = DataSplit(data.train_points[k:k + 1], data.train_labels[k:k + 1], data.test_points, data.test_labels)
    trainer = trainer_for(f"batchSize=1&learningRate=0.3&networkShape=3,2&activation={activation}", alone)
    trainer.run_epoch()  # not from the start: a network that has moved
    shown = example_pass(trainer, 0).to_dict()
    trainer.run_epoch()  # one example: one update
    weight_steps, bias_steps = trainer.network.flat(trainer.last_step)
    assert shown["weightUpdates"] == pytest.approx(weight_steps, rel=1e-12, abs=1e-16)
    assert shown["biasUpdates"] == pytest.approx(bias_steps, rel=1e-12, abs=1e-16)
    assert np.abs(bias_steps).max() > 1e-4


def test_example_pauses_training_and_is_followed_by_a_frame(connected_page: PageClient) -> None:
    connected_page.open_setup(SMALL)
    connected_page.send(type="play")
    connected_page.frame(until=lambda h: h["state"] == "playing" and h["epoch"] >= 3)
    connected_page.send(type="example", index=0)
    got = connected_page.text("example")
    header, _ = connected_page.frame(until=lambda h: h["state"] == "paused")
    assert header["epoch"] == got["epoch"], "the frame after the walk-through shows the network it walked through"
    connected_page.send(type="play")
    assert connected_page.frame(until=lambda h: h["epoch"] > got["epoch"])[0]["state"] == "playing"
    connected_page.send(type="pause")
    connected_page.frame(until=lambda h: h["state"] == "paused")


BAD_INPUT = [
    ('{"type": "slice", "source": 0, "target": 0}', "slice: field 'layer' is missing"),
    ('{"type": "slice", "layer": 1, "source": 0}', "give either source and target (for a weight) or neuron"),
    ('{"type": "slice", "layer": 1}', "give either source and target"),
    ('{"type": "slice", "layer": 1, "source": 0, "target": 0, "neuron": 0}', "give either source and target"),
    ('{"type": "slice", "layer": 1, "neuron": 0, "target": 1}', "give either source and target"),
    ('{"type": "slice", "layer": 4, "neuron": 0}', "slice: layer must be from 1"),
    ('{"type": "slice", "layer": 1, "source": 3, "target": 0}', "slice: layer 1 has weights from neurons 0..2 to "
                                                                "neurons 0..2; there is none from 3 to 0"),
    ('{"type": "slice", "layer": 3, "neuron": 1}', "slice: layer 3 has neurons 0..0; there is no 1"),
    ('{"type": "slice", "layer": 1, "source": "0", "target": 0}', "slice: field 'source'"),
    ('{"type": "slice", "layer": 1, "neuron": 0, "weight": 1}', "slice: unknown field 'weight'"),
    ('{"type": "example"}', "example: field 'index' is missing"),
    ('{"type": "example", "index": -1}', "example: index must be a training point from 0 to 249, not -1"),
    ('{"type": "example", "index": 250}', "from 0 to 249, not 250"),
    ('{"type": "example", "index": 1.5}', "example: field 'index'"),
]


@pytest.mark.parametrize(("message", "needle"), BAD_INPUT)
def test_bad_slice_and_example_commands_get_a_clear_error_and_the_session_goes_on(
        connected_page: PageClient, message: str, needle: str) -> None:
    connected_page.open_setup(SMALL)
    connected_page.socket.send_text(message)
    assert needle in connected_page.text("error")["message"]
    connected_page.send(type="step")
    header, _ = connected_page.frame(until=lambda h: h["epoch"] == 1)
    assert header["sizes"] == [3, 3, 2, 1] and header["state"] == "paused"
    connected_page.send(type="slice", layer=1, neuron=0)
    assert connected_page.text("slice")["epoch"] == 1, "slice still works"

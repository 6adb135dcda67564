"""What frames and data messages carry of the classes, read through the protocol as a page reads them: the
confusion matrices against a point-by-point count (their totals and diagonals against the sizes and accuracies,
for K = 2 and K > 2), the class grid and its confidence against the output neurons' probabilities computed apart,
the shapes and labels of a K-class session, and nothing of the kind for regression."""

from __future__ import annotations

import numpy as np
import pytest

from playground.config import Config
from playground.pictures import grid_inputs, quantize
from playground.train import Trainer
from tests.page_client import PageClient

FEATURES = "x=true&y=true&xSquared=true&ySquared=true"


def counted_confusion(trainer: Trainer, classes: int) -> np.ndarray:
    """[test, training] counts of (true class, predicted class), point by point: for two classes class 1 is the
    label +1 and an output >= 0; for more the label and the largest output."""
    net = trainer.network
    counts = np.zeros((2, classes, classes), dtype=int)
    sets = ((trainer.test_inputs, trainer.data.test_labels), (trainer.train_inputs, trainer.data.train_labels))
    for s, (inputs, labels) in enumerate(sets):
        outputs = net.forward(inputs)[-net.architecture.sizes[-1]:]
        for column, label in zip(outputs.T, labels, strict=True):
            if classes == 2:
                counts[s, int(label > 0), int(column[0] >= 0)] += 1
            else:
                counts[s, int(label), max(range(classes), key=lambda j: column[j])] += 1
    return counts


def trained(page: PageClient, hash_text: str, epochs: int) -> tuple[dict, dict[str, np.ndarray], Trainer]:
    """The frame after `epochs` steps, and a trainer that went the same way (the seed fixes data and weights)."""
    page.open_setup(hash_text)
    trainer = Trainer.fresh(Config.from_hash(hash_text))
    for _ in range(epochs):
        page.send(type="step")
        trainer.run_epoch()
    header, arrays = page.frame(until=lambda h: h["epoch"] == epochs)
    return header, arrays, trainer


@pytest.mark.parametrize(("setup", "classes"), [("dataset=circle", 2), ("dataset=xor&networkShape=3", 2),
                                                ("classes=3&dataset=spiral", 3), ("classes=6&dataset=gauss", 6)])
def test_the_confusion_matrices_count_every_point_and_their_diagonals_are_the_accuracies(
        connected_page: PageClient, setup: str, classes: int) -> None:
    header, arrays, trainer = trained(connected_page, f"seed=conf&{FEATURES}&{setup}&noise=30&learningRate=0.1", 4)
    confusion = arrays["confusion"]
    assert confusion.dtype == np.int32 and confusion.shape == (2, classes, classes)
    assert header["classes"] == classes
    assert np.array_equal(confusion, counted_confusion(trainer, classes))
    test, train = len(trainer.data.test_labels), len(trainer.data.train_labels)
    assert (confusion[0].sum(), confusion[1].sum()) == (test, train)
    assert np.trace(confusion[0]) / test == header["testAccuracy"]
    assert np.trace(confusion[1]) / train == header["trainAccuracy"]
    true_counts = np.bincount((trainer.data.test_labels > 0).astype(int) if classes == 2
                              else trainer.data.test_labels.astype(int), minlength=classes)
    assert np.array_equal(confusion[0].sum(axis=1), true_counts), "rows are the true classes"
    assert 0 < header["testAccuracy"] < 1, "a matrix with mistakes to count"


def test_a_three_class_session_sends_class_labels_class_grid_and_confidence(connected_page: PageClient) -> None:
    hash_text = f"seed=grid&{FEATURES}&classes=3&dataset=gauss&networkShape=4"
    header, arrays, trainer = trained(connected_page, hash_text, 3)
    assert connected_page.data is not None
    data_header, data = connected_page.data
    assert data_header["classes"] == 3
    labels = np.concatenate([data["trainLabels"], data["testLabels"]])
    assert data["trainLabels"].dtype == np.float32 and set(labels.tolist()) == {0.0, 1.0, 2.0}
    assert np.array_equal(data["trainLabels"], trainer.data.train_labels.astype(np.float32))
    assert header["sizes"] == [4, 4, 3] and header["selected"] == {"layer": 2, "neuron": 0}
    # the output neurons' probabilities on the grid, computed apart with NumPy's softmax
    net = trainer.network
    hidden = np.tanh(grid_inputs(("x", "y", "xSquared", "ySquared")) @ net.weights(1) + net.biases(1))
    z = hidden @ net.weights(2) + net.biases(2)
    p = (np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)).T.reshape(3, 100, 100)
    for name in ("classGrid", "confidence", "grid"):
        assert arrays[name].dtype == np.int8 and arrays[name].shape == (100, 100), name
    ranked = np.sort(p, axis=0)
    clear = ranked[-1] - ranked[-2] > 1e-5  # the pictures are float32: a near-tie may go either way
    assert np.array_equal(arrays["classGrid"][clear], np.argmax(p, axis=0)[clear]) and clear.mean() > 0.99
    assert set(np.unique(arrays["classGrid"]).tolist()) == {0, 1, 2}, "every class wins somewhere"
    assert np.abs(arrays["confidence"] - np.round(p.max(axis=0) * 127)).max() <= 1
    assert (arrays["confidence"] >= 43).all(), "the most probable of three classes has p >= 1/3"
    assert np.abs(arrays["grid"] - np.round(p[0] * 127)).max() <= 1, "the output neuron's picture is its p"
    assert arrays["thumbnails"].shape == (4 + 3, 10, 10) and (arrays["thumbnails"][-3:] >= 0).all()
    connected_page.send(type="select", layer=2, neuron=2)
    _, selected = connected_page.frame()
    assert np.abs(selected["grid"] - quantize(p[2])).max() <= 1


def test_binary_frames_have_no_class_grid_and_regression_no_classes(connected_page: PageClient) -> None:
    header, arrays = connected_page.open_setup(f"seed=none&{FEATURES}")
    assert header["classes"] == 2 and "confusion" in arrays
    assert "classGrid" not in arrays and "confidence" not in arrays
    header, arrays = connected_page.open_setup(f"seed=none&{FEATURES}&problem=regression&classes=4")
    assert connected_page.data is not None and connected_page.data[0]["classes"] is None
    assert header["classes"] is None and header["sizes"][-1] == 1 and header["trainAccuracy"] is None
    assert not {"confusion", "classGrid", "confidence"} & set(arrays)

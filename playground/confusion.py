"""What the page shows of a classifier's classes: the confusion matrices of the test and training points, and with
K > 2 classes the most probable class at every cell of the plane's grid with its probability.

Classes are numbered 0..K-1. With two classes (one tanh output, labels +1 / -1) class 0 is the label -1 and class
1 the label +1, and a point is predicted class 1 when the output is >= 0; with more, the label is the class and
the prediction is the arg-max of the softmax outputs (the first on a tie). These are the rules the accuracies of
kernel.evaluate use, so a matrix's diagonal over its total is exactly the reported accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.network import Network
from playground.pictures import Pictures
from playground.train import Trainer


@dataclass(frozen=True)
class ClassArrays:
    """A classification frame's view of the classes (docs/protocol.md)."""

    count: int  # K: 2 for a binary problem
    confusion: np.ndarray  # int32 (2, K, K): [0] test, [1] training points; rows true class, columns predicted
    class_grid: np.ndarray | None  # int8 (100, 100): the arg-max class at each cell (K > 2 only)
    confidence: np.ndarray | None  # int8 (100, 100): its probability, round(p * 127) (K > 2 only)

    def arrays(self) -> dict[str, np.ndarray]:
        arrays = {"confusion": self.confusion}
        if self.class_grid is not None and self.confidence is not None:
            arrays |= {"classGrid": self.class_grid, "confidence": self.confidence}
        return arrays


def predicted_classes(network: Network, inputs: np.ndarray) -> np.ndarray:
    """The class the network predicts at each input row."""
    outputs = network.forward(inputs)
    count = network.architecture.sizes[-1]
    found: np.ndarray = (outputs[-1] >= 0.0).astype(np.int64) if count == 1 else np.argmax(outputs[-count:], axis=0)
    return found


def true_classes(labels: np.ndarray, count: int) -> np.ndarray:
    """The class of each label: +1 is class 1 and -1 class 0 for two classes, else the label itself."""
    return (labels >= 0.0).astype(np.int64) if count == 2 else labels.astype(np.int64)


def confusion_matrix(truth: np.ndarray, predicted: np.ndarray, count: int) -> np.ndarray:
    """counts[t, p]: how many points of class t were predicted class p."""
    counts: np.ndarray = np.bincount(truth * count + predicted, minlength=count * count).reshape(count, count)
    return counts.astype(np.int32)


def class_arrays(trainer: Trainer, pictures: Pictures) -> ClassArrays | None:
    """The classes' arrays of a frame from the trainer and its network's pictures; None for regression."""
    count = trainer.config.class_count
    if count is None:
        return None
    net, data = trainer.network, trainer.data
    confusion = np.stack([
        confusion_matrix(true_classes(labels, count), predicted_classes(net, inputs), count)
        for inputs, labels in ((trainer.test_inputs, data.test_labels), (trainer.train_inputs, data.train_labels))])
    return ClassArrays(count, confusion, pictures.class_grid, pictures.confidence)

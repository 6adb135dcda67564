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

from playground.kernel import forward_many, jit
from playground.pictures import Pictures
from playground.softmax import predicted_classes
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


@jit
def count_confusion(points: np.ndarray, labels: np.ndarray, sizes: np.ndarray, params: np.ndarray, act: int,
                    out_act: int, counts: np.ndarray) -> None:
    """counts[t, p] += how many of the points of true class t the network predicts as class p."""
    n = points.shape[0]
    out = np.empty((sizes.sum(), n))
    forward_many(points, sizes, params, act, out_act, out)
    count = sizes[-1]
    top = out.shape[0] - count
    if count == 1:
        for k in range(n):
            counts[int(labels[k] >= 0.0), int(out[top, k] >= 0.0)] += 1
        return
    predicted = np.empty(n, dtype=np.int64)
    predicted_classes(out, top, count, predicted)
    for k in range(n):
        counts[int(labels[k]), predicted[k]] += 1


def class_arrays(trainer: Trainer, pictures: Pictures) -> ClassArrays | None:
    """The classes' arrays of a frame from the trainer and its network's pictures; None for regression."""
    count = trainer.config.class_count
    if count is None:
        return None
    net, data = trainer.network, trainer.data
    confusion = np.zeros((2, count, count), dtype=np.int32)
    for counts, inputs, labels in ((confusion[0], trainer.test_inputs, data.test_labels),
                                   (confusion[1], trainer.train_inputs, data.train_labels)):
        count_confusion(inputs, labels, net.sizes, net.params, net.activation_code, net.output_code, counts)
    return ClassArrays(count, confusion, pictures.class_grid, pictures.confidence)

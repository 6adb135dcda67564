"""The learner's own points (dataset `custom`): the edits a page can make to a DataSplit (add a point, remove the
one nearest a place, none at all), which labels fit a problem, and carrying labels over to another class count.

Pure functions on DataSplit; the Session keeps the result and trains on it. A refused edit raises ValueError with
a message for the learner.
"""

from __future__ import annotations

import numpy as np

from playground.config import Config
from playground.datasets import PLANE, DataSplit


def empty_split() -> DataSplit:
    """Custom data with no points yet."""
    nowhere = np.zeros((0, 2))
    return DataSplit(nowhere, np.zeros(0), nowhere, np.zeros(0))


def check_point(config: Config, x: float, y: float, label: float) -> None:
    """ValueError unless (x, y) lies on the plane and the label fits the problem."""
    if not (-PLANE <= x <= PLANE and -PLANE <= y <= PLANE):
        raise ValueError(f"add_point: x and y must lie on the plane, from -{PLANE:g} to {PLANE:g}; got ({x:g}, {y:g})")
    if config.problem == "regression":
        if not -1 <= label <= 1:
            raise ValueError(f"add_point: a regression label is a number from -1 to 1, not {label:g}")
    elif config.multiclass:
        if label != int(label) or not 0 <= label < config.classes:
            raise ValueError(f"add_point: with {config.classes} classes a label is a class index from 0 to "
                             f"{config.classes - 1}, not {label:g}")
    elif label not in (1, -1):
        raise ValueError(f"add_point: a label of two classes is +1 or -1, not {label:g}")


def with_point(data: DataSplit, x: float, y: float, label: float, test: bool) -> DataSplit:
    """The data with one more point, in the test set or the training set."""
    point, value = np.array([[x, y]]), np.array([label])
    if test:
        return DataSplit(data.train_points, data.train_labels, np.concatenate([data.test_points, point]),
                         np.concatenate([data.test_labels, value]))
    return DataSplit(np.concatenate([data.train_points, point]), np.concatenate([data.train_labels, value]),
                     data.test_points, data.test_labels)


def without_nearest(data: DataSplit, x: float, y: float) -> DataSplit:
    """The data without the point (training or test) nearest to (x, y); the first one on a tie."""
    everything = np.concatenate([data.train_points, data.test_points])
    if not len(everything):
        raise ValueError("remove_point: there are no points to remove")
    nearest = int(np.argmin(((everything - [x, y]) ** 2).sum(axis=1)))
    cut = len(data.train_labels)
    if nearest < cut:
        return DataSplit(np.delete(data.train_points, nearest, axis=0), np.delete(data.train_labels, nearest),
                         data.test_points, data.test_labels)
    return DataSplit(data.train_points, data.train_labels, np.delete(data.test_points, nearest - cut, axis=0),
                     np.delete(data.test_labels, nearest - cut))


def relabel(data: DataSplit, classes: int, new_classes: int) -> DataSplit:
    """Classification labels carried from `classes` to `new_classes`: +1/-1 are classes 1 and 0 of more; classes
    beyond the new count join its last class; going to two, class 0 becomes -1 and every other +1."""
    if classes == new_classes:
        return data

    def carry(labels: np.ndarray) -> np.ndarray:
        indices = (labels > 0).astype(np.float64) if classes == 2 else labels
        if new_classes == 2:
            result: np.ndarray = np.where(indices > 0, 1.0, -1.0)
            return result
        kept: np.ndarray = np.minimum(indices, new_classes - 1)
        return kept

    return DataSplit(data.train_points, carry(data.train_labels), data.test_points, carry(data.test_labels))

"""The learner's own data as CSV: reading a file into points, labels and test marks under the rules of
docs/protocol.md (header or not, comma or semicolon, BOM, quoted fields, blank lines, class names, 0/1 labels, an
optional test column, scaling into the plane, at most MAX_POINTS), and writing data back in the same format.

A bad file raises CsvError naming the file, the line and what was wrong; nothing is read from it then.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

import numpy as np

from playground.datasets import PLANE, DataSplit
from playground.knobs import MAX_CLASSES
from playground.seedrandom import SeedRandom

MAX_POINTS = 10_000
HEADER = ("x", "y", "label", "test")
TEST_MARKS = {"1": True, "true": True, "test": True, "0": False, "false": False, "train": False}
BINARY = {"1": 1.0, "+1": 1.0, "-1": -1.0, "0": -1.0}  # 1/0 labels read as +1/-1


class CsvError(ValueError):
    """A file that is not valid data: the message names the file, the line and what was wrong."""


@dataclass(frozen=True)
class CsvData:
    """What a file holds: points (n, 2) already in the plane, labels (+1/-1, class indices, or numbers), test
    marks (None when the file has no test column), the classes its labels make (None for regression) and the
    factor its coordinates were scaled by (1 when they fitted the plane)."""

    points: np.ndarray
    labels: np.ndarray
    test: np.ndarray | None
    classes: int | None
    scale: float

    def split(self, percent_train: int, seed: str) -> DataSplit:
        """Training and test sets: by the test column, or shuffled with the seed's stream and cut at the
        training ratio."""
        if self.test is not None:
            train = ~self.test
            return DataSplit(self.points[train], self.labels[train], self.points[self.test],
                             self.labels[self.test])
        n = len(self.labels)
        order = SeedRandom(seed).permutation(n) if n else np.zeros(0, dtype=np.int64)
        points, labels = self.points[order], self.labels[order]
        cut = math.floor(n * percent_train / 100)
        return DataSplit(points[:cut], labels[:cut], points[cut:], labels[cut:])

    def scale_notice(self, name: str) -> str | None:
        if self.scale == 1:
            return None
        return (f"{name}: the coordinates reached beyond the plane's [-{PLANE:g}, {PLANE:g}], so they were scaled "
                f"by {self.scale:.4g} (the same factor for x and y) to fit it")


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _rows(text: str) -> tuple[list[tuple[int, list[str]]], bool]:
    """The non-blank rows with their line numbers, and whether the first is a header (its x is not a number)."""
    text = text.removeprefix("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = ";" if ";" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows = []
    for fields in reader:
        fields = [field.strip() for field in fields]
        if any(fields):
            rows.append((reader.line_num, fields))
    header = bool(rows) and _number(rows[0][1][0]) is None
    return rows[1:] if header else rows, header


def read_csv(text: str, name: str, problem: str) -> CsvData:
    """The data of a CSV file for a problem ("classification" or "regression"), or CsvError."""
    rows, _ = _rows(text)
    if not rows:
        raise CsvError(f"{name}: no points: each line needs x, y and a label (and optionally a test mark)")
    with_test = len(rows[0][1]) >= 4
    points, raw_labels, test = [], [], []
    for count, (line, fields) in enumerate(rows, start=1):
        where = f"{name}, line {line}"
        if count > MAX_POINTS:
            raise CsvError(f"{where}: too many points; a file may hold at most {MAX_POINTS:,}")
        wanted = 4 if with_test else 3
        if len(fields) < wanted:
            missing = ("x", "y", "label", "test")[len(fields)]
            raise CsvError(f"{where}: the {missing} column is missing; each line holds x, y, label"
                           + (", test (as the first line does)" if with_test else ""))
        if len(fields) > wanted:
            raise CsvError(f"{where}: {len(fields)} columns; a line holds x, y, label and optionally test")
        for axis, field in zip("xy", fields[:2], strict=True):
            if _number(field) is None:
                raise CsvError(f"{where}: {axis} is {field!r}, not a number")
        points.append((float(fields[0]), float(fields[1])))
        raw_labels.append((line, fields[2]))
        if with_test:
            mark = TEST_MARKS.get(fields[3].lower())
            if mark is None:
                raise CsvError(f"{where}: the test mark is {fields[3]!r}; allowed: 1/0, true/false, test/train")
            test.append(mark)
    labels, classes = _labels(raw_labels, name, problem)
    array = np.array(points, dtype=np.float64).reshape(-1, 2)
    reach = float(np.abs(array).max())
    scale = PLANE / reach if reach > PLANE else 1.0
    return CsvData(array * scale, labels, np.array(test, dtype=bool) if with_test else None, classes, scale)


def _labels(raw: list[tuple[int, str]], name: str, problem: str) -> tuple[np.ndarray, int | None]:
    if problem == "regression":
        values = []
        for line, text in raw:
            value = _number(text)
            if value is None or not -1 <= value <= 1:
                raise CsvError(f"{name}, line {line}: the label {text!r} does not fit regression: a label there "
                               "is a number from -1 to 1")
            values.append(value)
        return np.array(values), None
    numbers = [_number(text) for _, text in raw]
    if all(value is not None for value in numbers):
        if all(text in BINARY for _, text in raw):
            return np.array([BINARY[text] for _, text in raw]), 2
        for (line, text), value in zip(raw, numbers, strict=True):
            if value is None or value != int(value) or not 0 <= value < MAX_CLASSES:
                raise CsvError(f"{name}, line {line}: the label {text!r} does not fit classification: a label "
                               f"there is +1/-1, 1/0, a class index 0..{MAX_CLASSES - 1} or a class name")
        indices = np.array(numbers, dtype=np.float64)
        return indices, max(int(indices.max()) + 1, 3)
    return _class_names(raw, name)


def _class_names(raw: list[tuple[int, str]], name: str) -> tuple[np.ndarray, int | None]:
    """Class names in order of first appearance: 2 names become -1 and +1, 3 to MAX_CLASSES become 0..K-1."""
    order: dict[str, int] = {}
    for line, text in raw:
        if text not in order and len(order) == MAX_CLASSES:
            raise CsvError(f"{name}, line {line}: the label {text!r} would be class {MAX_CLASSES + 1}; a "
                           f"classification has 2 to {MAX_CLASSES} classes (labels +1/-1, 1/0, class indices "
                           f"0..{MAX_CLASSES - 1} or up to {MAX_CLASSES} class names)")
        order.setdefault(text, len(order))
    indices = np.array([order[text] for _, text in raw], dtype=np.float64)
    if len(order) <= 2:
        return indices * 2 - 1, 2
    return indices, len(order)


def write_csv(data: DataSplit, problem: str) -> str:
    """The data as CSV, header x,y,label,test: training points (test 0), then test points (test 1); labels as
    read back: +1/-1 for two classes, class indices for more, numbers for regression."""
    out = io.StringIO()
    out.write(",".join(HEADER) + "\n")
    whole = problem == "classification"
    for points, labels, mark in ((data.train_points, data.train_labels, 0), (data.test_points, data.test_labels, 1)):
        for (x, y), label in zip(points.tolist(), labels.tolist(), strict=True):
            shown = f"{int(label)}" if whole else repr(float(label))
            out.write(f"{x!r},{y!r},{shown},{mark}\n")
    return out.getvalue()

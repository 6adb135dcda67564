"""LossHistory: one run's per-epoch rows (train loss, test loss, train accuracy, test accuracy) in a growing
float64 array, so a long run costs 32 bytes an epoch and the whole history can go to a page that reconnects."""

from __future__ import annotations

import numpy as np

COLUMNS = 4


class LossHistory:
    """Rows of consecutive epochs from `first_epoch` on."""

    def __init__(self, first_epoch: int = 0, rows: np.ndarray | None = None) -> None:
        self.first_epoch = first_epoch
        initial = np.zeros((0, COLUMNS)) if rows is None else np.asarray(rows, dtype=np.float64).reshape(-1, COLUMNS)
        self._rows = np.empty((max(64, 2 * len(initial)), COLUMNS))
        self._rows[:len(initial)] = initial
        self._count = len(initial)

    def __len__(self) -> int:
        return self._count

    def append(self, row: tuple[float, float, float, float]) -> None:
        if self._count == len(self._rows):
            grown = np.empty((2 * len(self._rows), COLUMNS))
            grown[:self._count] = self._rows[:self._count]
            self._rows = grown
        self._rows[self._count] = row
        self._count += 1

    def since(self, index: int) -> np.ndarray:
        """A copy of the rows from the index-th on."""
        return self._rows[index:self._count].copy()

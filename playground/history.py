"""LossHistory: one run's per-epoch rows (train loss, test loss, train accuracy, test accuracy) in a growing
float64 array, so a long run costs 32 bytes an epoch and the whole history can go to a page that reconnects; and
its chunks of CHUNK_ROWS rows, in which the store keeps it, so that a checkpoint writes only the rows that came
since the last one, not the whole history."""

from __future__ import annotations

import numpy as np

COLUMNS = 4
CHUNK_ROWS = 1024  # rows of a stored chunk: 32 KiB, about 17 s of playing at 60 epochs a second


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

    def chunks_from(self, row: int) -> dict[int, bytes]:
        """The chunks that hold the rows from the row-th on, by number (chunk k: rows k * CHUNK_ROWS on), as
        little-endian float64 bytes; the last one may be partial."""
        return {k: self._rows[k * CHUNK_ROWS:min((k + 1) * CHUNK_ROWS, self._count)].astype("<f8").tobytes()
                for k in range(row // CHUNK_ROWS, chunk_count(self._count))}

    @classmethod
    def from_chunks(cls, first_epoch: int, rows: int, chunks: dict[int, bytes]) -> LossHistory:
        """The history of `rows` rows kept in these chunks (chunks_from(0)); ValueError if they do not hold it."""
        needed = chunk_count(rows)
        missing = [k for k in range(needed) if k not in chunks]
        if missing:
            raise ValueError(f"the loss history lacks chunk {missing[0]} of {needed}")
        joined = b"".join(chunks[k] for k in range(needed))
        if len(joined) < rows * COLUMNS * 8:
            raise ValueError(f"the loss history holds {len(joined) // (COLUMNS * 8)} rows, not {rows}")
        values = np.frombuffer(joined, dtype="<f8", count=rows * COLUMNS)
        return cls(first_epoch, values.reshape(rows, COLUMNS))


def chunk_count(rows: int) -> int:
    """How many chunks hold this many rows."""
    return -(-rows // CHUNK_ROWS)

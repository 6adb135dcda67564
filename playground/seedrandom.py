"""The original's seeded random stream: ARC4 keyed by the seed string (seedrandom 2.4's Math.random), so that a
seed gives the same points and the same first network here as on playground.tensorflow.org.

How it works, as the original does it:
- The key: for each UTF-16 code unit c of the seed at position j, slot = j & 255, smear ^= key[slot] * 19 (an
  unfilled slot counts as 0), key[slot] = 255 & (smear + c). An empty seed has the key [0].
- ARC4: the RC4 key schedule with that key, then the RC4 output bytes; the first 256 are dropped.
- A double: six bytes as a big-endian integer over 2^48, extended byte by byte until 52 bits are significant,
  then halved back under 2^53 (the exact float arithmetic is in `_double`).

The state (the 256-byte S-box and the two indices i, j) lives in two small NumPy arrays this object owns, so it can
be copied and stored (`state()`, `from_state()`); the byte loops are numba (`nogil`, cached), so a whole dataset's
~6000 draws cost well under a millisecond.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from numba import njit

from playground.jitcache import CACHE

jit = njit(nogil=True, cache=CACHE)
_DROP = 256  # output bytes thrown away after the key schedule
_SIGNIFICANCE = 2.0 ** 52
_OVERFLOW = 2.0 ** 53
_START_DENOMINATOR = 2.0 ** 48


def key_of(seed: str) -> np.ndarray:
    """The ARC4 key of a seed string, from its UTF-16 code units."""
    units = np.frombuffer(seed.encode("utf-16-le"), dtype="<u2")
    key = [0] * min(len(units), 256)
    smear = 0
    for position, unit in enumerate(units.tolist()):
        slot = position & 255
        smear ^= key[slot] * 19
        key[slot] = 255 & (smear + unit)
    return np.array(key or [0], dtype=np.int64)


@jit
def _schedule(key: np.ndarray, sbox: np.ndarray, indices: np.ndarray) -> None:
    for i in range(256):
        sbox[i] = i
    j = 0
    for i in range(256):
        j = (j + key[i % len(key)] + sbox[i]) & 255
        sbox[i], sbox[j] = sbox[j], sbox[i]
    indices[0] = 0
    indices[1] = 0
    for _ in range(_DROP):
        _byte(sbox, indices)


@njit(nogil=True, cache=CACHE, inline="always")
def _byte(sbox: np.ndarray, indices: np.ndarray) -> int:
    i = (indices[0] + 1) & 255
    t = sbox[i]
    j = (indices[1] + t) & 255
    sbox[i] = sbox[j]
    sbox[j] = t
    indices[0] = i
    indices[1] = j
    return int(sbox[(sbox[i] + t) & 255])


@njit(nogil=True, cache=CACHE, inline="always")
def _double(sbox: np.ndarray, indices: np.ndarray) -> float:
    n = 0.0
    for _ in range(6):
        n = n * 256.0 + _byte(sbox, indices)
    d = _START_DENOMINATOR
    x = 0
    while n < _SIGNIFICANCE:
        n = (n + x) * 256.0
        d *= 256.0
        x = _byte(sbox, indices)
    while n >= _OVERFLOW:
        n /= 2.0
        d /= 2.0
        x >>= 1
    return (n + x) / d


@jit
def _uniforms(sbox: np.ndarray, indices: np.ndarray, out: np.ndarray) -> None:
    for k in range(len(out)):
        out[k] = _double(sbox, indices)


@jit
def _normals(sbox: np.ndarray, indices: np.ndarray, out: np.ndarray) -> None:
    """Standard normal draws by the polar method: pairs v1, v2 in (-1, 1) until v1^2 + v2^2 <= 1 (v2 is thrown
    away), then sqrt(-2 ln(s) / s) * v1."""
    for k in range(len(out)):
        while True:
            v1 = 2.0 * _double(sbox, indices) - 1.0
            v2 = 2.0 * _double(sbox, indices) - 1.0
            s = v1 * v1 + v2 * v2
            if s <= 1.0:
                break
        out[k] = math.sqrt(-2.0 * math.log(s) / s) * v1


@jit
def _shuffle(sbox: np.ndarray, indices: np.ndarray, order: np.ndarray) -> None:
    counter = len(order)
    while counter > 0:
        index = math.floor(_double(sbox, indices) * counter)
        counter -= 1
        order[counter], order[index] = order[index], order[counter]


class SeedRandom:
    """One ARC4 stream; every draw moves it on, exactly as the original's Math.random after Math.seedrandom(seed)."""

    def __init__(self, seed: str) -> None:
        self.sbox = np.empty(256, dtype=np.int64)
        self.indices = np.zeros(2, dtype=np.int64)  # i, j
        _schedule(key_of(seed), self.sbox, self.indices)

    @classmethod
    def from_state(cls, sbox: np.ndarray, i: int, j: int) -> SeedRandom:
        """The stream at a stored state (a permutation of 0..255 and the two indices)."""
        stream = cls.__new__(cls)
        stream.sbox = np.array(sbox, dtype=np.int64)
        if stream.sbox.shape != (256,) or not np.array_equal(np.sort(stream.sbox), np.arange(256)):
            raise ValueError("an ARC4 state needs an S-box that is a permutation of 0..255")
        if not (0 <= i < 256 and 0 <= j < 256):
            raise ValueError(f"ARC4 indices must be from 0 to 255, not {i}, {j}")
        stream.indices = np.array([i, j], dtype=np.int64)
        return stream

    def state(self) -> tuple[np.ndarray, int, int]:
        """A copy of the state: the S-box and the indices i, j."""
        return self.sbox.copy(), int(self.indices[0]), int(self.indices[1])

    def copy(self) -> SeedRandom:
        return SeedRandom.from_state(*self.state())

    def random(self) -> float:
        """The next draw in [0, 1)."""
        out = np.empty(1)
        _uniforms(self.sbox, self.indices, out)
        return float(out[0])

    def uniforms(self, count: int) -> np.ndarray:
        """The next `count` draws in [0, 1), in order."""
        out = np.empty(count)
        _uniforms(self.sbox, self.indices, out)
        return out

    def normals(self, count: int) -> np.ndarray:
        """The next `count` standard normal draws of the polar method (each takes two or more uniform draws)."""
        out = np.empty(count)
        _normals(self.sbox, self.indices, out)
        return out

    def permutation(self, count: int) -> np.ndarray:
        """The original's shuffle of `count` items as an index order: for counter = count down to 1, index =
        floor(random() * counter), counter -= 1, swap the items at counter and index."""
        order = np.arange(count)
        _shuffle(self.sbox, self.indices, order)
        return order

    def next_seed(self) -> str:
        """A new seed string as the original draws one: random().toFixed(5)."""
        return to_fixed(self.random(), 5)


def to_fixed(value: float, digits: int) -> str:
    """JavaScript's Number.prototype.toFixed: the exact binary value rounded half up (0.015625 -> "0.01563",
    where Python's '%.5f' rounds the tie to even, "0.01562")."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))

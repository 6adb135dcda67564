"""The compute pool: every playing session on an event loop (one per server process) trained and pictured tick by
tick, 60 ticks a second on a fixed beat (fewer when ticks overrun), on one worker thread per core (the kernels
release the GIL), with a fair share of work per session per tick.

Fairness is deficit round robin over a count of the work, not its time: an epoch costs its training examples
times (parameters + PER_EXAMPLE), a frame the same for its full-batch gradient plus the grid's points times the
parameters over PICTURE_LANES (the pictures run that many points at once). Each tick every session that is ready
(playing, and its page can take a frame) gets a share of credit: TICK_BUDGET split evenly, but never less than
QUANTUM, which pays an epoch and a frame of the largest network. It trains the epochs its credit pays for, up to
`speed`, and once it has trained `speed` epochs it makes its frame; a session whose `speed` epochs cost more than a
share trains them over several ticks and then makes its frame. So a learner at speed 100 gets the same work as
everyone else, not more, and still advances; alone, it gets the whole tick.
"""

from __future__ import annotations

import asyncio
import logging
import os
import weakref
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Protocol

from playground.config import FEATURE_KEYS, MAX_LAYERS, MAX_NEURONS, Config
from playground.knobs import CLASSIFY_SIZE
from playground.pictures import GRID
from playground.reports import Frame, State
from playground.session import Session
from playground.sessions import Held

log = logging.getLogger(__name__)
TICK = 1 / 60  # seconds: at most 60 frames a second per session
WORKERS = max(1, min(4, os.cpu_count() or 1))
PER_EXAMPLE = 150  # the per-example cost of the training loop itself, in parameter-equivalents
PICTURE_LANES = 16  # grid points the picture loops compute at once
DEFAULT_EXAMPLES = CLASSIFY_SIZE * Config().percTrainData // 100  # training points of a default dataset


def parameters(sizes: tuple[int, ...]) -> int:
    """Weights and biases of a network with these layer sizes."""
    return sum(fan_in * fan_out + fan_out for fan_in, fan_out in pairwise(sizes))


def epoch_cost(sizes: tuple[int, ...], examples: int) -> int:
    return max(1, examples) * (parameters(sizes) + PER_EXAMPLE)


def frame_cost(sizes: tuple[int, ...], examples: int) -> int:
    return epoch_cost(sizes, examples) + GRID * GRID * parameters(sizes) // PICTURE_LANES


def costs_of(session: Session) -> tuple[int, int]:
    """What an epoch and a frame of this session's network and data cost."""
    return _costs(session.config.layer_sizes, len(session.trainer.data.train_labels))


@cache  # a tick asks for every session's costs twice; there are few distinct networks and data sizes
def _costs(sizes: tuple[int, ...], examples: int) -> tuple[int, int]:
    return epoch_cost(sizes, examples), frame_cost(sizes, examples)


LARGEST_SIZES = (len(FEATURE_KEYS), *[MAX_NEURONS] * MAX_LAYERS, 1)
QUANTUM = epoch_cost(LARGEST_SIZES, DEFAULT_EXAMPLES) + frame_cost(LARGEST_SIZES, DEFAULT_EXAMPLES)
TICK_BUDGET = 12 * QUANTUM  # about what one core does in a tick
# A tick runs on one worker unless its sessions' mean planned cost reaches PARALLEL_COST (a large network's
# kernels, which run on every core at once) or their sum is more than one worker does in a tick (TICK_BUDGET):
# a few small networks' frames are much Python, which holds the GIL, so a second thread would mostly wait for it
# (measured with 20 default sessions: the same frames a second, for more CPU), but a full machine's second core
# still takes the kernels' half of a long tick (100 default sessions: 21 instead of 19 frames a second).
PARALLEL_COST = QUANTUM // 2


def next_tick(due: float, now: float) -> float:
    """When the tick after the one due at `due` is due, it being `now`: one TICK later, so the ticks keep a steady
    60 a second however late each wake-up is, or at once (no burst to catch up) when a tick overran its slot.
    Timing each tick from its own wake-up let the late wake-ups add up: about 57 ticks a second, so a page
    drawing on a 60 Hz display missed about one beat in ten."""
    return max(due + TICK, now)


def share_of(ready: int) -> int:
    """Each ready session's credit for one tick."""
    return max(QUANTUM, TICK_BUDGET // max(ready, 1))


@dataclass
class Account:
    """A session's standing in the pool: its credit and the epochs it still owes its next frame."""

    credit: int = 0
    owed: int = 0  # 0: the next tick starts a new frame's `speed` epochs


def play_share(session: Session, account: Account, share: int, wants_frame: bool) -> tuple[int, Frame | None]:
    """One tick of a playing session, paid from its credit: the epochs it trained and its frame, if this tick
    completed one (and the page wants frames). The caller holds the session's lock."""
    cost, picture_cost = costs_of(session)
    account.credit += share
    if account.owed == 0:
        account.owed = session.speed
    trained = 0
    while account.owed and account.credit >= cost and session.state is State.PLAYING:
        account.credit -= cost
        account.owed -= 1
        trained += 1
        if session.advance(1):
            account.owed = 0  # diverged: the frame shows it now
    if account.owed:
        return trained, None
    frame = None
    if wants_frame:
        account.credit -= picture_cost
        frame = session.frame()
    account.credit = min(account.credit, 0)  # what is left is not saved up; a debt is paid from the next shares
    return trained, frame


class Seat(Protocol):
    """What the pool needs of a connection whose session it plays."""

    held: Held

    def ready(self) -> bool:
        """Playing, and its page can take a frame (or wants none)."""

    def wants_frames(self) -> bool: ...

    def deliver(self, trained: int, frame: Frame | None) -> None:
        """On the event loop, after a tick in which the session trained or made a frame."""

    def failed(self) -> None:
        """On the event loop: training the session raised an unexpected error (logged); it is paused now."""


class ComputePool:
    """The ticks of one event loop's seats, computed on a shared set of worker threads."""

    executor = ThreadPoolExecutor(WORKERS, thread_name_prefix="compute")

    def __init__(self) -> None:
        self.seats: dict[Seat, Account] = {}
        self.ticker: asyncio.Task[None] | None = None

    def join(self, seat: Seat) -> None:
        self.seats[seat] = Account()
        if self.ticker is None:
            self.ticker = asyncio.get_running_loop().create_task(self._run())

    def restart(self, seat: Seat) -> None:
        """A command changed the session: its next frame owes `speed` epochs from now (credit and debt stay)."""
        if seat in self.seats:
            self.seats[seat].owed = 0

    def leave(self, seat: Seat) -> None:
        self.seats.pop(seat, None)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            due = loop.time()
            while self.seats:
                await self.tick()
                due = next_tick(due, loop.time())
                await asyncio.sleep(due - loop.time())
        finally:
            self.ticker = None

    async def tick(self) -> None:
        """Every ready seat's share of work, split over the workers; then each result goes to its seat."""
        ready = [(seat, account) for seat, account in self.seats.items() if seat.ready()]
        if not ready:
            return
        share = share_of(len(ready))
        loop = asyncio.get_running_loop()
        batches = await asyncio.gather(*(loop.run_in_executor(self.executor, _work, part, share)
                                         for part in _split(ready)))
        for batch in batches:
            for seat, trained, frame in batch:
                if seat not in self.seats:
                    continue
                if trained < 0:
                    seat.failed()
                else:
                    seat.deliver(trained, frame)


def _split(ready: list[tuple[Seat, Account]]) -> Iterable[list[tuple[Seat, Account]]]:
    """The ready seats dealt out to the workers, the most costly first to the least loaded; all to one worker when
    they are a few small networks (see PARALLEL_COST)."""
    planned = sorted(((_planned(seat.held.session), seat, account) for seat, account in ready),
                     key=lambda item: -item[0])
    total = sum(cost for cost, _, _ in planned)
    parts = WORKERS if total >= PARALLEL_COST * len(planned) or total > TICK_BUDGET else 1
    loads = [0] * parts
    split: list[list[tuple[Seat, Account]]] = [[] for _ in range(parts)]
    for cost, seat, account in planned:
        least = loads.index(min(loads))
        split[least].append((seat, account))
        loads[least] += cost
    return (part for part in split if part)


def _planned(session: Session) -> int:
    epoch, frame = costs_of(session)
    return session.speed * epoch + frame


def _work(part: list[tuple[Seat, Account]], share: int) -> list[tuple[Seat, int, Frame | None]]:
    """In a worker thread: each seat's share (epochs trained, frame; -1 epochs if it failed), skipping one whose
    session is busy with a command."""
    done = []
    for seat, account in part:
        if not seat.held.lock.acquire(blocking=False):
            continue
        try:
            if seat.held.session.state is State.PLAYING:
                done.append((seat, *play_share(seat.held.session, account, share, seat.wants_frames())))
        except Exception:  # a fault in one session must not stop the others' training
            log.exception("training session %s failed; it is paused", seat.held.id)
            seat.held.session.pause()
            done.append((seat, -1, None))
        finally:
            seat.held.lock.release()
    return done


_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ComputePool] = weakref.WeakKeyDictionary()


def pool_of_this_loop() -> ComputePool:
    """The running event loop's pool (a server process has one loop, so one pool)."""
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None:
        pool = _pools[loop] = ComputePool()
    return pool

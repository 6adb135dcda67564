"""The compute pool's fairness rule, by counting work, not timing it: every ready session gets the same share of
credit per tick; a learner at speed 100 on the largest network gets that share, not more, and still advances;
learners at speed 1 get a frame every tick; alone, a fast learner gets the whole tick. Real sessions, real
engine; the pool's ticks are driven one by one."""

from __future__ import annotations

import threading

import pytest

from playground.config import Config
from playground.pool import (
    QUANTUM,
    TICK,
    TICK_BUDGET,
    WORKERS,
    Account,
    ComputePool,
    _planned,
    _split,
    costs_of,
    next_tick,
    play_share,
    share_of,
)
from playground.reports import Frame, State
from playground.session import Session
from playground.sessions import Held, new_id
from tests.test_pacing import run_async

LARGEST = ("networkShape=8,8,8,8,8,8&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true"
           "&dataset=spiral&batchSize=10")


def playing(hash_text: str) -> Session:
    session = Session(Config.from_hash(hash_text))
    session.play()
    return session


class CountingSeat:
    """A page that takes every frame at once, counting what it was delivered."""

    def __init__(self, session: Session) -> None:
        self.held = Held(new_id(), session)
        self.trained = 0
        self.frames: list[Frame] = []
        self.failures = 0

    def ready(self) -> bool:
        return self.held.session.state is State.PLAYING

    def wants_frames(self) -> bool:
        return True

    def deliver(self, trained: int, frame: Frame | None) -> None:
        self.trained += trained
        if frame is not None:
            self.frames.append(frame)

    def failed(self) -> None:
        self.failures += 1


def test_the_share_splits_the_tick_evenly_but_always_pays_a_frame_of_the_largest_network() -> None:
    largest = playing(LARGEST)
    assert sum(costs_of(largest)) <= QUANTUM  # a speed-1 learner on the largest network: a frame every tick
    assert share_of(1) == TICK_BUDGET
    assert share_of(4) == TICK_BUDGET // 4
    assert share_of(10_000) == QUANTUM


def test_ticks_keep_a_fixed_beat_late_wake_ups_do_not_add_up_and_an_overrun_restarts_without_a_burst() -> None:
    due = 100.0
    for late in (0.001, 0.004, 0.0002, 0.009):  # each tick wakes up late and takes a while, within its slot
        due = next_tick(due, now=due + late)
    assert due == pytest.approx(100.0 + 4 * TICK, abs=1e-12)  # 60 a second, as if every wake-up were on time
    overran = due + 3.5 * TICK  # a tick that took three and a half slots
    assert next_tick(due, now=overran) == overran  # the next one at once...
    assert next_tick(overran, now=overran + 0.002) == pytest.approx(overran + TICK, abs=1e-12)  # ...then the beat
    assert 1 / TICK == 60


def test_a_fast_learner_gets_its_share_not_more_and_still_advances() -> None:
    learners = [playing(f"seed=class{i}") for i in range(20)]
    fast = playing(LARGEST + "&speed=100")
    share = share_of(len(learners) + 1)
    accounts = [Account() for _ in learners]
    fast_account = Account()
    epoch, frame = costs_of(fast)
    spent, fast_frames, ticks = 0, 0, 60
    for _ in range(ticks):
        for learner, account in zip(learners, accounts, strict=True):
            assert play_share(learner, account, share, wants_frame=True)[0] == 1  # an epoch and a frame, each tick
        epochs_before = fast.epoch
        trained, made = play_share(fast, fast_account, share, wants_frame=True)
        assert fast.epoch - epochs_before == trained
        spent += trained * epoch + (frame if made is not None else 0)
        fast_frames += made is not None
        assert spent <= share * (_ + 1) + frame  # never more than its shares (a frame may run one into debt)
    assert all(learner.epoch == ticks for learner in learners)
    assert spent >= share * ticks - (fast_frames + 1) * (epoch + frame)  # and it used what its share pays for
    assert fast_frames >= fast.epoch // 100  # a frame for every 100 epochs it trained
    assert fast.epoch < ticks * 100  # far less than the 100 epochs a tick it asked for


def test_alone_a_fast_learner_gets_the_whole_tick() -> None:
    fast = playing(LARGEST + "&speed=100")
    epoch = costs_of(fast)[0]
    account = Account()
    ticks_per_frame = 0
    made = None
    while made is None:
        made = play_share(fast, account, share_of(1), wants_frame=True)[1]
        ticks_per_frame += 1
    assert fast.epoch == 100
    assert ticks_per_frame == -(-100 * epoch // TICK_BUDGET)  # as many ticks as its 100 epochs fill


def test_a_hidden_learner_trains_without_frames() -> None:
    hidden = playing("seed=hidden&speed=3")
    account = Account()
    for _ in range(5):
        assert play_share(hidden, account, share_of(1), wants_frame=False) == (3, None)
    assert hidden.epoch == 15 and len(hidden.history) == 16  # every epoch kept for the frame that catches up


def test_the_pools_ticks_give_every_seat_its_frames_and_skip_a_busy_session() -> None:
    seats = [CountingSeat(playing(f"seed=seat{i}")) for i in range(6)] + [CountingSeat(playing(LARGEST + "&speed=100"))]

    async def ticks(count: int) -> None:
        pool = ComputePool()
        for seat in seats:
            pool.seats[seat] = Account()  # joined, without the ticker: the test drives the ticks
        for _ in range(count):
            await pool.tick()

    run_async(ticks(10))
    assert [len(seat.frames) for seat in seats[:6]] == [10] * 6
    assert [seat.held.session.epoch for seat in seats[:6]] == [10] * 6
    fast = seats[-1]
    assert 0 < fast.trained == fast.held.session.epoch < 10 * 100

    busy = seats[0]
    with busy.held.lock:  # a command holds the session: the tick passes it by
        done = threading.Event()

        def tick_once() -> None:
            run_async(ticks(1))
            done.set()

        worker = threading.Thread(target=tick_once)
        worker.start()
        worker.join()
    assert done.is_set()
    assert len(busy.frames) == 10 and len(seats[1].frames) == 11


def test_a_few_small_networks_tick_on_one_worker_and_large_ones_or_a_full_tick_on_every_core() -> None:
    small = [(CountingSeat(playing(f"seed=small{i}")), Account()) for i in range(6)]
    large = [(CountingSeat(playing(LARGEST + f"&seed=large{i}")), Account()) for i in range(6)]
    assert len(list(_split(small))) == 1  # mostly Python: a second thread would only wait for the GIL
    full = small * 12
    assert sum(_planned(seat.held.session) for seat, _ in full) > TICK_BUDGET  # more than one worker does a tick
    for seats in (large, full):
        parts = list(_split(seats))
        assert len(parts) == WORKERS
        assert sum(len(part) for part in parts) == len(seats)
        assert all(len(part) >= len(seats) // WORKERS for part in parts)


def test_a_session_whose_training_fails_is_paused_and_the_others_train_on(caplog: pytest.LogCaptureFixture) -> None:
    seats = [CountingSeat(playing(f"seed=fault{i}")) for i in range(3)]
    broken = seats[1].held.session

    def fault(epochs: int) -> bool:
        raise RuntimeError("a fault injected into one session's training")

    broken.advance = fault  # type: ignore[method-assign]

    async def ticks(count: int) -> None:
        pool = ComputePool()
        for seat in seats:
            pool.seats[seat] = Account()
        for _ in range(count):
            await pool.tick()

    run_async(ticks(3))
    assert broken.state is State.PAUSED and seats[1].failures == 1 and not seats[1].frames
    assert [len(seats[i].frames) for i in (0, 2)] == [3, 3]
    assert "failed; it is paused" in caplog.text

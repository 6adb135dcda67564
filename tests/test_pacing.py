"""Pacing and memory: the Connection against a page whose socket stops taking frames (a real Session, a
stand-in socket)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from playground import live
from playground.config import Config
from playground.live import Connection, Outbox
from playground.messages import decode_binary
from playground.session import Session
from playground.sessions import Attached, Held, new_id

T = TypeVar("T")


def fresh() -> Attached:
    """A new default session for a Connection, as the server's registry hands one out."""
    return Attached(Held(new_id(), Session()), resumed=False)


def run_async(scenario: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread of its own: the browser tests keep Playwright's event loop in the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario).result()


class StuckSocket:
    """Takes `accept` frames, then blocks every send; commands come from a list."""

    def __init__(self, commands: list[dict[str, Any]], accept: int) -> None:
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for command in commands:
            self.inbox.put_nowait({"type": "websocket.receive", "text": json.dumps(command)})
        self.accept = accept
        self.sent: list[bytes] = []
        self.blocked = asyncio.Event()

    async def receive(self) -> dict[str, Any]:
        return await self.inbox.get()

    async def send_text(self, text: str) -> None:
        pass

    async def send_bytes(self, data: bytes) -> None:
        if len(self.sent) >= self.accept:
            self.blocked.set()
            await asyncio.Event().wait()  # never returns: the page has stopped reading
        self.sent.append(data)


def test_a_stuck_page_holds_one_frame_and_training_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live, "STALL_SECONDS", 0.3)

    async def scenario() -> tuple[int, int, int]:
        socket = StuckSocket([{"type": "hash", "hash": "seed=stuck"}, {"type": "play"}], accept=10)
        connection = Connection(socket, fresh())  # type: ignore[arg-type]
        task = asyncio.create_task(connection.run())
        await asyncio.wait_for(socket.blocked.wait(), 30)
        await asyncio.sleep(1.0)
        epoch_a = connection.session.epoch
        await asyncio.sleep(1.0)
        epoch_b = connection.session.epoch
        waiting = 1 if connection.outbox.frame is not None else 0
        task.cancel()
        return epoch_a, epoch_b, waiting

    epoch_a, epoch_b, waiting = run_async(scenario())
    assert epoch_a == epoch_b, "training stopped once the page stalled"
    assert epoch_a < 10 + 60, "and it stopped within about STALL_SECONDS"
    assert waiting == 1


def test_latest_frame_wins_and_carries_the_loss_history_of_those_it_replaced() -> None:
    session = Session(Config.from_hash("seed=latest"))

    async def scenario() -> list[bytes]:
        outbox = Outbox()
        outbox.offer(session.frame())  # epoch 0
        for _ in range(4):
            session.advance(3)
            outbox.offer(session.frame())
        outbox.send("config")
        socket = StuckSocket([], accept=100)
        pump = asyncio.create_task(outbox.pump(socket))  # type: ignore[arg-type]
        await asyncio.sleep(0.05)
        pump.cancel()
        return socket.sent

    sent = run_async(scenario())
    assert len(sent) == 1
    header, arrays = decode_binary(sent[0])
    assert (header["epoch"], header["historyStart"]) == (12, 0)
    assert arrays["history"].shape == (13, 4)
    assert arrays["history"][-1, 1] == pytest.approx(header["testLoss"], rel=2**-11)  # float16 on the wire


def test_frames_are_paced_at_60_a_second() -> None:
    async def scenario() -> list[int]:
        socket = StuckSocket([{"type": "hash", "hash": "seed=pace&networkShape=1"}, {"type": "play"}], accept=10**6)
        connection = Connection(socket, fresh())  # type: ignore[arg-type]
        task = asyncio.create_task(connection.run())
        await asyncio.sleep(2.0)
        task.cancel()
        headers = [decode_binary(message)[0] for message in socket.sent]
        return [header["epoch"] for header in headers if header["kind"] == "frame"]

    epochs = run_async(scenario())
    assert len(epochs) <= 2 * 60 + 5, "never more than 60 frames a second"
    assert len(epochs) >= 30, "and not much fewer on a tiny network"

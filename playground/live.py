"""The live connection: drives one Session over one websocket. It receives commands and carries them out in a
worker thread (commands.py), seats the session in the compute pool that trains it while it plays (pool.py), and
sends what the page must see: ordered messages that are never dropped, and frames where the latest wins when the
page is slow, none while the page is hidden. Every call into the session holds its lock and notes the change for
the next checkpoint (sessions.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from starlette.websockets import WebSocket, WebSocketDisconnect

from playground.commands import carry_out
from playground.config import ConfigError
from playground.messages import (
    config_message,
    data_message,
    diverged_message,
    error_message,
    frame_message,
    notice_message,
    session_message,
)
from playground.pool import pool_of_this_loop
from playground.protocol import Ack, Command, Frames, ProtocolError, parse_command
from playground.reports import Changes, Frame, State
from playground.session import SessionError
from playground.sessions import Attached

STALL_SECONDS = 1.0  # training waits while a page that never acknowledges has left a frame untaken this long
IN_FLIGHT = 1  # frames sent but not yet acknowledged, for a page that acknowledges them
MAX_QUEUED = 256  # commands waiting, and ordered messages waiting to go out
TAKEN_OVER_CODE = 4001
T = TypeVar("T")
log = logging.getLogger(__name__)


class Outbox:
    """What goes to the page: ordered messages, never dropped, then the latest frame, which a newer one replaces
    (taking over its loss history, so the chart still gets every epoch).

    Once the page acknowledges a frame (an `ack` command) it gets the next one only when it has acknowledged
    every earlier one (IN_FLIGHT frames at most on the way), so what it reads is never older than one frame, however
    slow its link: nothing piles up in socket buffers. A page that never acknowledges gets frames as fast as its
    socket takes them."""

    def __init__(self) -> None:
        self.ordered: deque[str | bytes] = deque()
        self.frame: Frame | None = None
        self.waiting_since = 0.0
        self.wake = asyncio.Event()
        self.sent = 0  # frames sent; the next one is number sent + 1
        self.acknowledged: int | None = None  # the last frame the page has drawn; None until its first ack
        self.wanted = True  # False while the page is hidden (a `frames` command): no frame goes out

    def send(self, message: str | bytes) -> None:
        if not self.has_room:
            raise ConnectionError(f"the page has not read {MAX_QUEUED} messages; closing")
        self.ordered.append(message)
        self.wake.set()

    @property
    def has_room(self) -> bool:
        return len(self.ordered) < MAX_QUEUED

    def offer(self, frame: Frame) -> None:
        if self.frame is None:
            self.waiting_since = asyncio.get_running_loop().time()
        else:
            frame = frame.replacing(self.frame)
        self.frame = frame
        self.wake.set()

    def acknowledge(self, number: int) -> None:
        """The page has drawn frame `number` (and so every one before it)."""
        self.acknowledged = max(self.acknowledged or 0, min(number, self.sent))
        if self.frame is not None:  # it may go now
            self.wake.set()

    def want_frames(self, send: bool) -> None:
        """The page's `frames` command. Frames stop (one waiting stays, its history to ride along later) or start
        again, with every frame sent so far counted as drawn."""
        self.wanted = send
        if send and self.acknowledged is not None:
            self.acknowledged = self.sent  # the caller offers a fresh frame, which replaces any waiting one

    @property
    def window_open(self) -> bool:
        return self.acknowledged is None or self.sent - self.acknowledged < IN_FLIGHT

    @property
    def stalled(self) -> bool:
        """Training waits while a frame waits: at once for a page that acknowledges frames (it can take none now,
        so it sees every tick), after STALL_SECONDS for one that does not (so a stuck page costs one frame)."""
        if self.frame is None or not self.wanted:
            return False
        if self.acknowledged is not None:
            return not self.window_open
        return asyncio.get_running_loop().time() - self.waiting_since > STALL_SECONDS

    async def pump(self, socket: WebSocket) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            await self._send_waiting(socket)

    async def _send_waiting(self, socket: WebSocket) -> None:
        """What can go out now (a method of its own, so that nothing sent stays referenced while the pump
        waits: an idle session holds no frame)."""
        while self.ordered:
            message = self.ordered.popleft()
            await (socket.send_text(message) if isinstance(message, str) else socket.send_bytes(message))
        if self.frame is not None and self.wanted and self.window_open:
            frame, self.frame = self.frame, None
            self.sent += 1
            await socket.send_bytes(frame_message(frame, self.sent))


class Connection:
    """One page's websocket driving its session (which outlives it: sessions.py)."""

    def __init__(self, socket: WebSocket, attached: Attached) -> None:
        """attached: the session this page drives (see sessions.Sessions.attach) and what to tell it first."""
        self.socket = socket
        self.attached = attached
        self.held = attached.held
        self.session = attached.held.session
        self.outbox = Outbox()
        self.commands: asyncio.Queue[Command] = asyncio.Queue(MAX_QUEUED)
        self.dropped = 0  # commands that found the queue full (or errors the outbox had no room for) since reported
        self.tasks: set[asyncio.Task[None]] = set()
        self.finished = asyncio.Event()
        self.handling = False  # a command is being carried out
        self.pool = pool_of_this_loop()  # trains the session while it plays

    async def run(self) -> None:
        pool, held, session = self.pool, self.held, self.session
        held.owner, held.close_owner = self, self.taken_over
        self.outbox.send(session_message(held.id, self.attached.resumed, self.attached.message))
        if self.attached.resumed:
            await self._in_thread(session.reopened)
        changes = await self._in_thread(session.take_changes)  # the config and data it starts (or resumes) with
        changes.notices += self.attached.hash_errors
        self._report(changes)
        await self._offer_frame()
        self.tasks = {asyncio.create_task(work)
                      for work in (self.outbox.pump(self.socket), self._receive(), self._command())}
        pool.join(self)
        try:
            done, _ = await asyncio.wait(self.tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = None if task.cancelled() else task.exception()
                if error is not None and not isinstance(error, WebSocketDisconnect):
                    raise error
        finally:
            pool.leave(self)
            for task in self.tasks:
                task.cancel()
            for task in self.tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self.finished.set()

    async def taken_over(self) -> None:
        """Another connection opened this session: this one closes (code 4001) and lets it go."""
        for task in self.tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await self.socket.close(code=TAKEN_OVER_CODE, reason="this session was opened in another tab or "
                                                                 "connection")
        await self.finished.wait()

    async def _in_thread(self, work: Callable[[], T]) -> T:
        """Run work on the session in a worker thread, holding the session's lock (checkpoints read it too)."""
        def locked() -> T:
            with self.held.lock:
                return work()

        return await asyncio.to_thread(locked)

    async def _receive(self) -> None:
        while True:
            message = await self.socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            raw = message.get("text")
            try:
                command = parse_command(raw if raw is not None else message.get("bytes") or b"")
            except ProtocolError as error:
                self._refuse(str(error))
                continue
            except Exception:
                log.exception("a message could not be read")
                self._refuse("the server could not read this message (an internal error, logged on the server); "
                             "the session goes on")
                continue
            if isinstance(command, Ack):
                self.outbox.acknowledge(command.frame)
            elif isinstance(command, Frames):
                self.outbox.want_frames(command.send)
                if command.send:
                    await self._offer_frame()  # at once, also while paused: it catches up the history
            elif self.commands.full():
                self.dropped += 1  # reported once, with the others, when the queue has drained
            else:
                self.commands.put_nowait(command)

    def _refuse(self, text: str) -> None:
        if self.outbox.has_room:
            self.outbox.send(error_message(text))
        else:
            self.dropped += 1

    def _report_dropped(self) -> None:
        """One error for a whole burst of commands that did not fit in the queue."""
        if self.dropped and self.outbox.has_room:
            self.outbox.send(error_message(
                f"{self.dropped} command{'s were' if self.dropped > 1 else ' was'} dropped: at most {MAX_QUEUED} "
                "commands can wait to be carried out; send fewer at once (the session goes on)"))
            self.dropped = 0

    async def _command(self) -> None:
        """Carry out the page's commands in order; while playing, the compute pool trains (see pool.py)."""
        while True:
            if self.commands.empty():
                self._report_dropped()
            command = await self.commands.get()
            self.handling = True
            try:
                await self._handle(command)
            finally:
                self.handling = False

    # --- the compute pool's seat (pool.Seat) ----------------------------------------------------------------
    def ready(self) -> bool:
        """Playing, its page can take a frame, and no command waits: a command goes before more training (a
        `pause` stops it at the frame the page saw next, not a tick later)."""
        return (self.session.state is State.PLAYING and not self.outbox.stalled and not self.handling
                and self.commands.empty())

    def wants_frames(self) -> bool:
        return self.outbox.wanted

    def failed(self) -> None:
        self.outbox.send(error_message("training stopped: the server met an internal error (logged on the server); "
                                       "the session is paused with its network as it was; press play to go on"))
        self.held.changed()
        task = asyncio.create_task(self._offer_frame())  # shows it paused
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def deliver(self, trained: int, frame: Frame | None) -> None:
        if trained:
            self.held.changed()
        self._report(self.session.take_changes())
        if frame is not None:
            self.outbox.offer(frame)

    def _report(self, changes: Changes) -> None:
        """Tell the page what changed, in the protocol's order: config, notice, data, diverged (a frame follows)."""
        session = self.session
        if changes.config:
            self.outbox.send(config_message(session.config, changes.effect))
        if changes.notices:
            self.outbox.send(notice_message(changes.notices))
        if changes.data:
            self.outbox.send(data_message(session.config, session.trainer.data))
        for note in changes.notes:  # about the new data (a scaled file)
            self.outbox.send(notice_message(note))
        if changes.diverged:
            self.outbox.send(diverged_message(session.epoch, session.trainer.learning_rate))

    async def _offer_frame(self) -> None:
        if self.outbox.wanted:
            self.outbox.offer(await self._in_thread(self.session.frame))

    async def _handle(self, command: Command) -> None:
        """Carry out one command, then offer the frame that shows it (while playing, the pool's next tick does);
        an error goes back to the page and the session carries on unchanged."""
        try:
            reply = await self._in_thread(lambda: carry_out(self.session, command))
        except (SessionError, ConfigError) as error:
            self.outbox.send(error_message(str(error)))
            return
        except Exception:
            log.exception("command %s failed", command)
            self.outbox.send(error_message(f"{type(command).__name__}: the server could not carry this out (an "
                                           "internal error, logged on the server); the session goes on"))
            return
        finally:
            self._report(self.session.take_changes())
        self.held.changed()
        self.pool.restart(self)
        if reply is not None:
            self.outbox.send(reply)
        if self.session.state is not State.PLAYING:
            await self._offer_frame()

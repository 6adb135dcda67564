"""The live connection: drives one Session over one websocket. It receives commands, paces training to at most
60 frames a second, runs the compute in worker threads (the kernels release the GIL) and sends what the page must
see: ordered messages that are never dropped, and frames where the latest wins when the page is slow.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque

from starlette.websockets import WebSocket, WebSocketDisconnect

from playground.config import Config, ConfigError, Effect
from playground.protocol import (
    AddPoint,
    ClearPoints,
    Command,
    ConfigCommand,
    ExampleCommand,
    HashCommand,
    LoadCsv,
    Pause,
    Play,
    ProtocolError,
    Regenerate,
    RemovePoint,
    Reset,
    SaveCsv,
    Select,
    SetBias,
    SetWeight,
    SliceCommand,
    Speed,
    Step,
    config_message,
    csv_message,
    data_message,
    diverged_message,
    error_message,
    example_message,
    frame_message,
    notice_message,
    parse_command,
    slice_message,
)
from playground.session import Frame, Session, SessionError, State

FRAME_INTERVAL = 1 / 60
STALL_SECONDS = 1.0  # training waits while the page has left a frame untaken this long (keeps memory flat)
MAX_QUEUED = 256  # commands waiting, and ordered messages waiting to go out
log = logging.getLogger(__name__)


class Outbox:
    """What goes to the page: ordered messages, never dropped, then the latest frame, which a newer one replaces
    (taking over its loss history, so the chart still gets every epoch)."""

    def __init__(self) -> None:
        self.ordered: deque[str | bytes] = deque()
        self.frame: Frame | None = None
        self.waiting_since = 0.0
        self.wake = asyncio.Event()

    def send(self, message: str | bytes) -> None:
        if len(self.ordered) >= MAX_QUEUED:
            raise ConnectionError(f"the page has not read {MAX_QUEUED} messages; closing")
        self.ordered.append(message)
        self.wake.set()

    def offer(self, frame: Frame) -> None:
        if self.frame is None:
            self.waiting_since = asyncio.get_running_loop().time()
        else:
            frame = frame.replacing(self.frame)
        self.frame = frame
        self.wake.set()

    @property
    def stalled(self) -> bool:
        return self.frame is not None and asyncio.get_running_loop().time() - self.waiting_since > STALL_SECONDS

    async def pump(self, socket: WebSocket) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.ordered:
                message = self.ordered.popleft()
                await (socket.send_text(message) if isinstance(message, str) else socket.send_bytes(message))
            if self.frame is not None:
                frame, self.frame = self.frame, None
                await socket.send_bytes(frame_message(frame))


class Connection:
    """One page's session, alive for as long as its websocket."""

    def __init__(self, socket: WebSocket, hash_text: str | None = None) -> None:
        """hash_text: the page's URL hash from `/ws?hash=...`, read leniently (defaults and a notice where bad)."""
        self.socket = socket
        self.hash_text = hash_text
        self.outbox = Outbox()
        self.commands: asyncio.Queue[Command] = asyncio.Queue(MAX_QUEUED)

    async def run(self) -> None:
        config, errors = Config.from_hash_lenient(self.hash_text) if self.hash_text else (Config(), [])
        self.session = session = await asyncio.to_thread(Session, config)
        self.outbox.send(config_message(session.config, None))
        if errors:
            self.outbox.send(notice_message(errors))
        self.outbox.send(data_message(session.config, session.trainer.data))
        await self._offer_frame()
        tasks = {asyncio.create_task(work) for work in (self.outbox.pump(self.socket), self._receive(), self._drive())}
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                error = task.exception()
                if error is not None and not isinstance(error, WebSocketDisconnect):
                    raise error
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _receive(self) -> None:
        while True:
            message = await self.socket.receive()
            if message["type"] == "websocket.disconnect":
                return
            raw = message.get("text")
            try:
                command = parse_command(raw if raw is not None else message.get("bytes") or b"")
            except ProtocolError as error:
                self.outbox.send(error_message(str(error)))
                continue
            if self.commands.full():
                self.outbox.send(error_message(f"too many commands at once (more than {MAX_QUEUED} waiting); "
                                               "this one was dropped"))
                continue
            self.commands.put_nowait(command)

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if self.session.state is not State.PLAYING:
                await self._handle(await self.commands.get())
                continue
            started = loop.time()
            carried_out = False
            while not self.commands.empty():
                carried_out = await self._handle(self.commands.get_nowait(), frame=False) or carried_out
            if self.session.state is State.PLAYING:
                if not self.outbox.stalled:
                    await self._train()
            elif carried_out:
                await self._offer_frame()
            await asyncio.sleep(max(0.0, started + FRAME_INTERVAL - loop.time()))

    async def _train(self) -> None:
        """One tick while playing: `speed` epochs and the frame after them, in one trip to a worker thread."""
        session = self.session

        def advance_and_picture() -> Frame:
            session.advance(session.speed)
            return session.frame()

        frame = await asyncio.to_thread(advance_and_picture)
        self._report_divergence()
        self.outbox.offer(frame)

    def _report_divergence(self) -> None:
        session = self.session
        if session.state is State.DIVERGED:
            self.outbox.send(diverged_message(session.epoch, session.trainer.learning_rate))

    async def _offer_frame(self) -> None:
        self.outbox.offer(await asyncio.to_thread(self.session.frame))

    async def _handle(self, command: Command, frame: bool = True) -> bool:
        """Carry out one command; an error goes back to the page and the session carries on unchanged.
        Returns whether it was carried out (and, with frame=True, has already sent the new frame)."""
        try:
            await self._apply(command)
        except (SessionError, ConfigError) as error:
            self.outbox.send(error_message(str(error)))
            return False
        except Exception:
            log.exception("command %s failed", command)
            self.outbox.send(error_message(f"{type(command).__name__}: the server could not carry this out (an "
                                           "internal error, logged on the server); the session goes on"))
            return False
        if frame:
            await self._offer_frame()
        return True

    async def _apply(self, command: Command) -> None:
        session = self.session
        match command:
            case HashCommand(hash=text):
                errors = await asyncio.to_thread(session.open_hash, text)
                self._send_config(Effect.DATA)
                if errors:
                    self.outbox.send(notice_message(errors))
            case ConfigCommand(values=values):
                effect = await asyncio.to_thread(session.update, values)
                self._send_config(effect)
            case Regenerate():
                await asyncio.to_thread(session.regenerate)
                self._send_config(Effect.DATA)
            case Play():
                session.play()
            case Pause():
                session.pause()
            case Step():
                await asyncio.to_thread(session.step)
                self._report_divergence()
            case Reset():
                await asyncio.to_thread(session.reset)
            case Select(layer=layer, neuron=neuron):
                session.select(layer, neuron)
            case SetWeight(layer=layer, source=source, target=target, value=value):
                await asyncio.to_thread(session.set_weight, layer, source, target, value)
            case SetBias(layer=layer, neuron=neuron, value=value):
                await asyncio.to_thread(session.set_bias, layer, neuron, value)
            case Speed(epochs=epochs):
                self._send_config(session.set_speed(epochs))
            case SliceCommand(layer=layer, source=source, target=target, neuron=neuron):
                self.outbox.send(slice_message(await asyncio.to_thread(session.slice, layer, source, target, neuron)))
            case ExampleCommand(index=index):
                self.outbox.send(example_message(await asyncio.to_thread(session.example, index)))
            case AddPoint(x=x, y=y, label=label, test=test):
                self._send_data(await asyncio.to_thread(session.add_point, x, y, label, test))
            case RemovePoint(x=x, y=y):
                self._send_data(await asyncio.to_thread(session.remove_point, x, y))
            case ClearPoints():
                self._send_data(await asyncio.to_thread(session.clear_points))
            case LoadCsv(text=text, name=name):
                changed, notice = await asyncio.to_thread(session.load_csv, text, name)
                self._send_data(changed)
                if notice is not None:
                    self.outbox.send(notice_message(notice))
            case SaveCsv():
                self.outbox.send(csv_message(await asyncio.to_thread(session.save_csv)))

    def _send_data(self, config_changed: bool) -> None:
        """After an edit of the points: the config if it changed (dataset became custom), then the data."""
        session = self.session
        if config_changed:
            self.outbox.send(config_message(session.config, Effect.DATA))
        self.outbox.send(data_message(session.config, session.trainer.data))

    def _send_config(self, effect: Effect | None) -> None:
        session = self.session
        self.outbox.send(config_message(session.config, effect))
        if effect is not None and effect >= Effect.DATA:
            self.outbox.send(data_message(session.config, session.trainer.data))

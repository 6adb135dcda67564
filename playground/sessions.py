"""Sessions: every learner's session this process holds, by id, whether or not a websocket drives it now; how a
connection gets one (taken over from another connection, restored from the store, or started fresh); and the
checkpoints that keep them in the store (docs/stores.md).

A session without a connection stays in memory for `grace` seconds (then only in the store); checkpoints are
written by a worker thread once a second, in one batch, for each session that changed since its last one (a
playing session changes every tick; a paused one after a command), with the chunks of its loss history that
changed since (the whole history only for a new run). Sessions idle longer than `keep` are
deleted from the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from playground import snapshot
from playground.config import Config, ConfigError
from playground.history import LossHistory
from playground.session import Session
from playground.store import Record, Store, StoreError, open_store

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
CHECKPOINT_SECONDS = 1.0
PRUNE_SECONDS = 60.0
KEEP_SECONDS = 86400.0
GRACE_SECONDS = 300.0
NO_STORE = "none"
log = logging.getLogger(__name__)


def new_id() -> str:
    """A random, unguessable session id (128 bits)."""
    return secrets.token_urlsafe(16)


@dataclass(eq=False)
class Held:
    """One session in memory: its lock (every call into it holds it), the connection driving it (if any) and
    whether it changed since its last checkpoint."""

    id: str
    session: Session
    lock: threading.Lock = field(default_factory=threading.Lock)
    owner: Any = None  # the live.Connection driving it; None while no page is connected
    close_owner: Callable[[], Awaitable[None]] | None = None
    dirty: bool = True
    touched: float = field(default_factory=time.time)  # Unix time of the last change
    released: float = field(default_factory=time.monotonic)  # when its last connection ended (or it came)
    kept_history: LossHistory | None = None  # the loss history whose first kept_rows rows are in the store
    kept_rows: int = 0

    def changed(self) -> None:
        self.dirty = True
        self.touched = time.time()


@dataclass
class Attached:
    """What a new connection gets: its session, hash errors and a sentence about how it was found."""

    held: Held
    resumed: bool
    message: str | None = None
    hash_errors: list[ConfigError] = field(default_factory=list)


class Sessions:
    def __init__(self, store_url: str, keep: float = KEEP_SECONDS, grace: float = GRACE_SECONDS,
                 max_released: int = 200) -> None:
        self.held: dict[str, Held] = {}
        self.keep, self.grace, self.max_released = keep, grace, max_released
        self.store_url = store_url
        self.store: Store | None = None
        self.error: str | None = None
        self.written = 0  # checkpoints written since start
        self.writing = 0  # checkpoints being written now
        if store_url != NO_STORE:
            try:
                self.store = open_store(store_url)
            except StoreError as problem:
                self.error = str(problem)

    def status(self) -> dict[str, Any]:
        pending = sum(held.dirty for held in list(self.held.values())) + self.writing
        return {"url": self.store_url, "ok": self.store is not None and self.error is None, "error": self.error,
                "written": self.written, "pending": pending}

    def describe(self) -> str:
        """One line for start-up: where sessions are kept, or why they are not."""
        if self.store_url == NO_STORE:
            return "sessions are not kept (--store none): a restart loses them"
        if self.store is None or self.error:
            return f"the session store cannot be used ({self.error}); running WITHOUT persistence"
        return f"sessions are kept in {self.store_url} for {self.keep:g} s after their last change"

    async def attach(self, requested: str | None, hash_text: str | None) -> Attached:
        """The session a connection asked for by id (in memory or in the store), else a fresh one from its hash."""
        message = None
        if requested is not None and not ID_PATTERN.fullmatch(requested):
            message = "The session id in the address is not one this server gives out, so a fresh session started."
        elif requested is not None:
            held = self.held.get(requested)
            if held is not None and held.close_owner is not None:
                await held.close_owner()
            if held is None:
                held, message = await self._restore(requested)
            if held is not None:
                return Attached(held, True)
        config, errors = Config.from_hash_lenient(hash_text) if hash_text else (Config(), [])
        held = Held(new_id(), await asyncio.to_thread(Session, config))
        self.held[held.id] = held
        return Attached(held, False, message, errors)

    async def _restore(self, session_id: str) -> tuple[Held | None, str]:
        unknown = ("Your earlier session is no longer kept (sessions are kept for a day after their last change), "
                   "so a fresh session started.")
        if self.store is None:
            return None, unknown
        try:
            kept = await asyncio.to_thread(self.store.load, session_id)
            if kept is None:
                return None, unknown
            session = await asyncio.to_thread(snapshot.load, kept.body, kept.history)
        except Exception as problem:
            log.exception("session %s could not be restored", session_id)
            return None, f"Your earlier session could not be restored ({problem}), so a fresh session started."
        held = self.held[session_id] = Held(session_id, session)
        if kept.history:  # its history is in the store's chunks already (a version 1 body held it inside)
            held.kept_history, held.kept_rows = session.history, len(session.history)
        return held, ""

    def release(self, held: Held, owner: Any) -> None:
        """The connection `owner` has ended; the session waits for its page to come back."""
        if held.owner is owner:
            held.owner = held.close_owner = None
            held.released = time.monotonic()
            held.changed()

    # --- checkpoints -----------------------------------------------------------------------------------------
    async def keep_saving(self) -> None:
        """Checkpoint once a second; now and then delete idle sessions from the store and memory."""
        pruned = time.monotonic()
        while True:
            await asyncio.sleep(CHECKPOINT_SECONDS)
            await asyncio.to_thread(self.checkpoint)
            self._forget_released()
            if self.store is not None and time.monotonic() - pruned > PRUNE_SECONDS:
                pruned = time.monotonic()
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.store.delete_idle, time.time() - self.keep)

    def checkpoint(self) -> int:
        """Write every session that changed since its last checkpoint, in one batch (in a worker thread).
        Returns how many were written."""
        changed = [held for held in list(self.held.values()) if held.dirty]
        for held in changed:
            held.dirty = False
        if self.store is None or not changed:
            return 0
        self.writing = len(changed)
        try:
            records, kept = [], []
            for held in changed:
                with held.lock:
                    history = held.session.history  # a new run has a new one, to be written whole
                    body, chunks = snapshot.dump(held.session, held.kept_rows if held.kept_history is history else 0)
                    records.append(Record(held.id, body, held.touched, chunks))
                    kept.append((held, history, len(history)))
            self.store.save(records)
        except Exception as problem:
            self.error = f"the store could not be written: {problem}"
            log.error("checkpoint failed: %s", problem)
            for held in changed:
                held.dirty = True
            return 0
        finally:
            self.writing = 0
        for held, history, rows in kept:
            held.kept_history, held.kept_rows = history, rows
        self.error = None
        self.written += len(records)
        return len(records)

    def _forget_released(self) -> None:
        """Sessions no page has held for `grace` seconds live on only in the store (and at most max_released of
        them stay in memory at all)."""
        now = time.monotonic()
        released = sorted((held for held in self.held.values() if held.owner is None), key=lambda h: h.released)
        kept = len(released)
        for held in released:
            saved = not held.dirty or self.store is None or self.error is not None
            if saved and (now - held.released > self.grace or kept > self.max_released):
                del self.held[held.id]
                kept -= 1

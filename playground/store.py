"""Where sessions are kept between connections and across restarts (docs/stores.md): one small interface, Store,
and its two backends: SQLite in a file (the default, no setup) and Redis (shared by several servers).

A store keeps each session's bytes (snapshot.py) under its id with the time it was last touched; sessions idle
for longer than the server's --keep are deleted, so its size stays bounded. Every call may block: the server
calls them from a worker thread, never on the event loop.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

SCHEMES = ("sqlite", "redis")
REDIS_PREFIX = "playground:session:"
REDIS_TOUCHED = "playground:touched"


class StoreError(ValueError):
    """A store URL that names no store, or a store that cannot be reached."""


class Store(Protocol):
    url: str

    def save(self, items: list[tuple[str, bytes, float]]) -> None:
        """Write sessions (id, bytes, touched as a Unix time) in one batch."""

    def load(self, session_id: str) -> bytes | None: ...

    def delete_idle(self, older_than: float) -> int:
        """Delete the sessions last touched before this Unix time; how many went."""

    def size(self) -> int:
        """How many sessions are kept."""


def default_url() -> str:
    """SQLite in the user's data directory: $XDG_DATA_HOME/playground, else ~/.local/share/playground."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'playground' / 'sessions.sqlite3'}"


def open_store(url: str) -> Store:
    """The store a URL names (sqlite:///absolute/path or redis://host:port/db), tried once (StoreError if not)."""
    scheme = urlsplit(url).scheme
    try:
        if scheme == "sqlite":
            return SQLiteStore(url)
        if scheme == "redis":
            return RedisStore(url)
    except StoreError:
        raise
    except Exception as error:
        raise StoreError(f"the store {url} cannot be used: {error}") from error
    raise StoreError(f"--store {url!r} is not a store URL: use sqlite:///path/to/file or redis://host:port/db")


class SQLiteStore:
    """One table in one file; one connection shared by the worker threads under a lock."""

    def __init__(self, url: str) -> None:
        self.url = url
        path = Path(urlsplit(url).path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, touched REAL NOT NULL, "
                         "body BLOB NOT NULL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS sessions_touched ON sessions (touched)")
        self.save([])  # fails now, at start-up, if the file cannot be written

    def save(self, items: list[tuple[str, bytes, float]]) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR REPLACE INTO sessions (id, body, touched) VALUES (?, ?, ?)", items)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def load(self, session_id: str) -> bytes | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def delete_idle(self, older_than: float) -> int:
        with self._lock:
            return self._db.execute("DELETE FROM sessions WHERE touched < ?", (older_than,)).rowcount

    def size(self) -> int:
        with self._lock:
            count: int = self._db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
            return count


class RedisStore:
    """A key per session and a sorted set of when each was touched (for delete_idle)."""

    def __init__(self, url: str) -> None:
        try:
            import redis
        except ImportError as error:
            raise StoreError(f"the store {url} needs the redis client: pip install 'playground[redis]'") from error
        self.url = url
        self._redis: Any = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._redis.ping()

    def save(self, items: list[tuple[str, bytes, float]]) -> None:
        pipe = self._redis.pipeline(transaction=False)
        for session_id, body, touched in items:
            pipe.set(REDIS_PREFIX + session_id, body)
            pipe.zadd(REDIS_TOUCHED, {session_id: touched})
        pipe.execute()

    def load(self, session_id: str) -> bytes | None:
        body: bytes | None = self._redis.get(REDIS_PREFIX + session_id)
        return body

    def delete_idle(self, older_than: float) -> int:
        idle = [name.decode() for name in self._redis.zrangebyscore(REDIS_TOUCHED, "-inf", f"({older_than}")]
        if idle:
            self._redis.delete(*(REDIS_PREFIX + name for name in idle))
            self._redis.zrem(REDIS_TOUCHED, *idle)
        return len(idle)

    def size(self) -> int:
        count: int = self._redis.zcard(REDIS_TOUCHED)
        return count

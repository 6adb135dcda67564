"""Where sessions are kept between connections and across restarts (docs/stores.md): one small interface, Store,
and its two backends: SQLite in a file (the default, no setup) and Redis (shared by several servers).

A store keeps each session (snapshot.py) under its id: its body, the time it was last touched and its loss
history in numbered chunks, of which a checkpoint writes only those that changed; sessions idle for longer than
the server's --keep are deleted, so its size stays bounded. Every call may block: the server calls them from a
worker thread, never on the event loop.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit

SCHEMES = ("sqlite", "redis")
REDIS_PREFIX = "playground:session:"
REDIS_TOUCHED = "playground:touched"
REDIS_HISTORY = "playground:history:"


class StoreError(ValueError):
    """A store URL that names no store, or a store that cannot be reached."""


class Record(NamedTuple):
    """One session as a checkpoint writes it: its body, when it was last touched (a Unix time) and the chunks of
    its loss history that changed, by number. They replace the kept chunks of the same numbers; a record with
    chunk 0 holds the whole history, and replaces all the kept chunks (a new run's history is shorter)."""

    id: str
    body: bytes
    touched: float
    history: dict[int, bytes]


class Kept(NamedTuple):
    """One session as the store keeps it: its body and every chunk of its history, by number."""

    body: bytes
    history: dict[int, bytes]


class Store(Protocol):
    url: str

    def save(self, records: list[Record]) -> None:
        """Write sessions in one batch, all or none of it."""

    def load(self, session_id: str) -> Kept | None: ...

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
        self._db.execute("CREATE TABLE IF NOT EXISTS history (id TEXT NOT NULL, chunk INTEGER NOT NULL, "
                         "rows BLOB NOT NULL, PRIMARY KEY (id, chunk)) WITHOUT ROWID")
        self.save([])  # fails now, at start-up, if the file cannot be written

    def save(self, records: list[Record]) -> None:
        with self._lock, self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO sessions (id, body, touched) VALUES (?, ?, ?)",
                                 [(record.id, record.body, record.touched) for record in records])
            self._db.executemany("DELETE FROM history WHERE id = ?",
                                 [(record.id,) for record in records if 0 in record.history])
            self._db.executemany("INSERT OR REPLACE INTO history (id, chunk, rows) VALUES (?, ?, ?)",
                                 [(record.id, k, rows) for record in records for k, rows in record.history.items()])

    def load(self, session_id: str) -> Kept | None:
        with self._lock:
            row = self._db.execute("SELECT body FROM sessions WHERE id = ?", (session_id,)).fetchone()
            chunks = self._db.execute("SELECT chunk, rows FROM history WHERE id = ?", (session_id,)).fetchall()
        return None if row is None else Kept(bytes(row[0]), {k: bytes(rows) for k, rows in chunks})

    def delete_idle(self, older_than: float) -> int:
        with self._lock, self._transaction():
            self._db.execute("DELETE FROM history WHERE id IN (SELECT id FROM sessions WHERE touched < ?)",
                             (older_than,))
            deleted: int = self._db.execute("DELETE FROM sessions WHERE touched < ?", (older_than,)).rowcount
        return deleted

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

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

    def save(self, records: list[Record]) -> None:
        pipe = self._redis.pipeline(transaction=True)  # MULTI/EXEC: a body and its chunks go together
        for record in records:
            pipe.set(REDIS_PREFIX + record.id, record.body)
            pipe.zadd(REDIS_TOUCHED, {record.id: record.touched})
            if 0 in record.history:
                pipe.delete(REDIS_HISTORY + record.id)
            if record.history:
                pipe.hset(REDIS_HISTORY + record.id, mapping={str(k): rows for k, rows in record.history.items()})
        pipe.execute()

    def load(self, session_id: str) -> Kept | None:
        body, chunks = (self._redis.pipeline(transaction=True).get(REDIS_PREFIX + session_id)
                        .hgetall(REDIS_HISTORY + session_id).execute())
        return None if body is None else Kept(body, {int(k): rows for k, rows in chunks.items()})

    def delete_idle(self, older_than: float) -> int:
        idle = [name.decode() for name in self._redis.zrangebyscore(REDIS_TOUCHED, "-inf", f"({older_than}")]
        if idle:
            self._redis.delete(*(prefix + name for name in idle for prefix in (REDIS_PREFIX, REDIS_HISTORY)))
            self._redis.zrem(REDIS_TOUCHED, *idle)
        return len(idle)

    def size(self) -> int:
        count: int = self._redis.zcard(REDIS_TOUCHED)
        return count

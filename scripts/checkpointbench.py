"""What keeping sessions costs and what a crash loses, on the largest setup (7 features, six layers of 8, batch
10):

1. checkpoint cost: SESSIONS playing sessions in this process, each trained a second's worth of epochs between
   checkpoints; CPU time and bytes per session per checkpoint into a SQLite store (as the server writes them).
2. loss after SIGKILL: a real `playground serve` playing the setup is killed with SIGKILL at a random moment and
   restarted; epochs lost = the last epoch the page saw minus the epoch the session comes back at.

    python scripts/checkpointbench.py [--sessions 100] [--kills 5] [--played MINUTES]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from websockets.sync.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from playground.config import Config
from playground.history import LossHistory
from playground.messages import decode_binary
from playground.session import Session
from playground.sessions import Held, Sessions, new_id
from tests.harness import running_server

LARGEST = ("networkShape=8,8,8,8,8,8&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true"
           "&dataset=spiral&batchSize=10")


def checkpoint_cost(count: int, rounds: int, epochs: int, played: float) -> None:
    with tempfile.TemporaryDirectory() as directory:
        registry = Sessions(f"sqlite:///{directory}/sessions.sqlite3")
        for _ in range(count):
            session = Session(Config.from_hash(LARGEST))
            session.play()
            # As after `played` minutes at 60 epochs a second: a loss history that long (its rows repeated).
            session.history = LossHistory(0, np.repeat(session.history.since(0), int(played * 3600) + 1, axis=0))
            held = Held(new_id(), session)
            registry.held[held.id] = held
        first_cpu, first_wall = timed_checkpoint(registry)  # all new to the store: each history written whole
        cpu = wall = 0.0
        for _ in range(rounds):
            for held in registry.held.values():
                held.session.advance(epochs)
                held.changed()
            round_cpu, round_wall = timed_checkpoint(registry)
            cpu, wall = cpu + round_cpu, wall + round_wall
        size = (Path(directory) / "sessions.sqlite3").stat().st_size
        kept = registry.store.load(next(iter(registry.held))) if registry.store else None
        stored = 0 if kept is None else len(kept.body) + sum(map(len, kept.history.values()))
        first = next(iter(registry.held.values())).session
        print(f"checkpoint of {count} playing sessions ({epochs} epochs between checkpoints, at epoch {first.epoch}, "
              f"{len(first.history):,} rows of loss history):")
        print(f"  CPU {cpu / rounds / count * 1000:.3f} ms per session per checkpoint "
              f"({cpu / rounds * 1000:.1f} ms per batch, wall {wall / rounds * 1000:.1f} ms)")
        print(f"  the first checkpoint, each session new to the store: CPU {first_cpu / count * 1000:.3f} ms per "
              f"session (wall {first_wall * 1000:.1f} ms)")
        print(f"  {stored:,} bytes kept per session; store file {size:,} bytes")


def timed_checkpoint(registry: Sessions) -> tuple[float, float]:
    """CPU and wall seconds of one checkpoint of every session."""
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    assert registry.checkpoint() == len(registry.held)
    return time.process_time() - started_cpu, time.perf_counter() - started_wall


def frame_header(ws: ClientConnection) -> dict[str, object]:
    while True:
        message = ws.recv(timeout=60)
        if isinstance(message, bytes) and (header := decode_binary(message)[0])["kind"] == "frame":
            ws.send(json.dumps({"type": "ack", "frame": header["frame"]}))
            return header


def loss_after_sigkill(kills: int) -> None:
    lost, rates = [], []
    with running_server() as live:
        for _ in range(kills):
            with connect(f"{live.ws_url}?hash={LARGEST.replace('&', '%26')}", max_size=None) as ws:
                session = json.loads(ws.recv(timeout=60))["id"]
                ws.send(json.dumps({"type": "play"}))
                started, seconds = time.monotonic(), random.uniform(2.0, 5.0)
                last = 0
                while time.monotonic() - started < seconds:
                    last = int(frame_header(ws)["epoch"])  # type: ignore[call-overload]
                rates.append(last / (time.monotonic() - started))
                live.kill()
            live.start()
            with connect(f"{live.ws_url}?session={session}", max_size=None) as ws:
                restored = int(frame_header(ws)["epoch"])  # type: ignore[call-overload]
            lost.append(last - restored)
            print(f"  killed at epoch {last:,} (seen), back at epoch {restored:,}: {last - restored} epochs lost")
    print(f"SIGKILL on the largest setup: {statistics.mean(lost):.1f} epochs lost on average, at most {max(lost)} "
          f"(training at {statistics.mean(rates):.0f} epochs a second)")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--sessions", type=int, default=100)
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--epochs", type=int, default=60, help="epochs trained between checkpoints")
    options.add_argument("--kills", type=int, default=5)
    options.add_argument("--played", type=float, default=0.0,
                         help="minutes each session has played at 60 epochs a second (its loss history's length)")
    args = options.parse_args()
    checkpoint_cost(args.sessions, args.rounds, args.epochs, args.played)
    loss_after_sigkill(args.kills)


if __name__ == "__main__":
    main()

"""Load test: many sessions against a running playground server, each playing a setup; prints frames a second
per session, epochs per frame and frame sizes.

    python scripts/loadtest.py --sessions 20 --seconds 10
    python scripts/loadtest.py --sessions 1 --hash 'networkShape=8,8,8,8,8,8&xSquared=true&...'
    python scripts/loadtest.py --spawn ...   (starts its own `playground serve` on a free port)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import struct
import sys
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.harness import running_server

LARGEST = ("networkShape=8,8,8,8,8,8&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true"
           "&dataset=spiral&batchSize=10")


@dataclass
class Tally:
    frames: int = 0
    epochs: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)


def header_of(message: bytes) -> dict[str, object]:
    (length,) = struct.unpack_from("<I", message)
    header: dict[str, object] = json.loads(message[4:4 + length])
    return header


async def session(url: str, setup: str, speed: int, warmup: float, seconds: float, tally: Tally) -> None:
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "hash", "hash": setup}))
        await ws.send(json.dumps({"type": "speed", "epochs": speed}))
        await ws.send(json.dumps({"type": "play"}))
        loop = asyncio.get_running_loop()
        start = loop.time() + warmup
        end = start + seconds
        last_epoch = None
        while (now := loop.time()) < end:
            message = await ws.recv()
            if isinstance(message, str):
                continue
            header = header_of(message)
            if header["kind"] == "frame":
                await ws.send(json.dumps({"type": "ack", "frame": header["frame"]}))  # as the page does
            if header["kind"] != "frame" or header["state"] != "playing":
                continue
            epoch = int(header["epoch"])  # type: ignore[call-overload]
            if now >= start and last_epoch is not None:
                tally.frames += 1
                tally.epochs.append(epoch - last_epoch)
                tally.sizes.append(len(message))
            last_epoch = epoch


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="ws://127.0.0.1:8000/ws")
    parser.add_argument("--spawn", action="store_true", help="start a server of our own on a free port")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--speed", type=int, default=1, help="epochs per frame")
    parser.add_argument("--hash", default="", help="the setup to play; 'largest' for 7 features, 6 x 8, batch 10")
    args = parser.parse_args()
    setup = LARGEST if args.hash == "largest" else args.hash
    tallies = [Tally() for _ in range(args.sessions)]
    with running_server() if args.spawn else nullcontext() as server:
        url = server.ws_url if server else args.url
        await asyncio.gather(*(session(url, setup, args.speed, args.warmup, args.seconds, t) for t in tallies))
    rates = sorted(t.frames / args.seconds for t in tallies)
    epochs = [e for t in tallies for e in t.epochs]
    sizes = [s for t in tallies for s in t.sizes]
    print(f"setup: {setup or 'default'}  sessions: {args.sessions}  speed: {args.speed}  over {args.seconds:g} s")
    print(f"frames/s per session: min {rates[0]:.1f}  median {statistics.median(rates):.1f}  max {rates[-1]:.1f}")
    print(f"epochs per frame: min {min(epochs)}  mean {statistics.mean(epochs):.2f}  max {max(epochs)}")
    print(f"frame bytes: mean {statistics.mean(sizes):.0f}  max {max(sizes)} ({max(sizes) / 1024:.1f} KiB)")


if __name__ == "__main__":
    asyncio.run(main())

"""Load test: groups of sessions playing against one playground server; prints, per group, the frames a second
each session gets, epochs per frame and frame sizes, and for the whole run the server process's CPU time per
frame sent (read from /proc, so the server must run on this machine).

    python scripts/loadtest.py --spawn --sessions 100 --seconds 10          (100 learners on the default setup)
    python scripts/loadtest.py --spawn --sessions 30 --hash largest         (7 features, 6 x 8, batch 10)
    python scripts/loadtest.py --spawn --sessions 20 --group 1:largest:100  (20 learners and one at speed 100)
    python scripts/loadtest.py --spawn --idle 100                           (memory per idle session)

--spawn starts a `playground serve` of its own on a free port; without it, --url names a running one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import struct
import sys
import time
import urllib.request
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.harness import running_server

LARGEST = ("networkShape=8,8,8,8,8,8&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true"
           "&dataset=spiral&batchSize=10")


@dataclass
class Group:
    """Sessions that play one setup at one speed, and what they got over the measured window."""

    sessions: int
    setup: str
    speed: int
    frames: list[int] = field(default_factory=list)  # per session
    epochs: list[int] = field(default_factory=list)  # per frame
    sizes: list[int] = field(default_factory=list)  # per frame

    @classmethod
    def parse(cls, text: str) -> Group:
        """COUNT:SETUP:SPEED, SETUP a hash, 'default' or 'largest'."""
        count, setup, speed = text.split(":")
        return cls(int(count), "" if setup == "default" else LARGEST if setup == "largest" else setup, int(speed))

    @property
    def name(self) -> str:
        return "default" if not self.setup else "largest" if self.setup == LARGEST else self.setup


@dataclass
class Window:
    """When the measured window opens and closes, on the event loop's clock."""

    start: float
    end: float


def header_of(message: bytes) -> dict[str, object]:
    (length,) = struct.unpack_from("<I", message)
    header: dict[str, object] = json.loads(message[4:4 + length])
    return header


async def play(url: str, group: Group, window: Window) -> None:
    frames = 0
    async with connect(url, max_size=None) as ws:
        await ws.send(json.dumps({"type": "hash", "hash": group.setup}))
        await ws.send(json.dumps({"type": "speed", "epochs": group.speed}))
        await ws.send(json.dumps({"type": "play"}))
        loop = asyncio.get_running_loop()
        last_epoch = None
        while (now := loop.time()) < window.end:
            message = await ws.recv()
            if isinstance(message, str):
                continue
            header = header_of(message)
            if header["kind"] == "frame":
                await ws.send(json.dumps({"type": "ack", "frame": header["frame"]}))  # as the page does
            if header["kind"] != "frame" or header["state"] != "playing":
                continue
            epoch = int(header["epoch"])  # type: ignore[call-overload]
            if now >= window.start and last_epoch is not None:
                frames += 1
                group.epochs.append(epoch - last_epoch)
                group.sizes.append(len(message))
            last_epoch = epoch
    group.frames.append(frames)


def server_pid(http_url: str) -> int:
    with urllib.request.urlopen(http_url + "/healthz", timeout=5) as response:
        pid: int = json.load(response)["pid"]
        return pid


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc status")


async def measure_play(url: str, pid: int, groups: list[Group], warmup: float, seconds: float) -> float:
    """Play every group; returns the server's CPU seconds over the measured window."""
    loop = asyncio.get_running_loop()
    window = Window(loop.time() + warmup, loop.time() + warmup + seconds)
    tasks = [asyncio.create_task(play(url, group, window)) for group in groups for _ in range(group.sessions)]
    await asyncio.sleep(window.start - loop.time())
    cpu_start, own_start = cpu_seconds(pid), time.process_time()
    await asyncio.sleep(window.end - loop.time())
    cpu_used, own_used = cpu_seconds(pid) - cpu_start, time.process_time() - own_start
    await asyncio.gather(*tasks)
    print(f"load client CPU: {own_used:.2f} s ({own_used / seconds * 100:.0f}% of one core)")
    return cpu_used


async def measure_idle(url: str, pid: int, count: int) -> float:
    """KiB of server memory per session that is open and paused (the server's resident size, before and after)."""
    before = resident_kib(pid)
    sockets = [await connect(url, max_size=None).__aenter__() for _ in range(count)]
    for ws in sockets:  # every session has sent its config, data and first frame
        while isinstance(message := await ws.recv(), str) or header_of(message)["kind"] != "frame":
            pass
    after = resident_kib(pid)
    for ws in sockets:
        await ws.close()
    return (after - before) / count


def report(groups: list[Group], seconds: float, cpu: float) -> None:
    for group in groups:
        rates = sorted(frames / seconds for frames in group.frames)
        print(f"{group.sessions} x {group.name} at speed {group.speed}: frames/s per session min {rates[0]:.1f}  "
              f"median {statistics.median(rates):.1f}  max {rates[-1]:.1f}")
        if group.epochs:
            print(f"    epochs per frame mean {statistics.mean(group.epochs):.2f}; frame bytes mean "
                  f"{statistics.mean(group.sizes):.0f}  max {max(group.sizes)} ({max(group.sizes) / 1024:.1f} KiB)")
    frames = sum(sum(group.frames) for group in groups)
    print(f"server CPU: {cpu:.2f} s over {seconds:g} s ({cpu / seconds * 100:.0f}% of one core) for {frames} frames: "
          f"{cpu / max(frames, 1) * 1000:.2f} ms per frame")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a running server (without --spawn)")
    parser.add_argument("--spawn", action="store_true", help="start a server of our own on a free port")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--hash", default="", help="the setup to play; 'largest' for 7 features, 6 x 8, batch 10")
    parser.add_argument("--speed", type=int, default=1, help="epochs per frame")
    parser.add_argument("--group", action="append", default=[], metavar="COUNT:SETUP:SPEED",
                        help="more sessions besides --sessions, e.g. 1:largest:100")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--idle", type=int, default=0, metavar="N", help="measure memory per idle session instead")
    args = parser.parse_args()
    groups = [Group(args.sessions, LARGEST if args.hash == "largest" else args.hash, args.speed)]
    groups += [Group.parse(text) for text in args.group]
    with running_server() if args.spawn else nullcontext() as server:
        http_url = server.url if server else args.url
        url, pid = http_url.replace("http", "ws", 1) + "/ws", server_pid(http_url)
        if args.idle:
            print(f"server memory per idle session ({args.idle} open): {await measure_idle(url, pid, args.idle):.0f} "
                  "KiB")
            return
        cpu = await measure_play(url, pid, groups, args.warmup, args.seconds)
    report(groups, args.seconds, cpu)


if __name__ == "__main__":
    asyncio.run(main())

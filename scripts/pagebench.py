"""Measure the page in headless Chromium at the largest setup (7 features, 6 hidden layers of 8, batch 10).

Starts `playground serve` on a free port, opens the page, presses play and, over about ten seconds, counts how
many times a second the epoch counter changes on screen and how many frames the page draws. The page must keep
the counter moving at least 30 times a second while drawing every frame it receives.

    .venv/bin/python scripts/pagebench.py [--seconds 10] [--speed 1]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
LARGEST = ("activation=tanh&batchSize=10&dataset=spiral&learningRate=0.03&networkShape=8,8,8,8,8,8&seed=bench"
           "&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true&problem=classification")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server() -> Iterator[str]:
    """A `playground serve` child process; yields its base URL."""
    port = free_port()
    script = Path(sys.executable).parent / "playground"
    process = subprocess.Popen([str(script), "serve", "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("playground serve did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


COUNTERS = """() => {
    const counter = document.getElementById('iter-number');
    window.bench = {changes: 0};
    new MutationObserver(() => { window.bench.changes += 1; })
        .observe(counter, {childList: true, characterData: true, subtree: true});
}"""
SAMPLE = """() => ({changes: window.bench.changes, drawn: window.playground.state.stats.framesDrawn,
                  drawMs: window.playground.state.stats.drawMs,
                  epoch: window.playground.state.frame.header.epoch, time: performance.now()})"""


def measure(url: str, seconds: float, speed: int) -> dict[str, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/#{LARGEST}")
        page.wait_for_function("() => window.playground?.state.frame?.header.features.length === 7"
                               " && window.playground.state.frame.header.sizes.length === 8")
        if speed != 1:
            page.select_option("#speed", str(speed))
        page.evaluate(COUNTERS)
        page.click("#play-pause-button")
        page.wait_for_function("() => window.playground.state.frame.header.epoch > 30")  # warmed up
        start = page.evaluate(SAMPLE)
        page.wait_for_timeout(seconds * 1000)
        end = page.evaluate(SAMPLE)
        page.click("#play-pause-button")
        browser.close()
    elapsed = (end["time"] - start["time"]) / 1000
    return {"seconds": elapsed, "counter_changes_per_s": (end["changes"] - start["changes"]) / elapsed,
            "frames_drawn_per_s": (end["drawn"] - start["drawn"]) / elapsed,
            "epochs_per_s": (end["epoch"] - start["epoch"]) / elapsed,
            "ms_per_frame": (end["drawMs"] - start["drawMs"]) / max(1, end["drawn"] - start["drawn"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--speed", type=int, default=1, help="epochs per frame (default 1)")
    args = parser.parse_args()
    with server() as url:
        result = measure(url, args.seconds, args.speed)
    print(f"largest setup (7 features, 6 x 8 hidden, batch 10), speed {args.speed}, "
          f"{result['seconds']:.1f} s in headless Chromium:")
    print(f"  epoch counter changes per second: {result['counter_changes_per_s']:.1f}")
    print(f"  frames drawn per second:          {result['frames_drawn_per_s']:.1f}")
    print(f"  epochs per second:                {result['epochs_per_s']:.1f}")
    print(f"  script time per frame drawn:      {result['ms_per_frame']:.2f} ms (decode, state, every view)")
    return 0 if result["counter_changes_per_s"] >= 30 else 1


if __name__ == "__main__":
    sys.exit(main())

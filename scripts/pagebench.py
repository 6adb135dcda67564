"""Measure the page in headless Chromium at the largest setup (7 features, 6 hidden layers of 8, batch 10).

Starts `playground serve` on a free port, opens the page, presses play and, over about ten seconds, counts how
many times a second the display beats (animation frames), the epoch counter changes on screen, frames arrive and
the page draws one. The page draws on the display's beat, only the latest frame: frames received but never drawn
were replaced by a newer one before their beat. The page must keep the counter moving at least 30 times a second
(the goal: 55 or more, with every frame received drawn).

    .venv/bin/python scripts/pagebench.py [--seconds 10] [--speed 1]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.harness import CHROMIUM, CHROMIUM_ARGS, running_server

LARGEST = ("activation=tanh&batchSize=10&dataset=spiral&learningRate=0.03&networkShape=8,8,8,8,8,8&seed=bench"
           "&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true&problem=classification")


COUNTERS = """() => {
    const counter = document.getElementById('iter-number');
    window.bench = {changes: 0, beats: 0};
    new MutationObserver(() => { window.bench.changes += 1; })
        .observe(counter, {childList: true, characterData: true, subtree: true});
    const beat = () => { window.bench.beats += 1; requestAnimationFrame(beat); };
    requestAnimationFrame(beat);
}"""
SAMPLE = """() => ({changes: window.bench.changes, beats: window.bench.beats,
                  received: window.playground.state.stats.framesReceived,
                  drawn: window.playground.state.stats.framesDrawn, drawMs: window.playground.state.stats.drawMs,
                  epoch: window.playground.state.frame.header.epoch, time: performance.now()})"""


def measure(url: str, seconds: float, speed: int) -> dict[str, float]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
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
    rate = {name: (end[name] - start[name]) / elapsed for name in ("changes", "beats", "received", "drawn", "epoch")}
    return {"seconds": elapsed, "counter_changes_per_s": rate["changes"], "beats_per_s": rate["beats"],
            "frames_received_per_s": rate["received"], "frames_drawn_per_s": rate["drawn"],
            "epochs_per_s": rate["epoch"],
            "ms_per_frame": (end["drawMs"] - start["drawMs"]) / max(1, end["drawn"] - start["drawn"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--speed", type=int, default=1, help="epochs per frame (default 1)")
    args = parser.parse_args()
    with running_server() as server:
        result = measure(server.url, args.seconds, args.speed)
    print(f"largest setup (7 features, 6 x 8 hidden, batch 10), speed {args.speed}, "
          f"{result['seconds']:.1f} s in headless Chromium:")
    print(f"  display beats per second:         {result['beats_per_s']:.1f}")
    print(f"  epoch counter changes per second: {result['counter_changes_per_s']:.1f}")
    print(f"  frames received per second:       {result['frames_received_per_s']:.1f}")
    print(f"  frames drawn per second:          {result['frames_drawn_per_s']:.1f}")
    print(f"  epochs per second:                {result['epochs_per_s']:.1f}")
    print(f"  script time per frame drawn:      {result['ms_per_frame']:.2f} ms (state and every view, on its beat)")
    return 0 if result["counter_changes_per_s"] >= 30 else 1


if __name__ == "__main__":
    sys.exit(main())

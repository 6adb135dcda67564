"""Train a nice setup for a few seconds in headless Chromium and save the page as docs/screenshot.png.

Starts its own `playground serve` on a free port, opens the spiral with every input feature,
trains a few hundred epochs (or until a time limit passes), pauses and takes a 1400 px wide picture of the
playground (the texts below it left out).

    .venv/bin/python scripts/screenshot.py [--out docs/screenshot.png] [--seconds 60]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.harness import CHROMIUM, CHROMIUM_ARGS, running_server

SETUP = ("activation=tanh&batchSize=10&dataset=spiral&learningRate=0.03&networkShape=8,8,4&seed=0.36&noise=5"
         "&x=true&y=true&xSquared=true&ySquared=true&xTimesY=true&sinX=true&sinY=true&percTrainData=50"
         "&problem=classification&showTestData=false")
WIDTH = 1400


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"))
    parser.add_argument("--seconds", type=float, default=60.0, help="the longest it trains")
    parser.add_argument("--epochs", type=int, default=400, help="stop training after this many epochs")
    args = parser.parse_args()
    with running_server() as server, sync_playwright() as playwright:
        url = server.url
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(f"{url}/#{SETUP}")
        page.wait_for_function("() => window.playground?.state.frame?.header.features.length === 7")
        page.click("#play-pause-button")
        try:
            page.wait_for_function(f"() => window.playground.state.frame.header.epoch >= {args.epochs}",
                                   timeout=args.seconds * 1000)
        except PlaywrightTimeout:
            print(f"{args.epochs} epochs took more than {args.seconds:g} s; taking the picture anyway")
        page.click("#play-pause-button")
        page.wait_for_function("() => window.playground.state.frame.header.state === 'paused'")
        page.mouse.move(0, 0)
        texts = page.locator(".about").bounding_box()  # the playground: everything above the texts
        height = texts["y"] if texts else 900
        page.screenshot(path=args.out, clip={"x": 0, "y": 0, "width": WIDTH, "height": height}, full_page=True)
        epoch = page.inner_text("#iter-number")
        loss = page.inner_text("#loss-test")
        browser.close()
    print(f"saved {args.out} at epoch {epoch}, test loss {loss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Helpers of the browser tests: the console watcher, opening the playground at a hash, waiting for the URL,
reading pictures (and one screen pixel, as shown) and the epoch counter."""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Error, Page, expect

from tests.harness import LiveServer


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions of a page; `allowed` patterns excuse expected network failures."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(p.search(message.text) for p in self.allowed):
            self.errors.append(f"console error: {message.text} ({message.location})")

    def exception(self, error: Error) -> None:
        self.errors.append(f"uncaught exception: {error}")



def open_playground(page: Page, server: LiveServer, hash_: str = "") -> None:
    """Open the page at a hash and wait until the server has applied it and drawn a frame of it."""
    page.goto(f"{server.url}/#{hash_}" if hash_ else f"{server.url}/")
    wait_ready(page)


def wait_ready(page: Page) -> None:
    page.wait_for_function("""() => {
        const s = window.playground && window.playground.state;
        return s && s.connection.status === 'open' && s.connection.configsSinceOpen >= 1 && s.frame !== null
            && s.frame.header.features.length === s.features.filter(f => s.config[f.key]).length;
    }""")
    expect(page.locator("#connection-status")).to_have_text("connected")


def hash_values(page: Page) -> dict[str, str]:
    """The page's URL hash as a dict."""
    text = page.evaluate("window.location.hash").lstrip("#")
    return dict(part.split("=", 1) for part in text.split("&") if part)


def wait_hash(page: Page, **expected: str) -> None:
    """Wait until the URL hash carries these values."""
    checks = " && ".join(f"h.includes('&{k}={v}&') " for k, v in expected.items())
    page.wait_for_function(f"() => {{ const h = '&' + window.location.hash.slice(1) + '&'; return {checks}; }}")


def heatmap_picture(page: Page) -> str:
    """The big heatmap's pixels, as a data URL to compare before and after."""
    result: str = page.evaluate("document.querySelector('#heatmap canvas.grid').toDataURL()")
    return result


def epoch(page: Page) -> int:
    return int(page.inner_text("#iter-number").replace(",", ""))


def screen_pixel(page: Page, x: float, y: float) -> tuple[int, int, int]:
    """The colour the screen shows at (x, y) in CSS pixels (device scale 1): everything composited, as seen."""
    png = page.screenshot(clip={"x": int(x), "y": int(y), "width": 1, "height": 1})
    chunks, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        chunks.setdefault(png[at + 4:at + 8], b"")
        chunks[png[at + 4:at + 8]] += png[at + 8:at + 8 + length]
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (width, height, depth, colour in (2, 6)) == (1, 1, 8, True), "an 8-bit RGB(A) 1 x 1 PNG"
    row = zlib.decompress(chunks[b"IDAT"])
    # One pixel in one row: every PNG filter leaves it as it is (its left and upper neighbours count as 0).
    return row[1], row[2], row[3]

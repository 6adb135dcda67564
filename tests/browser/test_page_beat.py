"""Drawing on the display's beat, in a real browser against a real server: frames are drawn on animation frames,
only the latest one, each acknowledged once after it is drawn, and none lose their loss history; a hidden tab asks
for no frames, draws nothing while training goes on, and catches its loss chart up when shown again.

What went over the websocket is read from Playwright's own view of it (`Wire`), not from the page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, WebSocket

from playground.messages import decode_binary
from tests.browser.helpers import ConsoleLog, open_playground
from tests.harness import LiveServer

SETUP = "dataset=xor&networkShape=3&x=true&y=true&seed=5"

# The display's beat under the test's control: requestAnimationFrame only queues its callback, and
# window.beats.run() runs the queued ones as one animation frame would.
HELD_BEATS = """
window.beats = { waiting: [] };
window.requestAnimationFrame = (callback) => window.beats.waiting.push(callback);
window.beats.run = () => {
  const callbacks = window.beats.waiting;
  window.beats.waiting = [];
  const now = performance.now();
  callbacks.forEach((callback) => callback(now));
  return callbacks.length;
};
"""
# One beat, and what the page held just before and shows after it.
RUN_BEAT = """() => {
  const s = window.playground.state;
  const before = { waiting: window.beats.waiting.length, next: s.nextFrame && s.nextFrame.header.frame,
                   drawn: s.stats.framesDrawn };
  const ran = window.beats.run();
  return { ...before, ran, drawnAfter: s.stats.framesDrawn, shown: s.frame && s.frame.header,
           nextAfter: s.nextFrame };
}"""
# The loss chart's data has a real row for every epoch from 0 to that of the latest frame received.
WHOLE_HISTORY = """() => {
  const s = window.playground.state;
  const latest = s.nextFrame || s.frame;
  if (!latest || s.history.stride !== 1 || s.history.next !== latest.header.epoch + 1) return false;
  for (let i = 0; i < s.history.length; i += 1) if (Number.isNaN(s.history.value(i, 0))) return false;
  return true;
}"""
# Counts the display's beats from now on; returns the frames drawn so far.
COUNT_BEATS = """() => {
  window.beatCount = 0;
  const count = () => { window.beatCount += 1; requestAnimationFrame(count); };
  requestAnimationFrame(count);
  return window.playground.state.stats.framesDrawn;
}"""
PLAY = "#play-pause-button"


class Wire:
    """The page's websocket as Playwright sees it: each message in order, as ("sent", command),
    ("frame", header with the number of history rows) or (message type, message), and ("opened", {url}) where a
    connection begins."""

    def __init__(self, page: Page) -> None:
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.socket: WebSocket | None = None
        page.on("websocket", self._opened)

    def _opened(self, socket: WebSocket) -> None:
        self.socket = socket
        self.messages.append(("opened", {"url": socket.url}))
        socket.on("framesent", lambda payload: self.messages.append(("sent", json.loads(payload))))
        socket.on("framereceived", self._received)

    def _received(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            message = json.loads(payload)
            self.messages.append((message["type"], message))
            return
        header, arrays = decode_binary(payload)
        if header["kind"] == "frame":
            self.messages.append(("frame", {**header, "historyRows": len(arrays["history"])}))

    def sent(self, kind: str) -> list[dict[str, Any]]:
        return [body for what, body in self.messages if what == "sent" and body["type"] == kind]

    def received(self, kind: str) -> list[dict[str, Any]]:
        return [body for what, body in self.messages if what == kind]

    def frames(self, start: int = 0) -> list[dict[str, Any]]:
        return [body for what, body in self.messages[start:] if what == "frame"]

    def wait(self, event: str, done: Callable[[], bool]) -> None:
        """Wait for socket events of one kind until `done` holds (Playwright delivers events only while the test
        waits on it, so none slips between a check and the wait)."""
        assert self.socket is not None
        while not done():
            self.socket.wait_for_event(event)


def test_frames_are_drawn_on_animation_frames_only_the_latest_and_each_acknowledged_once(
        page: Page, live_server: LiveServer) -> None:
    wire = Wire(page)
    page.add_init_script(HELD_BEATS)
    page.goto(f"{live_server.url}/#{SETUP}")
    # (Playwright polls on animation frames by default: with the beats held, it polls on a timer.)
    page.wait_for_function("() => window.playground?.state.stats.framesReceived >= 1", polling=20)
    page.click(PLAY)
    # Before its first acknowledgement the page gets frames as fast as the server makes them: a burst, no beat.
    page.wait_for_function("() => window.playground.state.stats.framesReceived >= 12", polling=20)
    assert page.evaluate("window.playground.state.frame") is None  # nothing is drawn between beats
    assert wire.sent("ack") == []
    assert page.evaluate(WHOLE_HISTORY)  # no epoch of the frames never drawn is missing from the chart

    beat = page.evaluate(RUN_BEAT)
    assert beat["waiting"] == 1 and beat["ran"] == 1  # one beat asked for, however many frames came
    assert beat["drawnAfter"] == beat["drawn"] + 1
    assert beat["shown"]["frame"] == beat["next"] and beat["nextAfter"] is None  # the latest one, drawn
    drawn = [beat["next"]]

    page.click(PLAY)  # pause; each later frame is drawn on a beat of its own, until the paused one is shown
    while beat["shown"]["state"] != "paused":
        page.wait_for_function("() => window.playground.state.nextFrame !== null", polling=20)
        beat = page.evaluate(RUN_BEAT)
        assert beat["ran"] == 1 and beat["drawnAfter"] == beat["drawn"] + 1 and beat["shown"]["frame"] == beat["next"]
        drawn.append(beat["next"])
    wire.wait("framesent", lambda: len(wire.sent("ack")) == len(drawn))
    assert [ack["frame"] for ack in wire.sent("ack")] == drawn  # each drawn frame acknowledged once, in order
    assert drawn == sorted(set(drawn))  # no frame drawn twice
    assert page.evaluate(WHOLE_HISTORY)
    # Nothing arrived since: no beat is asked for and nothing is drawn.
    assert page.evaluate(RUN_BEAT)["ran"] == 0
    assert page.evaluate("window.playground.state.stats.framesDrawn") == len(drawn)


def test_while_training_the_page_draws_at_most_once_per_animation_frame_and_acknowledges_each_drawing(
        page: Page, live_server: LiveServer) -> None:
    wire = Wire(page)
    open_playground(page, live_server, SETUP)
    start = page.evaluate(COUNT_BEATS)
    page.click(PLAY)
    page.wait_for_function(f"() => window.playground.state.stats.framesDrawn >= {start + 60}")
    seen = page.evaluate("""() => ({ beats: window.beatCount, drawn: window.playground.state.stats.framesDrawn,
                                     received: window.playground.state.stats.framesReceived })""")
    assert seen["drawn"] - start <= seen["beats"]
    assert seen["drawn"] <= seen["received"]
    page.click(PLAY)
    page.wait_for_function("() => window.playground.state.frame.header.state === 'paused'")
    drawn = page.evaluate("window.playground.state.stats.framesDrawn")
    wire.wait("framesent", lambda: len(wire.sent("ack")) >= drawn)
    acks = [ack["frame"] for ack in wire.sent("ack")]
    assert len(acks) == drawn and acks == sorted(set(acks))  # every drawing acknowledged, no frame twice
    assert page.evaluate(WHOLE_HISTORY)


def set_visibility(page: Page, visibility: str) -> None:
    """What the browser does when the tab is hidden or shown again (headless Chromium has no tabs to switch)."""
    page.evaluate("""(visibility) => {
        Object.defineProperty(document, "visibilityState", { value: visibility, configurable: true });
        Object.defineProperty(document, "hidden", { value: visibility === "hidden", configurable: true });
        document.dispatchEvent(new Event("visibilitychange"));
    }""", visibility)


def saved_epoch(page: Page, wire: Wire) -> int:
    """Press "download the network" (a `save_network`): the epoch the server saved it at, from its reply."""
    replies = len(wire.received("saved_network"))
    page.click("#download-network")
    wire.wait("framereceived", lambda: len(wire.received("saved_network")) > replies)
    epoch: int = wire.received("saved_network")[-1]["network"]["epoch"]
    return epoch


def test_a_hidden_tab_asks_for_no_frames_while_training_goes_on_and_catches_its_chart_up_when_shown(
        page: Page, live_server: LiveServer) -> None:
    wire = Wire(page)
    open_playground(page, live_server, SETUP)
    page.click(PLAY)
    page.wait_for_function("() => window.playground.state.frame.header.epoch >= 10")
    set_visibility(page, "hidden")
    drawn = page.evaluate("window.playground.state.stats.framesDrawn")
    wire.wait("framesent", lambda: wire.sent("frames") == [{"type": "frames", "send": False}])
    # The server reads `frames` as it arrives, before the save command queued behind it: no frame comes after the
    # save's reply. Training goes on: each save is of a later epoch.
    first = saved_epoch(page, wire)
    replied = next(i for i, (what, _) in enumerate(wire.messages) if what == "saved_network")
    latest = first
    while latest < first + 30:
        latest = saved_epoch(page, wire)
    assert wire.frames(replied) == []
    assert page.evaluate("window.playground.state.stats.framesDrawn") == drawn  # nothing drawn while hidden
    last_before = wire.frames()[-1]

    shown_at = len(wire.messages)
    set_visibility(page, "visible")
    wire.wait("framesent", lambda: wire.sent("frames")[-1:] == [{"type": "frames", "send": True}])
    wire.wait("framereceived", lambda: wire.frames(shown_at) != [])
    catch_up = wire.frames(shown_at)[0]
    assert catch_up["epoch"] >= latest  # a frame of now, not one left from before hiding
    assert catch_up["historyStart"] == last_before["epoch"] + 1  # with every epoch trained while hidden
    assert catch_up["historyRows"] == catch_up["epoch"] - last_before["epoch"]
    page.wait_for_function(f"() => window.playground.state.frame.header.frame >= {catch_up['frame']}")  # drawn
    assert page.evaluate(WHOLE_HISTORY)  # the loss chart has every epoch, none missing
    page.click(PLAY)


def test_a_tab_hidden_when_it_reconnects_asks_for_no_frames_at_once(page: Page, live_server: LiveServer,
                                                                    console: ConsoleLog) -> None:
    # While the server is down Chromium itself logs the refused connection attempts; nothing else is excused.
    console.allowed.append(re.compile(r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/ws' failed"))
    console.allowed.append(re.compile(r"net::ERR_CONNECTION_REFUSED"))
    wire = Wire(page)
    open_playground(page, live_server, SETUP)
    set_visibility(page, "hidden")
    wire.wait("framesent", lambda: wire.sent("frames") == [{"type": "frames", "send": False}])
    first_socket = wire.socket
    live_server.restart()
    page.wait_for_function("() => window.playground.state.connection.opened === 2")
    assert wire.socket is not first_socket
    wire.wait("framesent", lambda: len(wire.sent("frames")) == 2)
    reconnected = [i for i, (what, _) in enumerate(wire.messages) if what == "opened"][1]
    sent_since = [body for what, body in wire.messages[reconnected:] if what == "sent"]
    assert sent_since[0] == {"type": "frames", "send": False}  # the first thing the new connection says

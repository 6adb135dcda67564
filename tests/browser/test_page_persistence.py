"""Nothing lost, in the browser: a reloaded tab and a tab whose server was killed and restarted carry on with the
same session, epoch counter and loss chart (from epoch 0) included."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.helpers import ConsoleLog, epoch, open_playground, wait_hash, wait_ready
from tests.harness import LiveServer

SETUP = "dataset=xor&networkShape=3&x=true&y=true&xTimesY=true&seed=31"
PLAYED_PAST = "n => parseInt(document.querySelector('#iter-number').textContent.replace(/,/g, '')) > n"
# The chart's history holds every epoch from 0 (its first row is a real one, not a gap) up to the counter.
WHOLE_CHART = """() => { const s = window.playground.state; return s.frame && s.history.length > 0
    && !Number.isNaN(s.history.value(0, 0)) && s.history.next === s.frame.header.epoch + 1; }"""


def play_past(page: Page, epochs: int) -> None:
    page.click("#play-pause-button")
    page.wait_for_function(PLAYED_PAST, arg=epochs)


def test_a_reloaded_tab_carries_on_with_its_epoch_counter_and_loss_chart(page: Page, live_server: LiveServer) -> None:
    open_playground(page, live_server, SETUP)
    play_past(page, 30)
    page.click("#play-pause-button")
    expect(page.locator("#play-pause-button")).not_to_have_class(re.compile(r"\bplaying\b"))
    paused_at = epoch(page)
    session = page.evaluate("window.sessionStorage.getItem('playground-session')")
    page.reload()
    wait_ready(page)
    assert page.evaluate("window.sessionStorage.getItem('playground-session')") == session
    assert epoch(page) == paused_at
    page.wait_for_function(WHOLE_CHART)
    play_past(page, paused_at + 5)
    page.click("#play-pause-button")


def test_a_tab_whose_server_is_killed_and_restarted_reconnects_and_carries_on(
        page: Page, live_server: LiveServer, console: ConsoleLog) -> None:
    # While the server is down Chromium itself logs the refused connection attempts; nothing else is excused.
    console.allowed.append(re.compile(r"WebSocket connection to 'ws://127\.0\.0\.1:\d+/ws' failed"))
    console.allowed.append(re.compile(r"net::ERR_CONNECTION_REFUSED"))
    open_playground(page, live_server, SETUP)
    play_past(page, 40)
    while not _store(live_server)["written"]:
        page.wait_for_function(PLAYED_PAST, arg=epoch(page))
    live_server.kill()
    live_server.start()
    page.wait_for_function("() => window.playground.state.connection.opened === 2")
    wait_ready(page)
    page.wait_for_function(WHOLE_CHART)
    assert page.evaluate("window.playground.state.frame.header.epoch") > 0
    expect(page.locator("#play-pause-button")).to_have_class(re.compile(r"\bplaying\b"))
    page.click("#play-pause-button")


def _store(server: LiveServer) -> dict[str, int]:
    with urllib.request.urlopen(server.url + "/healthz") as response:
        status: dict[str, int] = json.load(response)["store"]
        return status


def test_a_downloaded_network_opens_in_a_fresh_tab_at_its_epoch(new_page: Callable[[int, int], Page],
                                                                 live_server: LiveServer) -> None:
    page = new_page(1400, 1000)
    open_playground(page, live_server, SETUP)
    for _ in range(7):
        page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,007")
    with page.expect_download() as download:
        page.click("#download-network")
    saved = json.loads(Path(download.value.path()).read_text())
    assert (saved["version"], saved["epoch"]) == (1, 7)
    fresh = new_page(1400, 1000)
    open_playground(fresh, live_server, "seed=other")
    assert epoch(fresh) == 0
    fresh.set_input_files("#network-file", download.value.path())
    expect(fresh.locator("#iter-number")).to_have_text("000,007")
    wait_hash(fresh, dataset="xor", networkShape="3", seed="31")
    weights = "window.playground.state.frame.arrays.weights"
    assert fresh.evaluate(f"Array.from({weights})") == page.evaluate(f"Array.from({weights})")

"""The page in a real browser: a change that brings a new network stops training, as the original pauses on a new
network, and the seed stays in the address (the same link gives the same points)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import epoch, open_playground, wait_hash
from tests.harness import LiveServer

PLAYING = re.compile(r"\bplaying\b")


def test_a_dataset_change_while_playing_leaves_the_page_paused_at_epoch_0(page: Page,
                                                                         live_server: LiveServer) -> None:
    open_playground(page, live_server, "dataset=circle&seed=0.42327")
    page.click("#play-pause-button")
    expect(page.locator("#play-pause-button")).to_have_class(PLAYING)
    page.wait_for_function("() => parseInt(document.querySelector('#iter-number').textContent.replace(/,/g, '')) > 5")
    page.click(".dataset[data-dataset=xor]")
    wait_hash(page, dataset="xor", seed="0.42327")
    expect(page.locator("#play-pause-button")).not_to_have_class(PLAYING)
    expect(page.locator("#iter-number")).to_have_text("000,000")
    page.wait_for_function("() => window.playground.state.frame.header.state === 'paused'")
    assert epoch(page) == 0

"""Browser fixtures: one headless Debian Chromium per test session, a fresh page per test (1400 x 1000, or any
viewport through `new_page`) that fails the test on any console error or uncaught exception (helpers.py has the
rest).

A missing /usr/bin/chromium fails these tests: `make test` installs Debian's package; no browser is downloaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.helpers import ConsoleLog
from tests.harness import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_MS = 30_000  # a slow two-core machine runs the server, its compiler and Chromium side by side

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (`make browser`)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def new_page(browser: Browser, console: ConsoleLog) -> Iterator[Callable[[int, int], Page]]:
    """Opens tabs with a given viewport (each in its own context), watched for console errors, closed after."""
    contexts: list[BrowserContext] = []

    def open_tab(width: int, height: int) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("console", console.console)
        tab.on("pageerror", console.exception)
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert console.errors == [], "the page logged errors:\n" + "\n".join(console.errors)


@pytest.fixture
def page(new_page: Callable[[int, int], Page]) -> Page:
    return new_page(1400, 1000)

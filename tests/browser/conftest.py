"""Browser fixtures: one headless Debian Chromium per test session, a fresh page per test that fails the test on
any console error or uncaught exception (helpers.py has the rest).

A missing /usr/bin/chromium fails these tests: `make test` installs Debian's package; no browser is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

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
def page(browser: Browser, console: ConsoleLog) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.on("console", console.console)
    tab.on("pageerror", console.exception)
    yield tab
    context.close()
    assert console.errors == [], "the page logged errors:\n" + "\n".join(console.errors)

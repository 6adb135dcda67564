"""The page's "Export to Keras" button in a real browser: it downloads the server's script of the network as a .py
file named after the dataset and epoch."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from playground.config import Config
from playground.keras_export import keras_script
from playground.train import Trainer
from tests.browser.helpers import open_playground
from tests.harness import LiveServer


def test_export_to_keras_downloads_the_networks_script(page: Page, live_server: LiveServer) -> None:
    setup = "seed=5&dataset=gauss&networkShape=2"
    open_playground(page, live_server, setup)
    page.click("#next-step-button")
    expect(page.locator("#iter-number")).to_have_text("000,001")
    with page.expect_download() as started:
        page.click("#export-keras-button")
    download = started.value
    assert download.suggested_filename == "playground_gauss_epoch1.py"
    trainer = Trainer.fresh(Config.from_hash(setup))
    trainer.run_epoch()
    assert Path(download.path()).read_text() == keras_script(trainer)

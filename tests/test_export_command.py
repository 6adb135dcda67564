"""The `export_keras` command over the websocket: a `keras` message with the script of the session's network as it
is now and a file name; refused with an error once training has diverged."""

from __future__ import annotations

import re

from playground.config import Config
from playground.keras_export import keras_script
from playground.train import Trainer
from tests.page_client import PageClient


def test_export_keras_sends_the_script_of_the_network_as_it_is_now(connected_page: PageClient) -> None:
    page = connected_page
    page.open_setup("seed=3&dataset=xor&networkShape=3&activation=relu")
    for _ in range(2):
        page.send(type="step")
        page.frame()
    page.send(type="export_keras")
    message = page.text("keras")
    assert set(message) == {"type", "filename", "script"} and message["filename"] == "playground_xor_epoch2.py"
    trainer = Trainer.fresh(Config.from_hash("seed=3&dataset=xor&networkShape=3&activation=relu"))
    for _ in range(2):
        trainer.run_epoch()
    assert message["script"] == keras_script(trainer)


def test_export_keras_is_refused_after_divergence(connected_page: PageClient) -> None:
    page = connected_page
    page.open_setup("seed=1&learningRate=10&activation=relu&problem=regression&networkShape=8,8,8")
    page.send(type="play")
    page.text("diverged")
    page.send(type="export_keras")
    error = page.text("error")["message"]
    assert re.match(r"export_keras: training has diverged", error)

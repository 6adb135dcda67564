"""Download and open a network over the protocol: `save_network` replies with what `playground train --save`
writes; `open_network` carries that on in another session (same weights, epoch, optimizer state); a file that is
not a saved network gets an error naming what is wrong and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
from fastapi.testclient import TestClient

from playground.cli import main
from tests.page_client import PageClient

SETUP = "x=true&y=true&xTimesY=true&networkShape=4,3&optimizer=adam&seed=saved&dataset=xor"


def test_a_downloaded_network_opens_in_another_session_and_trains_on_as_it_would_have(client: TestClient) -> None:
    with client.websocket_connect(f"/ws?hash={quote(SETUP)}") as first_socket, client.websocket_connect("/ws") as other:
        first, second = PageClient(first_socket), PageClient(other)
        first.opened()
        second.opened()
        for _ in range(12):
            first.send(type="step")
            first.frame()
        first.send(type="save_network")
        saved = first.text("saved_network")["network"]
        assert saved["version"] == 1 and saved["epoch"] == 12 and saved["optimizer"]["step"] > 0
        second.send(type="open_network", network=json.dumps(saved))
        assert second.text("config")["config"]["networkShape"] == [4, 3]
        opened_header = second.frame()[0]
        assert (opened_header["epoch"], opened_header["state"], opened_header["historyStart"]) == (12, "paused", 12)
        for page in (first, second):
            page.send(type="step")
        after, again = (page.frame(lambda header: header["epoch"] == 13)[1] for page in (first, second))
        assert np.array_equal(after["weights"], again["weights"]) and np.array_equal(after["biases"], again["biases"])


def test_what_the_page_downloads_is_what_train_save_writes_and_train_load_reads(client: TestClient,
                                                                                 tmp_path: Path) -> None:
    saved_file = tmp_path / "trained.json"
    assert main(["train", "--hash", SETUP, "--epochs", "5", "--save", str(saved_file)]) == 0
    from_cli = json.loads(saved_file.read_text())
    with client.websocket_connect("/ws") as socket:
        page = PageClient(socket)
        page.opened()
        page.send(type="open_network", network=saved_file.read_text())
        assert page.frame()[0]["epoch"] == 5
        page.send(type="save_network")
        assert page.text("saved_network")["network"] == from_cli
    assert main(["train", "--load", str(saved_file), "--epochs", "1"]) == 0


@pytest.mark.parametrize(("text", "said"), [
    ("not json", "it is not JSON"),
    ("[1, 2]", "it is a JSON list"),
    ('{"config": "", "epoch": 1}', "it has no network, optimizer, pending"),
    ('{"version": 7, "config": "", "epoch": 1, "network": {}, "optimizer": {}, "pending": {}}', "version 7"),
    ('{"config": "networkShape=9,9,9,9,9,9,9", "epoch": 1, "network": {}, "optimizer": {}, "pending": {}}',
     "networkShape"),
])
def test_a_file_that_is_not_a_saved_network_gets_an_error_saying_what_is_wrong_and_changes_nothing(
        client: TestClient, text: str, said: str) -> None:
    with client.websocket_connect(f"/ws?hash={quote(SETUP)}") as socket:
        page = PageClient(socket)
        before = page.opened()
        page.send(type="open_network", network=text)
        error = page.text("error")["message"]
        assert error.startswith("open_network: this file is not a saved network") and said in error
        assert error.endswith("nothing was changed")
        page.send(type="select")
        header, arrays = page.frame()
        assert header["run"] == before[0]["run"] and np.array_equal(arrays["weights"], before[1]["weights"])

"""A hidden tab: after `frames` with send false the server sends no frame while training goes on; after send true
a frame comes at once whose history catches up every epoch trained meanwhile. Through FastAPI's TestClient
against the real engine."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.page_client import PageClient


def test_a_hidden_page_gets_no_frames_while_training_goes_on_and_catches_up_when_shown(client: TestClient) -> None:
    with client.websocket_connect("/ws?hash=seed=hidden") as socket:
        page = PageClient(socket)
        page.opened()
        page.send(type="play")
        before = page.frame(until=lambda header: header["epoch"] >= 3)[0]
        page.send(type="frames", send=False)
        frames_seen = len(page.frames)
        epoch = 0
        while epoch < before["epoch"] + 30:  # training goes on: the saved network's epoch grows
            page.send(type="save_network")
            epoch = page.text("saved_network")["network"]["epoch"]
        hidden_frames = page.frames[frames_seen:]
        # At most the frame already made when `frames` arrived; none made after it.
        assert len(hidden_frames) <= 1 and all(h["epoch"] <= before["epoch"] + 1 for h in hidden_frames)
        page.send(type="frames", send=True)
        header, arrays = page.frame()
    assert header["epoch"] >= epoch  # the first frame shown is of now, not one left from before hiding
    last_before = page.frames[-2]
    assert header["historyStart"] == last_before["epoch"] + 1
    assert len(arrays["history"]) == header["epoch"] - last_before["epoch"]  # every epoch trained while hidden


def test_frames_needs_a_boolean_and_a_bad_one_changes_nothing(client: TestClient) -> None:
    with client.websocket_connect("/ws?hash=seed=hidden") as socket:
        page = PageClient(socket)
        page.opened()
        page.send(type="frames", send="no")
        assert "frames: field 'send'" in page.text("error")["message"]
        page.send(type="step")
        assert page.frame()[0]["epoch"] == 1  # frames still come

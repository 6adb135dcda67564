"""What the page relies on beyond frames: the pictures of the input features, the classroom panel's list of
hideable controls, the speed kept in the config (and so in the hash), and losses that follow a new loss function
at once, even while paused. Through FastAPI's TestClient against the real engine."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from playground.config import FEATURE_KEYS, Config
from playground.features import FEATURES
from playground.train import Trainer
from tests.page_client import PageClient


def page_data(client: TestClient) -> dict[str, Any]:
    html = client.get("/").text
    data: dict[str, Any] = json.loads(html.split('id="page-data">', 1)[1].split("</script>", 1)[0])
    return data


def test_feature_pictures_are_every_input_on_the_grid_as_int8(client: TestClient) -> None:
    response = client.get("/api/feature-pictures")
    assert response.headers["content-type"] == "application/octet-stream"
    pictures = np.frombuffer(response.content, np.int8).reshape(len(FEATURE_KEYS), 100, 100)
    centres = -6 + 12 * (np.arange(100) + 0.5) / 100  # cell centres, left to right
    x = pictures[FEATURE_KEYS.index("x")]
    assert (x[0] == x[99]).all()  # constant down each column
    expected = np.round(np.clip(centres, -1, 1) * 127)
    assert x[0].tolist() == expected.tolist()  # -127 on the left, 127 on the right, a ramp between
    y = pictures[FEATURE_KEYS.index("y")]
    assert y[0, 0] == 127 and y[99, 0] == -127  # row 0 is the top of the plane
    sin_x = pictures[FEATURE_KEYS.index("sinX")]
    assert sin_x[50].tolist() == np.round(np.sin(centres) * 127).tolist()


def test_the_classroom_panel_gets_every_hideable_control_from_the_server(client: TestClient) -> None:
    data = page_data(client)
    names = [control["name"] for control in data["hideable"]]
    assert data["hideSuffix"] == "_hide"
    assert {"playButton", "noise", "dataset", "numHiddenLayers", "speed", *FEATURE_KEYS} <= set(names)
    assert {"label": f"Input {FEATURES['sinX'].label}", "name": "sinX"} in data["hideable"]
    html = client.get("/").text
    marked = set(re.findall(r'data-control="([A-Za-z]+)"', html))
    panel = set(names) - set(FEATURE_KEYS)  # inputs are marked by the network view, not the template
    assert panel == marked, "every hideable control is marked in the page, and every mark is offered"
    assert Config.from_hash("noise_hide=true&x_hide=true&seed=1").hidden == {"noise", "x"}


def test_the_speed_command_keeps_the_hash_in_step(client: TestClient) -> None:
    with client.websocket_connect("/ws?hash=seed=s1%26speed=10") as socket:
        page = PageClient(socket)
        message = page.text("config")
        assert message["config"]["speed"] == 10 and message["hash"].endswith("&speed=10")
        assert page.frame()[0]["speed"] == 10
        page.send(type="speed", epochs=5)
        message = page.text("config")
        assert (message["effect"], message["config"]["speed"]) == ("view", 5) and "&speed=5" in message["hash"]
        assert page.frame()[0]["speed"] == 5
        page.send(type="config", values={"speed": 1})
        message = page.text("config")
        assert "speed=" not in message["hash"]  # at its default it stays out of the hash
        assert page.frame()[0]["speed"] == 1


def test_a_new_loss_function_shows_at_once_while_paused(client: TestClient) -> None:
    setup = "seed=loss&networkShape=3&dataset=xor"
    with client.websocket_connect("/ws?hash=" + setup.replace("&", "%26")) as socket:
        page = PageClient(socket)
        page.opened()
        page.send(type="step")
        squared = page.frame(until=lambda h: h["epoch"] == 1)[0]
        page.send(type="config", values={"loss": "crossEntropy"})
        assert page.text("config")["effect"] == "train"
        header, _ = page.frame()
        assert (header["epoch"], header["state"]) == (1, "paused")
        trainer = Trainer.fresh(Config.from_hash(setup))
        trainer.run_epoch()
        assert header["trainLoss"] != pytest.approx(squared["trainLoss"])
        trainer.config = Config.from_hash(setup + "&loss=crossEntropy")
        expected = trainer.measure()
        assert (header["trainLoss"], header["testLoss"]) == pytest.approx((expected.train_loss, expected.test_loss))

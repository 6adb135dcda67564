"""Input that once broke a session, through FastAPI's TestClient against the real engine: each gets a clear
message and the session goes on."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from fastapi.testclient import TestClient

from playground.pictures import FLOAT32_MAX
from tests.page_client import PageClient

SETUP = "seed=hostile&networkShape=3,2&x=true&y=true"


@pytest.fixture
def page(client: TestClient) -> Iterator[PageClient]:
    with client.websocket_connect("/ws?hash=" + SETUP) as socket:
        page = PageClient(socket)
        page.opened()
        yield page


def still_works(page: PageClient, epoch: int = 1) -> None:
    page.send(type="step")
    assert page.frame()[0]["epoch"] == epoch, "the session goes on"


def test_a_weight_edit_that_diverges_says_so_and_no_weight_reaches_the_page_as_infinity(page: PageClient) -> None:
    page.send(type="set_weight", layer=1, source=0, target=0, value=1e300)  # finite, beyond float32
    header, arrays = page.frame()
    assert header["state"] == "paused" and arrays["weights"][0] == np.float32(FLOAT32_MAX)
    page.send(type="config", values={"problem": "regression"})
    page.text("config")
    page.frame()
    page.send(type="set_weight", layer=3, source=0, target=0, value=1e308)  # the output now reaches 1e308
    diverged = page.text("diverged")
    assert diverged["epoch"] == 0 and "diverged" in diverged["message"]
    header, arrays = page.frame()
    assert header["state"] == "diverged" and arrays["weights"][-2] == np.float32(FLOAT32_MAX)  # layer 3: (2, 1)
    assert np.isfinite(arrays["weights"]).all() and np.isfinite(arrays["biases"]).all()
    page.send(type="step")
    assert "training has diverged" in page.text("error")["message"]
    page.send(type="reset")
    assert page.frame()[0]["state"] == "paused"
    assert [text["type"] for text in page.texts].count("diverged") == 1, "one diverged message per divergence"


NESTED = [
    "[" * 1000 + "]" * 1000,
    '{"type": "play", "x": ' + "[" * 1000 + "]" * 1000 + "}",
    '{"type": "config", "values": {"networkShape": ' + "[" * 990 + "]" * 990 + "}}",
    "{\"a\":" * 700 + "1" + "}" * 700,
]


@pytest.mark.parametrize("message", NESTED)
def test_deeply_nested_json_gets_an_error_and_the_session_goes_on(page: PageClient, message: str) -> None:
    page.socket.send_text(message)
    assert "nested too deeply" in page.text("error")["message"]
    still_works(page)


HUGE = "1" + "0" * 400  # an integer far beyond float range, as raw JSON text
HUGE_NUMBERS = [(message.replace("HUGE", HUGE), needle) for message, needle in [
    ('{"type": "config", "values": {"learningRate": HUGE}}', "learningRate=1000"),
    ('{"type": "config", "values": {"batchSize": -HUGE}}', "batchSize=-1000"),
    ('{"type": "config", "values": {"networkShape": [HUGE]}}', "networkShape="),
    ('{"type": "set_weight", "layer": 1, "source": 0, "target": 0, "value": HUGE}', "finite number"),
    ('{"type": "set_bias", "layer": 1, "neuron": 0, "value": -HUGE}', "finite number"),
    ('{"type": "select", "layer": HUGE, "neuron": 0}', "there is no neuron 0 in layer 1000"),
    ('{"type": "speed", "epochs": HUGE}', "less than or equal to 100"),
]]


@pytest.mark.parametrize(("message", "needle"), HUGE_NUMBERS)
def test_integers_beyond_float_range_get_the_usual_clear_error(page: PageClient, message: str, needle: str) -> None:
    page.socket.send_text(message)
    error = page.text("error")["message"]
    assert needle in error and "internal error" not in error
    still_works(page)

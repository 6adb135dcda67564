"""The protocol through FastAPI's TestClient against the real engine: every command, the frame layout byte by
byte, what resets and what does not, and that bad input gets a clear error while the session carries on."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import numpy as np
import pytest
from fastapi.testclient import TestClient

from playground.config import Config
from playground.pictures import grid_inputs, quantize, thumbnails
from playground.protocol import MAX_MESSAGE_BYTES
from playground.train import Trainer
from tests.page_client import PageClient

SETUP = "seed=fixed&networkShape=3,2&x=true&y=true&xTimesY=true"


@pytest.fixture
def page(client: TestClient) -> Iterator[PageClient]:
    with client.websocket_connect("/ws") as socket:
        page = PageClient(socket)
        page.opened()
        page.send(type="hash", hash="#" + SETUP)
        assert page.text("config")["effect"] == "data"
        page.frame()
        yield page


def test_connect_sends_config_data_then_a_frame(client: TestClient) -> None:
    with client.websocket_connect("/ws") as socket:
        page = PageClient(socket)
        config = page.text("config")
        assert config["config"]["networkShape"] == [4, 2] and config["hash"].startswith("activation=tanh&")
        kind, (header, arrays) = page.receive()
        assert kind == "data" and header["problem"] == "classification" and header["dataset"] == "circle"
        assert arrays["trainPoints"].shape == (250, 2) and arrays["testLabels"].shape == (250,)
        header, _ = page.frame()
        assert (header["epoch"], header["state"], header["sizes"], header["run"]) == (0, "paused", [2, 4, 2, 1], 1)


def binary_confusion(trainer: Trainer, test: bool) -> list[list[int]]:
    """Counts of (true class, predicted class), class 1 being +1 and an output >= 0, counted point by point."""
    inputs, labels = ((trainer.test_inputs, trainer.data.test_labels) if test
                      else (trainer.train_inputs, trainer.data.train_labels))
    counts = [[0, 0], [0, 0]]
    for output, label in zip(trainer.network.output(inputs), labels, strict=True):
        counts[int(label > 0)][int(output >= 0)] += 1
    return counts


def test_frame_layout_byte_by_byte(client: TestClient) -> None:
    with client.websocket_connect("/ws") as socket:
        page = PageClient(socket)
        page.opened()
        page.send(type="hash", hash=SETUP)
        page.text("config")
        raw = socket.receive()["bytes"]  # the data message
        raw = socket.receive()["bytes"]  # the frame
    (length,) = struct.unpack("<I", raw[:4])
    header = json.loads(raw[4:4 + length].decode("utf-8"))
    base = 4 + length + (-(4 + length) % 8)
    assert raw[4 + length:base] == bytes(base - 4 - length) and base % 8 == 0
    expected = Trainer.fresh(Config.from_hash(SETUP))  # the same seed gives the same data and network
    grids = expected.network.forward(grid_inputs(("x", "y", "xTimesY"))).reshape(-1, 100, 100)
    w = [expected.network.weights(k).ravel() for k in (1, 2, 3)]
    b = [expected.network.biases(k) for k in (1, 2, 3)]
    pictures = {"grid": quantize(grids[-1]), "thumbnails": quantize(thumbnails(grids[3:]))}  # no inputs' thumbnails
    want = {"grid": ("int8", [100, 100], None), "thumbnails": ("int8", [6, 10, 10], None),
            "weights": ("float32", [3 * 3 + 3 * 2 + 2], np.concatenate(w).astype("<f4")),
            "biases": ("float32", [6], np.concatenate(b).astype("<f4")),
            "history": ("float16", [1, 4], None),
            "layerGradients": ("float32", [3], None),
            "confusion": ("int32", [2, 2, 2], np.array([binary_confusion(expected, test) for test in (True, False)],
                                                       "<i4"))}
    assert [entry["name"] for entry in header["arrays"]] == list(want)
    for entry in header["arrays"]:
        dtype, shape, values = want[entry["name"]]
        assert (entry["dtype"], entry["shape"]) == (dtype, shape)
        assert entry["offset"] % 8 == 0 and entry["bytes"] == np.dtype(dtype).itemsize * int(np.prod(shape))
        chunk = raw[base + entry["offset"]:base + entry["offset"] + entry["bytes"]]
        if values is not None:
            assert chunk == np.ascontiguousarray(values).tobytes(), entry["name"]
        if entry["name"] in pictures:  # computed in float32: within one step of float64's (tests/test_pictures.py)
            got = np.frombuffer(chunk, "i1").reshape(shape).astype(int)
            assert np.abs(got - pictures[entry["name"]]).max() <= 1, entry["name"]
    metrics = expected.measure()
    history = np.frombuffer(raw[base + header["arrays"][4]["offset"]:][:8], "<f2")  # half precision: 11 bits
    assert history == pytest.approx([metrics.train_loss, metrics.test_loss, metrics.train_accuracy,
                                     metrics.test_accuracy], rel=2**-11)
    assert header["trainLoss"] == metrics.train_loss and header["testAccuracy"] == metrics.test_accuracy
    assert (header["kind"], header["epoch"], header["historyStart"], header["features"]) == (
        "frame", 0, 0, ["x", "y", "xTimesY"])
    assert header["selected"] == {"layer": 3, "neuron": 0} and header["learningRate"] == 0.03
    assert header["classes"] == 2
    assert len(raw) <= 20 * 1024


def test_play_pause_and_history_misses_no_epoch(page: PageClient) -> None:
    page.send(type="speed", epochs=3)
    header, _ = page.frame()
    assert header["historyStart"] == 1, "epoch 0 went out in the first frame"
    page.send(type="play")
    epochs: list[int] = [0]
    while len(epochs) < 30:
        header, arrays = page.frame()
        assert header["state"] == "playing"
        epochs += range(header["historyStart"], header["epoch"] + 1)
        assert arrays["history"].shape == (header["epoch"] - header["historyStart"] + 1, 4)
    page.send(type="pause")
    header, _ = page.frame(until=lambda h: h["state"] == "paused")
    epochs += range(header["historyStart"], header["epoch"] + 1)
    assert epochs == list(range(0, len(epochs)))  # every epoch exactly once, in order
    assert header["speed"] == 3


def test_step_reset_and_regenerate(page: PageClient) -> None:
    page.send(type="step")
    header, _ = page.frame()
    assert (header["epoch"], header["state"], header["historyStart"]) == (1, "paused", 1)
    run = header["run"]
    page.send(type="step")
    assert page.frame()[0]["epoch"] == 2
    seed = Config.from_hash(SETUP).seed
    page.send(type="regenerate")
    config = page.text("config")
    assert config["config"]["seed"] != seed and f"seed={config['config']['seed']}" in config["hash"]
    header, _ = page.frame()
    assert page.data is not None and page.data[0]["seed"] == config["config"]["seed"]
    assert (header["epoch"], header["run"]) == (2, run), "regenerate keeps the network and its training"
    page.send(type="reset")
    header, _ = page.frame()
    assert (header["epoch"], header["run"], header["historyStart"], header["state"]) == (0, run + 1, 0, "paused")


def test_select_switches_the_big_grid(page: PageClient) -> None:
    page.send(type="select", layer=0, neuron=0)
    header, arrays = page.frame()
    assert header["selected"] == {"layer": 0, "neuron": 0}
    x = -6 + 12 * (np.arange(100) + 0.5) / 100
    assert arrays["grid"][37].tolist() == quantize(x).tolist()  # X1 along every row
    page.send(type="select", layer=1, neuron=2)
    header, arrays = page.frame()
    assert header["selected"] == {"layer": 1, "neuron": 2}
    thumbnail = arrays["thumbnails"][2]  # the hidden layer's third neuron: the inputs' thumbnails are not in frames
    assert np.abs(arrays["grid"].reshape(10, 10, 10, 10).mean(axis=(1, 3)) - thumbnail).max() <= 1
    page.send(type="select")
    assert page.frame()[0]["selected"] == {"layer": 3, "neuron": 0}


def test_set_weight_and_bias_change_the_next_frame(page: PageClient) -> None:
    page.send(type="select", layer=1, neuron=0)
    before = page.frame()[1]
    page.send(type="set_weight", layer=1, source=0, target=0, value=4.5)
    header, arrays = page.frame()
    assert arrays["weights"][0] == 4.5 and not np.array_equal(arrays["grid"], before["grid"])
    assert arrays["grid"][50, 0] == -127 and arrays["grid"][50, 99] == 127  # tanh(4.5 x + ...) is steep in x
    page.send(type="set_bias", layer=3, neuron=0, value=-2.5)
    header, arrays = page.frame()
    assert arrays["biases"][-1] == -2.5 and header["state"] == "paused" and header["epoch"] == 0


def test_config_changes_reset_only_what_the_reference_says(page: PageClient) -> None:
    page.send(type="step")
    page.send(type="step")
    run = page.frame(until=lambda h: h["epoch"] == 2)[0]["run"]
    page.send(type="config", values={"learningRate": 0.3})
    assert page.text("config")["effect"] == "train"
    header, _ = page.frame()
    assert (header["epoch"], header["run"], header["learningRate"]) == (2, run, 0.3)
    page.send(type="config", values={"showTestData": True, "discretize": "true"})
    assert page.text("config")["config"]["discretize"] is True
    assert page.frame()[0]["epoch"] == 2
    page.send(type="config", values={"optimizer": "adam"})
    assert page.text("config")["effect"] == "optimizer"
    assert page.frame()[0]["epoch"] == 2
    page.send(type="config", values={"activation": "relu", "networkShape": [5]})
    message = page.text("config")
    assert message["effect"] == "network" and "activation=relu" in message["hash"]
    header, _ = page.frame()
    assert (header["epoch"], header["run"], header["sizes"]) == (0, run + 1, [3, 5, 1])
    data_seen = page.data
    page.send(type="config", values={"dataset": "xor"})
    assert page.text("config")["effect"] == "data"
    assert page.frame()[0]["run"] == run + 2 and page.data is not data_seen and page.data[0]["dataset"] == "xor"
    page.send(type="config", values={"problem": "regression"})
    page.frame()
    assert page.data[1]["trainPoints"].shape == (600, 2)
    assert page.frames[-1]["trainAccuracy"] is None


@pytest.mark.parametrize(("command", "effect"), [
    ({"type": "config", "values": {"dataset": "xor"}}, "data"),
    ({"type": "config", "values": {"activation": "relu"}}, "network"),
    ({"type": "hash", "hash": SETUP + "&noise=10"}, "data"),
    ({"type": "reset"}, None),
])
def test_a_new_network_while_playing_leaves_the_session_paused_at_epoch_0(page: PageClient, command: dict[str, Any],
                                                                           effect: str | None) -> None:
    page.send(type="play")
    run = page.frame(until=lambda h: h["state"] == "playing" and h["epoch"] >= 3)[0]["run"]
    page.send(**command)
    if effect is not None:
        assert page.text("config")["effect"] == effect
    header, _ = page.frame(until=lambda h: h["state"] != "playing")
    assert (header["state"], header["epoch"], header["run"], header["historyStart"]) == ("paused", 0, run + 1, 0)
    page.send(type="step")  # nothing trained in between: the next epoch is the first
    assert page.frame()[0]["epoch"] == 1


def test_a_data_change_keeps_the_seed_and_gives_what_opening_its_hash_gives(page: PageClient) -> None:
    page.send(type="config", values={"noise": 30, "dataset": "spiral"})
    config = page.text("config")
    _, arrays = page.frame()
    assert config["config"]["seed"] == "fixed"
    expected = Trainer.fresh(Config.from_hash(config["hash"]))
    assert page.data is not None
    assert np.array_equal(page.data[1]["trainPoints"], expected.data.train_points.astype(np.float32))
    weights = [expected.network.weights(k).ravel() for k in (1, 2, 3)]
    assert np.array_equal(arrays["weights"], np.concatenate(weights).astype(np.float32))


BAD_INPUT = [
    ("not json", "not JSON"),
    ("[1, 2]", "a command is a JSON object"),
    ('{"kind": "play"}', "unknown command type None; allowed types: hash, config, play"),
    ('{"type": "fly"}', "unknown command type 'fly'"),
    ('{"type": "play", "now": true}', "play: unknown field 'now'"),
    ('{"type": "speed"}', "speed: field 'epochs' is missing"),
    ('{"type": "speed", "epochs": 0}', "speed: field 'epochs': input should be greater than or equal to 1"),
    ('{"type": "speed", "epochs": "fast"}', "field 'epochs'"),
    ('{"type": "speed", "epochs": 101}', "less than or equal to 100"),
    ('{"type": "set_weight", "layer": 1, "source": 0, "target": 0, "value": NaN}', "field 'value'"),
    ('{"type": "set_weight", "layer": 1, "source": 0, "target": 0, "value": "1"}', "field 'value'"),
    ('{"type": "set_weight", "layer": 0, "source": 0, "target": 0, "value": 1}', "layer must be from 1"),
    ('{"type": "set_weight", "layer": 1, "source": 3, "target": 0, "value": 1}', "there is none from 3 to 0"),
    ('{"type": "set_bias", "layer": 3, "neuron": 1, "value": 1}', "layer 3 has neurons 0..0; there is no 1"),
    ('{"type": "select", "layer": 1, "neuron": 7}', "there is no neuron 7 in layer 1"),
    ('{"type": "select", "layer": 1}', "needs both layer and neuron"),
    ('{"type": "config", "values": {"batchSize": 99}}', "batchSize=99 is not allowed"),
    ('{"type": "config", "values": {"learningrate": 1}}', "learningrate=1 is not allowed"),
    ('{"type": "config", "values": {"x": {"a": 1}}}', "field 'values.x"),
    ('{"type": "config", "values": 3}', "field 'values'"),
    ('{"type": "hash", "hash": 5}', "field 'hash'"),
]


@pytest.mark.parametrize(("message", "needle"), BAD_INPUT)
def test_bad_input_gets_a_clear_error_and_the_session_goes_on(page: PageClient, message: str, needle: str) -> None:
    page.socket.send_text(message)
    error = page.text("error")
    assert needle in error["message"]
    page.send(type="step")
    header, _ = page.frame()
    assert header["epoch"] == 1 and header["sizes"] == [3, 3, 2, 1], "the session is unchanged and still works"


def test_binary_and_oversized_messages_get_errors(page: PageClient) -> None:
    page.socket.send_bytes(b"\x00\xffjunk")
    assert "binary messages are not commands" in page.text("error")["message"]
    page.socket.send_text('{"type": "hash", "hash": "' + "x" * MAX_MESSAGE_BYTES + '"}')
    assert f"at most {MAX_MESSAGE_BYTES}" in page.text("error")["message"]
    page.send(type="step")
    assert page.frame()[0]["epoch"] == 1


def test_a_bad_hash_falls_back_with_a_notice(page: PageClient) -> None:
    page.send(type="hash", hash="#activation=relu&batchSize=-1&noise=loud&seed=s1")
    config = page.text("config")["config"]
    notice = page.text("notice")["message"]
    assert "batchSize=-1 is not allowed" in notice and "noise=loud is not allowed" in notice
    assert (config["activation"], config["batchSize"], config["noise"], config["seed"]) == ("relu", 10, 0, "s1")


def test_divergence_pauses_and_tells_the_learner_without_nan_in_json(page: PageClient) -> None:
    page.send(type="config", values={"learningRate": 10, "activation": "relu", "problem": "regression",
                                     "networkShape": [8, 8, 8]})
    page.text("config")
    page.send(type="play")
    diverged = page.text("diverged")  # PageClient refuses NaN/Infinity in any JSON it reads
    assert "Lower the learning rate (now 10)" in diverged["message"]
    header, _ = page.frame(until=lambda h: h["state"] == "diverged")
    assert header["trainLoss"] is None or isinstance(header["trainLoss"], float)
    page.send(type="play")
    assert "training has diverged" in page.text("error")["message"]
    page.send(type="reset")
    header, _ = page.frame(until=lambda h: h["epoch"] == 0)
    assert header["state"] == "paused"


def test_sessions_are_independent(client: TestClient) -> None:
    with client.websocket_connect("/ws") as one, client.websocket_connect("/ws") as two:
        a, b = PageClient(one), PageClient(two)
        a.opened()
        b.opened()
        a.send(type="hash", hash="seed=a&networkShape=1&dataset=xor")
        b.send(type="hash", hash="seed=b&networkShape=8,8&problem=regression")
        a.send(type="play")
        for _ in range(5):
            b.send(type="step")
        header_b, _ = b.frame(until=lambda h: h["epoch"] == 5)
        header_a, _ = a.frame(until=lambda h: h["epoch"] >= 20)
        assert header_a["sizes"] == [2, 1, 1] and header_a["state"] == "playing"
        assert header_b["sizes"] == [2, 8, 8, 1] and header_b["trainAccuracy"] is None
        assert b.data is not None and b.data[1]["trainPoints"].shape == (600, 2)
        assert a.data is not None and a.data[0]["dataset"] == "xor"


def test_foreign_origin_is_refused_and_own_origin_accepted(client: TestClient) -> None:
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as refused, client.websocket_connect(
            "/ws", headers={"origin": "http://evil.example"}):
        pass
    assert refused.value.code == 1008
    with client.websocket_connect("/ws", headers={"origin": "http://testserver"}) as socket:
        assert PageClient(socket).text("config")["type"] == "config"


def test_the_201st_session_is_turned_away(client: TestClient) -> None:
    app = client.app
    app.state.sessions = 200  # type: ignore[attr-defined]
    try:
        with client.websocket_connect("/ws") as socket:
            message = socket.receive()
        assert message["type"] == "websocket.close" and message["code"] == 1013
        assert "at most 200 sessions" in message["reason"]
    finally:
        app.state.sessions = 0  # type: ignore[attr-defined]


def test_http_routes(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert (health["status"], health["sessions"], health["maxSessions"]) == ("ok", 0, 200)
    previews = client.get("/api/datasets").json()
    assert set(previews) == {"circle", "xor", "gauss", "spiral", "reg-plane", "reg-gauss"}
    assert len(previews["spiral"]["points"]) == len(previews["spiral"]["labels"]) == 250


def test_connecting_with_a_hash_starts_from_it(client: TestClient) -> None:
    with client.websocket_connect("/ws?hash=" + quote("#activation=relu&networkShape=5&batchSize=-1&seed=q")) as socket:
        page = PageClient(socket)
        config = page.text("config")
        assert config["effect"] is None and config["config"]["activation"] == "relu"
        assert config["config"]["batchSize"] == 10 and "seed=q" in config["hash"]
        assert "batchSize=-1 is not allowed" in page.text("notice")["message"]
        header, _ = page.frame()
        assert header["sizes"] == [2, 5, 1] and header["run"] == 1
        assert page.data is not None and page.data[0]["seed"] == "q"


def test_the_page_gets_every_feature_picture(client: TestClient) -> None:
    html = client.get("/").text
    assert '<script type="application/json" id="schema">' in html
    data = json.loads(html.split('id="page-data">', 1)[1].split("</script>", 1)[0])
    pictures = data["featureThumbnails"]
    assert set(pictures) == {"x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY"}
    x = -6 + 12 * (np.arange(100) + 0.5) / 100
    assert pictures["x"][:10] == quantize(x.reshape(10, 10).mean(axis=1)).tolist()  # averaged, then clamped
    assert pictures["xSquared"][0] == 127 and len(pictures["sinY"]) == 100

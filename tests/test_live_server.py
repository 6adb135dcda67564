"""Against a real `playground serve` process, driven with the websockets client as a page would."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from playground.messages import decode_binary
from tests.harness import LiveServer


def frames_until(ws: ClientConnection, done: object, seconds: float = 30) -> list[dict[str, object]]:
    """Every frame header until done(header) holds."""
    headers = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = ws.recv(timeout=seconds)
        if isinstance(message, bytes):
            header, _ = decode_binary(message)
            if header["kind"] == "frame":
                headers.append(header)
                if done(header):  # type: ignore[operator]
                    return headers
    raise AssertionError("the frame never came")


def test_health_and_a_training_session(live_server: LiveServer) -> None:
    with urllib.request.urlopen(live_server.url + "/healthz") as response:
        assert json.load(response)["status"] == "ok"
    with connect(live_server.ws_url) as ws:
        ws.send(json.dumps({"type": "hash", "hash": "seed=real&dataset=xor&networkShape=4"}))
        ws.send(json.dumps({"type": "play"}))
        headers = frames_until(ws, lambda h: h["epoch"] >= 60)
        assert headers[-1]["sizes"] == [2, 4, 1] and headers[-1]["state"] == "playing"
        ws.send(json.dumps({"type": "pause"}))
        last = frames_until(ws, lambda h: h["state"] == "paused")[-1]
        assert last["testLoss"] < headers[0]["testLoss"]


def test_concurrent_sessions_stay_independent(live_server: LiveServer) -> None:
    results: dict[int, dict[str, object]] = {}

    def learner(i: int) -> None:
        with connect(live_server.ws_url) as ws:
            ws.send(json.dumps({"type": "hash", "hash": f"seed=s{i}&networkShape={i + 1}&batchSize={i + 1}"}))
            ws.send(json.dumps({"type": "speed", "epochs": i + 1}))
            ws.send(json.dumps({"type": "play"}))
            results[i] = frames_until(ws, lambda h: h["epoch"] >= 30 and h["speed"] == i + 1)[-1]

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [0, 1, 2, 3]
    for i, header in results.items():
        assert header["sizes"] == [2, i + 1, 1] and header["speed"] == i + 1


def test_a_page_that_reads_late_misses_no_epoch(live_server: LiveServer) -> None:
    with connect(live_server.ws_url, max_size=None, max_queue=1) as ws:
        ws.send(json.dumps({"type": "hash", "hash": "seed=slow"}))
        ws.send(json.dumps({"type": "speed", "epochs": 7}))
        ws.send(json.dumps({"type": "play"}))
        time.sleep(2)  # read nothing for a while
        ws.send(json.dumps({"type": "pause"}))
        headers = frames_until(ws, lambda h: h["state"] == "paused" and h["epoch"] > 0)
    last = headers[-1]
    epochs: list[int] = []
    for header in headers:
        if header["run"] == last["run"]:
            epochs += range(header["historyStart"], header["epoch"] + 1)  # type: ignore[call-overload]
    assert epochs == list(range(0, last["epoch"] + 1)), "the loss history has every epoch once"  # type: ignore


def test_a_page_from_elsewhere_is_refused(live_server: LiveServer) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(live_server.ws_url, origin="http://evil.example")  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403
    with connect(live_server.ws_url, origin=f"http://127.0.0.1:{live_server.port}") as ws:  # type: ignore[arg-type]
        assert [json.loads(ws.recv(timeout=10))["type"] for _ in range(2)] == ["session", "config"]

"""What once broke a learner's session, against a real `playground serve` process (started with --allowed-hosts
and --max-sessions): rebinding host names, a full server, a burst of commands, a slow reader, a long hash."""

from __future__ import annotations

import http.client
import json
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any
from urllib.parse import quote

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from playground.messages import decode_binary
from tests.harness import LiveServer, running_server

MAX_SESSIONS = 3


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with running_server("--allowed-hosts", "class.example", "--max-sessions", str(MAX_SESSIONS)) as live:
        yield live


def request(server: LiveServer, host: str, path: str = "/", origin: str | None = None) -> tuple[int, str]:
    """GET path with this Host header; to /ws, as a websocket handshake (from a page at origin)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Host": host}
    if path == "/ws":
        headers |= {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": origin or f"http://{host}"}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode() if response.status != 101 else ""
    finally:
        connection.close()


def next_frame(ws: ClientConnection, ack: bool = False) -> dict[str, Any]:
    """The next frame's header (acknowledged, with ack=True, as the page does once it has drawn it)."""
    while True:
        message = ws.recv(timeout=30)
        if isinstance(message, bytes) and (header := decode_binary(message)[0])["kind"] == "frame":
            if ack:
                ws.send(json.dumps({"type": "ack", "frame": header["frame"]}))
            return header


def test_healthz_reports_this_process_and_the_session_cap_is_an_option(server: LiveServer) -> None:
    def health() -> dict[str, Any]:
        with urllib.request.urlopen(server.url + "/healthz") as response:
            result: dict[str, Any] = json.load(response)
            return result

    store = f"sqlite:///{server.data_home}/playground/sessions.sqlite3"
    assert health() == {"status": "ok", "pid": server.process.pid, "sessions": 0,  # type: ignore[union-attr]
                        "maxSessions": MAX_SESSIONS, "held": 0, "store": {"url": store, "ok": True, "error": None,
                                                                     "written": 0, "pending": 0}}
    with ExitStack() as stack:
        for _ in range(MAX_SESSIONS):
            next_frame(stack.enter_context(connect(server.ws_url)))
        assert health()["sessions"] == MAX_SESSIONS
        with connect(server.ws_url) as extra, pytest.raises(ConnectionClosed) as closed:
            extra.recv(timeout=30)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1013
        assert f"at most {MAX_SESSIONS} sessions per process" in closed.value.rcvd.reason


def test_only_trusted_host_names_are_answered_so_dns_rebinding_cannot_drive_the_server(server: LiveServer) -> None:
    port = server.port
    for path in ("/", "/healthz", "/ws"):
        status, body = request(server, f"evil.example:{port}", path)
        assert status == 403, path
        if path != "/ws":
            assert f"'evil.example:{port}'" in body and "playground serve --allowed-hosts evil.example" in body
    for host in (f"localhost:{port}", f"app.localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}",
                 f"CLASS.example:{port}", "class.example"):
        assert request(server, host, "/healthz")[0] == 200, host
        assert request(server, host, "/ws")[0] == 101, host
    assert request(server, f"localhost:{port}", "/ws", origin="http://evil.example")[0] == 403, "same origin kept"


def test_a_burst_of_ten_thousand_commands_gets_one_error_and_the_session_goes_on(server: LiveServer) -> None:
    burst = 10_000
    with connect(server.ws_url, max_size=None) as ws:
        next_frame(ws)
        for _ in range(burst):
            ws.send('{"type": "step"}')
        errors = []
        while not errors:
            message = ws.recv(timeout=60)
            if isinstance(message, str):
                errors.append(json.loads(message))
        dropped = int(errors[0]["message"].split()[0])
        assert errors[0]["type"] == "error" and "commands were dropped: at most 256" in errors[0]["message"]
        ws.send('{"type": "step"}')
        while True:
            message = ws.recv(timeout=60)
            if isinstance(message, str):
                errors.append(json.loads(message))
            elif (header := decode_binary(message)[0])["epoch"] == burst - dropped + 1:
                break
    assert len(errors) == 1, "one error for the whole burst"
    assert 0 < dropped < burst and header["state"] == "paused"


def test_a_slow_reader_always_reads_a_frame_at_most_one_tick_old(server: LiveServer) -> None:
    """A page that takes a second to draw each frame, and acknowledges it, as the page does: what it reads is
    never more than one tick behind the server's training, however long it goes on."""
    with connect(server.ws_url, max_size=None, max_queue=1) as ws:
        next_frame(ws, ack=True)
        ws.send('{"type": "play"}')
        read = []
        for _ in range(4):
            time.sleep(1)  # drawing, slowly; the server keeps training meanwhile, if it may
            read.append(next_frame(ws, ack=True)["epoch"])
        ws.send('{"type": "pause"}')
        after = [next_frame(ws, ack=True)]
        while after[-1]["state"] != "paused":
            after.append(next_frame(ws, ack=True))
    assert read == list(range(read[0], read[0] + 4)), "each frame read is the tick after the previous one"
    assert after[-1]["epoch"] - read[-1] <= 2 and len(after) <= 2, "the server was at most one tick ahead"


def test_a_long_hash_is_refused_at_once_in_the_address_and_works_as_a_first_message(server: LiveServer) -> None:
    long_hash = "seed=long&networkShape=5&" + "&".join(f"n{i}=x" for i in range(800))  # 5.5 KB
    assert len(quote(long_hash)) > 8192
    with pytest.raises(InvalidStatus) as refused:
        connect(server.ws_url + "?hash=" + quote(long_hash), open_timeout=30)
    assert refused.value.response.status_code == 414
    with connect(server.ws_url, max_size=None) as ws:
        next_frame(ws)
        ws.send(json.dumps({"type": "hash", "hash": long_hash}))
        texts = []
        while len(texts) < 2:
            message = ws.recv(timeout=30)
            if isinstance(message, str):
                texts.append(json.loads(message))
    assert texts[0]["type"] == "config" and texts[0]["config"]["networkShape"] == [5]
    assert texts[1]["type"] == "notice" and "n799=x is not allowed" in texts[1]["message"]

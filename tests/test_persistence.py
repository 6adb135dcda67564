"""Nothing lost: a session outlives its websocket and its server process (real `playground serve` processes, the
default SQLite store): a reconnecting page gets the same session back, weights, epoch and whole loss history;
two tabs stay apart; an unknown or malformed id gets a fresh session and says so."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from playground.messages import decode_binary
from tests.harness import LiveServer, running_server
from tests.redis_server import running_redis

LARGEST = ("x=true&y=true&xTimesY=true&xSquared=true&ySquared=true&sinX=true&sinY=true&networkShape=6,8"
           "&batchSize=10")
Header = dict[str, Any]
Arrays = dict[str, np.ndarray]


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with running_server() as live:
        yield live


class Tab:
    """One browser tab's connection: its session message, then frames it acknowledges as the page does."""

    def __init__(self, server: LiveServer, session: str | None = None, hash_text: str | None = None) -> None:
        query = {key: value for key, value in (("session", session), ("hash", hash_text)) if value is not None}
        self.ws: ClientConnection = connect(f"{server.ws_url}?{urlencode(query)}", max_size=None).__enter__()
        self.texts: list[dict[str, Any]] = []
        hello = self.text("session")
        self.id: str = hello["id"]
        self.resumed: bool = hello["resumed"]
        self.message: str | None = hello["message"]

    def send(self, **command: Any) -> None:
        self.ws.send(json.dumps(command))

    def receive(self) -> tuple[str, Any]:
        message = self.ws.recv(timeout=60)
        if isinstance(message, str):
            self.texts.append(json.loads(message))
            return "text", self.texts[-1]
        header, arrays = decode_binary(message)
        if header["kind"] == "frame":
            self.send(type="ack", frame=header["frame"])
        return header["kind"], (header, arrays)

    def text(self, kind: str) -> dict[str, Any]:
        while True:
            got, body = self.receive()
            if got == "text" and body["type"] == kind:
                return body  # type: ignore[no-any-return]

    def frame(self, until: Callable[[Header], bool] = lambda header: True) -> tuple[Header, Arrays]:
        while True:
            got, body = self.receive()
            if got == "frame" and until(body[0]):
                return body  # type: ignore[no-any-return]

    def close(self) -> None:
        self.ws.close()


def store_status(server: LiveServer) -> dict[str, Any]:
    with urllib.request.urlopen(server.url + "/healthz") as response:
        status: dict[str, Any] = json.load(response)["store"]
        return status


def wait_for_checkpoint(server: LiveServer, written: int = 1) -> None:
    """Until every change is in the store (and at least `written` checkpoints were written)."""
    while not ((status := store_status(server))["pending"] == 0 and status["written"] >= written):
        pass


def paused_at(tab: Tab, epochs: int) -> tuple[Header, Arrays]:
    """Play to at least `epochs`, pause: the paused frame."""
    tab.send(type="play")
    tab.frame(lambda header: header["epoch"] >= epochs)
    tab.send(type="pause")
    return tab.frame(lambda header: header["state"] == "paused")


def assert_same_network(resumed: tuple[Header, Arrays], before: tuple[Header, Arrays]) -> None:
    (header, arrays), (old_header, old_arrays) = resumed, before
    assert (header["epoch"], header["run"], header["state"]) == (old_header["epoch"], old_header["run"], "paused")
    for name in ("weights", "biases", "grid"):
        assert np.array_equal(arrays[name], old_arrays[name]), name


def assert_whole_history(frame: tuple[Header, Arrays], seen: list[np.ndarray]) -> None:
    """The first frame after reconnecting carries every epoch of the run from 0, as the page saw them."""
    header, arrays = frame
    assert header["historyStart"] == 0 and len(arrays["history"]) == header["epoch"] + 1
    before = np.concatenate(seen)[:len(arrays["history"])]
    assert np.array_equal(arrays["history"][:len(before)], before, equal_nan=True)


def test_a_page_that_reconnects_with_its_id_gets_its_paused_network_epoch_and_whole_history(server: LiveServer) -> None:
    tab = Tab(server, hash_text=LARGEST)
    assert not tab.resumed and tab.message is None
    history = [tab.frame()[1]["history"]]
    tab.send(type="play")
    while (frame := tab.frame())[0]["epoch"] < 30:
        history.append(frame[1]["history"])
    tab.send(type="set_weight", layer=1, source=0, target=0, value=0.75)
    tab.send(type="pause")
    paused = tab.frame(lambda header: header["state"] == "paused")
    tab.close()
    again = Tab(server, session=tab.id)
    assert (again.id, again.resumed, again.message) == (tab.id, True, None)
    assert again.text("config")["config"]["networkShape"] == [6, 8]
    resumed = again.frame()
    assert_same_network(resumed, paused)
    assert_whole_history(resumed, history)
    again.close()


def test_a_playing_session_plays_on_after_a_reconnect_from_where_it_was(server: LiveServer) -> None:
    tab = Tab(server)
    tab.send(type="play")
    last = tab.frame(lambda header: header["epoch"] >= 20)[0]["epoch"]
    tab.close()
    again = Tab(server, session=tab.id)
    header = again.frame()[0]
    assert header["state"] == "playing" and header["epoch"] >= last
    assert again.frame(lambda h: h["epoch"] > header["epoch"])[0]["state"] == "playing"
    again.close()


def test_a_second_connection_with_the_same_id_takes_the_session_over_and_the_first_is_closed(
        server: LiveServer) -> None:
    first = Tab(server)
    paused = paused_at(first, 5)
    second = Tab(server, session=first.id)
    assert second.resumed
    assert_same_network(second.frame(), paused)
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            first.receive()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001
    assert "another tab" in closed.value.rcvd.reason
    second.close()


def test_two_tabs_have_two_sessions_that_stay_apart(server: LiveServer) -> None:
    one, two = Tab(server), Tab(server)
    assert one.id != two.id
    paused_at(one, 10)
    assert two.frame()[0]["epoch"] == 0
    two.close()
    two_again = Tab(server, session=two.id)
    assert two_again.frame()[0]["epoch"] == 0
    one.close()
    two_again.close()


@pytest.mark.parametrize(("session", "said"), [("A" * 22, "no longer kept"), ("../../etc", "not one this server")])
def test_an_unknown_or_malformed_id_starts_a_fresh_session_with_a_notice(server: LiveServer, session: str,
                                                                          said: str) -> None:
    tab = Tab(server, session=session, hash_text="seed=fresh")
    assert not tab.resumed and tab.id != session and said in (tab.message or "")
    assert tab.text("config")["config"]["seed"] == "fresh"
    assert tab.frame()[0]["epoch"] == 0
    tab.close()


def test_a_server_killed_with_sigkill_and_restarted_restores_the_session_from_the_store() -> None:
    with running_server() as live:
        tab = Tab(live, hash_text=LARGEST)
        history = [tab.frame()[1]["history"]]
        tab.send(type="play")
        while (frame := tab.frame())[0]["epoch"] < 40:
            history.append(frame[1]["history"])
        tab.send(type="pause")
        paused = tab.frame(lambda header: header["state"] == "paused")
        history.append(paused[1]["history"])
        wait_for_checkpoint(live)
        live.kill()
        live.start()
        again = Tab(live, session=tab.id)
        assert again.resumed
        resumed = again.frame()
        assert_same_network(resumed, paused)
        assert_whole_history(resumed, history)
        again.send(type="step")
        assert again.frame()[0]["epoch"] == paused[0]["epoch"] + 1
        again.close()


def test_a_playing_session_killed_with_sigkill_loses_at_most_the_epochs_since_its_last_checkpoint() -> None:
    with running_server() as live:
        tab = Tab(live, hash_text=LARGEST)
        tab.send(type="play")
        seen: dict[int, Arrays] = {}
        while not (len(seen) > 20 and store_status(live)["written"] > 0):
            header, arrays = tab.frame()
            seen[header["epoch"]] = arrays
        last = max(seen)
        live.kill()
        live.start()
        again = Tab(live, session=tab.id)
        header, arrays = again.frame()
        assert header["state"] == "playing" and 0 < header["epoch"] <= last + 1
        if header["epoch"] in seen:
            assert np.array_equal(arrays["weights"], seen[header["epoch"]]["weights"])
        again.close()


def test_with_a_shared_redis_a_session_started_on_one_server_resumes_on_another_after_the_first_dies() -> None:
    with running_redis() as url, running_server("--store", url) as first, running_server("--store", url) as second:
        tab = Tab(first, hash_text=LARGEST)
        paused = paused_at(tab, 15)
        wait_for_checkpoint(first)
        first.kill()
        again = Tab(second, session=tab.id)
        assert again.resumed
        assert_same_network(again.frame(), paused)
        again.close()


def test_a_store_that_cannot_be_written_is_reported_at_healthz_and_the_server_runs_without_it() -> None:
    with running_server("--store", "sqlite:////proc/playground/sessions.sqlite3") as live:
        status = store_status(live)
        assert status["ok"] is False and "cannot be used" in status["error"]
        tab = Tab(live)
        assert tab.frame()[0]["epoch"] == 0
        tab.send(type="step")
        assert tab.frame()[0]["epoch"] == 1
        tab.close()

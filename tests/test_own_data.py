"""The learner's own points over the protocol (TestClient, the real engine): add_point, remove_point, clear_points,
load_csv and save_csv change the data message, keep the network and its training, and a bad file changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from playground.protocol import MAX_MESSAGE_BYTES
from tests.page_client import Frame, PageClient

SETUP = "seed=own&networkShape=3&x=true&y=true"


@pytest.fixture
def page(client: TestClient) -> Iterator[PageClient]:
    with client.websocket_connect("/ws") as socket:
        page = PageClient(socket)
        page.opened()
        page.open_setup(SETUP)
        yield page


def data_after(page: PageClient, **command: Any) -> Frame:
    """Send a command and read up to the data message it brings."""
    page.send(**command)
    for _ in range(10000):
        kind, body = page.receive()
        if kind == "data":
            return body  # type: ignore[no-any-return]
        if kind == "text" and body["type"] == "error":
            raise AssertionError(body["message"])
    raise AssertionError("no data message")


def points(data: Frame) -> tuple[list[list[float]], list[float], list[list[float]], list[float]]:
    arrays = data[1]
    return (arrays["trainPoints"].tolist(), arrays["trainLabels"].tolist(), arrays["testPoints"].tolist(),
            arrays["testLabels"].tolist())


def test_first_edit_turns_the_generated_points_into_custom_ones_with_a_config(page: PageClient) -> None:
    assert page.data is not None and page.data[0]["custom"] is False
    before = points(page.data)
    page.send(type="add_point", x=1.5, y=-2.0, label=-1, test=True)
    config = page.text("config")
    assert config["config"]["dataset"] == "custom" and "dataset=custom" in config["hash"]
    page.frame()
    assert page.data is not None and page.data[0]["custom"] is True and page.data[0]["dataset"] == "custom"
    after = points(page.data)
    assert after[:2] == before[:2]
    assert after[2] == [*before[2], [1.5, -2.0]] and after[3] == [*before[3], -1.0]


def test_add_remove_and_clear_change_the_data_message(page: PageClient) -> None:
    cleared = points(data_after(page, type="clear_points"))
    assert cleared == ([], [], [], [])
    added = points(data_after(page, type="add_point", x=2, y=3, label=1, test=False))
    assert added == ([[2, 3]], [1.0], [], [])
    points(data_after(page, type="add_point", x=-4, y=-4, label=-1, test=True))
    page.frame()
    assert points(data_after(page, type="remove_point", x=1.5, y=2.5)) == ([], [], [[-4, -4]], [-1.0])
    header, _ = page.frame()
    assert header["trainLoss"] is None and header["testLoss"] is not None and header["trainAccuracy"] is None


def test_an_edit_keeps_the_network(page: PageClient) -> None:
    page.send(type="step")
    header, arrays = page.frame()
    weights, run = arrays["weights"].tolist(), header["run"]
    data_after(page, type="add_point", x=0, y=0, label=1, test=False)
    header, arrays = page.frame()
    assert (header["run"], header["epoch"], header["state"]) == (run, 1, "paused")
    assert arrays["weights"].tolist() == weights


def test_training_goes_on_through_edits_while_playing(page: PageClient) -> None:
    page.send(type="play")
    start = page.frame(until=lambda h: h["epoch"] >= 2)[0]
    data_after(page, type="add_point", x=1, y=1, label=1, test=False)
    data_after(page, type="remove_point", x=0, y=0)
    data_after(page, type="clear_points")
    header, _ = page.frame(until=lambda h: h["epoch"] >= start["epoch"] + 5)
    assert header["state"] == "playing" and header["run"] == start["run"]
    assert header["trainLoss"] is None and header["testLoss"] is None


def test_an_empty_custom_dataset_from_a_hash_trains_without_nan(client: TestClient) -> None:
    with client.websocket_connect("/ws?hash=" + "dataset%3Dcustom%26seed%3D1") as socket:
        page = PageClient(socket)
        page.opened()  # the client refuses NaN and Infinity in any JSON it reads
        assert page.data is not None and page.data[0]["custom"] is True and points(page.data) == ([], [], [], [])
        page.send(type="step")
        header, _ = page.frame()
        assert (header["epoch"], header["state"], header["trainLoss"], header["testAccuracy"]) == (1, "paused",
                                                                                                  None, None)


def test_remove_point_with_no_points_is_an_error_and_the_session_goes_on(page: PageClient) -> None:
    data_after(page, type="clear_points")
    page.send(type="remove_point", x=0, y=0)
    assert page.text("error")["message"] == "remove_point: there are no points to remove"
    assert points(data_after(page, type="add_point", x=0, y=0, label=1, test=False))[0] == [[0, 0]]


@pytest.mark.parametrize(("command", "needle"), [
    ({"x": 7, "y": 0, "label": 1}, "add_point: x and y must lie on the plane, from -6 to 6"),
    ({"x": 0, "y": 0, "label": 0.5}, "add_point: a label of two classes is +1 or -1, not 0.5"),
])
def test_a_point_off_the_plane_or_with_a_wrong_label_is_refused(page: PageClient, command: dict[str, Any],
                                                                  needle: str) -> None:
    page.send(type="add_point", **command)
    assert needle in page.text("error")["message"]


def test_a_bad_csv_changes_nothing_and_names_the_line(page: PageClient) -> None:
    page.send(type="save_csv")
    before = page.text("csv")["text"]
    page.send(type="load_csv", name="mine.csv", text="x,y,label\n1,2,1\n3,oops,1\n")
    assert page.text("error")["message"] == "mine.csv, line 3: y is 'oops', not a number"
    page.send(type="save_csv")
    assert page.text("csv")["text"] == before
    assert page.data is not None and page.data[0]["dataset"] == "circle"
    kinds = [text["type"] for text in page.texts]
    assert kinds[kinds.index("csv"):] == ["csv", "error", "csv"]  # no config or notice: nothing changed


def test_a_scaled_load_sends_a_notice_and_class_names_set_classes(page: PageClient) -> None:
    page.send(type="load_csv", name="big.csv", text="x;y;label\n12;0;red\n0;12;green\n-12;0;blue\n0;-12;red\n")
    config = page.text("config")
    assert (config["config"]["dataset"], config["config"]["classes"]) == ("custom", 3)
    notice = page.text("notice")["message"]
    assert "big.csv" in notice and "scaled by 0.5" in notice
    assert page.data is not None and page.data[0]["custom"] is True
    train, test = points(page.data)[1], points(page.data)[3]
    assert sorted(train + test) == [0.0, 0.0, 1.0, 2.0]
    assert page.frame()[0]["sizes"][-1] == 3


def test_save_csv_returns_what_load_csv_reads_back_identically(page: PageClient) -> None:
    assert page.data is not None
    before = points(page.data)
    page.send(type="save_csv")
    saved = page.text("csv")
    assert saved["name"] == "playground-data.csv" and saved["text"].startswith("x,y,label,test\n")
    assert points(data_after(page, type="load_csv", name=saved["name"], text=saved["text"])) == before
    page.send(type="save_csv")
    assert page.text("csv")["text"] == saved["text"]


def test_load_csv_may_carry_ten_thousand_points_beyond_the_usual_message_limit(page: PageClient) -> None:
    rows = np.random.default_rng(12).uniform(-6, 6, size=(10_000, 2))
    text = "x,y,label\n" + "".join(f"{x!r},{y!r},{1 if x * y > 0 else -1}\n" for x, y in rows.tolist())
    message = json.dumps({"type": "load_csv", "name": "big.csv", "text": text})
    assert len(message) > MAX_MESSAGE_BYTES
    page.socket.send_text(message)
    data = None
    while data is None:
        kind, body = page.receive()
        assert not (kind == "text" and body["type"] == "error"), body
        data = body if kind == "data" else None
    assert len(data[1]["trainLabels"]) + len(data[1]["testLabels"]) == 10_000

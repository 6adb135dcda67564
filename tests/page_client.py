"""A test client that speaks the protocol over Starlette's TestClient websocket, like a page would."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from starlette.testclient import WebSocketTestSession

from playground.messages import decode_binary

Frame = tuple[dict[str, Any], dict[str, np.ndarray]]


class PageClient:
    """Sends commands and reads messages, keeping every text message and the latest data it saw; it acknowledges
    every frame it reads, as the page does."""

    def __init__(self, socket: WebSocketTestSession) -> None:
        self.socket = socket
        self.texts: list[dict[str, Any]] = []
        self.data: Frame | None = None
        self.frames: list[dict[str, Any]] = []

    def send(self, **command: Any) -> None:
        self.socket.send_text(json.dumps(command))

    def receive(self) -> tuple[str, Any]:
        message = self.socket.receive()
        if message.get("text") is not None:
            text = json.loads(message["text"], parse_constant=_refuse_constant)
            self.texts.append(text)
            return "text", text
        header, arrays = decode_binary(message["bytes"])
        if header["kind"] == "data":
            self.data = (header, arrays)
        else:
            self.frames.append(header)
            self.send(type="ack", frame=header["frame"])  # drawn, as the page acknowledges every frame
        return header["kind"], (header, arrays)

    def frame(self, until: Any = None, limit: int = 10000) -> Frame:
        """The next frame (whose header satisfies `until`, if given)."""
        for _ in range(limit):
            kind, body = self.receive()
            if kind == "frame" and (until is None or until(body[0])):
                return body  # type: ignore[no-any-return]
        raise AssertionError("no such frame")

    def text(self, kind: str, limit: int = 10000) -> dict[str, Any]:
        """The next text message of a type (frames and data in between are read and kept)."""
        for _ in range(limit):
            got, body = self.receive()
            if got == "text" and body["type"] == kind:
                return body  # type: ignore[no-any-return]
        raise AssertionError(f"no {kind} message")

    def opened(self) -> Frame:
        """Read what the server sends on connect: config, data, first frame."""
        assert self.text("config")["effect"] is None
        return self.frame()

    def open_setup(self, hash_text: str) -> Frame:
        """Send a whole new setup as a `hash` command; its config, data and first frame."""
        self.send(type="hash", hash=hash_text)
        self.text("config")
        return self.frame()


def _refuse_constant(name: str) -> None:
    raise AssertionError(f"JSON from the server holds {name}")

"""The web app: create_app() with its routes (the page, static files, health, dataset previews, the pictures of
the input features, the websocket), its guards (trusted Host names, see hosts.py; same-origin pages only on the
websocket; a session limit per process), its Settings, and `serve` to run it with uvicorn in one or more
processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import uvicorn
from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from playground.config import FEATURE_KEYS, MAX_LAYERS, MAX_NEURONS, MAX_SPEED, schema
from playground.datasets import CLASSIFY_SIZE, GENERATORS
from playground.features import FEATURES
from playground.hosts import HostGuard
from playground.knobs import HIDE_SUFFIX, HIDEABLE_CONTROLS
from playground.lessons import lesson_directories, load_lessons
from playground.live import TAKEN_OVER_CODE, Connection
from playground.messages import frame_message
from playground.pictures import GRID, grid_inputs, quantize, thumbnails
from playground.protocol import MAX_CSV_MESSAGE_BYTES
from playground.seedrandom import SeedRandom
from playground.session import Session
from playground.sessions import KEEP_SECONDS, Sessions
from playground.store import default_url

MAX_SESSIONS = 200
FULL_CODE = 1013  # "try again later"
PREVIEW_SEED = "preview"  # the dataset thumbnails are always the same points
UNREAD_MESSAGES = 16  # messages from a page waiting to be taken before the server stops reading its socket
MAX_URL_HASH = 4096  # URL-encoded hash characters the page puts in /ws?hash=; a longer hash goes in a first message
ENV_HOSTS, ENV_SESSIONS = "PLAYGROUND_ALLOWED_HOSTS", "PLAYGROUND_MAX_SESSIONS"
ENV_STORE, ENV_KEEP, ENV_LESSONS = "PLAYGROUND_STORE", "PLAYGROUND_KEEP", "PLAYGROUND_LESSONS"
log = logging.getLogger(__name__)


def asset_dir(name: str) -> Path:
    """static/ or templates/: inside the installed package (wheel), else at the top of the source tree."""
    here = Path(__file__).resolve().parent
    packaged = here / name
    return packaged if packaged.is_dir() else here.parent / name


@cache
def dataset_previews() -> dict[str, dict[str, list[Any]]]:
    """A fixed sample of every dataset, for the thumbnails the page draws of each choice."""
    previews = {}
    for name, generate in GENERATORS.items():
        points, labels = generate(CLASSIFY_SIZE // 2, 0.0, SeedRandom(PREVIEW_SEED))
        previews[name] = {"points": np.round(points, 3).tolist(), "labels": np.round(labels, 3).tolist()}
    return previews


def feature_grids() -> np.ndarray:
    """Every input feature on the 100 x 100 grid, in FEATURE_KEYS order: (features, GRID, GRID)."""
    return grid_inputs(FEATURE_KEYS).T.reshape(len(FEATURE_KEYS), GRID, GRID)


@cache
def feature_thumbnails() -> dict[str, list[int]]:
    """The 10 x 10 picture of every input feature (they never change), for inputs that are switched off too."""
    pictures = quantize(thumbnails(feature_grids()))
    return {key: thumb.ravel().tolist() for key, thumb in zip(FEATURE_KEYS, pictures, strict=True)}


@cache
def feature_pictures() -> bytes:
    """The 100 x 100 picture of every input feature as int8 bytes, feature after feature in FEATURE_KEYS order,
    each row by row from the top (as a frame's grid): what the big heatmap shows while an input is hovered."""
    return quantize(feature_grids()).tobytes()


@cache
def lessons_for_page(extra: str) -> list[dict[str, Any]]:
    """The packaged lessons and a teacher's (from `--lessons DIR`, if any) as the page reads them; a lesson file
    that cannot be used is reported on the console, once, and left out."""
    lessons, errors = load_lessons(lesson_directories(extra or None))
    for error in errors:
        log.warning("lesson left out: %s", error)
    return [lesson.to_dict() for lesson in lessons]


@cache
def page_context(lessons_dir: str = "") -> dict[str, Any]:
    """What the page template is rendered with; it never changes while the server runs."""
    return {
        "lessons": lessons_for_page(lessons_dir),
        "schema": schema(),
        "features": [{"key": key, "label": FEATURES[key].label} for key in FEATURE_KEYS],
        "featureThumbnails": feature_thumbnails(),
        "hideable": [{"name": name, "label": label} for name, label in HIDEABLE_CONTROLS]
        + [{"name": key, "label": f"Input {FEATURES[key].label}"} for key in FEATURE_KEYS],
        "hideSuffix": HIDE_SUFFIX,
        "limits": {"maxLayers": MAX_LAYERS, "maxNeurons": MAX_NEURONS, "maxSpeed": MAX_SPEED,
                   "maxUrlHash": MAX_URL_HASH, "takenOverCode": TAKEN_OVER_CODE,
                   "maxMessageBytes": MAX_CSV_MESSAGE_BYTES},
    }


@dataclass(frozen=True)
class Settings:
    """What `playground serve` was started with. They reach every worker process through the environment
    (uvicorn starts the workers, each of which calls create_app())."""

    allowed_hosts: tuple[str, ...] = ()  # domain names served besides localhost and IP addresses
    max_sessions: int = MAX_SESSIONS  # per process
    store: str = ""  # where sessions are kept (store.py); "" for the default, "none" for nowhere
    keep: float = KEEP_SECONDS  # seconds a session is kept after its last change
    lessons_dir: str = ""  # a teacher's lessons, besides the packaged ones (docs/lessons.md)

    @classmethod
    def from_env(cls) -> Settings:
        hosts = tuple(name.strip() for name in os.environ.get(ENV_HOSTS, "").split(",") if name.strip())
        return cls(hosts, int(os.environ.get(ENV_SESSIONS, MAX_SESSIONS)), os.environ.get(ENV_STORE, ""),
                   float(os.environ.get(ENV_KEEP, KEEP_SECONDS)), os.environ.get(ENV_LESSONS, ""))

    def to_env(self) -> dict[str, str]:
        return {ENV_HOSTS: ",".join(self.allowed_hosts), ENV_SESSIONS: str(self.max_sessions),
                ENV_STORE: self.store, ENV_KEEP: str(self.keep), ENV_LESSONS: self.lessons_dir}


def same_origin(origin: str | None, host: str | None) -> bool:
    """No Origin (a script) is fine; a browser page must come from the host it talks to."""
    return origin is None or (host is not None and urlsplit(origin).netloc == host)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Compile (or load from numba's cache) every kernel before the first page arrives, not while it waits; say
    where sessions are kept and keep checkpointing them; write the last checkpoints on the way out."""
    registry: Sessions = app.state.registry
    print(f"playground: {registry.describe()}", file=sys.stderr, flush=True)
    await asyncio.to_thread(_exercise_kernels)
    saving = asyncio.create_task(registry.keep_saving())
    yield
    saving.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await saving
    await asyncio.to_thread(registry.checkpoint)


def _exercise_kernels() -> None:
    session = Session()
    session.advance(1)
    frame_message(session.frame(), 1)
    session.slice(1, 0, 0, None)
    session.example(0)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; without settings, those of the environment (see Settings)."""
    settings = settings or Settings.from_env()
    app = FastAPI(title="playground", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.add_middleware(HostGuard, allowed=settings.allowed_hosts)
    app.state.sessions = 0
    app.state.max_sessions = settings.max_sessions
    app.state.registry = registry = Sessions(settings.store or default_url(), settings.keep,
                                             max_released=settings.max_sessions)
    templates = Jinja2Templates(directory=str(asset_dir("templates")))
    lessons_for_page(settings.lessons_dir)  # read (and report) the lessons now, not when the first page comes
    app.mount("/static", StaticFiles(directory=str(asset_dir("static"))), name="static")

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        context = dict(page_context(settings.lessons_dir))  # a copy: the response adds the request
        return templates.TemplateResponse(request, "index.html", context)

    @app.get("/healthz")
    def health() -> dict[str, Any]:
        """This process's load and store: behind several workers each answer comes from whichever process took
        it."""
        return {"status": "ok", "pid": os.getpid(), "sessions": app.state.sessions,
                "maxSessions": app.state.max_sessions, "held": len(registry.held), "store": registry.status()}

    @app.get("/api/datasets")
    def datasets() -> dict[str, dict[str, list[Any]]]:
        return dataset_previews()

    @app.get("/api/lessons")
    def lessons() -> list[dict[str, Any]]:
        return lessons_for_page(settings.lessons_dir)

    @app.get("/api/feature-pictures")
    def pictures() -> Response:
        return Response(feature_pictures(), media_type="application/octet-stream",
                        headers={"Cache-Control": "max-age=3600"})

    @app.websocket("/ws")
    async def live(socket: WebSocket) -> None:
        if not same_origin(socket.headers.get("origin"), socket.headers.get("host")):
            await socket.close(code=1008, reason="this server only takes websockets from its own pages")
            return
        await socket.accept()
        if app.state.sessions >= app.state.max_sessions:
            await socket.close(code=FULL_CODE, reason=f"server is full: at most {app.state.max_sessions} sessions "
                                                      "per process; try again later")
            return
        app.state.sessions += 1
        connection = None
        try:
            attached = await registry.attach(socket.query_params.get("session"), socket.query_params.get("hash"))
            connection = Connection(socket, attached)
            await connection.run()
        except Exception:
            log.exception("session ended by an error")
        finally:
            app.state.sessions -= 1
            if connection is not None:
                registry.release(connection.held, connection)

    return app


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol, with two changes.

    - A handshake that websockets refuses before it is parsed (a request line over 8 KiB, as a long `/ws?hash=`;
      header fields too large): websockets prepares its answer (414 or 431 with the reason) but uvicorn never sends
      it, and the client would wait forever. Here it is sent and the connection closed.
    - uvicorn stops reading the socket after every message until the app has taken it, and starts again after:
      two epoll calls for every `ack`, 60 a second per page. Here reading stops only once UNREAD_MESSAGES wait (the
      connection reads at once, and bounds its own command queue)."""

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if not self.handshake_initiated and self.conn.handshake_exc is not None and not self.transport.is_closing():
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()

    def send_receive_event_to_app(self) -> None:
        was_paused, self.read_paused = self.read_paused, True  # uvicorn pauses unless already paused
        super().send_receive_event_to_app()
        self.read_paused = was_paused
        if not was_paused and self.queue.qsize() >= UNREAD_MESSAGES:
            self.read_paused = True
            self.transport.pause_reading()


def serve(host: str, port: int, workers: int = 1, settings: Settings | None = None) -> None:
    """Run the app with uvicorn; with several workers each process holds its own sessions (up to max_sessions)."""
    os.environ.update((settings or Settings()).to_env())
    uvicorn.run("playground.server:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", ws=WebSocketProtocol, ws_max_size=MAX_CSV_MESSAGE_BYTES,
                ws_per_message_deflate=False)

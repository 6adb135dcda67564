"""The web app: create_app() with its routes (the page, static files, health, dataset previews, the pictures of
the input features, the websocket), the guards on the websocket (same-origin pages only, a session limit), and
`serve` to run it with uvicorn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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

from playground.config import FEATURE_KEYS, KNOBS, MAX_LAYERS, MAX_NEURONS, MAX_SPEED, schema
from playground.datasets import CLASSIFY_SIZE, GENERATORS
from playground.features import FEATURES
from playground.knobs import HIDE_SUFFIX, HIDEABLE_CONTROLS
from playground.live import Connection
from playground.pictures import GRID, grid_inputs, quantize, thumbnails
from playground.protocol import frame_message
from playground.seedrandom import SeedRandom
from playground.session import Session

MAX_SESSIONS = 200
FULL_CODE = 1013  # "try again later"
MAX_MESSAGE_BYTES = 1 << 20  # the websocket layer refuses a larger message (a CSV file is loaded in one)
PREVIEW_SEED = "preview"  # the dataset thumbnails are always the same points
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
def page_context() -> dict[str, Any]:
    """What the page template is rendered with; it never changes while the server runs."""
    return {
        "schema": schema(),
        "features": [{"key": key, "label": FEATURES[key].label} for key in FEATURE_KEYS],
        "featureThumbnails": feature_thumbnails(),
        "datasets": {"classification": list(KNOBS["dataset"].choices),
                     "regression": list(KNOBS["regDataset"].choices)},
        "limits": {"maxLayers": MAX_LAYERS, "maxNeurons": MAX_NEURONS, "maxSpeed": MAX_SPEED,
                   "maxMessageBytes": MAX_MESSAGE_BYTES},
        "hideable": [{"name": name, "label": label} for name, label in HIDEABLE_CONTROLS]
        + [{"name": key, "label": f"Input {FEATURES[key].label}"} for key in FEATURE_KEYS],
        "hideSuffix": HIDE_SUFFIX,
    }


def same_origin(origin: str | None, host: str | None) -> bool:
    """No Origin (a script) is fine; a browser page must come from the host it talks to."""
    return origin is None or (host is not None and urlsplit(origin).netloc == host)


@asynccontextmanager
async def warm_up(app: FastAPI) -> AsyncIterator[None]:
    """Compile (or load from numba's cache) every kernel before the first page arrives, not while it waits."""
    await asyncio.to_thread(_exercise_kernels)
    yield


def _exercise_kernels() -> None:
    session = Session()
    session.advance(1)
    frame_message(session.frame())
    session.slice(1, 0, 0, None)
    session.example(0)


def create_app() -> FastAPI:
    app = FastAPI(title="playground", docs_url=None, redoc_url=None, openapi_url=None, lifespan=warm_up)
    app.state.sessions = 0
    templates = Jinja2Templates(directory=str(asset_dir("templates")))
    app.mount("/static", StaticFiles(directory=str(asset_dir("static"))), name="static")

    @app.get("/", response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        return templates.TemplateResponse(request, "index.html", dict(page_context()))  # a copy: it adds the request

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/datasets")
    def datasets() -> dict[str, dict[str, list[Any]]]:
        return dataset_previews()

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
        if app.state.sessions >= MAX_SESSIONS:
            await socket.close(code=FULL_CODE, reason=f"server is full: at most {MAX_SESSIONS} sessions per "
                                                      "process; try again later")
            return
        app.state.sessions += 1
        try:
            await Connection(socket, socket.query_params.get("hash")).run()
        except Exception:
            log.exception("session ended by an error")
        finally:
            app.state.sessions -= 1

    return app


def serve(host: str, port: int, workers: int = 1) -> None:
    """Run the app with uvicorn; with several workers each process holds its own sessions."""
    uvicorn.run("playground.server:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", ws_max_size=MAX_MESSAGE_BYTES)

"""Starting the server for someone at a terminal: refuse a busy port or an address that is not this machine's before
uvicorn starts (with a message saying what to do), say what the first start is doing (compiling the engine), and
print the address to open only once the server answers: the machine's LAN address when bound to every interface.
"""

from __future__ import annotations

import os
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

EVERY_INTERFACE = ("0.0.0.0", "", "::")
POLL_SECONDS = 0.1


class ServerStartError(Exception):
    """The server could not start; the message says why and what to try."""


def check_address(host: str, port: int) -> None:
    """Raise ServerStartError unless a server could listen on host:port now (ValueError for a port number that
    cannot be one: a usage error)."""
    if not 1 <= port <= 65535:
        raise ValueError(f"--port {port} is not a port: use a number from 1 to 65535 (default 8000)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            busy = error.errno == 98 or "in use" in str(error)
            reason = (f"port {port} is in use (another playground?): stop it or choose another port with --port"
                      if busy else f"cannot listen on {host}:{port} ({error.strerror or error}): --host must be an "
                      "address of this machine, e.g. 127.0.0.1 or 0.0.0.0 for every interface")
            raise ServerStartError(reason) from None


def lan_address() -> str:
    """This machine's address on its network: the source address of a route outwards (a UDP socket's connect
    sends nothing), else what its host name resolves to, else the loopback address."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        try:
            udp.connect(("10.254.254.254", 1))
            address: str = udp.getsockname()[0]
            if not address.startswith("0."):
                return address
        except OSError:
            pass
    try:
        return socket.gethostbyname(socket.gethostname())
    except OSError:
        return "127.0.0.1"


def address_to_open(host: str, port: int) -> str:
    """The URL a person opens: the LAN address when the server listens on every interface."""
    name = lan_address() if host in EVERY_INTERFACE else host
    return f"http://[{name}]:{port}/" if ":" in name else f"http://{name}:{port}/"


def engine_cached() -> bool:
    """Whether numba's cache holds the compiled kernels already (then a start takes a second, not ten)."""
    folder = os.environ.get("NUMBA_CACHE_DIR")
    where = Path(folder) if folder else Path(__file__).resolve().parent / "__pycache__"
    return where.is_dir() and any(where.rglob("kernel.*.nbi"))


def _announce_when_answering(local_url: str, shown_url: str, stop: threading.Event) -> None:
    while not stop.wait(POLL_SECONDS):
        try:
            with urllib.request.urlopen(local_url + "healthz", timeout=1) as response:
                if response.status == 200:
                    print(f"playground: open {shown_url} in your browser (Ctrl+C stops it)", flush=True)
                    return
        except OSError:
            continue


@contextmanager
def announced(host: str, port: int) -> Iterator[None]:
    """Around running the server: check the address first, tell what the start is doing, and announce the address
    to open once it answers. A server that exits with an error raises ServerStartError."""
    check_address(host, port)
    print("playground: loading the engine" if engine_cached() else
          "playground: compiling the engine (first start only, about 10 s)...", flush=True)
    local = address_to_open("127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host, port)
    stop = threading.Event()
    watcher = threading.Thread(target=_announce_when_answering, args=(local, address_to_open(host, port), stop),
                               daemon=True)
    watcher.start()
    try:
        yield
    except SystemExit as exit:  # uvicorn exits with 1 or 3 when it cannot start
        if exit.code not in (0, None):
            raise ServerStartError("the server could not start (uvicorn's reason is above)") from None
        raise
    finally:
        stop.set()

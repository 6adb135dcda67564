"""Which names the server answers to: the guard against DNS rebinding.

A page on a domain the attacker controls can make that name resolve to 127.0.0.1; the browser then treats the
student's local server as the attacker's own origin (Origin and Host both say `evil.example:8000`), so a
same-origin check alone lets it in. The Host header still names the attacker's domain, so every HTTP and
websocket request is answered only when its Host is trusted: `localhost` and `*.localhost`, any IP address (v4,
or v6 in brackets), and the domain names the server was started with (`playground serve --allowed-hosts`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

REFUSED_STATUS = 403


def host_name(host: str) -> str:
    """The name or address of a Host header, without its port (and without the brackets of an IPv6 address)."""
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def normal_name(name: str) -> str:
    return name.strip().lower().rstrip(".")


def is_trusted(host: str | None, allowed: Iterable[str]) -> bool:
    """Loopback names and IP literals always; other names only when allowed (case and a final dot ignored)."""
    if not host:
        return False
    name = normal_name(host_name(host))
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return name in {normal_name(other) for other in allowed}


def refusal(host: str | None, allowed: Iterable[str]) -> str:
    given = ", ".join(allowed) or "none given"
    example = normal_name(host_name(host)) if host else "class.example.org"
    return (f"this playground server does not answer to the host name {host or '(no Host header)'!r}: it answers "
            f"to localhost, *.localhost, IP addresses and the names it was started with (--allowed-hosts: "
            f"{given}). A page on another name may be a DNS-rebinding attack. If this is your server's name, "
            f"start it with: playground serve --allowed-hosts {example}\n")


class HostGuard:
    """ASGI middleware: HTTP requests and websocket handshakes with an untrusted Host get a 403 saying why."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = tuple(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = Headers(scope=scope).get("host")
            if not is_trusted(host, self.allowed):
                await PlainTextResponse(refusal(host, self.allowed), REFUSED_STATUS)(scope, receive, send)
                return
        await self.app(scope, receive, send)

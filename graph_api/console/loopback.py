"""Is a request from this machine? What the development sign-in and `/metrics` trust.

A peer address on loopback is not enough:

- a web page can reach a service on 127.0.0.1 through DNS rebinding (its own name resolving to
  127.0.0.1); its requests then carry the page's host name in `Host`, so `Host` must be a
  loopback name (`localhost`, `127.0.0.1` or `[::1]`, with or without a port);
- a reverse proxy on the same machine makes every client's request come from loopback; proxies
  add `Forwarded` / `X-Forwarded-For`, so a request carrying such a header is not local unless
  ISEGRAPH_TRUSTED_PROXIES names the proxy (then uvicorn has put the forwarded client's address
  in its place, and that address is what counts).
"""

from __future__ import annotations

import ipaddress

from starlette.requests import Request

from graph_api.settings import Settings

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "[::1]"})
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip")


def loopback_host(host_header: str) -> bool:
    """Whether a Host header names this machine: a loopback name, optionally with a port."""
    host = host_header.strip().lower()
    if host.startswith("["):  # an IPv6 address: [::1] or [::1]:8000
        address, _, rest = host.partition("]")
        name, separator, port = address + "]", rest[:1], rest[1:]
        if rest and separator != ":":
            return False
    else:
        name, _, port = host.partition(":")
    return name in LOOPBACK_NAMES and (port == "" or (port.isdigit() and len(port) <= 5))


def _peer_on_loopback(request: Request) -> bool:
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


def from_this_machine(request: Request, settings: Settings) -> bool:
    """The peer is on loopback, the request names a loopback host, and no untrusted proxy
    stands between."""
    if not _peer_on_loopback(request):
        return False
    if not settings.trusted_proxies and any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    return loopback_host(request.headers.get("host", ""))

"""Fetching a feed document over HTTP within the settings' limits.

Only the hosts of configured feeds are fetched, and a redirect is followed only to one of them,
at most `max_redirects` times. A host that resolves to a private, loopback, link-local or
otherwise special address is refused unless the settings allow it (tests and closed networks).
Each fetch is bounded in time as a whole, and in size: a body announced larger than the limit is
refused before it is read, and one that grows past it is cut off at the limit. The validators a
server gave last time (ETag, Last-Modified) are sent back, so an unchanged feed costs a 304.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx2

from graph_api.settings import FeedSettings

REDIRECTS = frozenset({301, 302, 303, 307, 308})
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.8, */*;q=0.1"
)


class FetchFailed(Exception):
    """The feed could not be fetched; the message is the feed's last error."""


@dataclass(frozen=True)
class Validators:
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A feed's answer: its body (None: not modified since the validators sent) and the
    validators to send next time."""

    body: bytes | None
    content_type: str | None
    validators: Validators


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _special(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


async def check_address(url: str, hosts: Collection[str], allow_private: bool) -> None:
    """Refuse a URL this service may not fetch (FetchFailed says why)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchFailed(f"only http and https feeds are fetched, not {parts.scheme or 'a relative URL'}")
    host = (parts.hostname or "").lower()
    if host not in hosts:
        raise FetchFailed(f"{host or 'no host'} is not the host of a configured feed")
    if allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchFailed(f"cannot resolve {host}: {exc}") from None
    for info in infos:
        if _special(str(info[4][0])):
            raise FetchFailed(
                f"{host} resolves to {info[4][0]}, a private or special address; such addresses are "
                "fetched only when ISEGRAPH_FEEDS_ALLOW_PRIVATE is true"
            )


class FeedClient:
    """One HTTP client for every feed of a poll round (connections are reused)."""

    def __init__(self, settings: FeedSettings) -> None:
        self.settings = settings
        self._http = httpx2.AsyncClient(
            timeout=httpx2.Timeout(settings.timeout_seconds),
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT},
            trust_env=False,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def fetch(self, url: str, validators: Validators, hosts: Collection[str]) -> Fetched:
        """The feed at `url`, or FetchFailed with the reason."""
        try:
            async with asyncio.timeout(self.settings.timeout_seconds):
                return await self._follow(url, validators, hosts)
        except TimeoutError:
            raise FetchFailed(f"no complete answer within {self.settings.timeout_seconds:g} s") from None
        except httpx2.TimeoutException:
            raise FetchFailed(f"no answer within {self.settings.timeout_seconds:g} s") from None
        except httpx2.HTTPError as exc:
            raise FetchFailed(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__) from None

    async def _follow(self, url: str, validators: Validators, hosts: Collection[str]) -> Fetched:
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        seen = []
        for _ in range(self.settings.max_redirects + 1):
            await check_address(url, hosts, self.settings.allow_private_addresses)
            seen.append(url)
            async with self._http.stream("GET", url, headers=headers) as response:
                if response.status_code in REDIRECTS and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code == 304:
                    return Fetched(None, None, validators)
                if response.status_code != 200:
                    raise FetchFailed(f"HTTP {response.status_code} {response.reason_phrase}".strip())
                body = await self._body(response)
                return Fetched(
                    body,
                    response.headers.get("content-type"),
                    Validators(response.headers.get("etag"), response.headers.get("last-modified")),
                )
        loop = " (a loop)" if len(set(seen)) < len(seen) else ""
        raise FetchFailed(f"more than {self.settings.max_redirects} redirects{loop}, from {seen[0]}")

    async def _body(self, response: httpx2.Response) -> bytes:
        limit = self.settings.max_bytes
        announced = response.headers.get("content-length")
        if announced is not None and announced.isdigit() and int(announced) > limit:
            raise FetchFailed(f"the feed is {int(announced):,} bytes, over the limit of {limit:,}")
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise FetchFailed(f"the feed is over the limit of {limit:,} bytes; stopped reading it")
            chunks.append(chunk)
        return b"".join(chunks)

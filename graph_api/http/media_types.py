"""Which media type a GraphQL response is written in, from the request's Accept header.

`application/graphql-response+json` is the GraphQL-over-HTTP media type: its status code says
whether the request was understood (400 when it was not). `application/json` is the older
one: every GraphQL result is 200, errors in the body. A client that sends no Accept, or only
wildcards, gets `application/json`, as clients written before the newer type expect.
"""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
# Wildcards name no type, so they choose the one every older client understands.
_WILDCARDS = {"*/*": APPLICATION_JSON, "application/*": APPLICATION_JSON}
# A named type wins over a wildcard of the same quality.
_SPECIFIC = {GRAPHQL_RESPONSE_JSON: 2, APPLICATION_JSON: 1}


def _quality(parameters: list[str]) -> float:
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def response_media_type(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts neither of ours."""
    if accept is None or not accept.strip():
        return APPLICATION_JSON
    best: tuple[float, int] = (0.0, 0)
    chosen: str | None = None
    for item in accept.split(","):
        media_range, *parameters = item.split(";")
        media_range = media_range.strip().lower()
        quality = _quality(parameters)
        candidate = media_range if media_range in _SPECIFIC else _WILDCARDS.get(media_range)
        if candidate is None or quality <= 0:
            continue
        rank = (quality, _SPECIFIC.get(media_range, 0))
        if rank > best:
            best, chosen = rank, candidate
    return chosen

"""Automatic persisted queries, in Apollo's protocol: a client may send a document's SHA-256
instead of the document.

1. The client sends `extensions.persistedQuery = {"version": 1, "sha256Hash": H}` alone.
2. When H is known, the stored document runs. When it is not, the answer is the error
   `PersistedQueryNotFound` (code `PERSISTED_QUERY_NOT_FOUND`) and the client sends the
   document again with the same extension: it runs and, once it passed validation, is stored.
3. A document whose SHA-256 is not H is refused (code `PERSISTED_QUERY_HASH_MISMATCH`) and
   nothing is stored, so no one can plant a document under another's hash.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graph_api.api.extensions.lru import LRU

SUPPORTED_VERSION = 1
SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
MALFORMED = "PERSISTED_QUERY_MALFORMED"


def document_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _refusal(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


class PersistedQueryStore:
    """The documents registered by hash (lower-case hex), most recently used kept."""

    def __init__(self, size: int) -> None:
        self.documents: LRU[str, str] = LRU(size)

    def extension(self) -> PersistedQueries:
        return PersistedQueries(self)


def _requested_hash(extensions: dict[str, Any] | None) -> str | None:
    """The hash a request names, or None when it does not use persisted queries."""
    if not extensions or extensions.get("persistedQuery") is None:
        return None
    request = extensions["persistedQuery"]
    if not isinstance(request, dict):
        raise _refusal("extensions.persistedQuery must be an object.", MALFORMED)
    if request.get("version") != SUPPORTED_VERSION:
        raise _refusal(
            f"Unsupported persisted query version {request.get('version')!r}: send version 1.",
            MALFORMED,
        )
    sha = request.get("sha256Hash")
    if not isinstance(sha, str) or not SHA256_HEX.match(sha):
        raise _refusal(
            "extensions.persistedQuery.sha256Hash must be the document's SHA-256 as 64 hex digits.",
            MALFORMED,
        )
    return sha.lower()


class PersistedQueries(SchemaExtension):
    """Must run first among the schema's extensions: a refusal ends the request before the
    others begin."""

    def __init__(self, store: PersistedQueryStore) -> None:
        self.store = store
        self.to_register: tuple[str, str] | None = None

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        sha = _requested_hash(context.operation_extensions)
        if sha is not None:
            if context.query is None:
                stored = self.store.documents.get(sha)
                if stored is None:
                    raise _refusal("PersistedQueryNotFound", NOT_FOUND)
                context.query = stored
            elif document_hash(context.query) != sha:
                raise _refusal(
                    "provided sha does not match query: extensions.persistedQuery.sha256Hash must "
                    "be the SHA-256 of the UTF-8 document text.",
                    HASH_MISMATCH,
                )
            else:
                self.to_register = (sha, context.query)
        yield

    def on_execute(self) -> Iterator[None]:
        # Reached only by a document that parsed and passed validation.
        if self.to_register is not None:
            self.store.documents.put(*self.to_register)
        yield

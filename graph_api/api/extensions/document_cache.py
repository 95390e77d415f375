"""Parsing and validation cached by document text, so a repeated operation skips both."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graphql import DocumentNode
from strawberry.extensions import SchemaExtension

from graph_api.api.extensions.lru import LRU


@dataclass
class PreparedDocument:
    document: DocumentNode
    # Set once the document passed every validation rule of the schema that parsed it.
    valid: bool = False


class DocumentCache:
    """One schema's parsed documents, keyed by their text.

    A cache belongs to one schema: its validation rules (depth, aliases, introspection) are the
    same for every request, so "this text passed validation" holds for every later request.
    Only successes are remembered; a document that fails is parsed and validated again, so a
    client always gets the errors of its own request.
    """

    def __init__(self, size: int) -> None:
        self.entries: LRU[str, PreparedDocument] = LRU(size)

    def extension(self) -> CachedDocuments:
        return CachedDocuments(self)


class CachedDocuments(SchemaExtension):
    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        text = context.query
        entry = self.cache.entries.get(text) if text is not None else None
        if entry is not None:
            # Strawberry parses only when no document is set yet.
            context.graphql_document = entry.document
        yield
        if entry is None and text is not None and context.graphql_document is not None:
            self.cache.entries.put(text, PreparedDocument(context.graphql_document))

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        entry = self.cache.entries.get(context.query) if context.query is not None else None
        if entry is None or entry.document is not context.graphql_document:
            yield
            return
        if entry.valid:
            # Strawberry validates only when no outcome is set yet.
            context.pre_execution_errors = []
        yield
        if context.pre_execution_errors == []:
            entry.valid = True

"""Schema extensions of our own, one per file."""

from graph_api.api.extensions.document_cache import DocumentCache
from graph_api.api.extensions.persisted_queries import PersistedQueryStore

__all__ = ["DocumentCache", "PersistedQueryStore"]

"""Every GraphQL error carries a stable `extensions.code`; unexpected ones are masked."""

from __future__ import annotations

import logging

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from graph_api.errors import ServiceError

log = logging.getLogger("isegraph.errors")


class CodedErrors(MaskErrors):
    """Known errors keep their message and gain a code; anything else becomes a generic error
    with the request id, and its details go to the server log only."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._coded(error) for error in errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if isinstance(original, ServiceError):
            error.extensions = {**(error.extensions or {}), "code": original.code}
            return error
        if isinstance(original, GraphQLError):
            # A value the schema refused while coercing variables (a wrong enum, a bad scalar).
            error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT"}
            return error
        if original is None:
            # Parse and validation errors: about the query text, safe to show.
            code = (
                "GRAPHQL_PARSE_FAILED"
                if error.nodes is None and "Syntax" in error.message
                else "GRAPHQL_VALIDATION_FAILED"
            )
            if error.path is not None:
                code = "BAD_USER_INPUT"
            error.extensions = {"code": code, **(error.extensions or {})}
            return error
        request_id = getattr(self.execution_context.context, "request_id", "unknown")
        log.error("request %s failed: %r", request_id, original, exc_info=original)
        masked = self.anonymise_error(error)
        masked.message = f"Internal error (request {request_id}); the server log has details."
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
        return masked

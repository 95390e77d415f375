"""Every GraphQL error carries a stable `extensions.code`; unexpected ones are masked."""

from __future__ import annotations

import logging
import re

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from graph_api.errors import ServiceError

log = logging.getLogger("isegraph.errors")
# graphql-core's words for a variable the schema refused: "Variable '$input' has invalid value at
# .fusionCenter.type: Value 'X' does not exist in 'FusionCenterType' enum."
VARIABLE_VALUE = re.compile(r"^Variable '\$(\w+)' (?:has|got) invalid value\b.*? at ((?:\.\w+|\[\d+\])+)")


def refused_variable_field(message: str) -> list[str] | None:
    """The path of the offending value (["input", "kind"]), as edit mutations' userErrors name it."""
    match = VARIABLE_VALUE.match(message)
    if match is None:
        return None
    return [match.group(1), *re.findall(r"(\w+)", match.group(2))]


class CodedErrors(MaskErrors):
    """Known errors keep their message and gain a code; anything else becomes a generic error
    with the request id, and its details go to the server log only."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._coded(error) for error in errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        field = refused_variable_field(error.message)
        if field is not None:
            error.extensions = {**(error.extensions or {}), "code": "BAD_USER_INPUT", "field": field}
            return error
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

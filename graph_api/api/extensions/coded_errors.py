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


INTERNAL = "INTERNAL_SERVER_ERROR"


def error_code(error: GraphQLError) -> str:
    """The stable code of an error: the user's mistake (input, id, access, query text) or ours."""
    if refused_variable_field(error.message) is not None:
        return "BAD_USER_INPUT"
    original = error.original_error
    if isinstance(original, ServiceError):
        return original.code
    if isinstance(original, GraphQLError) or (original is not None and error.path is None):
        # A value the schema refused before anything ran: a variable or a literal that a scalar's
        # parser rejected (a wrong enum, a date that is not one). Faults inside resolvers have a path.
        return "BAD_USER_INPUT"
    if original is None:
        # Parse and validation errors: about the query text, safe to show.
        if error.path is not None:
            return "BAD_USER_INPUT"
        if error.nodes is None and "Syntax" in error.message:
            return "GRAPHQL_PARSE_FAILED"
        return "GRAPHQL_VALIDATION_FAILED"
    return INTERNAL


def request_id_of(context: object) -> str:
    return str(getattr(context, "request_id", "unknown"))


def log_errors(errors: list[GraphQLError], context: object) -> None:
    """A user's mistake is one INFO line with its code; only our own faults carry a traceback."""
    request_id = request_id_of(context)
    for error in errors:
        code = error_code(error)
        if code == INTERNAL:
            log.error(
                "request %s failed: %r", request_id, error.original_error, exc_info=error.original_error
            )
        else:
            path = ".".join(str(p) for p in error.path) if error.path else "-"
            log.info("request %s refused: %s at %s: %s", request_id, code, path, error.message)


class CodedErrors(MaskErrors):
    """Known errors keep their message and gain a code; anything else becomes a generic error
    with the request id, and its details go to the server log only (see `log_errors`)."""

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._coded(error) for error in errors]

    def _coded(self, error: GraphQLError) -> GraphQLError:
        code = error_code(error)
        if code != INTERNAL:
            field = refused_variable_field(error.message)
            if field is not None:
                error.extensions = {**(error.extensions or {}), "code": code, "field": field}
            elif error.original_error is None and error.path is None:
                error.extensions = {"code": code, **(error.extensions or {})}
            else:
                error.extensions = {**(error.extensions or {}), "code": code}
            return error
        request_id = request_id_of(self.execution_context.context)
        masked = self.anonymise_error(error)
        masked.message = f"Internal error (request {request_id}); the server log has details."
        masked.extensions = {"code": INTERNAL, "requestId": request_id}
        return masked

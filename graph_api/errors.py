"""Errors a user can act on. Each carries a stable code; the API layer shows code and message."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    code = "BAD_REQUEST"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ServiceError):
    code = "NOT_FOUND"


class InvalidInput(ServiceError):
    code = "BAD_USER_INPUT"


class QueryTimeout(ServiceError):
    code = "QUERY_TIMEOUT"

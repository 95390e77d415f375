"""Counts and times every GraphQL operation by its name and outcome code."""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from graph_api.api.extensions.coded_errors import error_code
from graph_api.observability.metrics import GRAPHQL_REQUESTS, GRAPHQL_SECONDS, operation_label


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        errors = context.result.errors if context.result is not None else context.pre_execution_errors
        outcome = "OK"
        if errors:
            first = errors[0]
            outcome = str((first.extensions or {}).get("code") or error_code(first))
        operation = operation_label(context.operation_name)
        GRAPHQL_REQUESTS.labels(operation, outcome).inc()
        GRAPHQL_SECONDS.labels(operation, outcome).observe(time.perf_counter() - started)

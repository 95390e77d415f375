"""What every mutation's payload shares: the refusals a form shows next to its fields."""

from __future__ import annotations

import strawberry

from graph_api.rules import editing


@strawberry.type(description="Why an edit was refused, next to the input field at fault.")
class FieldError:
    field: list[str] = strawberry.field(
        description='Path of the offending input value, e.g. ["input", "fusionCenter", "serves", "0"].'
    )
    code: str = strawberry.field(
        description="UNKNOWN_REFERENCE, BAD_ENUM, DUPLICATE_ID, DUPLICATE_MEMBER, CYCLE, BAD_EMAIL, "
        "CONTROL_CHARACTER, EMPTY, MISSING_FIELD, TOO_LONG, BAD_DATETIME, BAD_AUDIENCE, BAD_SUBSCRIPTION, "
        "NOT_FOUND, STALE_VERSION, HAS_DEPENDENTS or SAME_PARTNER."
    )
    message: str

    @staticmethod
    def of(error: editing.FieldProblem, prefix: tuple[str, ...] = ()) -> FieldError:
        return FieldError(field=[*prefix, *error.field], code=error.code, message=error.message)

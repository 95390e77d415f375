"""Strawberry permission classes for the access rules; the rules themselves live in `rules/access.py`.

`permission_classes=[Requires(Action.EDIT)]` checks the role before the resolver runs. A refusal
raises the rule's own `Forbidden`, so every path reports the same FORBIDDEN code and message.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from strawberry.permission import BasePermission

from graph_api.rules import access
from graph_api.rules.access import Action


@cache
def Requires(action: Action) -> type[BasePermission]:
    """The permission class for one action of `access.RULES`."""

    class RequiresAction(BasePermission):
        def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
            access.require(info.context.principal, action)
            return True

    RequiresAction.__name__ = RequiresAction.__qualname__ = f"Requires{action.name.title().replace('_', '')}"
    return RequiresAction


@cache
def RequiresSomewhere(action: Action) -> type[BasePermission]:
    """The permission class for an action a scope grants over one target (`access.SCOPED`): the
    role, or a scope of its kind over some target; the operation checks its own target."""

    class RequiresActionSomewhere(BasePermission):
        def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
            access.require_somewhere(info.context.principal, action)
            return True

    name = action.name.title().replace("_", "")
    RequiresActionSomewhere.__name__ = RequiresActionSomewhere.__qualname__ = f"Requires{name}Somewhere"
    return RequiresActionSomewhere


class OwnInbox(BasePermission):
    """A partner's inbox: its own users, and staff."""

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        access.require_inbox_of(info.context.principal, kwargs["partner_id"])
        return True

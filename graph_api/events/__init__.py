"""The event log: every dissemination, message status change, acknowledgement and edit appends an
event in the transaction that makes the change; each service process tails the log once for all
its subscribers (`hub.py`)."""

from graph_api.events.kinds import WATCH_FLOOR_KINDS, EventKind
from graph_api.events.log import Event, NewEvent, append, first_sequence, last_sequence, prune, read_after

__all__ = [
    "WATCH_FLOOR_KINDS",
    "Event",
    "EventKind",
    "NewEvent",
    "append",
    "first_sequence",
    "last_sequence",
    "prune",
    "read_after",
]

"""Delivery: the outbox dissemination fills, the worker that empties it, and acknowledgements."""

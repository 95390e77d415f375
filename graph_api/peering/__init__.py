"""Peering between ISE Graph nodes: this node's identity, and the signed envelopes products
travel in from one node to another.

Not to be confused with the Apollo Federation subgraph (`_entities`), which composes this
service's schema with others behind one gateway: peering moves products between independently
run nodes.
"""

"""Domain rules: who receives what, who may share, who is connected, who may do what, and the edits.

They reach Neo4j only through `graph_api.store`.
"""

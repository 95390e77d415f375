"""The query compiler: a GraphQL read of the directory and products as ONE Cypher statement.

operation → plan (`plan.py`: fields per type, fragments merged, `@include`/`@skip` decided) →
Cypher text and parameters (`roots.py`, `projection.py`, `pagination.py`, printed from the
entity model and the access predicates of `rules/access.py`) → the answer (`translate.py`).
"""

from graph_api.compiler.translate import (
    Answer,
    Compiled,
    QueryCompiler,
    project,
    run,
    translate,
)

__all__ = ["Answer", "Compiled", "QueryCompiler", "project", "run", "translate"]

"""The product view rule as Cypher fragments, for the statements that fold it in.

The rule itself lives in access/product_viewer.cypher (what it needs to know of the viewer's
organisation) and access/product_visible.cypher (the condition on one product); graph_api/rules/
access.py decides who it applies to. Statements below the rules (the daily digest) apply it per
partner through `viewer_per_row`, as access.visible_among does.
"""

from __future__ import annotations

from graph_api.store.statements import statement


def without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def product_viewer() -> str:
    """Binds accessViewer, accessPcii and accessSectors for the partner $accessPartner."""
    return without_comments(statement("access/product_viewer"))


def viewer_per_row() -> str:
    """The same, for the partner whose id a statement bound as `accessPartner` on each row."""
    return product_viewer().replace("$accessPartner", "accessPartner")


def product_rule(product_var: str) -> str:
    """The condition the product bound to `product_var` meets when the viewer may see it."""
    return without_comments(statement("access/product_visible").replace("/*PRODUCT*/", product_var))

"""Import circles in a package: modules that import each other, directly or through others.

Every import statement counts, wherever it stands (inside a function, under TYPE_CHECKING): a
circle hidden in a function is still two modules that cannot be read one without the other.
`python -m tests.import_circles graph_api` prints each circle and fails when there is one;
`./dev test` runs it before the tests.
"""

from __future__ import annotations

import sys

import grimp


def circles(package: str) -> list[list[str]]:
    """One circle through each group of modules that import each other, as the chain of
    modules from the first back to it; none when the imports form no circle."""
    graph = grimp.build_graph(package, cache_dir=None)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    found: list[list[str]] = []
    for group in _strongly_connected(imports):
        if len(group) < 2:
            continue
        start = min(group)
        step = min(m for m in imports[start] if m in group)
        back = graph.find_shortest_chain(importer=step, imported=start)
        assert back is not None
        found.append([start, *back])
    return sorted(found)


def _strongly_connected(imports: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in sorted(imports):
        if root in index:
            continue
        work = [(root, iter(sorted(imports[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, pending = work[-1]
            for imported in pending:
                if imported not in imports:
                    continue
                if imported not in index:
                    index[imported] = low[imported] = len(index)
                    stack.append(imported)
                    on_stack.add(imported)
                    work.append((imported, iter(sorted(imports[imported]))))
                    break
                if imported in on_stack:
                    low[module] = min(low[module], index[imported])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group: set[str] = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    groups.append(group)
    return groups


def main(argv: list[str]) -> int:
    package = argv[0] if argv else "graph_api"
    found = circles(package)
    for circle in found:
        print("import circle: " + " -> ".join(circle))
    if found:
        print(f"{len(found)} import circle(s) in {package}: move code to where it belongs.")
        return 1
    print(f"no import circles in {package}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

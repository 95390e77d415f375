"""MkDocs hook: the benchmark result files of bench/ become pages of the site (benchmarks/results/),
read from where the benchmarks write them, so the site never holds a stale copy of a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

BENCH = Path(__file__).resolve().parents[2] / "bench"


def on_files(files: Files, config: Any) -> Files:
    for result in sorted(BENCH.glob("RESULTS*.md")):
        files.append(File.generated(config, f"benchmarks/results/{result.name}", abs_src_path=str(result)))
    return files

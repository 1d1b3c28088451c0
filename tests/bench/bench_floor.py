"""In-process timings: the YAML compose floor and the analysis core.

The floor is what composing the text with ruamel.yaml's libyaml-backed parser
costs, the least any YAML-based analysis can pay for a full re-parse:

* ``default``: ``YAML(typ="safe", pure=False).compose_all`` as shipped;
* ``tuned``: the C parser with a resolver that tags every scalar as a string
  (as ``server/ecs_netmode_lsp/yamlsource.py`` does) and the garbage collector
  off while composing.

``analyze`` times ``ecs_netmode_lsp.analysis.analyze`` with the collector on,
as the server runs it.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]

from ecs_netmode_lsp.analysis import analyze

STR_TAG = "tag:yaml.org,2002:str"


class _StringResolver:
    """Resolves every scalar, sequence and mapping to one fixed tag."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return STR_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


class _TunedParser(_StringResolver, CParser):  # type: ignore[misc]
    """The libyaml-backed composer with the trivial resolver."""


@dataclass(frozen=True)
class Timings:
    """Median milliseconds of the in-process measurements of one text."""

    floor_default: float
    floor_tuned: float
    analyze: float
    findings: int


def compose_default(text: str) -> int:
    """Compose with ruamel.yaml's C-backed safe loader, default settings."""
    return len(list(YAML(typ="safe", pure=False).compose_all(text)))


def compose_tuned(text: str) -> int:
    """Compose with the C parser, trivial resolver and the collector off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        parser = _TunedParser(text)
        count = 0
        try:
            while parser.check_node():
                parser.get_node()
                count += 1
        finally:
            parser.dispose()
        return count
    finally:
        if enabled:
            gc.enable()


def median_ms(function: Callable[[str], object], text: str, runs: int) -> float:
    """Return the median wall time of ``function(text)`` in milliseconds."""
    function(text)  # warm caches and lazy imports
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function(text)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def measure(text: str, runs: int) -> Timings:
    """Time the floor (both flavours) and the analysis of ``text``."""
    gc.collect()
    return Timings(
        floor_default=median_ms(compose_default, text, runs),
        floor_tuned=median_ms(compose_tuned, text, runs),
        analyze=median_ms(analyze, text, runs),
        findings=len(analyze(text).findings),
    )

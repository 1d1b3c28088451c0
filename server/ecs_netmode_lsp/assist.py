"""Hover text and value completion for network_mode, from an analysis."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ecs_netmode_lsp.analysis import Analysis, Finding
from ecs_netmode_lsp.rule import DOC_URL, KICS_QUERY_ID, RULE_ID, TITLE, WHY
from ecs_netmode_lsp.source import Span

_KEY = re.compile(r"network_mode")
_VALUE_PREFIX = re.compile(r"""(?:^|[\s{,])network_mode[ \t]*:[ \t]*["']?([\w-]*)$""")

RULE_MARKDOWN = f"""\
**{TITLE}** (`{RULE_ID}`)

ECS task definitions should use `network_mode: awsvpc`. {WHY}

Fix: set `network_mode: awsvpc` (the quick fix does it). To accept a task as it is,
put `# dd-iac-scan ignore-line` (or `# kics-scan ignore-line`) on the line above
the finding, or `# dd-iac-scan ignore-block` above the task.

[Rule documentation]({DOC_URL}) · KICS query `{KICS_QUERY_ID}`"""


@dataclass(frozen=True)
class Choice:
    """One value the module accepts for network_mode."""

    label: str
    detail: str
    documentation: str
    recommended: bool = False


CHOICES = (
    Choice(
        "awsvpc",
        "Recommended: each task gets its own network interface",
        "Tasks get their own elastic network interface, private IP and security "
        "groups. Required for Fargate.",
        recommended=True,
    ),
    Choice(
        "bridge",
        "Flagged: containers share Docker's bridge on the instance",
        "Containers use Docker's virtual bridge network on the container instance; "
        "security groups apply to the instance, not the task. AWS's default.",
    ),
    Choice(
        "host",
        "Flagged: containers use the instance's network directly",
        "Containers bind straight to the instance's network interface; tasks "
        "share the instance's security groups and ports.",
    ),
    Choice(
        "none",
        "Flagged: no external networking",
        "Containers have no external connectivity; the rule still asks for awsvpc.",
    ),
    Choice(
        "default",
        "Flagged: Docker's default network (bridge on Linux)",
        "Docker picks its default network, which is bridge on Linux instances.",
    ),
)


@dataclass(frozen=True)
class Completion:
    """Values to offer, and the text they replace."""

    replace: Span
    choices: tuple[Choice, ...] = CHOICES


def hover(analysis: Analysis, offset: int) -> str | None:
    """Return hover markdown for a finding or a network_mode key at ``offset``."""
    finding = finding_at(analysis, offset)
    if finding is not None:
        return f"{finding.message}\n\n---\n\n{RULE_MARKDOWN}"
    if _in_task(analysis, offset) and _on_key(analysis, offset):
        return RULE_MARKDOWN
    return None


def finding_at(analysis: Analysis, offset: int) -> Finding | None:
    """Return the finding whose range holds ``offset``, if any."""
    for finding in analysis.findings:
        if finding.span.start <= offset <= finding.span.end:
            return finding
    return None


def complete(analysis: Analysis, offset: int) -> Completion | None:
    """Return network_mode values to offer when ``offset`` is at such a value."""
    if not _in_task(analysis, offset):
        return None
    lines = analysis.source.lines
    line_start = lines.start(lines.line_of(offset))
    prefix = analysis.source.text[line_start:offset]
    match = _VALUE_PREFIX.search(prefix)
    if match is None:
        return None
    typed = len(match.group(1))
    return Completion(Span(offset - typed, offset))


def _in_task(analysis: Analysis, offset: int) -> bool:
    return any(span.start <= offset <= span.end for span in analysis.tasks)


def _on_key(analysis: Analysis, offset: int) -> bool:
    lines = analysis.source.lines
    line = lines.line_of(offset)
    start = lines.start(line)
    content = analysis.source.text[start : lines.line_end(line)]
    return any(
        match.start() <= offset - start <= match.end()
        for match in _KEY.finditer(content)
    )

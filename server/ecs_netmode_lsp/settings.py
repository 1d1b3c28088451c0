"""User settings: one typed model, camelCase on the wire under ``ecsNetmode``.

Settings arrive as ``initializationOptions`` and as the ``ecsNetmode`` section of
``workspace/configuration``.  Unknown keys are ignored; a known key with a wrong
value keeps its default and is reported once, in words the user can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Severity = Literal["error", "warning", "information", "hint"]
Keyword = Literal["dd-iac-scan", "kics-scan"]

SECTION = "ecsNetmode"
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "information", "hint")
KEYWORDS: tuple[Keyword, ...] = ("dd-iac-scan", "kics-scan")
DEFAULT_MAX_SIZE = 10_000_000


@dataclass(frozen=True)
class Settings:
    """What the user can change."""

    enable: bool = True
    """Analyse documents at all."""

    severity: Severity = "warning"
    """Severity of the rule's diagnostics."""

    flag_missing: bool = True
    """Report a task without network_mode; false matches the upstream query."""

    suppression_keyword: Keyword = "dd-iac-scan"
    """Comment keyword the suppression quick fix writes."""

    max_document_size: int = DEFAULT_MAX_SIZE
    """Documents longer than this many characters get a notice, not analysis."""


@dataclass(frozen=True)
class Parsed:
    """Settings read from the wire and the problems found in them."""

    settings: Settings
    problems: list[str] = field(default_factory=list)


_FIELDS: dict[str, tuple[str, Any]] = {
    "enable": ("enable", bool),
    "severity": ("severity", SEVERITIES),
    "flagMissing": ("flag_missing", bool),
    "suppressionKeyword": ("suppression_keyword", KEYWORDS),
    "maxDocumentSize": ("max_document_size", int),
}


def parse(raw: object, base: Settings | None = None) -> Parsed:
    """Read settings from a JSON object on top of ``base``.

    ``None`` (a client that has no settings to give) keeps ``base`` as it is.
    """
    base = base or Settings()
    if raw is None:
        return Parsed(base)
    if not isinstance(raw, Mapping):
        return Parsed(base, [f"{SECTION} settings must be an object, not {raw!r}"])
    nested = raw.get(SECTION)
    values: Mapping[str, Any] = nested if isinstance(nested, Mapping) else raw

    changes: dict[str, Any] = {}
    problems = []
    for wire, (name, expected) in _FIELDS.items():
        value = values.get(wire)
        if value is None:
            continue
        if _valid(value, expected):
            changes[name] = value
        else:
            default = getattr(Settings(), name)
            problems.append(
                f"{SECTION}.{wire} = {value!r} is not valid ({_expected(expected)}); "
                f"using {default!r}"
            )
            changes[name] = default
    return Parsed(replace(base, **changes), problems)


def _valid(value: object, expected: Any) -> bool:
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    return value in expected


def _expected(expected: Any) -> str:
    if expected is bool:
        return "expected true or false"
    if expected is int:
        return "expected a positive whole number"
    return "expected one of " + ", ".join(expected)

"""Settings of ``check`` from ``pyproject.toml``.

The table is ``[tool.ecs-netmode-lsp]``, found in the nearest
``pyproject.toml`` that has one, from the current folder upwards::

    [tool.ecs-netmode-lsp]
    severity = "error"          # error, warning, information or hint
    flag-missing = false        # do not report tasks without network_mode
    exclude = ["molecule/*", "legacy"]

Exclude globs are matched against a path's name and against the path relative
to the folder holding the ``pyproject.toml``.  Command-line flags win over the
file; ``--exclude`` adds to its globs.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ecs_netmode_lsp.settings import SEVERITIES, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # tomllib is new in 3.11; tomli is the same parser as a package.
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

TABLE = "ecs-netmode-lsp"
FILE = "pyproject.toml"


class ConfigError(Exception):
    """The configuration cannot be used; the message says what to change."""


@dataclass(frozen=True)
class Config:
    """What the configuration file sets; None means it leaves it unset."""

    path: Path | None = None
    severity: Severity | None = None
    flag_missing: bool | None = None
    exclude: tuple[str, ...] = ()

    @property
    def base(self) -> Path:
        """The folder exclude globs are relative to."""
        return self.path.parent.absolute() if self.path else Path.cwd()


def find(start: Path) -> Path | None:
    """Return the nearest ``pyproject.toml`` with our table, from ``start`` up."""
    for folder in (start, *start.parents):
        candidate = folder / FILE
        if candidate.is_file() and _table(candidate, _read(candidate)) is not None:
            return candidate
    return None


def load(path: Path | None) -> Config:
    """Read our table from ``path``; no path gives an empty configuration."""
    if path is None:
        return Config()
    table = _table(path, _read(path)) or {}
    return _parse(path, table)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            # Typed here: on Python 3.10 the tomli stub may be absent.
            table: dict[str, Any] = tomllib.load(stream)
            return table
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def _table(path: Path, document: Mapping[str, Any]) -> Mapping[str, Any] | None:
    tool = document.get("tool")
    table = tool.get(TABLE) if isinstance(tool, Mapping) else None
    if table is None or isinstance(table, Mapping):
        return table
    # `[tool] ecs-netmode-lsp = "..."` means settings, written wrongly.
    raise ConfigError(f"{path}: tool.{TABLE} = {table!r}: expected a table")


def _parse(path: Path, table: Mapping[str, Any]) -> Config:
    unknown = sorted(set(table) - {"severity", "flag-missing", "exclude"})
    if unknown:
        names = ", ".join(unknown)
        raise ConfigError(f"{path}: [tool.{TABLE}] has unknown keys: {names}")
    return Config(
        path=path,
        severity=_severity(path, table.get("severity")),
        flag_missing=_flag(path, table.get("flag-missing")),
        exclude=_globs(path, table.get("exclude")),
    )


def _severity(path: Path, value: object) -> Severity | None:
    if value is None:
        return None
    for severity in SEVERITIES:
        if value == severity:
            return severity
    raise _invalid(path, "severity", value, "one of " + ", ".join(SEVERITIES))


def _flag(path: Path, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _invalid(path, "flag-missing", value, "true or false")


def _globs(path: Path, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise _invalid(path, "exclude", value, "a list of glob strings")


def _invalid(path: Path, key: str, value: object, expected: str) -> ConfigError:
    return ConfigError(f"{path}: [tool.{TABLE}] {key} = {value!r}: expected {expected}")

"""Finding the files to check, and reading and writing them byte for byte.

A folder is searched for ``*.yml`` and ``*.yaml`` files.  Hidden entries (a
name starting with a dot: ``.git``, ``.venv``, ``.github``...) and the
``node_modules`` and ``__pycache__`` folders are skipped, and symbolic links to
folders are not followed, so a link loop cannot trap the search.  Only regular
files (and links to them) are taken from a folder: a FIFO would block the read.
A file named on the command line is always read, whatever its name, unless an
exclude pattern matches it; that keeps ``exclude`` working under pre-commit,
which names every file.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

SUFFIXES = (".yml", ".yaml")
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})

# Longest first: the UTF-32 little-endian mark starts with the UTF-16 one.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


@dataclass(frozen=True)
class Exclude:
    """A glob, and the folder that paths are made relative to for it.

    ``*`` also matches ``/``; ``**/`` also matches no folder at all, so
    ``**/legacy`` excludes a top-level ``legacy`` too.  An absolute glob is
    matched against the absolute path.
    """

    pattern: str
    base: Path

    def matches(self, path: Path) -> bool:
        """Tell whether ``path`` (a file or folder) is excluded by this glob."""
        return self._matches(self._relative(path))

    def covers(self, path: Path) -> bool:
        """Tell whether ``path`` or a folder above it is excluded by this glob."""
        parts = self._relative(path).parts
        prefixes = (PurePath(*parts[:end]) for end in range(1, len(parts) + 1))
        return any(self._matches(prefix) for prefix in prefixes)

    def _relative(self, path: Path) -> PurePath:
        # Lexically normalised, so "sub/../roles" is "roles" as the user means.
        absolute = os.path.normpath(path.absolute())
        if PurePath(self.pattern).is_absolute():
            return PurePath(absolute)
        try:
            return PurePath(os.path.relpath(absolute, self.base))
        except ValueError:
            # Another drive on Windows: no relative path exists.
            return PurePath(absolute)

    def _matches(self, path: PurePath) -> bool:
        name = path.name
        posix = path.as_posix()
        return any(
            fnmatch.fnmatchcase(name, glob) or fnmatch.fnmatchcase(posix, glob)
            for glob in _spellings(self.pattern)
        )


def _spellings(pattern: str) -> set[str]:
    """Return the globs ``pattern`` stands for, each ``**/`` kept or dropped."""
    # "vendor/" and "./vendor" name the same folder as "vendor".
    pattern = pattern.removeprefix("./").rstrip("/") or pattern
    pieces = pattern.split("**/")
    globs = {pieces[0]}
    for piece in pieces[1:]:
        globs = {glob + joint + piece for glob in globs for joint in ("**/", "")}
    return globs


class NotText(Exception):
    """The bytes of a file are not text this tool reads."""


@dataclass(frozen=True)
class Decoded:
    """A file's text and what it takes to write it back the same way."""

    text: str
    """The text without its byte order mark."""

    codec: str
    bom: bytes

    def encode(self, text: str) -> bytes:
        """Return ``text`` as bytes in the file's own encoding and mark."""
        return self.bom + text.encode(self.codec)


def collect(paths: Iterable[str], excludes: list[Exclude]) -> Iterator[Path]:
    """Yield the files to check under ``paths``, each folder's files sorted."""
    for name in paths:
        path = Path(name)
        if any(exclude.covers(path) for exclude in excludes):
            continue
        if path.is_dir():
            yield from _walk(path, excludes)
        else:
            yield path


def _walk(root: Path, excludes: list[Exclude]) -> Iterator[Path]:
    found = []
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        folders[:] = [
            name
            for name in folders
            if _searchable(name) and not _excluded(here / name, excludes)
        ]
        found += [
            here / name
            for name in files
            if _searchable(name)
            and name.endswith(SUFFIXES)
            and not _excluded(here / name, excludes)
            and _regular(here / name)
        ]
    return iter(sorted(found))


def _searchable(name: str) -> bool:
    return not name.startswith(".") and name not in SKIPPED_FOLDERS


def _regular(path: Path) -> bool:
    # Reading a FIFO found in a folder would wait for a writer forever, and a
    # device or socket is no playbook; a dangling link stays, to be reported.
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def _excluded(path: Path, excludes: list[Exclude]) -> bool:
    return any(exclude.matches(path) for exclude in excludes)


def decode(data: bytes) -> Decoded:
    """Decode a file's bytes: UTF-8 with or without a mark, or marked UTF-16/32."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(_decode(data[len(bom) :], codec, len(bom)), codec, bom)
    if b"\x00" in data:
        raise NotText(
            "binary file (it holds NUL bytes), not YAML text; "
            "UTF-16 and UTF-32 are read only with a byte order mark"
        )
    return Decoded(_decode(data, "utf-8", 0), "utf-8", b"")


def _decode(data: bytes, codec: str, skipped: int) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        offset = error.start + skipped
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start : error.start + 1].hex()
        raise NotText(
            f"not valid {codec.upper()}: byte 0x{byte} at offset {offset} "
            f"(line {line}); save the file as UTF-8"
        ) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` with ``data``, keeping its owner and mode.

    The new bytes go to a temporary file in the same folder, which then takes
    the old file's place in one rename: a reader sees the old file or the new
    one, never half of it.  A symbolic link is kept and its target replaced.
    """
    target = Path(os.path.realpath(path))
    status = target.stat()
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        _own(temporary, status)
        Path(temporary).chmod(stat.S_IMODE(status.st_mode))
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _own(path: str, status: os.stat_result) -> None:
    # The new file belongs to whoever runs the fix; give it back to the old
    # file's owner and group where that is allowed (root, or a group of ours).
    # Done before chmod, because chown clears the set-user-ID bit.
    if not hasattr(os, "chown"):
        return
    for uid, gid in ((status.st_uid, status.st_gid), (-1, status.st_gid)):
        try:
            os.chown(path, uid, gid)
            return
        except PermissionError:
            continue

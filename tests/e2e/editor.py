"""A small editor model for end-to-end tests: open, type, pull or wait, apply."""

from __future__ import annotations

import asyncio
import itertools

from lsprotocol import types
from pytest_lsp import LanguageClient

TIMEOUT = 20.0
_uris = itertools.count()


def offset_to_position(text: str, offset: int, encoding: str) -> types.Position:
    """Compute an LSP position independently of the server's code."""
    before = text[:offset].replace("\r\n", "\n").replace("\r", "\n")
    line = before.count("\n")
    prefix = before[before.rfind("\n") + 1 :]
    if encoding == "utf-8":
        character = len(prefix.encode("utf-8"))
    elif encoding == "utf-16":
        character = len(prefix.encode("utf-16-le")) // 2
    else:
        character = len(prefix)
    return types.Position(line=line, character=character)


def position_to_offset(text: str, position: types.Position, encoding: str) -> int:
    """Inverse of :func:`offset_to_position`."""
    offset = 0
    for _ in range(position.line):
        newline = min(
            (i for i in (text.find("\r\n", offset), text.find("\n", offset)) if i >= 0),
            default=-1,
        )
        carriage = text.find("\r", offset)
        if carriage >= 0 and (newline < 0 or carriage < newline):
            newline = carriage
        if newline < 0:
            return len(text)
        offset = newline + (2 if text.startswith("\r\n", newline) else 1)
    counted = 0
    index = offset
    while (
        index < len(text) and text[index] not in "\r\n" and counted < position.character
    ):
        char = text[index]
        if encoding == "utf-8":
            counted += len(char.encode("utf-8"))
        elif encoding == "utf-16":
            counted += len(char.encode("utf-16-le")) // 2
        else:
            counted += 1
        index += 1
    return index


def apply_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """Apply text edits as an editor does (all ranges refer to the old text)."""
    spans = []
    for edit in edits:
        start = position_to_offset(text, edit.range.start, encoding)
        end = position_to_offset(text, edit.range.end, encoding)
        spans.append((start, end, edit.new_text))
    for start, end, new_text in sorted(spans, reverse=True):
        text = text[:start] + new_text + text[end:]
    return text


class Editor:
    """Tracks open documents like an editor and fetches their diagnostics."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        result: types.InitializeResult = client.initialize_result  # type: ignore[attr-defined]
        self.encoding = str(result.capabilities.position_encoding or "utf-16")

    @property
    def pulls(self) -> bool:
        workspace = self.client.capabilities.workspace
        refresh = workspace.diagnostics if workspace is not None else None
        return refresh is not None and bool(refresh.refresh_support)

    def open(self, text: str, name: str = "playbook.yml") -> str:
        uri = f"file:///work/{next(_uris)}/{name}"
        self.texts[uri] = text
        self.versions[uri] = 1
        self.client.diagnostics.pop(uri, None)
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="yaml", version=1, text=text
                )
            )
        )
        return uri

    def change(self, uri: str, start: int, end: int, new_text: str) -> None:
        """Replace ``[start, end)`` (code point offsets) with ``new_text``."""
        old = self.texts[uri]
        range_ = types.Range(
            start=offset_to_position(old, start, self.encoding),
            end=offset_to_position(old, end, self.encoding),
        )
        self.texts[uri] = old[:start] + new_text + old[end:]
        self.versions[uri] += 1
        self.client.diagnostics.pop(uri, None)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=range_, text=new_text)
                ],
            )
        )

    def close(self, uri: str) -> None:
        self.client.diagnostics.pop(uri, None)
        self.versions.pop(uri, None)
        self.client.text_document_did_close(
            types.DidCloseTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=uri)
            )
        )

    async def diagnostics(self, uri: str) -> list[types.Diagnostic]:
        """Return the diagnostics for the current text, pulled or published."""
        if self.pulls:
            report = await self.client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(
                    text_document=types.TextDocumentIdentifier(uri=uri)
                )
            )
            return list(report.items)
        return await self.published(uri)

    async def published(
        self, uri: str, timeout: float = TIMEOUT
    ) -> list[types.Diagnostic]:
        """Wait for the diagnostics published for the current version of ``uri``.

        After a close, the server publishes an empty list without a version.
        """
        versions = self.client.published_versions  # type: ignore[attr-defined]
        wanted = self.versions.get(uri)
        async with asyncio.timeout(timeout):
            while uri not in self.client.diagnostics or versions.get(uri) != wanted:
                await asyncio.sleep(0.01)
        return list(self.client.diagnostics[uri])

    async def code_actions(
        self, uri: str, diagnostic: types.Diagnostic | None = None, only=None
    ) -> list[types.CodeAction]:
        range_ = (
            diagnostic.range
            if diagnostic
            else types.Range(
                start=types.Position(line=0, character=0),
                end=types.Position(line=0, character=0),
            )
        )
        result = await self.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=range_,
                context=types.CodeActionContext(
                    diagnostics=[diagnostic] if diagnostic else [], only=only
                ),
            )
        )
        return [
            action for action in result or [] if isinstance(action, types.CodeAction)
        ]

    def apply(self, uri: str, edit: types.WorkspaceEdit) -> str:
        """Apply a workspace edit to our copy and send it as a full change."""
        edits: list[types.TextEdit] = []
        if edit.document_changes:
            for change in edit.document_changes:
                assert isinstance(change, types.TextDocumentEdit)
                assert change.text_document.uri == uri
                assert change.text_document.version == self.versions[uri]
                edits.extend(change.edits)
        else:
            edits.extend((edit.changes or {})[uri])
        new_text = apply_edits(self.texts[uri], edits, self.encoding)
        self.replace(uri, new_text)
        return new_text

    def replace(self, uri: str, new_text: str) -> None:
        self.texts[uri] = new_text
        self.versions[uri] += 1
        self.client.diagnostics.pop(uri, None)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(text=new_text)
                ],
            )
        )

"""doclint lsp: a real LSP exchange with the server in a subprocess (pygls' client over stdio)."""

from __future__ import annotations

import asyncio
import sys

import pytest

pytest.importorskip("pygls")
from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

TEXT = "# Anteckning\n\nSkolan skall ge stöd.\nMamman är slarvig – 😀 och hon skall ringa.\n"


async def _exchange(tmp_path):
    client = LanguageClient("doclint-test", "1")
    published: list[types.PublishDiagnosticsParams] = []
    got = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params):
        published.append(params)
        got.set()

    await client.start_io(sys.executable, "-m", "doclint", "lsp", "--pipeline", "blank")
    try:
        result = await asyncio.wait_for(client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=tmp_path.as_uri())), 60)
        assert result.capabilities.code_action_provider is not None
        client.initialized(types.InitializedParams())
        uri = (tmp_path / "anteckning.md").as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=uri, language_id="markdown", version=1, text=TEXT)))
        await asyncio.wait_for(got.wait(), 60)
        opened = published[-1]
        got.clear()
        # an edit: the first "skall" becomes "ska"; the diagnostics follow the text
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=2, character=7), end=types.Position(line=2, character=12)),
                text="ska")]))
        await asyncio.wait_for(got.wait(), 60)
        changed = published[-1]
        skall = next(d for d in changed.diagnostics if d.code == "DL303")
        actions = await asyncio.wait_for(client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=skall.range,
            context=types.CodeActionContext(diagnostics=[skall]))), 30)
        await asyncio.wait_for(client.shutdown_async(None), 30)
        client.exit(None)
        return opened, changed, actions
    finally:
        await client.stop()


def test_lsp_publishes_diagnostics_and_offers_the_suggestion_as_a_quick_fix(tmp_path):
    opened, changed, actions = asyncio.run(_exchange(tmp_path))
    by_code = {}
    for d in opened.diagnostics:
        by_code.setdefault(d.code, []).append(d)
    first, second = sorted(by_code["DL303"], key=lambda d: d.range.start.line)
    assert (first.range.start.line, first.range.start.character, first.range.end.character) == (2, 7, 12)
    # after the emoji (two UTF-16 units) the column is counted as the editor counts it
    line = TEXT.splitlines()[3]
    assert (second.range.start.line, second.range.start.character) == (3, len(line[:line.index("skall")].encode("utf-16-le")) // 2)
    assert first.severity == types.DiagnosticSeverity.Warning and first.source == "doclint"
    assert "ska" in first.message
    assert any(d.code == "DL201" for d in opened.diagnostics)
    assert changed.version == 2
    assert [d.range.start.line for d in changed.diagnostics if d.code == "DL303"] == [3]
    assert actions and actions[0].kind == types.CodeActionKind.QuickFix
    edit = actions[0].edit.changes[(tmp_path / "anteckning.md").as_uri()][0]
    assert actions[0].title == "Byt till ”ska”" and edit.new_text == "ska"
    assert edit.range.start.line == 3

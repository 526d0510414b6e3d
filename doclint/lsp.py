"""doclint lsp: a Language Server (pygls) over stdio for Markdown and text files.

Diagnostics are published when a document is opened or changed (after a short pause in typing)
and the suggestion of a finding is offered as a quick fix. Texts only live in the editor's
workspace in memory; nothing is written or logged.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
LANGUAGES = ("markdown", "plaintext", "text")
SUFFIXES = (".md", ".markdown", ".txt")
DEBOUNCE = 0.3  # seconds after the last change


class DoclintServer(LanguageServer):
    def __init__(self, pipeline: str = "default", config: Path | None = None):
        from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

        try:
            ver = version("doclint")
        except PackageNotFoundError:
            ver = "0"
        super().__init__("doclint", ver)
        self.pipeline_name = pipeline
        self.config_path = config
        self._service = None
        self._pending: dict[str, asyncio.Task] = {}
        self.findings: dict[str, list] = {}

    @property
    def service(self):
        if self._service is None:
            from .serve import Service  # noqa: PLC0415

            self._service = Service(pipeline=self.pipeline_name, config=self.config_path)
        return self._service


def _wanted(doc) -> bool:
    return (doc.language_id in LANGUAGES) or doc.uri.lower().endswith(SUFFIXES)


def _position(text: str, index: int) -> types.Position:
    """LSP positions count UTF-16 units from 0; doclint counts characters."""
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return types.Position(line=line, character=len(text[start:index].encode("utf-16-le")) // 2)


def diagnostics(server: DoclintServer, uri: str, text: str) -> list[types.Diagnostic]:
    from .serve import ServiceError  # noqa: PLC0415

    path = Path(uri.split("://", 1)[-1]).name or "anteckning.md"
    if not text.strip():
        server.findings[uri] = []
        return []
    try:
        _, findings, _ = server.service.check({"text": text, "path": path})
    except ServiceError as exc:
        return [types.Diagnostic(range=types.Range(start=types.Position(line=0, character=0),
                                                   end=types.Position(line=0, character=0)),
                                 message=exc.message, severity=types.DiagnosticSeverity.Error, source="doclint")]
    server.findings[uri] = findings
    out = []
    for f in findings:
        rng = types.Range(start=_position(text, f.start), end=_position(text, f.end))
        out.append(types.Diagnostic(range=rng, message=f"{f.title or f.name}: {f.message}", severity=SEVERITY[f.severity],
                                    code=f.rule, source="doclint", data={"suggestions": list(f.suggestions)}))
    return out


def build(pipeline: str = "default", config: Path | None = None) -> DoclintServer:
    server = DoclintServer(pipeline, config)

    def publish(uri: str) -> None:
        doc = server.workspace.get_text_document(uri)
        if not _wanted(doc):
            return
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=doc.version, diagnostics=diagnostics(server, uri, doc.source)))

    async def later(uri: str) -> None:
        await asyncio.sleep(DEBOUNCE)
        publish(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DoclintServer, params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: DoclintServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = ls._pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls._pending[uri] = asyncio.ensure_future(later(uri))

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DoclintServer, params: types.DidSaveTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DoclintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.findings.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                            diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: DoclintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        actions = []
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != "doclint" or not isinstance(diagnostic.data, dict):
                continue
            for suggestion in (diagnostic.data.get("suggestions") or [])[:3]:
                if not suggestion or "\n" in suggestion or len(suggestion) > 80:
                    continue
                edit = types.WorkspaceEdit(changes={params.text_document.uri: [
                    types.TextEdit(range=diagnostic.range, new_text=suggestion)]})
                actions.append(types.CodeAction(title=f"Byt till ”{suggestion}”", kind=types.CodeActionKind.QuickFix,
                                                diagnostics=[diagnostic], edit=edit, is_preferred=len(actions) == 0))
        return actions

    return server


def run(pipeline: str = "default", config: Path | None = None) -> None:
    build(pipeline, config).start_io()

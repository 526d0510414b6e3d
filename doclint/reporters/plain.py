"""Text output written to a file (--format text --output FILE): no colours."""

from __future__ import annotations

import io

from rich.console import Console

from . import text


def render(findings, *, texts, **context) -> str:
    buffer = io.StringIO()

    def lines_of(path, line):
        lines = texts.get(path, "").split("\n")
        return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else None

    text.render(findings, console=Console(file=buffer, no_color=True, width=200, highlight=False),
                lines_of=lines_of, **context)
    return buffer.getvalue()

"""--format text: compiler-style findings with the source line underlined."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..rules import FAMILY_NAMES, SEVERITY_NAMES
from . import summary

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(findings, *, console: Console, lines_of, skipped=(), errors=(), statistics=False, **_) -> None:
    for f in findings:
        sev = SEVERITY_NAMES[f.severity]
        console.print(f"[bold]{escape(f.path)}:{f.line}:{f.column}[/]  [{STYLE[f.severity]}]{sev:<7}[/] "
                      f"[dim]{f.rule}[/] {escape(f.name)}  {escape(f.message.translate(_CONTROL))}", soft_wrap=True)
        source = lines_of(f.path, f.line)
        if source is not None:
            width = len(str(f.line))
            end = f.end_column if f.end_line == f.line else len(source) + 1
            shown, offset, length = excerpt(source, f.column - 1, end - 1)
            console.print(f"  [dim]{f.line} │[/] {escape(shown)}", soft_wrap=True, highlight=False)
            console.print(f"  {' ' * width} [dim]│[/] {' ' * offset}[{STYLE[f.severity]}]{'^' * length}[/]",
                          soft_wrap=True, highlight=False)
        if f.suggestions:
            options = " eller ".join(f"[green]{escape(s)}[/]" for s in f.suggestions)
            console.print(f"  {' ' * len(str(f.line))} [dim]=[/] förslag: {options}", soft_wrap=True)
        for r in f.related:
            console.print(f"  {' ' * len(str(f.line))} [dim]=[/] se även {escape(r['path'])}:{r['line']}",
                          soft_wrap=True)
    for rule, missing in skipped:
        needs = ", ".join(missing)
        console.print(f"[dim]Hoppade över {rule.id} {rule.name}: den kräver {needs}, som standardpipelinen inte "
                      f"ger. Kör med --pipeline sv_core_news_sm eller --pipeline stanza.[/]")
    errors_to = Console(stderr=True, highlight=False) if console.file is sys.stdout else console
    for err in errors:
        errors_to.print(f"[bold red]doclint:[/] {escape(err)}", soft_wrap=True)
    _summary(findings, console, statistics)


_CONTROL = {c: "\ufffd" for c in list(range(0, 9)) + list(range(10, 32)) + [127]}


def excerpt(line: str, start: int, end: int, width: int = 96) -> tuple[str, int, int]:
    """A window of a long source line around [start, end): (text, caret offset, caret length).

    Control characters from the note (escape sequences, CR) are shown as � so that the
    text cannot change the terminal."""
    line = line.translate(_CONTROL)
    end = max(end, start + 1)
    if len(line) <= width:
        return line, start, min(end, len(line) + 1) - start
    context = 24
    left = max(0, start - context)
    right = min(len(line), max(end + context, left + width) if end - start < width - context else start + width)
    text = ("…" if left else "") + line[left:right] + ("…" if right < len(line) else "")
    offset = start - left + (1 if left else 0)
    return text, offset, max(1, min(end, right) - start)


def _summary(findings, console: Console, statistics: bool) -> None:
    if not findings:
        console.print("[green]Inga anmärkningar.[/]")
        return
    s = summary(findings)
    table = Table(title=None, show_edge=False, box=None, pad_edge=False)
    table.add_column("Område")
    for sev in ("error", "warning", "info"):
        table.add_column(SEVERITY_NAMES[sev], justify="right")
    for family, counts in s["by_family"].items():
        table.add_row(f"{family} ({FAMILY_NAMES.get(family, '')})",
                      *(str(counts.get(sev, 0)) for sev in ("error", "warning", "info")))
    console.print()
    console.print(table)
    console.print(f"{s['total']} {'anmärkning' if s['total'] == 1 else 'anmärkningar'}.")
    if statistics:
        stats = Table(show_edge=False, box=None)
        stats.add_column("Antal", justify="right")
        stats.add_column("Regel")
        for rule, count in s["by_rule"].items():
            stats.add_row(str(count), rule)
        console.print()
        console.print(stats)

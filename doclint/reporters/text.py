"""--format text: compiler-style findings with the source line underlined."""

from __future__ import annotations

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
                      f"[dim]{f.rule}[/] {escape(f.name)}  {escape(f.message)}", soft_wrap=True)
        source = lines_of(f.path, f.line)
        if source is not None:
            width = len(str(f.line))
            console.print(f"  [dim]{f.line} │[/] {escape(source)}", soft_wrap=True, highlight=False)
            end = f.end_column if f.end_line == f.line else len(source) + 1
            marks = "^" * max(1, end - f.column)
            console.print(f"  {' ' * width} [dim]│[/] {' ' * (f.column - 1)}[{STYLE[f.severity]}]{marks}[/]",
                          soft_wrap=True, highlight=False)
        for s in f.suggestions:
            console.print(f"  {' ' * len(str(f.line))} [dim]=[/] förslag: [green]{escape(s)}[/]", soft_wrap=True)
        for r in f.related:
            console.print(f"  {' ' * len(str(f.line))} [dim]=[/] se även {escape(r['path'])}:{r['line']}",
                          soft_wrap=True)
    for rule, missing in skipped:
        needs = ", ".join(missing)
        console.print(f"[dim]Hoppade över {rule.id} {rule.name}: den kräver {needs}, som standardpipelinen inte "
                      f"ger. Kör med --pipeline sv_core_news_sm eller --pipeline stanza.[/]")
    for err in errors:
        console.print(f"[bold red]fel:[/] {escape(err)}", soft_wrap=True)
    _summary(findings, console, statistics)


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
    console.print(f"{s['total']} anmärkningar.")
    if statistics:
        stats = Table(show_edge=False, box=None)
        stats.add_column("Antal", justify="right")
        stats.add_column("Regel")
        for rule, count in s["by_rule"].items():
            stats.add_row(str(count), rule)
        console.print()
        console.print(stats)

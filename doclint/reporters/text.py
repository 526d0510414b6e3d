"""--format text: compiler-style findings with the source line underlined."""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..rules import FAMILY_NAMES, SEVERITY_NAMES
from ..findings import SEVERITY_RANK
from . import hidden_text, summary

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render(findings, *, console: Console, lines_of, skipped=(), errors=(), statistics=False, hidden=None,
           level=None, concise=False, checked=None, listing=True, ending=True, **_) -> None:
    """`listing=False` prints only the end (skipped rules, errors, summary); `ending=False` only the
    findings: an archive is written folder by folder and summed up once (doclint.stream)."""
    if statistics:  # like ruff --statistics: only the table of counts per rule
        if ending:
            _statistics(findings, console, hidden, level, errors, checked)
            _errors(errors, console)
        return
    for f in findings if listing else ():
        if concise:
            console.print(f"[bold]{escape(f.path)}:{f.line}:{f.column}[/]  [{STYLE[f.severity]}]"
                          f"{SEVERITY_NAMES[f.severity]:<7}[/] [dim]{f.rule}[/]  "
                          f"{escape(f.message.translate(_CONTROL))}", soft_wrap=True)
            continue
        sev = SEVERITY_NAMES[f.severity]
        console.print(f"[bold]{escape(f.path)}:{f.line}:{f.column}[/]  [{STYLE[f.severity]}]{sev:<7}[/] "
                      f"[dim]{f.rule}[/] {escape(f.shown_name)}  {escape(f.message.translate(_CONTROL))}", soft_wrap=True)
        source = lines_of(f.path, f.line)
        if source is not None:
            width = len(str(f.line))
            end = f.end_column if f.end_line == f.line else len(source) + 1
            shown, offset, length = excerpt(source, f.column - 1, end - 1)
            console.print(f"  [dim]{f.line} │[/] {escape(shown)}", soft_wrap=True, highlight=False)
            console.print(f"  {' ' * width} [dim]│[/] {' ' * offset}[{STYLE[f.severity]}]{'^' * length}[/]",
                          soft_wrap=True, highlight=False)
        if f.suggestions:
            options = either_or([f"[green]{escape(s)}[/]" for s in f.suggestions])
            console.print(f"  {' ' * len(str(f.line))} [dim]=[/] förslag: {options}", soft_wrap=True)
        for r in f.related:
            console.print(f"  {' ' * len(str(f.line))} [dim]=[/] se även {escape(r['path'])}:{r['line']}",
                          soft_wrap=True)
    if not ending:
        return
    for rule, missing in skipped:
        needs = ", ".join(missing)
        console.print(f"[dim]Hoppade över {rule.id} {escape(rule.shown_name)}: den kräver {needs}, som pipelinen inte "
                      f"ger. Standardpipelinen ger det när doclints tränade modell (sv_doclint) är installerad.[/]")
    _errors(errors, console)
    _summary(findings, console, hidden, level, errors, checked)


def _errors(errors, console: Console) -> None:
    errors_to = Console(stderr=True, highlight=False) if console.file is sys.stdout else console
    for err in errors:
        errors_to.print(f"[bold red]doclint:[/] {escape(err)}", soft_wrap=True)


def _nothing(findings, hidden, errors, checked) -> str | None:
    """The line for a run without findings to show, or None when there are some."""
    if findings or (hidden and sum(hidden.values())):
        return None
    if checked == 0:
        return "Ingen text kunde granskas."
    if errors:
        return "Inga anmärkningar i de texter som gick att granska."
    return "Inga anmärkningar."


def either_or(items: list[str]) -> str:
    """'a', 'a eller b', 'a, b eller c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " eller " + items[-1]


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


def _summary(findings, console: Console, hidden=None, level=None, errors=(), checked=None) -> None:
    nothing = _nothing(findings, hidden, errors, checked)
    if nothing:
        console.print(f"[{'yellow' if errors else 'green'}]{nothing}[/]")
        return
    if not findings:
        console.print(f"[dim]{escape(hidden_text(hidden or {}, level))}[/]", soft_wrap=True)
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
    if findings:
        console.print(f"{s['total']} {'anmärkning' if s['total'] == 1 else 'anmärkningar'}.")
    if note := hidden_text(hidden or {}, level):
        console.print(f"[dim]{escape(note)}[/]", soft_wrap=True)


def _statistics(findings, console: Console, hidden, level, errors, checked) -> None:
    nothing = _nothing(findings, hidden, errors, checked)
    if nothing:
        console.print(nothing)
        return
    stats = Table(show_edge=False, box=None, pad_edge=False)
    stats.add_column("Antal", justify="right")
    stats.add_column("Regel")
    stats.add_column("Nivå")
    stats.add_column("Namn")
    rows: dict = {}
    for f in findings:
        row = rows.setdefault(f.rule, [0, f.severity, f.shown_name])
        row[0] += 1
        if SEVERITY_RANK[f.severity] > SEVERITY_RANK[row[1]]:
            row[1] = f.severity
    for rule, (count, sev, title) in sorted(rows.items(), key=lambda i: (-i[1][0], i[0])):
        stats.add_row(str(count), rule, SEVERITY_NAMES[sev], escape(title))
    console.print(stats)
    if findings:
        console.print(f"{len(findings)} {'anmärkning' if len(findings) == 1 else 'anmärkningar'}.")
    if note := hidden_text(hidden or {}, level):
        console.print(f"[dim]{escape(note)}[/]", soft_wrap=True)

"""--format github: GitHub Actions workflow commands, one annotation per finding.

    ::warning file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=DL201 evaluative-label::message

Values are escaped as the Actions runner expects: in the message % CR LF become %25 %0D %0A,
in property values also : and , become %3A and %2C. GitHub only supports columns on a single
line, so col/endColumn are left out when a finding spans several lines. Every plain (non-command)
line starts with "doclint:" so no text from a note or a rule can start a workflow command.
"""

from __future__ import annotations

from . import summary

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict | None = None) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in (properties or {}).items()
                     if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(finding) -> str:
    props: dict = {}
    if finding.path != "-":
        props["file"] = finding.path.replace("\\", "/")
    props["line"] = finding.line
    if finding.end_line == finding.line:
        props["col"] = finding.column
    props["endLine"] = finding.end_line
    if finding.end_line == finding.line:
        props["endColumn"] = finding.end_column
    props["title"] = f"{finding.rule} {finding.shown_name}"
    return command(COMMANDS[finding.severity], finding.message, props)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary_line(findings, errors=()) -> str:
    return summary_counts(summary(findings), errors)


def summary_counts(s: dict, errors=()) -> str:
    by = s["by_severity"]
    if s["total"]:
        text = (f"doclint: {_count(s['total'], 'anmärkning', 'anmärkningar')} "
                f"({by.get('error', 0)} fel, {_count(by.get('warning', 0), 'varning', 'varningar')}, "
                f"{by.get('info', 0)} info).")
    else:
        text = "doclint: inga anmärkningar."
    if errors:
        text += f" {_count(len(errors), 'indatafel', 'indatafel')}."
    return text


def render(findings, *, skipped=(), errors=(), statistics=False, **_) -> str:
    lines = [annotation(f) for f in findings]
    lines += [command("error", str(err)) for err in errors]
    for rule, missing in skipped:
        lines.append(f"doclint: hoppade över {rule.id} {rule.shown_name}: regeln kräver {', '.join(missing)}, "
                     f"som pipelinen inte ger.")
    if statistics:
        lines += [f"doclint: {count} × {rule}" for rule, count in summary(findings)["by_rule"].items()]
    lines.append(summary_line(findings, errors))
    return "\n".join(lines) + "\n"

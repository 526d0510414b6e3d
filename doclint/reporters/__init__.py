"""Output formats for findings. Each reporter is a function (findings, context) -> str or prints."""

from __future__ import annotations

from collections import Counter

from ..findings import SEVERITY_RANK


def summary(findings) -> dict:
    """Counts per family and per severity."""
    by_family: dict[str, Counter] = {}
    for f in findings:
        by_family.setdefault(f.family, Counter())[f.severity] += 1
    return {
        "total": len(findings),
        "by_severity": dict(Counter(f.severity for f in findings)),
        "by_family": {fam: dict(c) for fam, c in sorted(by_family.items())},
        "by_rule": dict(Counter(f"{f.rule} {f.name}" for f in findings).most_common()),
    }


def at_least(findings, level: str):
    return [f for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[level]]


def by_level(findings, level: str | None) -> tuple[list, Counter]:
    """The findings to show at a display level, and how many were hidden per severity.

    The display level (`--level`, `level:` in the configuration) only changes what a person
    sees in text, concise and HTML output (and the serve page); exit codes and the machine
    formats still count every finding. `level` may be English or Swedish (varning, fel)."""
    if not level:
        return list(findings), Counter()
    from ..rules import severity  # noqa: PLC0415

    floor = SEVERITY_RANK[severity(level)]
    shown, hidden = [], Counter()
    for f in findings:
        if SEVERITY_RANK[f.severity] >= floor:
            shown.append(f)
        else:
            hidden[f.severity] += 1
    return shown, hidden


def hidden_text(hidden: Counter, level: str | None) -> str:
    """'5 anmärkningar på nivån info visas inte (visa alla med --level info).' or ''."""
    total = sum(hidden.values())
    if not total:
        return ""
    from ..rules import SEVERITY_NAMES, severity  # noqa: PLC0415

    what = "anmärkning" if total == 1 else "anmärkningar"
    if len(hidden) == 1:
        (sev, _), = hidden.items()
        return f"{total} {what} på nivån {SEVERITY_NAMES[sev]} visas inte; visa alla med --level info."
    parts = " och ".join(f"{n} {SEVERITY_NAMES[s]}" for s, n in sorted(hidden.items(),
                                                                     key=lambda i: -SEVERITY_RANK[i[0]]))
    return (f"{total} {what} under nivån {SEVERITY_NAMES[severity(level)]} visas inte ({parts}); "
            "visa alla med --level info.")


def render(name: str, findings, **context) -> str:
    """Render findings in a machine or file format: json, sarif, github or html."""
    from importlib import import_module  # noqa: PLC0415

    module = {"json": "json_report", "sarif": "sarif", "github": "github", "html": "html", "text": "plain"}[name]
    return import_module(f"{__name__}.{module}").render(findings, **context)

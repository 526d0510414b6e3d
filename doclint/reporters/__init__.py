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


def render(name: str, findings, **context) -> str:
    """Render findings in a machine or file format: json, sarif, github or html."""
    from importlib import import_module  # noqa: PLC0415

    module = {"json": "json_report", "sarif": "sarif", "github": "github", "html": "html", "text": "plain"}[name]
    return import_module(f"{__name__}.{module}").render(findings, **context)

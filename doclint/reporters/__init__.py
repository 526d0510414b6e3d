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

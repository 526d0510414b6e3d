"""--format json: one JSON document with a `findings` list (schema in the README)."""

from __future__ import annotations

import json

from . import summary

SCHEMA_VERSION = 1


def report(findings, *, skipped=(), errors=()) -> dict:
    """The report as data (what `render` writes; `doclint serve` also sends it inside /v1/stats)."""
    return {
        "version": SCHEMA_VERSION,
        "findings": [f.to_dict() for f in findings],
        "summary": summary(findings),
        "skipped_rules": [{"rule": r.id, "name": r.name, "needs": missing} for r, missing in skipped],
        "errors": list(errors),
    }


def render(findings, *, skipped=(), errors=(), **_) -> str:
    return json.dumps(report(findings, skipped=skipped, errors=errors), ensure_ascii=False, indent=2)

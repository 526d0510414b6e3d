"""--format sarif: a SARIF 2.1.0 log (OASIS standard) for code-scanning tools such as GitHub's.

Built from plain dicts rather than sarif-om: sarif-om only provides attrs classes with snake_case
names and needs jschema-to-python to serialise them, so it would add two dependencies and a
conversion step without checking anything. The tests validate the output against the official
OASIS schema instead.

Positions: SARIF lines and columns are 1-based and endColumn is exclusive; a Finding's
end_column is the 1-based column just after the span, so both map directly. Columns count
Unicode code points (Python string indices), declared with run.columnKind.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import metadata
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote, urlsplit

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "doclintTextHash/v1"

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def tool_version() -> str:
    try:
        return metadata.version("doclint")
    except metadata.PackageNotFoundError:
        return "0"


def artifact_uri(path: str) -> str:
    """A valid URI reference for a path as given: relative paths stay relative, '-' is stdin."""
    if path == "-":
        return "stdin"
    if _DRIVE.match(path) or path.startswith("\\\\"):
        return PureWindowsPath(path).as_uri()
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    return quote(posix, safe="/")


def _is_web_uri(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", value)


def _descriptor(rule) -> dict:
    """A reportingDescriptor for a Rule."""
    help_text = rule.why.strip() + (f"\n\nKälla: {rule.source.strip()}" if rule.source else "")
    if rule.link:
        help_text += f"\n{rule.link}"
    descriptor = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.shown_name},
        "fullDescription": {"text": rule.why.strip()},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"family": rule.family, "tags": [rule.family]},
    }
    if rule.link and _is_web_uri(rule.link):
        descriptor["helpUri"] = rule.link
    return descriptor


def _fallback_descriptor(finding) -> dict:
    """For a finding whose rule was not passed in `rules` (library use)."""
    return {
        "id": finding.rule,
        "name": finding.name,
        "shortDescription": {"text": finding.shown_name},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
        "properties": {"family": finding.family, "tags": [finding.family]},
    }


def _region(line: int, column: int, end_line: int | None = None, end_column: int | None = None,
            snippet: str | None = None) -> dict:
    region = {"startLine": max(1, line), "startColumn": max(1, column)}
    if end_line is not None and end_column is not None:
        region["endLine"] = max(region["startLine"], end_line)
        region["endColumn"] = max(1, end_column)
        if region["endLine"] == region["startLine"]:
            region["endColumn"] = max(region["endColumn"], region["startColumn"])
    if snippet is not None:
        region["snippet"] = {"text": snippet}
    return region


def _location(path: str, region: dict) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": artifact_uri(path)}, "region": region}}


def _fingerprint(finding, seen: dict) -> str:
    """Stable across line shifts: rule, file and the flagged text, plus its occurrence number."""
    key = (finding.rule, finding.path, " ".join(finding.text.split()))
    seen[key] = seen.get(key, 0) + 1
    raw = "\x1f".join((*key, str(seen[key])))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def _result(finding, rule_index: int, seen: dict) -> dict:
    region = _region(finding.line, finding.column, finding.end_line, finding.end_column, finding.text)
    result = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding.path, region)],
        "partialFingerprints": {FINGERPRINT: _fingerprint(finding, seen)},
    }
    related = []
    for i, item in enumerate(finding.related, start=1):
        path = item.get("path", finding.path)
        location = _location(path, _region(int(item.get("line", 1)), int(item.get("column", 1))))
        location["id"] = i
        location["message"] = {"text": f"Se även {path}:{item.get('line', 1)}"}
        related.append(location)
    if related:
        result["relatedLocations"] = related
    properties = {"family": finding.family}
    if finding.suggestions:
        properties["suggestions"] = list(finding.suggestions)
    result["properties"] = properties
    return result


def build_log(findings, *, rules=None, skipped=(), errors=(), **_) -> dict:
    """The SARIF log as a dict (one run)."""
    descriptors = [_descriptor(rule) for rule in (rules or {}).values()]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    for f in findings:
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append(_fallback_descriptor(f))
    seen: dict = {}
    results = [_result(f, index[f.rule], seen) for f in findings]
    invocation = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": str(err)}} for err in errors]
    if skipped:
        invocation["toolConfigurationNotifications"] = [
            {"level": "warning",
             "message": {"text": f"Hoppade över {rule.id} {rule.shown_name}: regeln kräver {', '.join(missing)}, "
                                 f"som pipelinen inte ger."},
             "associatedRule": {"id": rule.id, **({"index": index[rule.id]} if rule.id in index else {})}}
            for rule, missing in skipped]
    driver = {
        "name": "doclint",
        "version": tool_version(),
        "rules": descriptors,
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def render(findings, **context) -> str:
    return json.dumps(build_log(findings, **context), ensure_ascii=False, indent=2)

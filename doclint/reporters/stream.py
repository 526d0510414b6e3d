"""Reports written while an archive is being checked, one case folder at a time.

The parent process never holds the findings of the whole run: each folder's findings are
written as soon as the folder is done, and only counts are kept for the summary at the end.
Formats: jsonl (one record a line), json and sarif (the lists are streamed, the summary and
the tool description come after them), github and text.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from ..findings import SEVERITY_RANK


class Tally:
    """Counts for the summary, kept instead of the findings."""

    def __init__(self) -> None:
        self.total = 0
        self.by_severity: Counter = Counter()
        self.by_family: dict[str, Counter] = {}
        self.by_rule: Counter = Counter()
        self.errors: list[str] = []
        self.documents = 0

    def add(self, findings) -> None:
        for f in findings:
            self.total += 1
            self.by_severity[f.severity] += 1
            self.by_family.setdefault(f.family, Counter())[f.severity] += 1
            self.by_rule[f"{f.rule} {f.name}"] += 1

    def summary(self) -> dict:
        """The same dict as reporters.summary(findings)."""
        return {
            "total": self.total,
            "by_severity": dict(self.by_severity),
            "by_family": {fam: dict(c) for fam, c in sorted(self.by_family.items())},
            "by_rule": dict(self.by_rule.most_common()),
        }

    def at_least(self, level: str) -> bool:
        return any(n and SEVERITY_RANK[sev] >= SEVERITY_RANK[level] for sev, n in self.by_severity.items())


def _indent(text: str, by: int) -> str:
    pad = " " * by
    return "\n".join(pad + line for line in text.split("\n"))


class Writer:
    """Base: write(folder_result) for each folder, then finish()."""

    def __init__(self, out, tally: Tally, *, skipped=(), rules=None, statistics=False):
        self.out = out
        self.tally = tally
        self.skipped = list(skipped)
        self.rules = rules or {}
        self.statistics = statistics

    def start(self) -> None:
        pass

    def write(self, done) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass


class JsonlWriter(Writer):
    """--format jsonl: one JSON object a line, written as soon as its case folder is done.

    {"type": "finding", …the fields of --format json…}
    {"type": "document", "path", "folder", "doc_type", "date", "words", "sentences", "long_words", "lix",
     "sentence_lengths"}   (numbers about each checked document, never its text)
    {"type": "error", "path", "message"}
    {"type": "summary", "total", "by_severity", "by_family", "by_rule", "documents", "errors", "skipped_rules"}
    """

    def write(self, done) -> None:
        lines = []
        for r in done.results:
            if r.error:
                lines.append({"type": "error", "path": r.path, "message": r.error})
            elif r.stats is not None:
                lines.append({"type": "document", **r.stats})
        lines.extend({"type": "finding", **f.to_dict()} for f in done.findings)
        if lines:
            self.out.write("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in lines))
            self.out.flush()

    def finish(self) -> None:
        record = {"type": "summary", **self.tally.summary(), "documents": self.tally.documents,
                  "errors": len(self.tally.errors),
                  "skipped_rules": [{"rule": r.id, "name": r.name, "needs": m} for r, m in self.skipped]}
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")


class JsonWriter(Writer):
    """--format json, written as json.dumps(…, indent=2) would, with the findings streamed."""

    def start(self) -> None:
        self.out.write('{\n  "version": 1,\n  "findings": [')
        self.count = 0

    def write(self, done) -> None:
        parts = []
        for f in done.findings:
            parts.append(("," if self.count else "") + "\n" + _indent(json.dumps(f.to_dict(), ensure_ascii=False,
                                                                                indent=2), 4))
            self.count += 1
        if parts:
            self.out.write("".join(parts))

    def finish(self) -> None:
        self.out.write(("\n  ]" if self.count else "]") + ",\n")
        tail = {"summary": self.tally.summary(),
                "skipped_rules": [{"rule": r.id, "name": r.name, "needs": m} for r, m in self.skipped],
                "errors": list(self.tally.errors)}
        body = json.dumps(tail, ensure_ascii=False, indent=2)
        self.out.write(body[2:] + "\n")  # drop the opening brace and newline: it continues the object


class SarifWriter(Writer):
    """--format sarif: the results list is streamed; tool, rules and invocation follow it."""

    def start(self) -> None:
        from .sarif import SARIF_SCHEMA, SARIF_VERSION, _descriptor  # noqa: PLC0415

        self.descriptors = [_descriptor(rule) for rule in self.rules.values()]
        self.index = {d["id"]: i for i, d in enumerate(self.descriptors)}
        self.count = 0
        self.out.write(json.dumps({"$schema": SARIF_SCHEMA, "version": SARIF_VERSION}, ensure_ascii=False,
                                  indent=2)[:-2] + ',\n  "runs": [\n    {\n      "columnKind": "unicodeCodePoints",'
                       '\n      "results": [')

    def write(self, done) -> None:
        from .sarif import _fallback_descriptor, _result  # noqa: PLC0415

        parts = []
        seen: dict = {}  # fingerprints count repeats within a file; a folder holds all of a file's findings
        for f in done.findings:
            if f.rule not in self.index:
                from .sarif import _descriptor  # noqa: PLC0415

                self.index[f.rule] = len(self.descriptors)
                rule = self.rules.get(f.rule)
                self.descriptors.append(_descriptor(rule) if rule is not None else _fallback_descriptor(f))
            result = json.dumps(_result(f, self.index[f.rule], seen), ensure_ascii=False, indent=2)
            parts.append(("," if self.count else "") + "\n" + _indent(result, 8))
            self.count += 1
        if parts:
            self.out.write("".join(parts))

    def finish(self) -> None:
        from .sarif import build_log  # noqa: PLC0415

        for rule_id, rule in self.rules.items():  # rules of configuration groups that found nothing
            if rule_id not in self.index:
                from .sarif import _descriptor  # noqa: PLC0415

                self.index[rule_id] = len(self.descriptors)
                self.descriptors.append(_descriptor(rule))
        log = build_log([], rules={}, skipped=self.skipped, errors=self.tally.errors)
        for note in log["runs"][0]["invocations"][0].get("toolConfigurationNotifications", []):
            if note["associatedRule"]["id"] in self.index:
                note["associatedRule"]["index"] = self.index[note["associatedRule"]["id"]]
        run = log["runs"][0]
        run["tool"]["driver"]["rules"] = self.descriptors
        rest = {"tool": run["tool"], "invocations": run["invocations"]}
        body = json.dumps(rest, ensure_ascii=False, indent=2)[2:-2]  # the keys, without the braces
        self.out.write(("\n      ]" if self.count else "]") + ",\n" + _indent(body, 4) + "\n    }\n  ]\n}\n")


class GithubWriter(Writer):
    def write(self, done) -> None:
        from .github import annotation  # noqa: PLC0415

        if done.findings:
            self.out.write("".join(annotation(f) + "\n" for f in done.findings))

    def finish(self) -> None:
        from .github import command, summary_counts  # noqa: PLC0415

        lines = [command("error", str(err)) for err in self.tally.errors]
        for rule, missing in self.skipped:
            lines.append(f"doclint: hoppade över {rule.id} {rule.name}: regeln kräver {', '.join(missing)}, "
                         f"som pipelinen inte ger.")
        summary = self.tally.summary()
        if self.statistics:
            lines += [f"doclint: {count} × {rule}" for rule, count in summary["by_rule"].items()]
        lines.append(summary_counts(summary, self.tally.errors))
        self.out.write("\n".join(lines) + "\n")


WRITERS = {"jsonl": JsonlWriter, "json": JsonWriter, "sarif": SarifWriter, "github": GithubWriter}


class AtomicFile:
    """A report file written under a temporary name and renamed when complete.

    A run that fails or is interrupted leaves neither a half report nor its temporary file."""

    def __init__(self, target: Path):
        from ..safewrite import atomic_open  # noqa: PLC0415

        self.target = target
        self._context = atomic_open(target)

    def __enter__(self):
        return self._context.__enter__()

    def __exit__(self, exc_type, exc, tb):
        return self._context.__exit__(exc_type, exc, tb)

"""Running each rule's own examples: failing ones must fire, passing ones must not."""

from __future__ import annotations

from dataclasses import dataclass

from .engine import Engine
from .rules import Rule


@dataclass
class ExampleResult:
    rule: Rule
    kind: str  # "fail" or "pass"
    example: str | list
    fired: bool

    @property
    def ok(self) -> bool:
        return self.fired == (self.kind == "fail")


def example_cases(rules: list[Rule]):
    """Each rule's examples, and those of its grammar version (run with that version itself)."""
    for rule in rules:
        for version in (rule, rule.grammar):
            if version is None:
                continue
            for kind in ("fail", "pass"):
                for example in version.examples[kind]:
                    yield version, kind, example


def run_example(rule: Rule, kind: str, example, pipeline) -> ExampleResult:
    engine = Engine([rule], pipeline, variants=False)
    if not engine.checks:
        return ExampleResult(rule, kind, example, kind == "fail")  # skipped: cannot run here
    if isinstance(example, list):
        items = [(f"exempel/dokument-{i + 1}.md", text) for i, text in enumerate(example)]
        findings = engine.check_texts(items)
    else:
        findings = engine.check_text(example, "exempel.md")
    return ExampleResult(rule, kind, example, any(f.rule == rule.id for f in findings))

"""Every example of every built-in rule: failing ones must fire, passing ones must not."""

import pytest

from doclint.rules import load_rules
from doclint.testing import example_cases, run_example

CASES = list(example_cases(load_rules()))


def _id(case):
    rule, kind, example = case
    text = example if isinstance(example, str) else " | ".join(example)
    return f"{rule.id}-{kind}-{abs(hash(text)) % 10000:04d}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_rule_example(case, pipeline):
    rule, kind, example = case
    result = run_example(rule, kind, example, pipeline)
    expectation = "should fire" if kind == "fail" else "should not fire"
    assert result.ok, f"{rule.id} {rule.name}: example {expectation}: {example!r}"


def test_every_rule_has_two_examples_of_each_kind():
    for rule in load_rules():
        assert len(rule.examples["fail"]) >= 2 and len(rule.examples["pass"]) >= 2, rule.id

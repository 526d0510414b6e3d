import pytest

from doclint.engine import Engine
from doclint.nlp import load_pipeline
from doclint.rules import load_rules


@pytest.fixture(scope="session")
def pipeline():
    return load_pipeline("default")


@pytest.fixture(scope="session")
def builtin_rules():
    return load_rules()


@pytest.fixture(scope="session")
def engine(builtin_rules, pipeline):
    return Engine(builtin_rules, pipeline)


def only(findings, rule_id):
    return [f for f in findings if f.rule == rule_id]

"""Duplicated content across a case folder: which copy is reported, and how."""

from conftest import only

PLAN = """---
typ: genomförandeplan
datum: 2026-04-08
---
# Genomförandeplan

Lisa träffar familjebehandlaren Ahmed varje torsdag klockan 15 på familjeteamet. Mamman och Ahmed gör en plan
för morgnarna efter nattpassen. Mentorn skickar Lisas närvaro till Ahmed varje fredag eftermiddag.
"""
NOTE = """---
typ: journalanteckning
datum: {date}
---
# Journalanteckning

Lisa träffar familjebehandlaren Ahmed varje torsdag klockan 15 på familjeteamet. Mamman och Ahmed gör en plan
för morgnarna efter nattpassen. Lisa kom inte i torsdags eftersom hon hade feber och låg hemma hela dagen.
Mamman ringde till Ahmed på morgonen och de bokade en ny tid till nästa vecka.
"""


def test_note_restating_an_older_plan_gets_one_finding_per_paragraph(engine):
    note = NOTE.format(date="2026-04-24")
    findings = only(engine.check_texts([("akt/plan.md", PLAN), ("akt/anteckning.md", note)]), "DL404")
    assert len(findings) == 1
    f = findings[0]
    assert f.path == "akt/anteckning.md"
    assert note[f.start:f.end] == f.text
    assert f.text.startswith("Lisa träffar") and f.text.endswith("efter nattpassen.")
    assert (f.line, f.column) == (7, 1)
    assert "genomförandeplanen 2026-04-08" in f.message
    assert f.suggestions == ["Hänvisa i stället, till exempel: ”Se genomförandeplanen 2026-04-08.”"]


def test_note_older_than_the_plan_is_not_a_copy_of_it(engine):
    findings = engine.check_texts([("akt/plan.md", PLAN), ("akt/anteckning.md", NOTE.format(date="2026-03-02"))])
    assert only(findings, "DL404") == []


def test_a_copied_paragraph_is_one_warning(engine):
    copy = PLAN.replace("typ: genomförandeplan", "typ: utredning").replace("2026-04-08", "2026-05-01")
    findings = engine.check_texts([("akt/plan.md", PLAN), ("akt/utredning.md", copy)])
    dup = [f for f in findings if f.family == "duplication"]
    assert [(f.rule, f.path, f.severity) for f in dup] == [("DL403", "akt/utredning.md", "warning")]


def test_documents_in_different_case_folders_are_not_compared(engine):
    findings = engine.check_texts([("akt1/plan.md", PLAN), ("akt2/anteckning.md", NOTE.format(date="2026-04-24"))])
    assert only(findings, "DL404") == [] and only(findings, "DL403") == []

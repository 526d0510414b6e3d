"""The rule engine: runs checks over documents and collects findings."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from .checks import check_class
from .checks.duplicates import DuplicateCheck, folder_of
from .checks.termset import RuleTimeout
from .document import Document, build_document
from .findings import Finding
from .inputs import InputError, read_document
from .nlp import Pipeline, load_pipeline
from .rules import Rule

ANNOTATION_NAMES = {"pos": "ordklasser (pos)", "morph": "böjningsformer (morph)", "dep": "satsanalys (dep)",
                    "lemma": "grundformer (lemma)"}


class EngineError(Exception):
    """A rule failed while running (for example a runaway regular expression)."""


@dataclass
class DocResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    units: dict = field(default_factory=dict)
    error: str | None = None
    doc: Document | None = None


class Engine:
    def __init__(self, rules: list[Rule], pipeline: Pipeline, doc_type_for=None):
        self.rules = rules
        self.pipeline = pipeline
        self.doc_type_for = doc_type_for
        self.checks = []
        self.skipped: list[tuple[Rule, list[str]]] = []
        for rule in rules:
            if not rule.enabled:
                continue
            missing = [a for a in rule.needs if a not in pipeline.annotations]
            if missing:
                self.skipped.append((rule, missing))
                continue
            try:
                self.checks.append(check_class(rule.type)(rule, pipeline))
            except Exception as exc:  # noqa: BLE001  e.g. spaCy refusing a Matcher pattern or its regex
                detail = " ".join(str(exc).split())[:200]
                raise EngineError(f"{rule.origin}: regeln {rule.id} kan inte användas: {detail}") from exc
        self.folder_checks = [c for c in self.checks if isinstance(c, DuplicateCheck) and c.scope == "folder"]

    def document(self, text: str, path: str = "-") -> Document:
        hint = self.doc_type_for(path) if self.doc_type_for else None
        return build_document(text, self.pipeline, path, doc_type=hint)

    def check_document(self, doc: Document) -> DocResult:
        result = DocResult(doc.path, doc=doc)
        for check in self.checks:
            try:
                if check in self.folder_checks and check.collects(doc):
                    result.units[check.rule.id] = check.units(doc)
                if check.applies(doc):
                    result.findings.extend(f for f in check.run(doc) if f is not None)
            except RuleTimeout as exc:
                raise EngineError(f"{check.rule.origin}: regeln {check.rule.id}: det reguljära uttrycket "
                                  f"'{exc}' tar för lång tid (katastrofal backtracking); förenkla det") from exc
        return result

    def check_folders(self, results: list[DocResult]) -> list[Finding]:
        """Findings that compare documents with each other (same case folder)."""
        findings = []
        for check in self.folder_checks:
            groups: dict[str, list] = defaultdict(list)
            for r in results:
                groups[folder_of(r.path)].extend(r.units.get(check.rule.id, []))
            for units in groups.values():
                findings.extend(check.compare(units, same_document=False))
        return findings

    def check_text(self, text: str, path: str = "-") -> list[Finding]:
        """Check one text on its own (examples, stdin, tests)."""
        result = self.check_document(self.document(text, path))
        return self.finalise(result.findings + self.check_folders([result]))

    def check_texts(self, items: list[tuple[str, str]]) -> list[Finding]:
        """Check several (path, text) documents together, as one case folder per directory."""
        results = [self.check_document(self.document(text, path)) for path, text in items]
        return self.finalise([f for r in results for f in r.findings] + self.check_folders(results))

    def finalise(self, findings: list[Finding]) -> list[Finding]:
        """Sorted, without repeats, and without findings a broader rule already covers (`supersedes`)."""
        findings = finalise(findings)
        covers = {r.id: set(r.supersedes) for r in self.rules if r.supersedes}
        if not covers:
            return findings
        spans: dict[str, list[Finding]] = {}
        for f in findings:
            if f.rule in covers:
                spans.setdefault(f.path, []).append(f)
        return [f for f in findings if not any(
            f.rule in covers[big.rule] and big.start <= f.start and f.end <= big.end for big in spans.get(f.path, ()))]


def finalise(findings: list[Finding]) -> list[Finding]:
    unique = {(f.path, f.rule, f.start, f.end, f.message): f for f in findings}
    return sorted(unique.values(), key=lambda f: f.sort_key)


# -- running over many files ---------------------------------------------------

_WORKER: Engine | None = None
AUTO_PARALLEL_FROM = 200


def _init_worker(rules: list[Rule], pipeline_name: str, config_path) -> None:
    global _WORKER
    from .config import load_config  # noqa: PLC0415

    _WORKER = Engine(rules, load_pipeline(pipeline_name), load_config(config_path).doc_type_for)


def _check_path(path: str, keep_doc: bool = False) -> DocResult:
    try:
        text = read_document(Path(path))
    except InputError as exc:
        return DocResult(path, error=str(exc))
    if not text.strip():
        return DocResult(path, error=f"{path}: filen är tom – det finns ingen text att granska.")
    result = _check_guarded(_WORKER, text, path)
    if not keep_doc:
        result.doc = None  # an archive is not kept in memory; only findings travel on
    return result


def _check_guarded(engine: Engine, text: str, path: str) -> DocResult:
    """Check one text; a failure is that file's error, and the other files are still checked."""
    try:
        return engine.check_document(engine.document(text, path))
    except EngineError as exc:
        return DocResult(path, error=f"{path}: kunde inte granskas: {exc}")
    except (ValueError, MemoryError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:160]
        return DocResult(path, error=f"{path}: kunde inte granskas ({type(exc).__name__}: {detail}).")


def run_paths(engine: Engine, paths: list[str], pipeline_name: str, jobs: int = 0,
              stdin_text: str | None = None, config_path=None, keep_docs: bool = False,
              stdin_name: str = "-") -> tuple[list[DocResult], list[Finding]]:
    """Check files (and '-' for stdin); returns per-file results and all findings."""
    global _WORKER
    files = [p for p in paths if p != "-"]
    # Each worker process loads spaCy and the rules (about a second), so automatic mode only
    # spreads the work when there is enough of it; measured break-even is near 200 notes.
    auto = jobs == 0
    jobs = min(jobs or os.cpu_count() or 1, os.cpu_count() or 1, max(len(files), 1))
    results: list[DocResult] = []
    if jobs > 1 and len(files) >= (AUTO_PARALLEL_FROM if auto else 2):
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(engine.rules, pipeline_name, config_path)) as pool:
            results.extend(pool.map(_check_path, files, chunksize=max(1, len(files) // (jobs * 8))))
    else:
        _WORKER = engine
        results.extend(_check_path(p, keep_doc=keep_docs) for p in files)
    if stdin_text is not None:
        results.insert(0, _check_guarded(engine, stdin_text, stdin_name))
    findings = [f for r in results for f in r.findings] + engine.check_folders(results)
    return results, engine.finalise(findings)

"""The rule engine: runs checks over documents and collects findings."""

from __future__ import annotations

import os
import posixpath
from collections import defaultdict, deque
from pathlib import Path
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial

from .checks import check_class
from .checks.duplicates import DuplicateCheck, folder_of
from .checks.grammar import needs_grammar, rule_triggers
from .checks.termset import RuleTimeout, TermSet
from .document import Document, annotate_documents, build_document
from .findings import Finding
from .inputs import InputError, read_document
from .nlp import Pipeline, PipelineError, load_pipeline
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
    stats: dict | None = None
    notice: str | None = None  # said on stderr, not an error: an empty file is skipped


class Engine:
    def __init__(self, rules: list[Rule], pipeline: Pipeline, doc_type_for=None, variants: bool = True):
        self.rules = rules
        self.pipeline = pipeline
        self.doc_type_for = doc_type_for
        self.checks = []
        self.skipped: list[tuple[Rule, list[str]]] = []
        for rule in rules:
            if not rule.enabled:
                continue
            if variants and rule.grammar is not None and all(a in pipeline.annotations for a in rule.grammar.needs):
                rule = _grammar_version(rule)  # the string version stays for --pipeline blank
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
        self.grammar = self._grammar_selector()

    def _grammar_selector(self):
        """Which sentences the trained components run on: None (no rule needs them), "all", or a test
        for sentences a grammar rule looks at (its document types and sections) that hold a word the
        rule is triggered by."""
        checks = [c for c in self.checks if needs_grammar(c.rule)]
        if not checks or getattr(self.pipeline, "grammar", None) is None:
            return None
        triggered = []
        for check in checks:
            found = rule_triggers(check.rule)
            level = 2 if "dep" in check.rule.needs else 1
            # the rule's own trigger list when it has one, so that its matches are found once per document
            terms = None if found is None else getattr(check, "triggers", None) or TermSet(dict.fromkeys(found))
            triggered.append((check, level, terms))
        triggered.sort(key=lambda item: -item[1])  # a rule that needs the parse decides first

        def wanted(doc, sentence) -> int:
            if sentence.is_heading:
                return 0
            section = doc.blocks[sentence.block].section
            for check, level, terms in triggered:
                if not check.applies(doc) or not check.section_ok(doc, section):
                    continue
                try:
                    if terms is None or terms.in_sentence(doc, sentence):
                        return level
                except RuleTimeout as exc:  # a trigger word list on an extraordinary text
                    raise _timeout_error(check.rule, exc) from exc
            return 0
        return wanted

    def document(self, text: str, path: str = "-", grammar: bool = True) -> Document:
        """The Document of `text`; with grammar=False the trained components are left to `annotate`."""
        hint = self.doc_type_for(path) if self.doc_type_for else None
        return build_document(text, self.pipeline, path, doc_type=hint, grammar=self.grammar if grammar else None)

    def documents(self, items: list[tuple[str, str]]) -> list[Document]:
        """The Documents of (path, text) items, with one pass of the trained components over all."""
        docs = [self.document(text, path, grammar=False) for path, text in items]
        self.annotate(docs)
        return docs

    def annotate(self, docs: list[Document]) -> None:
        """The trained components over the sentences the grammar rules need in `docs`, in one pass."""
        annotate_documents(self.pipeline, docs, self.grammar)

    def check_document(self, doc: Document) -> DocResult:
        result = DocResult(doc.path, doc=doc)
        for check in self.checks:
            try:
                if check in self.folder_checks and check.collects(doc):
                    result.units[check.rule.id] = check.units(doc)
                if check.applies(doc):
                    result.findings.extend(f for f in check.run(doc) if f is not None)
            except RuleTimeout as exc:
                raise _timeout_error(check.rule, exc) from exc
        return result

    def check_folders(self, results: list[DocResult]) -> list[Finding]:
        """Findings that compare documents with each other (same case folder)."""
        findings = []
        for check in self.folder_checks:
            groups: dict[str, list] = defaultdict(list)
            for r in results:
                groups[folder_of(r.path)].extend(r.units.get(check.rule.id, []))
            for units in groups.values():
                if len({u.path for u in units}) > 1:  # one document is never a copy of another
                    findings.extend(check.compare(units, same_document=False))
        return findings

    def check_text(self, text: str, path: str = "-") -> list[Finding]:
        """Check one text on its own (examples, stdin, tests)."""
        result = self.check_document(self.document(text, path))
        return self.finalise(result.findings + self.check_folders([result]))

    def check_texts(self, items: list[tuple[str, str]]) -> list[Finding]:
        """Check several (path, text) documents together, as one case folder per directory."""
        results = [self.check_document(doc) for doc in self.documents(items)]
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


def _grammar_version(rule: Rule) -> Rule:
    """A rule's grammar version with what the configuration tuned on the rule (severity, message, scope,
    own words from `words:`, `unless`)."""
    from dataclasses import replace  # noqa: PLC0415

    options = dict(rule.grammar.options)
    for key in ("unless", "unless_scope", "unless_window"):
        if key in rule.options:
            options[key] = rule.options[key]
    string_terms = set(rule.grammar.extra.get("string_terms", []))
    added = [t for t in rule.options.get("terms", []) if t not in string_terms]  # words: from the configuration
    if added:
        options["terms"] = list(options.get("terms", [])) + added
    return replace(rule.grammar, severity=rule.severity, message=rule.message, enabled=rule.enabled,
                   doc_types=rule.doc_types, sections=rule.sections, skip_sections=rule.skip_sections,
                   options=options)


def _timeout_error(rule: Rule, exc: RuleTimeout) -> EngineError:
    if _builtin(rule):  # doclint's own rule: the user cannot and need not change it
        return EngineError(f"regeln {rule.id} hann inte klart inom tidsgränsen; texten har "
                           "ovanligt långa meningar eller ord – dela upp dem")
    return EngineError(f"{rule.origin}: regeln {rule.id}: det reguljära uttrycket "
                       f"'{exc}' tar för lång tid (katastrofal backtracking); förenkla det")


def _builtin(rule: Rule) -> bool:
    from .rules import builtin_rules_dir  # noqa: PLC0415

    return Path(rule.origin.rsplit(":", 1)[0]).resolve().parent == builtin_rules_dir().resolve()


def finalise(findings: list[Finding]) -> list[Finding]:
    unique = {(f.path, f.rule, f.start, f.end, f.message): f for f in findings}
    return sorted(unique.values(), key=lambda f: f.sort_key)


# -- running over many files ---------------------------------------------------
#
# One case folder is one unit of work: a worker reads, checks and compares the documents of
# one folder and hands back only findings, per-document figures and (when asked) the source
# lines the findings point at. Nothing of a folder stays in memory once it has been reported,
# so memory does not grow with the size of the archive.

_WORKER: Engine | None = None
AUTO_PARALLEL_FROM = 200


@dataclass
class FolderResult:
    """What one case folder gives: per-document results (figures, errors) and its findings."""
    folder: str
    results: list[DocResult]
    findings: list[Finding]
    lines: dict = field(default_factory=dict)  # {(path, line): source line} for text output


def document_figures(doc: Document) -> dict:
    """Numbers (never text) about one document, for follow-up reports: words, sentences, LIX …"""
    lengths = []
    long_words = 0
    tokens = doc.tokens
    for s in doc.body_sentences:
        n = 0
        for t in tokens[s.tokens.start:s.tokens.stop]:
            if t.is_word:
                n += 1
                if len(t.text) > 6 and sum(c.isalpha() for c in t.text) > 6:
                    long_words += 1
        lengths.append(n)
    words, sentences = sum(lengths), len(lengths)
    lix = words / sentences + 100 * long_words / words if words and sentences else 0.0
    return {"path": doc.path, "folder": folder_of(doc.path), "doc_type": doc.doc_type, "date": doc.date,
            "words": words, "sentences": sentences, "long_words": long_words, "lix": round(lix, 1),
            "sentence_lengths": lengths}


def check_batch(engine: Engine, items, keep_docs: bool = False, lines: bool = False,
                folder: str | None = None, context=frozenset()) -> FolderResult:
    """Check (path, text) documents of one case folder together. A text of None is skipped;
    a failing text is that document's error and the others are still checked.

    Paths in `context` are the rest of the case folder (pre-commit passes only changed files):
    they are compared with the others but not reported, except a finding on one of them that
    points at a reported document."""
    results: list[DocResult] = []
    texts: dict[str, Document] = {}  # for the source lines of the findings: text and line starts only
    for chunk in _chunks(items):
        built = [(path, text if isinstance(text, DocResult) else _guarded(path, engine.document, text, path, False))
                 for path, text in chunk]  # a DocResult: unreadable, or failed to build
        try:  # one pass of the trained model over the chunk; if it fails, each document tries alone below
            engine.annotate([doc for _, doc in built if isinstance(doc, Document)])
            check = engine.check_document
        except GUARDED:
            check = partial(_annotate_and_check, engine)
        for path, doc in built:
            result = doc if isinstance(doc, DocResult) else _guarded(path, check, doc)
            if result.doc is not None:
                result.stats = document_figures(result.doc)
                if lines:  # not the whole Document: a folder of long documents would all stay in memory
                    texts[path] = result.doc.lines_only()
                if not keep_docs:
                    result.doc = None
            results.append(result)
    findings = [f for r in results for f in r.findings] + engine.check_folders(results)
    for r in results:
        r.units = {}
        r.findings = []
    findings = engine.finalise(findings)
    if context:
        results = [r for r in results if r.path not in context]
        findings = [f for f in findings if f.path not in context
                    or any(rel.get("path") not in context for rel in f.related)]
    wanted = {}
    if lines:
        for f in findings:
            doc = texts.get(f.path)
            if doc is not None and (f.path, f.line) not in wanted:
                wanted[(f.path, f.line)] = doc.line_text(f.line)
    if folder is None:
        folder = folder_of(results[0].path) if results else "-"
    return FolderResult(folder, results, findings, wanted)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool at once: queued work is dropped and running workers are terminated."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=2)


def _init_worker(rules: list[Rule], pipeline_name: str, config_path) -> None:
    global _WORKER
    import signal  # noqa: PLC0415
    from .config import load_config  # noqa: PLC0415

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle: it stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and ends them with SIGTERM, which must just end them

    _WORKER = Engine(rules, load_pipeline(pipeline_name), load_config(config_path).doc_type_for)


def _read(path: str):
    try:
        text = read_document(Path(path))
    except InputError as exc:
        return DocResult(path, error=str(exc))
    if not text.strip():
        return DocResult(path, notice=f"{path}: filen är tom – hoppade över den.")
    return text


def _check_folder(task) -> FolderResult:
    folder, paths, keep_docs, lines, context = task
    items = ((p, _read(p)) if isinstance(p, str) else p for p in list(paths) + list(context))
    return check_batch(_WORKER, items, keep_docs, lines, folder, frozenset(context))


def case_folder_context(folder: str, named: list) -> list[str]:
    """The other documents of a case folder (same directory, not below it), as doclint would print them."""
    from .inputs import SUPPORTED_SUFFIXES  # noqa: PLC0415

    directory = folder or "."
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    taken = {os.path.normpath(p) for p in named if isinstance(p, str)}
    out = []
    for name in names:
        path = posixpath.join(folder, name) if folder else name
        if name.startswith(".") or not name.lower().endswith(SUPPORTED_SUFFIXES) or not os.path.isfile(path):
            continue
        if os.path.normpath(path) not in taken:
            out.append(path)
    return out


# Documents of a case folder whose sentences go through the trained model together: one larger batch
# costs less than many small ones. A chunk holds at most 16 documents and, past the first, 64,000
# characters, so memory stays bounded in a folder of any size and with documents of any length.
GRAMMAR_BATCH = 16
GRAMMAR_BATCH_CHARS = 64_000
GUARDED = (EngineError, PipelineError, ValueError, MemoryError, RecursionError)


def _chunks(items):
    chunk, chars = [], 0
    for item in items:
        size = len(item[1]) if isinstance(item[1], str) else 0
        if chunk and (len(chunk) == GRAMMAR_BATCH or chars + size > GRAMMAR_BATCH_CHARS):
            yield chunk
            chunk, chars = [], 0
        chunk.append(item)
        chars += size
    if chunk:
        yield chunk


def _annotate_and_check(engine: Engine, doc: Document) -> DocResult:
    engine.annotate([doc])  # what the failed shared pass left undone
    return engine.check_document(doc)


def _guarded(path: str, work, *args):
    """work(*args); a failure is that file's error (a DocResult), and the other files are still checked."""
    try:
        return work(*args)
    except (EngineError, PipelineError) as exc:  # PipelineError: the trained model failed to load
        return DocResult(path, error=f"{path}: kunde inte granskas: {exc}")
    except (ValueError, MemoryError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:160]
        return DocResult(path, error=f"{path}: kunde inte granskas ({type(exc).__name__}: {detail}).")


def folders(paths: list[str]) -> list[tuple[str, list[str]]]:
    """Paths grouped by case folder, in the order the folders first appear."""
    groups: dict[str, list[str]] = {}
    for p in paths:
        groups.setdefault(folder_of(p), []).append(p)
    return list(groups.items())


def iter_folders(engine: Engine, paths: list[str], pipeline_name: str, jobs: int = 0,
                 stdin_text: str | None = None, config_path=None, keep_docs: bool = False,
                 stdin_name: str = "-", lines: bool = False, case_folders: bool = False):
    """Check files (and '-' for stdin) folder by folder; yields a FolderResult as each is done.

    With `case_folders`, each file is also compared with the other documents of its folder."""
    global _WORKER
    files = [p for p in paths if p != "-"]
    groups = folders(files)
    if stdin_text is not None:
        # Text from standard in named into a case folder is compared with that folder's documents.
        home = next((g for folder, g in groups if stdin_name != "-" and folder == folder_of(stdin_name)), None)
        if home is not None:
            home.insert(0, (stdin_name, stdin_text))
        else:
            yield check_batch(engine, [(stdin_name, stdin_text)], keep_docs, lines, folder_of(stdin_name))
    tasks = [(folder, group, keep_docs, lines, case_folder_context(folder, group) if case_folders else [])
             for folder, group in groups]
    # Each worker process loads spaCy and the rules (about a second), so automatic mode only
    # spreads the work when there is enough of it; measured break-even is near 200 notes.
    auto = jobs == 0
    jobs = min(jobs or os.cpu_count() or 1, os.cpu_count() or 1, max(len(tasks), 1))
    if jobs > 1 and len(files) >= (AUTO_PARALLEL_FROM if auto else 2) and len(tasks) > 1:
        pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(engine.rules, pipeline_name, config_path))
        try:
            # Bounded look-ahead: at most a few folders per worker are queued or waiting to be
            # reported, so the parent holds findings of a handful of folders at a time.
            window = jobs * 4
            pending = deque()
            it = iter(tasks)
            for task in it:
                pending.append(pool.submit(_check_folder, task))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:  # Ctrl-C, SIGTERM, a worker that died: stop the others now, not after their queue
            stop_workers(pool)
            raise
        pool.shutdown()
    else:
        _WORKER = engine
        for task in tasks:
            yield _check_folder(task)


def run_paths(engine: Engine, paths: list[str], pipeline_name: str, jobs: int = 0,
              stdin_text: str | None = None, config_path=None, keep_docs: bool = False,
              stdin_name: str = "-") -> tuple[list[DocResult], list[Finding]]:
    """Check files (and '-' for stdin); returns per-file results and all findings (kept in memory)."""
    results: list[DocResult] = []
    findings: list[Finding] = []
    for done in iter_folders(engine, paths, pipeline_name, jobs, stdin_text, config_path, keep_docs, stdin_name):
        results.extend(done.results)
        findings.extend(done.findings)
    return results, finalise(findings)

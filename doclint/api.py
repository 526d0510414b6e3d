"""doclint as a library: check batches of (path, text) pairs with a loaded engine.

    from doclint.api import Checker

    checker = Checker(select=["judgement"])            # nothing is loaded yet
    result = checker.check([("akt-1/anteckning.md", text1), ("akt-1/plan.md", text2)])
    for finding in result.findings: ...                 # doclint.findings.Finding
    for record in result.records(): ...                 # the dicts of `check --format jsonl`

A Checker holds its own engine (rules, spaCy pipeline, configuration); nothing is kept in module
globals, and two Checkers with different settings can live side by side. It pickles as its settings
only: the engine is loaded again, once, in the process that unpickles it (a Dask or multiprocessing
worker). Documents are compared with each other per case folder (the directory part of the path),
exactly as `doclint check` does; a text that cannot be checked is that document's error and the
others are still checked. The texts are never written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Checker", "BatchResult"]


@dataclass
class BatchResult:
    """Findings, per-document figures and errors of one batch."""
    findings: list = field(default_factory=list)      # Finding objects, sorted per case folder
    documents: list[dict] = field(default_factory=list)  # words, sentences, LIX, type, date, folder …
    errors: list[dict] = field(default_factory=list)  # {"path", "message"}

    def records(self, text: bool = True) -> list[dict]:
        """JSONL records as `doclint check --format jsonl` writes them (without the summary line).
        With text=False the flagged text of each finding is left out."""
        out = [{"type": "error", **e} for e in self.errors]
        out += [{"type": "document", **d} for d in self.documents]
        for f in self.findings:
            record = {"type": "finding", **f.to_dict()}
            if not text:
                record.pop("text", None)
            out.append(record)
        return out


class Checker:
    """A loaded doclint engine (loaded on first use). Picklable: only the settings travel."""

    def __init__(self, *, pipeline: str = "default", select: Iterable[str] | None = None,
                 ignore: Iterable[str] | None = None, config: str | Path | None = None,
                 rules: Iterable[str | Path] | None = None):
        self.pipeline = pipeline
        self.select = tuple(select or ())
        self.ignore = tuple(ignore or ())
        self.config = str(config) if config is not None else None
        self.rules = tuple(str(r) for r in rules or ())
        self._engine = None

    # -- pickling: settings only ------------------------------------------------
    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_engine"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._engine = None

    def __repr__(self) -> str:
        return (f"Checker(pipeline={self.pipeline!r}, select={list(self.select)!r}, ignore={list(self.ignore)!r}, "
                f"config={self.config!r}, rules={list(self.rules)!r})")

    @property
    def engine(self):
        """The Engine: rules after the configuration, the selection and the pipeline (loaded once)."""
        if self._engine is None:
            from .config import apply_config, load_config  # noqa: PLC0415
            from .engine import Engine  # noqa: PLC0415
            from .nlp import load_pipeline  # noqa: PLC0415
            from .rules import load_rules  # noqa: PLC0415

            extra = [Path(r) for r in self.rules]
            config = load_config(Path(self.config) if self.config else None)
            chosen = [r for r in apply_config(load_rules(), config, extra or None)
                      if _selected(r, self.select, self.ignore)]
            self._engine = Engine(chosen, load_pipeline(self.pipeline), config.doc_type_for)
        return self._engine

    def check(self, items: Iterable[tuple[str, str]]) -> BatchResult:
        """Check (path, text) pairs; documents of the same folder are compared with each other."""
        from .engine import check_batch, folders  # noqa: PLC0415

        texts: dict[str, str] = {}
        for path, text in items:
            texts[path] = text
        result = BatchResult()
        for folder, paths in folders(list(texts)):
            batch = [(p, texts[p] if texts[p].strip() else _empty(p)) for p in paths]
            self._collect(check_batch(self.engine, batch, folder=folder), result)
        return result

    def check_files(self, paths: Iterable[str | Path]) -> BatchResult:
        """Read and check files (.txt, .md, .docx); an unreadable file is that file's error."""
        from .engine import _read, check_batch, folders  # noqa: PLC0415

        result = BatchResult()
        for folder, group in folders([str(p) for p in paths]):
            self._collect(check_batch(self.engine, [(p, _read(p)) for p in group], folder=folder), result)
        return result

    @staticmethod
    def _collect(done, result: BatchResult) -> None:
        result.findings += done.findings
        for r in done.results:
            if r.error:
                result.errors.append({"path": r.path, "message": r.error})
            elif r.stats is not None:
                result.documents.append(r.stats)


def _empty(path: str):
    from .engine import DocResult  # noqa: PLC0415

    return DocResult(path, error=f"{path}: texten är tom – det finns inget att granska.")


def _selected(rule, select, ignore) -> bool:
    keys = {rule.id, rule.name, rule.family}
    if select and not any(k in keys for k in select):
        return False
    return not (ignore and any(k in keys for k in ignore))

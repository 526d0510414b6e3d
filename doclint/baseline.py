"""Accepting today's findings without touching the note (an official record).

`--write-baseline FILE` stores a key per finding; `--baseline FILE` hides the
findings whose key is stored. A key is the file (relative to the baseline), the
rule, a hash of the matched text and which occurrence of that text it is, so it
survives edits elsewhere in the note. No note text is stored, only hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

from .rules import RuleError
from .safewrite import write_atomic

VERSION = 1


def _keys(findings, base: Path) -> list[tuple[str, str, str, int]]:
    seen: Counter = Counter()
    keys = []
    for f in sorted(findings, key=lambda f: f.sort_key):
        path = f.path if f.path == "-" else Path(os.path.relpath(Path(f.path).resolve(), base.resolve())).as_posix()
        digest = hashlib.sha256(" ".join(f.text.lower().split()).encode("utf-8")).hexdigest()[:20]
        seen[(path, f.rule, digest)] += 1
        keys.append((path, f.rule, digest, seen[(path, f.rule, digest)]))
    return keys


def baseline_keys(findings, base: Path) -> list:
    """Keys of findings (all findings of a file at once: occurrences count within a file)."""
    return _keys(findings, base)


def write_baseline(target: Path, findings) -> int:
    return save_keys(target, _keys(findings, target.parent))


def save_keys(target: Path, keys: list) -> int:
    data = {"version": VERSION, "note": "doclint baseline: godkända anmärkningar (bara kontrollsummor, ingen text)",
            "findings": [dict(zip(("path", "rule", "hash", "occurrence"), k)) for k in keys]}
    write_atomic(target, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return len(keys)


def filter_baseline(source: Path, findings) -> list:
    return unlisted(load_baseline(source), findings, source.parent)


def unlisted(stored: set, findings, base: Path) -> list:
    """Findings whose key is not in the baseline (all findings of a file at once)."""
    ordered = sorted(findings, key=lambda f: f.sort_key)
    return [f for f, key in zip(ordered, _keys(ordered, base)) if key not in stored]


def load_baseline(source: Path) -> set:
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
        stored = {(e["path"], e["rule"], e["hash"], e["occurrence"]) for e in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise RuleError(f"{source}:1: kan inte läsa baslinjen ({exc.__class__.__name__}); skapa den igen med "
                        f"--write-baseline") from exc
    return stored

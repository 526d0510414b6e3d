"""Speed and memory of doclint: one note, and an archive at full speed of the machine.

Usage: python benchmarks/speed.py [--notes N]

Prints figures; it asserts nothing. Targets (what "feels instant" means here):
  - `doclint check note.txt` end to end (new process, rules loaded, spaCy blank
    pipeline) under 1.5 s on a 2-core machine;
  - an archive checked with all cores at several hundred notes per second;
  - peak memory under 500 MB.
The archive is made of copies of the sample cases in corpora/, written to a
temporary directory that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = sorted((ROOT / "corpora").rglob("*.md"))
CORPORA = [p for p in CORPORA if p.name != "README.md"]


def timed(cmd: list[str], repeat: int = 1) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def child_peak_mb(cmd: list[str]) -> float:
    """Peak resident memory of one command, measured in a fresh process of its own."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=False)
    return int(out.stdout.strip() or 0) / 1024


def grammar_costs(doclint: list[str], note: Path) -> None:
    """The trained model's cost against the blank string pipeline, as ratios measured in this run.

    Targets (issue 8): cold `doclint check` on one note <= 1.3x blank; warm throughput >= 50 % of
    blank; peak memory <= 500 MB."""
    from doclint.engine import Engine, check_batch, folders  # noqa: PLC0415
    from doclint.nlp import load_pipeline  # noqa: PLC0415
    from doclint.rules import load_rules  # noqa: PLC0415

    if load_pipeline("default").grammar is None:
        print("trained model (sv_doclint) not installed: grammar costs not measured")
        return
    cold = {name: statistics.median(timed(doclint + ["check", str(note), "--pipeline", name], repeat=5))
            for name in ("blank", "default")}
    rules = load_rules()
    texts = {str(p): p.read_text(encoding="utf-8") for p in CORPORA}
    chars = sum(map(len, texts.values()))
    groups = folders(list(texts))
    engines = {name: Engine(rules, load_pipeline(name)) for name in ("blank", "default")}

    def archive_pass(engine) -> float:
        """CPU seconds for checking the corpora as an archive is checked: one case folder at a time."""
        start = time.process_time()
        for folder, paths in groups:
            check_batch(engine, [(p, texts[p]) for p in paths], folder=folder)
        return time.process_time() - start

    for engine in engines.values():
        archive_pass(engine)  # loads the model, fills caches
    # Interleaved rounds, so that a slower minute of the machine touches both pipelines alike.
    times = {name: [] for name in engines}
    for _ in range(9):
        for name, engine in engines.items():
            times[name].append(archive_pass(engine))
    warm = {name: chars / statistics.median(t) for name, t in times.items()}
    ratios = [b / d for b, d in zip(times["blank"], times["default"])]
    docs = engines["default"].documents(list(texts.items()))
    parsed = sum(len(d.parsed) for d in docs) / max(sum(len(d.sentences) for d in docs), 1)
    peak = child_peak_mb(doclint + ["check", str(ROOT / "corpora"), "--jobs", "1"])
    print(f"cold check of one note: blank {cold['blank'] * 1000:.0f} ms, with the model "
          f"{cold['default'] * 1000:.0f} ms = {cold['default'] / cold['blank']:.2f}x (target <= 1.3x)")
    print(f"warm throughput (CPU time, median of 9 interleaved rounds): blank {warm['blank'] / 1000:.0f} k characters/s, "
          f"with the model {warm['default'] / 1000:.0f} k characters/s = {100 * statistics.median(ratios):.1f} % "
          f"(rounds {100 * min(ratios):.1f}-{100 * max(ratios):.1f} %; target >= 50 %); "
          f"sentences tagged or parsed: {100 * parsed:.0f} %")
    print(f"peak memory, doclint check corpora/ with the model: {peak:.0f} MB (target <= 500 MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=2000, help="number of notes in the synthetic archive")
    parser.add_argument("--grammar-only", action="store_true", help="only the trained model's cost against blank")
    args = parser.parse_args()
    doclint = [sys.executable, "-m", "doclint"]
    note = ROOT / "corpora" / "fore" / "01-journalanteckning-hembesok.md"
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    grammar_costs(doclint, note)
    if args.grammar_only:
        return

    startup = timed(doclint + ["--help"], repeat=5)
    print(f"doclint --help (no spaCy import):  median {statistics.median(startup) * 1000:.0f} ms")
    single = timed(doclint + ["check", str(note)], repeat=5)
    print(f"doclint check one note (end to end): median {statistics.median(single) * 1000:.0f} ms, "
          f"min {min(single) * 1000:.0f} ms ({note.stat().st_size} bytes)")

    # In-process: how long the pipeline and the rules take per note once loaded.
    from doclint.engine import Engine
    from doclint.nlp import load_pipeline
    from doclint.rules import load_rules

    t0 = time.perf_counter()
    rules = load_rules()
    t1 = time.perf_counter()
    engine = Engine(rules, load_pipeline("default"))
    t2 = time.perf_counter()
    texts = [p.read_text(encoding="utf-8") for p in CORPORA]
    rounds = 5
    t3 = time.perf_counter()
    for _ in range(rounds):
        for path, text in zip(CORPORA, texts):
            engine.check_text(text, str(path))
    per_note = (time.perf_counter() - t3) / (rounds * len(texts))
    chars = sum(map(len, texts)) / len(texts)
    print(f"load {len(rules)} rules: {(t1 - t0) * 1000:.0f} ms; build engine + pipeline: {(t2 - t1) * 1000:.0f} ms")
    print(f"check in process: {per_note * 1000:.1f} ms per note (mean {chars:.0f} characters), "
          f"{chars / per_note / 1000:.0f} k characters/s")

    tmp = Path(tempfile.mkdtemp(prefix="doclint-bench-"))
    try:
        for i in range(args.notes):
            src = CORPORA[i % len(CORPORA)]
            folder = tmp / f"akt-{i // 20:04d}"
            folder.mkdir(exist_ok=True)
            shutil.copyfile(src, folder / f"{i:05d}-{src.name}")
        for jobs in (1, 0):
            elapsed = timed(doclint + ["check", str(tmp), "--format", "json", "--jobs", str(jobs)])[0]
            label = "1 process" if jobs == 1 else f"all cores ({os.cpu_count()})"
            print(f"archive of {args.notes} notes, {label}: {elapsed:.1f} s = {args.notes / elapsed:.0f} notes/s")
    finally:
        shutil.rmtree(tmp)
    print(f"peak memory of a doclint process: {peak_child_mb():.0f} MB")


if __name__ == "__main__":
    main()

"""An archive of case folders at any size: throughput, memory and how they grow.

Usage:
  python benchmarks/archive.py --notes 1000 10000 [--jobs 1 2] [--warm] [--source DIR]

Synthesises an archive from corpora/ into a temporary directory (removed afterwards): case
folders of 6-20 documents, each a variant of a sample document (other names, other dates,
paragraphs left out or taken from another document of the same folder, so that the folder has
copies for DL403/DL404 to find). Then runs `doclint check ARCHIVE --format jsonl` and prints
notes/s, words/s, peak memory (the largest process and the whole process tree, sampled from
/proc) and how time and memory grow with the archive. `--warm` also prints the in-process
speed of one engine against the bare tokenizer+lemmatizer. `--source DIR` runs the doclint
found in DIR (another checkout) for a before/after comparison. It asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [p for p in sorted((ROOT / "corpora").rglob("*.md")) if p.name != "README.md"]
NAMES = ["Lisa", "Omar", "Elin", "Noah", "Max", "Sara", "Ali", "Maja", "Leo", "Nora", "Hugo", "Alva", "Adam",
         "Ebba", "Liam", "Selma", "Milo", "Iris", "Vera", "Elias", "Sofia", "Ahmed", "Emma", "Maryam"]
_NAME = re.compile(r"\b(" + "|".join(NAMES) + r")\b")
_DATE = re.compile(r"\b2026-(\d\d)-(\d\d)\b")


def _paragraphs(text: str) -> tuple[str, list[str]]:
    head = ""
    if text.startswith("---"):
        end = text.index("\n---", 3) + 4
        head, text = text[:end], text[end:]
    return head, [p for p in text.split("\n\n") if p.strip()]


def synthesise(target: Path, notes: int, seed: int = 1) -> None:
    """Write `notes` documents in case folders under target."""
    rng = random.Random(seed)
    samples = [_paragraphs(p.read_text(encoding="utf-8")) for p in SAMPLES]
    written = 0
    case = 0
    while written < notes:
        size = min(rng.randint(6, 20), notes - written)
        folder = target / f"enhet-{case % 7 + 1}" / f"akt-{case:06d}"
        folder.mkdir(parents=True)
        names = dict(zip(NAMES, rng.sample(NAMES, len(NAMES))))
        year = rng.choice(["2023", "2024", "2025", "2026"])
        month0 = rng.randint(1, 6)
        shared = rng.choice(samples)[1]
        for i in range(size):
            head, paras = rng.choice(samples)
            paras = [p for p in paras if p.startswith("#") or rng.random() > 0.2]
            if rng.random() < 0.5:  # a paragraph copied from another document of the folder
                paras.insert(rng.randint(1, max(1, len(paras))), rng.choice(shared))
            month = min(12, month0 + i // 3)
            day = rng.randint(1, 28)

            def date(m):
                return f"{year}-{month:02d}-{day:02d}"

            text = head + "\n\n".join(paras) + "\n"
            text = _DATE.sub(date, _NAME.sub(lambda m: names[m.group(1)], text))
            (folder / f"{i:02d}-{year}-{month:02d}-{day:02d}.md").write_text(text, encoding="utf-8")
            written += 1
        case += 1


class TreeMemory:
    """Peak RSS of a process and its children, sampled every 50 ms from /proc."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_total = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        pids, frontier = [self.pid], [self.pid]
        while frontier:
            pid = frontier.pop()
            try:
                kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                kids = []
            pids += map(int, kids)
            frontier += map(int, kids)
        return pids

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
                except (OSError, IndexError, ValueError):
                    continue
                total += rss
                self.peak_single = max(self.peak_single, rss)
            self.peak_total = max(self.peak_total, total)
            time.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_archive(archive: Path, jobs: int, env: dict, fmt: str = "jsonl", pipeline: str = "default") -> dict:
    out = tempfile.NamedTemporaryFile(prefix="doclint-bench-", suffix=".jsonl", delete=False)
    out.close()
    cmd = [sys.executable, "-m", "doclint", "check", str(archive), "--format", fmt, "--jobs", str(jobs),
           "--pipeline", pipeline]
    start = time.perf_counter()
    cpu0 = os.times()
    with open(out.name, "w") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        memory = TreeMemory(proc.pid)
        proc.wait()
        memory.stop()
    elapsed = time.perf_counter() - start
    cpu1 = os.times()
    words = documents = findings = 0
    try:
        with open(out.name, encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec.get("type") == "document":
                    documents += 1
                    words += rec["words"]
                elif rec.get("type") == "finding":
                    findings += 1
    except (ValueError, KeyError):
        pass  # an older doclint without --format jsonl: no per-document figures
    finally:
        os.unlink(out.name)
    return {"seconds": elapsed, "cpu": (cpu1.children_user + cpu1.children_system)
            - (cpu0.children_user + cpu0.children_system),
            "rss_single": memory.peak_single / 2**20, "rss_total": memory.peak_total / 2**20,
            "documents": documents, "words": words, "findings": findings, "exit": proc.returncode}


def warm(rounds: int = 8, pipeline: str = "default") -> None:
    from doclint.engine import Engine
    from doclint.nlp import load_pipeline
    from doclint.rules import load_rules

    engine = Engine(load_rules(), load_pipeline(pipeline))
    texts = [(str(p), p.read_text(encoding="utf-8")) for p in SAMPLES]
    words = sum(sum(1 for t in engine.document(t, p).tokens if t.is_word) for p, t in texts)

    def rate(work) -> float:  # words per CPU second (other work on a shared machine does not count)
        work()
        t0 = time.process_time()
        for _ in range(rounds):
            work()
        return words * rounds / (time.process_time() - t0)

    checked = rate(lambda: [engine.check_text(t, p) for p, t in texts])
    # The reference: the same tokenizer and lemmatizer run as spaCy runs them, in a pipeline of its own.
    # doclint's own pipeline teaches its tokenizer every new chunk of text (nlp.Pipeline._teach_tokenizer),
    # which makes the tokenizer itself several times faster on words it has seen.
    spacy_nlp = load_pipeline.__wrapped__("blank").nlp
    bare = rate(lambda: [spacy_nlp(t) for _p, t in texts])
    own = rate(lambda: [engine.pipeline(t) for _p, t in texts])
    print(f"warm, --pipeline {pipeline}, one process (CPU time): {checked:,.0f} words/s checked with all rules; "
          f"the bare tokenizer+lemmatizer as spaCy runs it {bare:,.0f} words/s ({bare / checked:.1f}x); "
          f"doclint's taught tokenizer+lemmatizer {own:,.0f} words/s")


def _run_measured(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def cold(env: dict, repeat: int = 5) -> None:
    """`doclint check` on one note against the bare start of the same pipeline (best of N):
    --pipeline blank against spacy.blank('sv'), the default (with the trained model) against
    spacy.load of the shipped model."""
    note = ROOT / "corpora" / "fore" / "01-journalanteckning-hembesok.md"
    pairs = [("blank", [sys.executable, "-c", "import spacy; spacy.blank('sv')"],
              [sys.executable, "-m", "doclint", "check", "--pipeline", "blank", str(note)])]
    try:
        import importlib.util

        if importlib.util.find_spec("sv_doclint") is not None:
            pairs.append(("default", [sys.executable, "-c", "import spacy; spacy.load('sv_doclint')"],
                          [sys.executable, "-m", "doclint", "check", str(note)]))
    except (ImportError, ValueError):
        pass
    for name, bare, check in pairs:
        _run_measured(check, env)  # the lemma store is built on the very first start
        b = [_run_measured(bare, env) for _ in range(repeat)]
        c = [_run_measured(check, env) for _ in range(repeat)]
        bw, bc = min(x[0] for x in b), min(x[1] for x in b)
        cw, cc = min(x[0] for x in c), min(x[1] for x in c)
        print(f"cold start ({name}), best of {repeat}: bare pipeline {bw:.2f} s wall / {bc:.2f} s CPU; doclint check "
              f"one note {cw:.2f} s wall / {cc:.2f} s CPU  -> {cw / bw:.2f}x wall, {cc / bc:.2f}x CPU")


def _load_engine(checker) -> None:
    from doclint.distributed import _ENGINES

    _ENGINES.setdefault(repr(checker), checker).engine


def dask_scaling(notes: int, pipeline: str) -> None:
    """doclint.distributed on a local cluster of one and of two worker processes (loopback only)."""
    from dask.distributed import Client, LocalCluster

    from doclint.api import Checker
    from doclint.distributed import run_archive as run_shards

    tmp = Path(tempfile.mkdtemp(prefix="doclint-dask-"))
    try:
        synthesise(tmp / "arkiv", notes)
        rates = {}
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
                checker = Checker(pipeline=pipeline)
                t0 = time.perf_counter()
                client.run(_load_engine, checker)  # each worker loads its engine once, before the clock starts
                loaded = time.perf_counter() - t0
                start = time.perf_counter()
                done = run_shards(tmp / "arkiv", tmp / f"ut-{workers}", client=client, checker=checker,
                                  folders_per_shard=10)
                elapsed = time.perf_counter() - start
            words = sum(d["words"] for d in done)
            rates[workers] = notes / elapsed
            print(f"dask, {workers} worker{'s' if workers > 1 else ''} (engines loaded in {loaded:.1f} s): "
                  f"{notes} notes in {len(done)} shards, {elapsed:.1f} s = {notes / elapsed:.0f} notes/s, {words / elapsed:,.0f} words/s", flush=True)
        print(f"dask: two workers give {rates[2] / rates[1]:.2f}x one worker")
    finally:
        shutil.rmtree(tmp)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--pipeline", default="default", help="pipeline for the archive runs")
    parser.add_argument("--dask", type=int, metavar="NOTES", help="Dask: this many notes on 1 and on 2 workers")
    parser.add_argument("--pipelines", nargs="+", default=["blank", "default"], help="for --warm")
    parser.add_argument("--source", type=Path, help="run the doclint in this checkout instead")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.source:
        env["PYTHONPATH"] = str(args.source.resolve())
        sys.path.insert(0, str(args.source.resolve()))
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if args.cold:
        cold(env)
    if args.warm:
        for name in args.pipelines:
            warm(pipeline=name)
    if args.dask:
        dask_scaling(args.dask, args.pipeline)
    rows = []
    for notes in args.notes:
        tmp = Path(tempfile.mkdtemp(prefix="doclint-archive-"))
        try:
            synthesise(tmp, notes)
            folders = sum(1 for _ in tmp.glob("*/akt-*"))
            for jobs in args.jobs:
                r = run_archive(tmp, jobs, env, "json" if args.source else "jsonl", args.pipeline)
                rows.append((notes, jobs, r))
                words = f"{r['words'] / r['seconds']:,.0f} words/s" if r["words"] else "words/s n/a"
                print(f"{notes:>7} notes in {folders} folders, --jobs {jobs}: {r['seconds']:7.1f} s  "
                      f"{notes / r['seconds']:6.0f} notes/s  {words}  peak RSS {r['rss_single']:.0f} MB "
                      f"(largest process), {r['rss_total']:.0f} MB (all processes)  "
                      f"{r['findings']:,} findings  exit {r['exit']}", flush=True)
        finally:
            shutil.rmtree(tmp)
    for jobs in args.jobs:
        mine = [(n, r) for n, j, r in rows if j == jobs]
        if len(mine) > 1:
            (n0, r0), (n1, r1) = mine[0], mine[-1]
            print(f"--jobs {jobs}: {n1 / n0:.0f}x the notes took {r1['seconds'] / r0['seconds']:.1f}x the time; "
                  f"peak RSS {r0['rss_total']:.0f} -> {r1['rss_total']:.0f} MB")


if __name__ == "__main__":
    main()

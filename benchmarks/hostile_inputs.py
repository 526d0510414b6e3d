"""Time and peak memory of doclint on hostile inputs, one class at a time.

Usage:
    nice -n 10 python benchmarks/hostile_inputs.py [CLASS ...] [--commands check,stats,analyze]
                                                   [--timeout 120] [--max-mb 3000]

Classes (all generated here, in a temporary folder that is removed afterwards):
    zip-bomb         a .docx whose word/document.xml inflates to 1.5 GB
    long-line        10 MB of ordinary sentences on one line
    paragraphs       19 MB of ordinary paragraphs
    docx-paragraphs  a .docx with 100,000 (short) paragraphs
    quotes           a million ” characters
    long-word        one 5 MB word
    at-limit         ordinary paragraphs just under doclint's largest supported text
    analyze-limit    ordinary paragraphs just under the largest text `analyze` shows (check and stats
                     take up to the text limit)
    word-at-limit    one word just under that limit
    line-at-limit    ordinary sentences on one line just under that limit

Each command runs in a new process (`python -m doclint COMMAND FILE`); the figure is the wall
time and the peak resident memory of that process and its children. A run that passes
--timeout or --max-mb is stopped and reported as such. The target: every input either
completes in <= 30 s and <= 1 GB on a 2-core machine, or is refused with one Swedish line.
This script asserts nothing; it prints one row per class and command.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

WORDS = ("mamma pappa barnet skolan mötet hembesöket socialsekreteraren berättar säger att hon han de vill inte "
         "kan ska har var blev går kommer till från med på i om för efter under och men eller därför sedan "
         "kontakt planen målet veckan dagen kvällen förskolan läraren kuratorn familjen hemmet maten sömnen "
         "oroar glad ledsen trött arg lugn fotboll kompisar läxor frukost middag telefon samtal").split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 18))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraphs(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts, total = [], 0
    while total < size:
        para = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        parts.append(para)
        total += len(para.encode("utf-8")) + 2
    return "\n\n".join(parts)[:size]


_DOCX_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
_DOCX_TAIL = "</w:body></w:document>"


def _docx(path: Path, paragraphs) -> None:
    """A .docx from python-docx's own template with word/document.xml replaced by `paragraphs` (strings)."""
    import docx  # noqa: PLC0415

    template = io.BytesIO()
    docx.Document().save(template)
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                dst.writestr(item, src.read(item.filename))
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as out:
            out.write(_DOCX_HEAD.encode())
            for chunk in paragraphs:
                out.write(chunk.encode("utf-8"))
            out.write(_DOCX_TAIL.encode())


def make_zip_bomb(folder: Path) -> Path:
    path = folder / "zip-bomb.docx"
    para = "<w:p><w:r><w:t>" + "a" * 1000 + "</w:t></w:r></w:p>"
    block = para * 1000  # about 1 MB
    _docx(path, (block for _ in range(1500)))  # about 1.5 GB uncompressed
    return path


def make_docx_paragraphs(folder: Path) -> Path:
    path = folder / "docx-paragraphs.docx"
    rng = random.Random(2)
    # Short paragraphs, as in a list-like note: the text stays just under doclint's limit.
    _docx(path, (f"<w:p><w:r><w:t>{rng.choice(WORDS).capitalize()}.</w:t></w:r></w:p>" for _ in range(100_000)))
    return path


def make_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _supported_chars() -> int:
    try:
        from doclint.inputs import MAX_CHARS  # noqa: PLC0415

        return MAX_CHARS
    except ImportError:
        return 20 * 1024 * 1024


def _analyze_chars() -> int:
    try:
        from doclint.cli import ANALYZE_MAX_CHARS  # noqa: PLC0415

        return ANALYZE_MAX_CHARS
    except ImportError:
        return 200_000


CLASSES = {
    "zip-bomb": make_zip_bomb,
    "long-line": lambda d: make_text(d, "long-line.txt", _paragraphs(10 * 1024 * 1024, 3).replace("\n\n", " ")),
    "paragraphs": lambda d: make_text(d, "paragraphs.txt", _paragraphs(19 * 1024 * 1024, 4)),
    "docx-paragraphs": make_docx_paragraphs,
    "quotes": lambda d: make_text(d, "quotes.txt", "”" * 1_000_000),
    "long-word": lambda d: make_text(d, "long-word.txt", "Hon sa " + "ningtionande" * (5 * 1024 * 1024 // 12) + "."),
    "at-limit": lambda d: make_text(d, "at-limit.txt", _paragraphs(_supported_chars() - 64, 5)),
    "analyze-limit": lambda d: make_text(d, "analyze-limit.txt", _paragraphs(_analyze_chars() - 64, 7)),
    "word-at-limit": lambda d: make_text(d, "word-at-limit.txt",
                                         "Hon sa " + "ningtionande" * ((_supported_chars() - 64) // 12) + "."),
    "line-at-limit": lambda d: make_text(d, "line-at-limit.txt",
                                         _paragraphs(_supported_chars() - 64, 6).replace("\n\n", " ")),
}


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def run(cmd: list[str], timeout: float, max_mb: float) -> dict:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    state = {"peak": 0.0, "stopped": None}
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()

    def watch() -> None:
        while proc.returncode is None:
            rss = _rss_mb(_tree(proc.pid))
            state["peak"] = max(state["peak"], rss)
            elapsed = time.perf_counter() - start
            if state["stopped"] is None and (elapsed > timeout or rss > max_mb):
                state["stopped"] = f"stopped after {elapsed:.0f} s" if elapsed > timeout else f"stopped at {rss:.0f} MB"
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    watcher.join()
    reader.join(timeout=5)
    stderr = b"".join(stderr_chunks).decode("utf-8", "replace").strip().splitlines()
    peak = max(state["peak"], usage.ru_maxrss / 1024)
    return {"seconds": elapsed, "peak_mb": peak, "code": proc.returncode, "stopped": state["stopped"],
            "stderr": stderr[-1] if stderr else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("classes", nargs="*", help=f"input classes (default: all): {', '.join(CLASSES)}")
    parser.add_argument("--commands", default="check,stats,analyze")
    parser.add_argument("--timeout", type=float, default=120.0, help="stop a run after this many seconds")
    parser.add_argument("--max-mb", type=float, default=3000.0, help="stop a run above this resident memory")
    args = parser.parse_args()
    classes = args.classes or list(CLASSES)
    unknown = [c for c in classes if c not in CLASSES]
    if unknown:
        parser.error(f"unknown class {unknown[0]}; choose from {', '.join(CLASSES)}")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
          f"limits {args.timeout:.0f} s, {args.max_mb:.0f} MB")
    print(f"{'class':16} {'command':8} {'input':>9} {'time':>8} {'peak RSS':>9}  result")
    tmp = Path(tempfile.mkdtemp(prefix="doclint-hostile-"))
    try:
        for name in classes:
            path = CLASSES[name](tmp)
            size = path.stat().st_size
            for command in args.commands.split(","):
                extra = ["-f", "json"] if command in ("check", "analyze") else []
                r = run([sys.executable, "-m", "doclint", command, str(path), *extra], args.timeout, args.max_mb)
                result = r["stopped"] or f"exit {r['code']}" + (f": {r['stderr'][:110]}" if r["code"] == 2 else "")
                print(f"{name:16} {command:8} {size / 1024 / 1024:7.1f}MB {r['seconds']:7.1f}s {r['peak_mb']:7.0f}MB"
                      f"  {result}", flush=True)
            path.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

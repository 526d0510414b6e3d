"""An archive on a Dask cluster: one shard of case folders per task, results per shard as JSONL.

    from dask.distributed import Client
    from doclint.distributed import run_archive
    run_archive("arkiv/", "resultat/", client=Client("tcp://schemaläggare:8786"))

The archive is cut into shards of whole case folders (a folder is never split, so copies between
its documents are still found). Each shard is one task: the worker checks the shard's folders with
a doclint engine that it loads once and then keeps for every later shard, and writes
`resultat/shard-NNNNN.jsonl` (the records of `doclint check --format jsonl`) under a temporary name
that becomes the real name only when the shard is complete. A rerun skips the shards whose file
exists, so an interrupted run continues where it stopped. Workers read the notes from the path
they are given, so the archive must be reachable from every worker (a shared file system).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .api import Checker

_ENGINES: dict[str, Checker] = {}  # per worker process: one loaded engine per set of settings


def case_folders(root: str | Path, include_suffixes=(".txt", ".md", ".docx")) -> list[list[str]]:
    """The archive's case folders (directories holding notes), each as its sorted list of files."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files = sorted(os.path.join(dirpath, f) for f in filenames
                       if not f.startswith(".") and f.lower().endswith(include_suffixes))
        if files:
            out.append(files)
    return out


def shards(root: str | Path, folders_per_shard: int = 50) -> list[list[list[str]]]:
    """Case folders grouped into shards, in a stable order (the same archive gives the same shards)."""
    folders = case_folders(root)
    return [folders[i:i + folders_per_shard] for i in range(0, len(folders), folders_per_shard)]


def shard_name(index: int, shard: list[list[str]]) -> str:
    """shard-00012-<hash of its files>.jsonl: a changed archive does not reuse an old result."""
    digest = hashlib.sha1("\n".join(p for folder in shard for p in folder).encode()).hexdigest()[:10]
    return f"shard-{index:05d}-{digest}.jsonl"


def check_shard(checker: Checker, shard: list[list[str]], target: str, text: bool = True) -> dict:
    """Check one shard and write its records to `target` (atomically). Runs on a worker."""
    key = repr(checker)
    loaded = _ENGINES.setdefault(key, checker)  # the engine is loaded once per worker process
    path = Path(target)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    counts = {"shard": path.name, "documents": 0, "findings": 0, "errors": 0, "words": 0, "pid": os.getpid()}
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            for folder in shard:
                result = loaded.check_files(folder)
                counts["documents"] += len(result.documents)
                counts["findings"] += len(result.findings)
                counts["errors"] += len(result.errors)
                counts["words"] += sum(d["words"] for d in result.documents)
                out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in result.records(text=text)))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counts


class ShardingError(ValueError):
    """The output folder was made with other shard settings; the message says what to do."""


MANIFEST = "doclint-delar.json"


def run_archive(root: str | Path, output: str | Path, client=None, checker: Checker | None = None,
                folders_per_shard: int | None = None, text: bool = True) -> list[dict]:
    """Check an archive on a Dask cluster (or Dask's local scheduler without `client`).

    Returns one dict of counts per shard checked in this run; shards already in `output` are skipped.
    The shard size is kept in `output/doclint-delar.json`, so a rerun cuts the archive the same way."""
    import dask.bag as db  # noqa: PLC0415

    checker = checker or Checker()
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    manifest = output / MANIFEST
    if manifest.exists():
        kept = json.loads(manifest.read_text(encoding="utf-8")).get("folders_per_shard")
        if folders_per_shard is not None and kept != folders_per_shard:
            raise ShardingError(f"{output} har delar med {kept} akter per del; använd samma värde eller en ny "
                                "katalog för resultaten.")
        folders_per_shard = kept
    else:
        folders_per_shard = folders_per_shard or 50
        manifest.write_text(json.dumps({"folders_per_shard": folders_per_shard}) + "\n", encoding="utf-8")
    todo = []
    for i, shard in enumerate(shards(root, folders_per_shard)):
        target = output / shard_name(i, shard)
        if not target.exists():
            todo.append((shard, str(target)))
    if not todo:
        return []
    bag = db.from_sequence(todo, npartitions=len(todo))  # one shard per task
    done = bag.map(lambda item: check_shard(checker, item[0], item[1], text))
    if client is not None:
        return client.compute(done).result()
    return done.compute()

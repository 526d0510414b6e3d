"""doclint.api and the Dask runner: a local cluster of two worker processes on the loopback interface."""

import json
import pickle
import shutil
from pathlib import Path

import pytest

from doclint.api import Checker

ROOT = Path(__file__).resolve().parents[1]


def _archive(tmp_path) -> Path:
    archive = tmp_path / "arkiv"
    shutil.copytree(ROOT / "corpora" / "akt-lisa", archive / "akt-1")
    for n, names in enumerate((("01-journalanteckning-hembesok.md", "06-vardplan.md"),
                               ("05-utredning-bbic.md", "07-genomforandeplan.md")), start=2):
        (archive / f"akt-{n}").mkdir()
        for name in names:
            shutil.copyfile(ROOT / "corpora" / "fore" / name, archive / f"akt-{n}" / name)
    return archive


def _keys(records):
    return sorted((r["path"], r["rule"], r["start"], r["end"]) for r in records if r["type"] == "finding")


def test_checker_pickles_as_settings_and_finds_what_check_finds(tmp_path):
    archive = _archive(tmp_path)
    checker = Checker(select=["duplication", "judgement"])
    first = checker.check_files(sorted(str(p) for p in archive.rglob("*.md")))
    assert checker._engine is not None
    copy = pickle.loads(pickle.dumps(checker))
    assert copy._engine is None and copy.select == ("duplication", "judgement")
    items = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(archive.rglob("*.md"))]
    again = copy.check(items)
    assert _keys(again.records()) == _keys(first.records())
    assert {f.family for f in again.findings} == {"duplication", "judgement"}
    assert any(f.rule in ("DL403", "DL404") for f in again.findings)  # copies between documents of akt-1
    assert all("text" not in r for r in again.records(text=False) if r["type"] == "finding")
    empty = copy.check([("akt-9/tom.md", "  \n")])
    assert empty.errors and empty.errors[0]["path"] == "akt-9/tom.md" and not empty.documents


def test_two_dask_workers_write_one_file_per_shard_and_a_rerun_skips_finished_shards(tmp_path):
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster

    from doclint.cli import run_check
    from doclint.distributed import run_archive

    archive = _archive(tmp_path)
    out = tmp_path / "resultat"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=40) as cluster, Client(cluster) as client:
        done = run_archive(archive, out, client=client, folders_per_shard=1)
        assert len(done) == 3 and sum(d["documents"] for d in done) == 8
        files = sorted(f for f in out.iterdir() if f.name.startswith("shard-"))
        assert len(files) == 3 and all(f.name.startswith("shard-") and f.suffix == ".jsonl" for f in files)
        records = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]
        whole = run_check([str(archive)], jobs=1)
        assert _keys(records) == sorted((f.path, f.rule, f.start, f.end) for f in whole.findings)
        assert run_archive(archive, out, client=client) == []  # nothing left to do, same shards as before
        files[1].unlink()
        again = run_archive(archive, out, client=client, folders_per_shard=1)
        assert [d["shard"] for d in again] == [files[1].name]
    # no temporary files left; the shard size is kept for the next run
    assert sorted(p.name for p in out.iterdir()) == ["doclint-delar.json"] + [f.name for f in files]

"""Rebuild doclint's Swedish pipeline (models/sv-doclint) from the UD treebanks.

Usage: python training/train.py [--data DIR] [--minutes 50] [--max-steps N] [--threads 2]

Reads the treebanks from ../shared/data/talbanken/ (or --data, or the
environment variable DOCLINT_TALBANKEN); they are never copied into the
repository. Converts UD Swedish-Talbanken v1.0 train to UD v2 and adds
Swedish-PUD as training data (training/convert.py), trains with
training/config.cfg, selects the best checkpoint on the v2 dev split and
installs it as the package data of models/sv-doclint. Intermediate files go to
training/build/ (ignored by git).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import convert  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("DOCLINT_TALBANKEN") or ROOT.parent / "shared" / "data" / "talbanken")
TRAIN_V1 = "sv-ud-v1.0-train.conll"
TRAIN_PUD = "sv_pud-ud-test.conllu"
DEV = "sv_talbanken-ud-dev.conllu"
MODEL_DIR = ROOT / "models" / "sv-doclint" / "sv_doclint" / "model"


class TimeBudgetReached(Exception):
    """Raised by the before_update callback when the training time budget is spent."""


def _register_time_budget() -> None:
    import spacy  # noqa: PLC0415

    @spacy.registry.callbacks("doclint.time_budget.v1")
    def time_budget(minutes: float):
        deadline = time.monotonic() + minutes * 60

        def before_update(nlp, info):
            if time.monotonic() > deadline:
                raise TimeBudgetReached(f"time budget of {minutes} minutes spent at step {info['step']}")

        return before_update


def prepare(data: Path, build: Path, coordination: bool = True) -> None:
    for name in (TRAIN_V1, TRAIN_PUD, DEV):
        if not (data / name).exists():
            sys.exit(f"Missing {data / name}: pass --data DIR or set DOCLINT_TALBANKEN")
    if build.exists():
        shutil.rmtree(build)
    n1 = convert.convert(data / TRAIN_V1, build / "train" / "talbanken-v1.spacy", v1=True,
                         coordination=coordination)
    n2 = convert.convert(data / TRAIN_PUD, build / "train" / "pud.spacy")
    n3 = convert.convert(data / DEV, build / "dev.spacy")
    print(f"training sentences: {n1} (Talbanken v1.0 -> v2) + {n2} (PUD); dev: {n3}", flush=True)


def train(build: Path, minutes: float, max_steps: int | None, eval_frequency: int | None,
          config: Path = HERE / "config.cfg") -> Path:
    from spacy.cli.train import train as spacy_train  # noqa: PLC0415

    import doclint.lexicon  # noqa: F401, PLC0415  (registers the doclint_lexicon component)

    _register_time_budget()
    overrides = {
        "paths.train": str(build / "train"),
        "paths.dev": str(build / "dev.spacy"),
        "training.before_update.minutes": minutes,
    }
    if max_steps:
        overrides["training.max_steps"] = max_steps
    if eval_frequency:
        overrides["training.eval_frequency"] = eval_frequency
    out = build / "output"
    try:
        spacy_train(config, out, overrides=overrides)
    except TimeBudgetReached as stop:
        print(f"stopped: {stop}", flush=True)
    return out / "model-best"


def install(best: Path, wall_minutes: float) -> None:
    import spacy  # noqa: PLC0415

    import doclint.lexicon  # noqa: F401, PLC0415

    nlp = spacy.load(best)
    nlp.meta.update({
        "name": "doclint", "version": _package_version(),
        "description": "doclint's Swedish pipeline: morphologizer (UPOS, UD features) and dependency "
                       "parser, trained on UD Swedish-Talbanken and UD Swedish-PUD.",
        "license": "CC BY-SA 4.0",
        "author": "doclint; training data: Talbanken (Lund University; Einarsson 1976, Teleman 1974), "
                  "UD contributors",
        "sources": [{"name": "UD Swedish-Talbanken v1.0 train (converted to UD v2)"},
                    {"name": "UD Swedish-PUD"}],
    })
    nlp.meta.setdefault("doclint", {})["training_wall_minutes"] = round(wall_minutes, 1)
    for key in ("train", "dev"):  # no paths of the machine that trained it
        nlp.config["paths"][key] = None
    if MODEL_DIR.exists():
        shutil.rmtree(MODEL_DIR)
    nlp.to_disk(MODEL_DIR)
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    print(f"installed {MODEL_DIR.relative_to(ROOT)} ({size / 1e6:.1f} MB)", flush=True)
    scores = {k: v for k, v in nlp.meta.get("performance", {}).items()
              if k in ("pos_acc", "morph_acc", "dep_uas", "dep_las")}
    print("dev scores (gold tokens and sentences):", json.dumps(scores), flush=True)


def _package_version() -> str:
    for line in (ROOT / "models" / "sv-doclint" / "pyproject.toml").read_text(encoding="utf-8").splitlines():
        if line.startswith("version"):
            return line.split("=", 1)[1].strip().strip('"')
    return "0.0.0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="directory with the UD files")
    parser.add_argument("--build", type=Path, default=HERE / "build", help="intermediate files")
    parser.add_argument("--minutes", type=float, default=50, help="training time budget (default 50)")
    parser.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    parser.add_argument("--eval-frequency", type=int, default=None)
    parser.add_argument("--config", type=Path, default=HERE / "config.cfg",
                        help="training configuration (default training/config.cfg)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (default 2)")
    parser.add_argument("--no-coord", action="store_true",
                        help="keep UD v1 attachment of cc and commas (to measure the conversion)")
    parser.add_argument("--no-install", action="store_true", help="train only; leave models/ as it is")
    args = parser.parse_args()

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    started = time.monotonic()
    prepare(args.data, args.build, coordination=not args.no_coord)
    best = train(args.build, args.minutes, args.max_steps, args.eval_frequency, args.config)
    wall = (time.monotonic() - started) / 60
    print(f"wall time: {wall:.1f} min", flush=True)
    if not args.no_install:
        install(best, wall)


if __name__ == "__main__":
    main()

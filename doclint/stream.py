"""`doclint check` over an archive of any size: findings are written as each case folder is done.

Used for the machine formats (jsonl, json, sarif, github) and for --write-baseline. Only counts
(and, for a baseline, the keys) are kept until the end, never the findings of the whole run.
"""

from __future__ import annotations

import contextlib
import os

import typer
from rich.console import Console


def check_streaming(paths, output_format, output, fail_level, statistics, baseline, write_baseline, **options):
    from .baseline import baseline_keys, load_baseline, save_keys, unlisted  # noqa: PLC0415
    from .cli import fail, os_reason, run_check, warn  # noqa: PLC0415
    from .reporters.stream import WRITERS, AtomicFile, Tally, Writer  # noqa: PLC0415
    from .rules import RuleError, severity  # noqa: PLC0415

    stored = None
    if baseline is not None:
        try:
            stored = load_baseline(baseline)
        except RuleError as exc:
            fail(str(exc))
    tally = Tally()
    keys: list = []
    state: dict = {}
    to_file = output is not None and write_baseline is None
    with contextlib.ExitStack() as stack:

        def writer_for(rules) -> Writer:
            if "writer" not in state:
                if write_baseline is not None:
                    out = stack.enter_context(open(os.devnull, "w", encoding="utf-8"))
                elif to_file:
                    try:
                        out = stack.enter_context(AtomicFile(output))
                    except OSError as exc:
                        fail(f"{output}: kan inte skriva rapporten ({os_reason(exc)}).")
                else:
                    out = stack.enter_context(contextlib.nullcontext(__import__("sys").stdout))
                state["writer"] = WRITERS[output_format.value if output_format else "jsonl"](
                    out, tally, rules=rules, statistics=statistics)
                state["writer"].start()
            return state["writer"]

        def on_folder(done, rules) -> None:
            writer = writer_for(rules)
            if write_baseline is not None:
                keys.extend(baseline_keys(done.findings, write_baseline.parent))
            if stored is not None:
                done.findings = unlisted(stored, done.findings, baseline.parent)
            tally.add(done.findings)
            tally.errors += [r.error for r in done.results if r.error]
            tally.documents += sum(1 for r in done.results if r.stats is not None)
            if write_baseline is None:
                writer.write(done)

        run = run_check(paths, on_folder=on_folder, **options)
        writer = writer_for(run.rules)
        writer.skipped = run.skipped
        if write_baseline is None:
            writer.finish()
    errors = tally.errors
    if write_baseline is not None:
        try:
            count = save_keys(write_baseline, keys)
        except OSError as exc:
            fail(f"{write_baseline}: kan inte skriva baslinjen ({os_reason(exc)}).")
        for message in errors:
            warn(message)
        Console(stderr=True, highlight=False).print(f"Sparade {count} anmärkningar i baslinjen {write_baseline}.")
        raise typer.Exit(2 if errors else 0)
    if errors:
        raise typer.Exit(2)
    limit = severity(fail_level.value) if fail_level else (run.fail_level or "warning")
    raise typer.Exit(1 if tally.at_least(limit) else 0)

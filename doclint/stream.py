"""`doclint check` over an archive of any size: findings are written as each case folder is done.

Every format but html is written folder by folder; only counts are kept until the end (and, for a
baseline, the keys), never the findings of the whole run. The text summary at the end is made from
one shared stand-in per rule and severity, so it costs a reference per finding, not a finding.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections import Counter

import typer
from rich.console import Console


class _Counted:
    """Stand-ins for the findings of a run, for the text summary: one shared object per (rule,
    severity), repeated by reference (no text, no message, no position)."""

    def __init__(self) -> None:
        self.kinds: dict[tuple, object] = {}
        self.counts: Counter = Counter()

    def add(self, findings) -> None:
        for f in findings:
            key = (f.rule, f.severity)
            if key not in self.kinds:
                self.kinds[key] = dataclasses.replace(f, path="", text="", message="", suggestions=[], related=[])
            self.counts[key] += 1

    def as_list(self) -> list:
        return [self.kinds[k] for k, n in self.counts.items() for _ in range(n)]


def check_streaming(paths, output_format, output, fail_level, statistics, baseline, write_baseline, level=None,
                    **options):
    from .baseline import baseline_keys, load_baseline, save_keys, unlisted  # noqa: PLC0415
    from .cli import Format, fail, os_reason, run_check, warn  # noqa: PLC0415
    from .reporters import by_level  # noqa: PLC0415
    from .reporters.stream import WRITERS, AtomicFile, Tally  # noqa: PLC0415
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
    textual = output_format in (Format.text, Format.concise)
    shown_counts, hidden = _Counted(), Counter()
    to_file = output is not None and write_baseline is None
    try:
        with contextlib.ExitStack() as stack:

            def writer_for(rules):
                if "writer" not in state:
                    if write_baseline is not None:
                        out = stack.enter_context(open(os.devnull, "w", encoding="utf-8"))
                    elif to_file:
                        try:
                            out = stack.enter_context(AtomicFile(output))
                        except OSError as exc:
                            fail(f"{output}: kan inte skriva rapporten ({os_reason(exc)}).")
                    else:
                        out = sys.stdout
                    if textual:
                        state["console"] = (Console(file=out, no_color=True, width=200, highlight=False) if to_file
                                            else Console(highlight=False))
                        state["writer"] = None
                    else:
                        state["writer"] = WRITERS[output_format.value if write_baseline is None else "jsonl"](
                            out, tally, rules=rules, statistics=statistics)
                        state["writer"].start()
                return state["writer"]

            def on_folder(done, context) -> None:
                writer = writer_for(context["rules"])
                if write_baseline is not None:
                    keys.extend(baseline_keys(done.findings, write_baseline.parent))
                if stored is not None:
                    done.findings = unlisted(stored, done.findings, baseline.parent)
                tally.add(done.findings)
                tally.errors += [r.error for r in done.results if r.error]
                for result in done.results:
                    if result.notice:
                        warn(result.notice)
                tally.documents += sum(1 for r in done.results if r.stats is not None)
                if write_baseline is not None:
                    return
                if textual:
                    from .reporters import text  # noqa: PLC0415

                    shown, hide = by_level(done.findings, level.value if level else context["level"])
                    hidden.update(hide)
                    shown_counts.add(shown)
                    text.render(shown, console=state["console"], lines_of=lambda path, line: done.lines.get((path, line)),
                                statistics=statistics, concise=output_format is Format.concise, ending=False)
                else:
                    writer.write(done)

            run = run_check(paths, on_folder=on_folder, lines=textual and write_baseline is None, **options)
            writer = writer_for(run.rules)
            if write_baseline is None:
                if textual:
                    from .reporters import text  # noqa: PLC0415

                    text.render(shown_counts.as_list(), console=state["console"], lines_of=lambda *_: None,
                                skipped=run.skipped, errors=tally.errors, statistics=statistics, hidden=hidden,
                                level=level.value if level else run.level, concise=output_format is Format.concise,
                                checked=tally.documents, listing=False)
                else:
                    writer.skipped = run.skipped
                    writer.finish()
    except OSError as exc:  # the report file failed (a full disk); its temporary file is already removed
        if not to_file:
            raise
        fail(f"{output}: kan inte skriva rapporten ({os_reason(exc)}).")
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

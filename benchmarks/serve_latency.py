"""Latency of `doclint serve` under load, on loopback only.

Starts `doclint serve` on a free 127.0.0.1 port, sends a 500-word note (built from the invented
notes in corpora/fore/) with 1, 4 and 16 concurrent clients (httpx, asyncio), and prints requests/s
and p50/p99 latency per level. Then sends 10,000 requests and prints the server's resident memory
every 1,000, to show that it does not grow. Every phase is bounded in count and in time.

    nice -n 10 python benchmarks/serve_latency.py [--requests 400] [--memory-requests 10000] [--pipeline default]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def note(words: int = 500) -> str:
    out, count = [], 0
    for path in sorted((ROOT / "corpora" / "fore").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            n = len(line.split())
            if count + n > words:
                continue
            out.append(line)
            count += n
            if count >= words - 5:
                return "# Journalanteckning\n\n" + "\n\n".join(out) + "\n"
    return "# Journalanteckning\n\n" + "\n\n".join(out) + "\n"


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def load(url: str, body: dict, clients: int, requests: int, seconds: float) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    sent = 0
    errors = 0
    deadline = time.monotonic() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal sent, errors
        while sent < requests and time.monotonic() < deadline:
            sent += 1
            t = time.perf_counter()
            r = await client.post(url, json=body)
            latencies.append(time.perf_counter() - t)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return latencies, elapsed, errors


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=400, help="requests per concurrency level")
    ap.add_argument("--seconds", type=float, default=60, help="time bound per concurrency level")
    ap.add_argument("--memory-requests", type=int, default=10_000)
    ap.add_argument("--memory-seconds", type=float, default=900)
    ap.add_argument("--pipeline", default="default")
    args = ap.parse_args()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "doclint", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--pipeline", args.pipeline], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise SystemExit("doclint serve did not start")
        text = note()
        body = {"text": text, "doc_type": "journalanteckning"}
        url = f"{base}/v1/check"
        findings = len(httpx.post(url, json=body, timeout=30).json()["findings"])
        print(f"note: {len(text.split())} words, {len(text)} characters, {findings} findings; pipeline {args.pipeline}")
        asyncio.run(load(url, body, 1, 30, 30))  # warm
        print(f"{'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
        for clients in (1, 4, 16):
            lat, elapsed, errors = asyncio.run(load(url, body, clients, args.requests, args.seconds))
            print(f"{clients:>7} {len(lat):>8} {len(lat) / elapsed:>7.1f} {pct(lat, 50):>7.1f} {pct(lat, 99):>7.1f} "
                  f"{errors:>6}", flush=True)
        print(f"memory over {args.memory_requests} requests (4 clients), server RSS in MB:")
        done, start, rss = 0, time.monotonic(), [rss_kb(proc.pid)]
        print(f"  {0:>6}: {rss[0] / 1024:.1f}", flush=True)
        while done < args.memory_requests and time.monotonic() - start < args.memory_seconds:
            chunk = min(1000, args.memory_requests - done)
            lat, _, errors = asyncio.run(load(url, body, 4, chunk, args.memory_seconds - (time.monotonic() - start)))
            done += len(lat)
            rss.append(rss_kb(proc.pid))
            print(f"  {done:>6}: {rss[-1] / 1024:.1f}" + (f"  ({errors} errors)" if errors else ""), flush=True)
        if len(rss) > 2:
            print(f"growth after the first 1,000 requests: {(rss[-1] - rss[1]) / 1024:+.1f} MB "
                  f"({done} requests in {time.monotonic() - start:.0f} s)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()

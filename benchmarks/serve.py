"""Load `occugraph serve` with a fixed number of clients and time its answers.

The script builds a corpus (by default the seeds) into a fresh store and starts
`occugraph serve` on a free port of 127.0.0.1. It then runs each scenario several times.
In each run, N clients each send one request at a time, back to back, for a fixed
duration. A run reports requests/s and the p50/p99 latency. The scenarios:

- saved-query: /queries/occupation-card.json?occupation=21-1092.00
- dereference: the occupation's IRI, asked for as text/turtle

.venv/bin/python benchmarks/serve.py [--corpus seeds] [--clients 8] [--duration 10] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2

from occugraph.build import build

HOST = "127.0.0.1"  # never anything else: this load stays on the machine
SCENARIOS = {
    "saved-query": (
        "/queries/occupation-card.json?occupation=21-1092.00",
        "application/sparql-results+json",
    ),
    "dereference": (
        "/occupations/ProbationOfficersAndCorrectionalTreatmentSpecialists",
        "text/turtle",
    ),
}


@dataclass(frozen=True)
class Run:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: int) -> float:
        """The p-th percentile latency in milliseconds."""
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(store: Path, *, workers: int, log: Path) -> Iterator[tuple[str, list[str]]]:
    """`occugraph serve` on the store, stopped (with its query workers) on leaving."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "occugraph.cli",
        "serve",
        "--store",
        str(store),
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            base = f"http://{HOST}:{port}"
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"occugraph serve did not start:\n{log.read_text()}")
                with contextlib.suppress(httpx2.TransportError):
                    if httpx2.get(f"{base}/health", timeout=2).status_code == 200:
                        break
                time.sleep(0.1)
            yield base, command
        finally:
            if process.poll() is None:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=15)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


async def load(base: str, path: str, accept: str, *, clients: int, duration: float) -> Run:
    latencies: list[float] = []
    errors = 0
    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx2.AsyncClient(base_url=base, limits=limits, timeout=60) as client:

        async def one_client(until: float) -> None:
            nonlocal errors
            while time.perf_counter() < until:
                sent = time.perf_counter()
                response = await client.get(path, headers={"Accept": accept})
                await response.aread()
                latencies.append(time.perf_counter() - sent)
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(one_client(started + duration) for _ in range(clients)))
        seconds = time.perf_counter() - started
    return Run(len(latencies), errors, seconds, latencies)


def spread(values: list[float], unit: str, digits: int = 1) -> str:
    return (
        f"{statistics.median(values):.{digits}f} {unit} "
        f"({min(values):.{digits}f}–{max(values):.{digits}f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=Path("seeds"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2, help="query worker processes")
    args = parser.parse_args()

    python = os.path.relpath(sys.executable)
    print("$", shlex.join([sys.executable if python.startswith("..") else python, *sys.argv]))
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store"
        build([args.corpus], store=store)
        with serving(store, workers=args.workers, log=Path(folder) / "serve.log") as (
            base,
            command,
        ):
            print("server:", shlex.join(command))
            print(
                f"{args.clients} clients, {args.duration:g} s per run, {args.runs} runs, "
                f"{os.cpu_count()} CPUs shared by server, workers and clients, "
                f"load average {os.getloadavg()[0]:.2f} before"
            )
            print(f"{'scenario':<12} {'requests/s':>22} {'p50':>24} {'p99':>24}  errors")
            for name, (path, accept) in SCENARIOS.items():
                asyncio.run(load(base, path, accept, clients=args.clients, duration=1.0))
                runs = [
                    asyncio.run(
                        load(base, path, accept, clients=args.clients, duration=args.duration)
                    )
                    for _ in range(args.runs)
                ]
                print(
                    f"{name:<12} {spread([r.per_second for r in runs], 'req/s'):>22} "
                    f"{spread([r.percentile(50) for r in runs], 'ms'):>24} "
                    f"{spread([r.percentile(99) for r in runs], 'ms'):>24}  "
                    f"{sum(r.errors for r in runs)}"
                )
            print(f"load average {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()

"""The flash engine's acceptance run: every comparison side by side, one server at a time.

    .venv/bin/python benchmarks/flash.py [--llama-server PATH] [--quick]

Runs the in-process batched ceiling, then ``eclair`` (all features), ``eclair-no-prefix``,
``eclair-cold`` / ``eclair-cold-no-spec`` (speculation on / off, prefix reuse off on both) and
llama-cpp-python's server (interrupts off) through the scenarios each comparison needs, and prints the ratios of issue 6's acceptance criteria. Results:
``artifacts/flash.json`` and ``artifacts/flash.png``. Equivalent to ``eclair bench`` with the
options below; ``--quick`` shrinks every scenario for a smoke run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eclair.bench.cli import bench_command


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--llama-server", type=Path, default=None, help="native llama-server binary")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--start",
        default="eclair:sweep+multiturn,eclair-no-prefix:multiturn,eclair-cold:speculation,"
        "eclair-cold-no-spec:speculation,llama-cpp-python:sweep+multiturn",
        help="servers to run, each limited to the scenarios its comparisons need",
    )
    parser.add_argument("--scenario", default="sweep,multiturn,speculation")
    parser.add_argument("--levels", default="1,2,4,8")
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--turn-tokens", type=int, default=48)
    args = parser.parse_args()
    start = args.start + (",llama-server:sweep+multiturn" if args.llama_server else "")
    bench_command(
        url=None,
        start=start,
        scenario=args.scenario,
        ceiling=True,
        model=None,
        threads=args.threads,
        n_slots=8,
        ctx_size=4096,
        levels="1,8" if args.quick else args.levels,
        max_tokens=32 if args.quick else args.max_tokens,
        poisson_rate=0.5,
        poisson_requests=16,
        users=2 if args.quick else args.users,
        turns=2 if args.quick else args.turns,
        turn_tokens=16 if args.quick else args.turn_tokens,
        llama_server=args.llama_server,
        out=Path("artifacts/flash.json"),
        chart=Path("artifacts/flash.png"),
    )


if __name__ == "__main__":
    main()

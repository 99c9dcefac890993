"""The in-process batched ceiling: 8 sequences, one llama_decode per step, argmax, no server.

    .venv/bin/python benchmarks/ceiling.py [--sequences 8] [--max-tokens 128] [--threads 2]

See :mod:`eclair.bench.ceiling`. ``eclair bench --ceiling`` runs the same in a comparison run.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from eclair.bench.ceiling import batched_ceiling
from eclair.bench.report import write_json
from eclair.config import bundled_model_path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sequences", type=int, default=8)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("artifacts/ceiling.json"))
    args = parser.parse_args()
    figures = batched_ceiling(
        args.model or bundled_model_path(),
        sequences=args.sequences,
        max_tokens=args.max_tokens,
        threads=args.threads,
    )
    print(json.dumps(figures, indent=2))
    write_json(args.out, figures)


if __name__ == "__main__":
    main()

"""The q8_0 KV cache against f16: speed, exactness and bytes, on the bundled model.

    .venv/bin/python benchmarks/kv_cache_type.py [--tokens 48] [--rounds 2] [--threads 2]

Two llama contexts (f16 and q8_0 keys and values) in one process, each decoding the 8
:data:`~eclair.bench.prompts.OPEN_PROMPTS` together greedily (one ``llama_decode`` per step,
like the engine), the two alternated round by round so that machine load hits them alike.
Reported: aggregate decode tokens/s of each (median over rounds), how many of the 8 greedy
answers are identical, the top-1 agreement of q8_0 along f16's greedy path (the q8_0 context is
fed f16's tokens and asked for its choice at each position: the quality cost, free of
divergence), and the bytes of one sequence's saved state (:mod:`eclair.engine.seqstate`).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from eclair.bench.prompts import OPEN_PROMPTS
from eclair.config import bundled_model_path
from eclair.engine.chat_template import CHATML_TEMPLATE, ChatTemplate
from eclair.engine.llama_runtime import Batch, LlamaRuntime
from eclair.engine.protocol import ChatMessage
from eclair.engine.seqstate import read_sequence


def decode_together(
    rt: LlamaRuntime, prompts: list[list[int]], tokens: int, forced: list[list[int]] | None = None
) -> tuple[list[list[int]], float, float | None]:
    """Greedy answers of ``prompts`` decoded together, seconds of decoding, and (when
    ``forced`` gives another run's answers, fed instead of our own) the share of positions
    where our choice equals theirs."""
    rt.clear_memory()
    batch, n = Batch(1024), len(prompts)
    for seq, prompt in enumerate(prompts):
        batch.add(seq, prompt, 0, outputs="last")
    assert rt.decode(batch) == 0
    logits = rt.logits(n)
    answers = [[int(np.argmax(logits[s]))] for s in range(n)]
    current = [f[0] for f in forced] if forced else [a[0] for a in answers]
    agree = 0
    started = time.perf_counter()
    for i in range(tokens):
        batch.clear()
        for seq in range(n):
            batch.add(seq, [current[seq]], len(prompts[seq]) + i, outputs="all")
        assert rt.decode(batch) == 0
        logits = rt.logits(n)
        chosen = [int(np.argmax(logits[s])) for s in range(n)]
        for seq in range(n):
            answers[seq].append(chosen[seq])
        if forced:
            agree += sum(chosen[s] == forced[s][i + 1] for s in range(n))
            current = [forced[s][i + 1] for s in range(n)]
        else:
            current = chosen
    elapsed = time.perf_counter() - started
    return answers, elapsed, (agree / (tokens * n) if forced else None)


def main(args: argparse.Namespace) -> None:
    runtimes = {
        kind: LlamaRuntime(
            bundled_model_path(),
            n_seq_max=8,
            n_ctx_seq=1024,
            threads=args.threads,
            batch_tokens=512,
            kv_type=kind,
        )
        for kind in ("f16", "q8_0")
    }
    template = ChatTemplate(CHATML_TEMPLATE)
    prompts = [runtimes["f16"].tokenize(template.render([ChatMessage("user", p)])) for p in OPEN_PROMPTS]
    speeds: dict[str, list[float]] = {kind: [] for kind in runtimes}
    answers: dict[str, list[list[int]]] = {}
    for _ in range(args.rounds):
        for kind, rt in runtimes.items():
            answers[kind], seconds, _ = decode_together(rt, prompts, args.tokens)
            speeds[kind].append(len(prompts) * args.tokens / seconds)
    _, _, agreement = decode_together(runtimes["q8_0"], prompts, args.tokens, forced=answers["f16"])
    same = sum(a == b for a, b in zip(answers["f16"], answers["q8_0"], strict=True))
    print("decode tok/s, 8 streams:", {k: round(statistics.median(v), 1) for k, v in speeds.items()})
    print(f"identical greedy answers ({args.tokens} tokens): {same}/{len(prompts)}")
    print(f"q8_0 top-1 agreement along the f16 greedy path: {agreement:.4f}")
    for kind, rt in runtimes.items():
        rt.clear_memory()
        batch = Batch(512)
        batch.add(0, (prompts[0] * 8)[:100], 0, outputs="last")
        assert rt.decode(batch) == 0
        print(f"{kind}: saved state of a 100-token sequence: {len(read_sequence(rt.ctx, 0))} bytes")
        rt.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tokens", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    main(parser.parse_args())

"""Every regular expression of the text analysis takes time linear in the text (issue 16).

A pattern tried at each position of a text can rescan, from each, a run that only ends far
away ("\\s+-" over 64,000 spaces), or give back a run one character at a time to a second
quantifier of the same characters ("[.!?]\\s*" then "\\s*"): 64,000 spaces took 15 s to split
into clauses. This test collects the patterns of :mod:`eclair.answer`, :mod:`eclair.knowledge`
and :mod:`eclair.text` (module level, inside lists, tuples and dicts, built by cached loaders,
and written inline as ``re.sub(r"…", …)``), and times each on runs of hostile units at two
lengths, the way the code uses it: ``finditer`` (what ``search``, ``sub``, ``findall`` and
``split`` do) unless every use anchors it (``match``, ``fullmatch``). A text 8 times longer
takes about 8 times longer for a linear pattern, 64 for a quadratic one.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import eclair.answer
import eclair.knowledge
import eclair.text
from eclair.answer.router import warm_up

PACKAGES = (eclair.answer, eclair.knowledge, eclair.text)
# Patterns searched only from a bounded position, with why the bound holds.
BOUNDED = {
    # searched from QUESTION_TAIL_CHARS before the end of the message
    "answer.context._LAST_QUESTION",
    "answer.context:34",
}
UNITS = (
    " ", "\t", "\u00a0", "\n", " \n", "\n\n", "a", "a ", "A ", "a_", "ab1 ", "1", "1 ", "1, ", "1.", "1 x ",
    ".", ". ", "!", "?", "? ", ", ", "-", " - ", "**a ", "__a ", "(((", ")))", "[1] ", "x + ", "1 + 1 = ",
    "3 fois 4, plus ", "how long does ", "hmm ", "10 km ", "3 € ", "5 % of ", "é", "'", "\\",
)  # fmt: skip
# Where a run starts and ends: a mark or a lead-in before it, something that stops it after.
PREFIXES = ("", ": ", "question: ")
TAILS = ("", "?", "x")
SHORT, LONG = 100, 800
GROWTH_LIMIT = 24  # linear: about 8; quadratic: about 64
_ANCHORED = {"match", "fullmatch"}
_RE_CALLS = _ANCHORED | {"compile", "search", "findall", "finditer", "split", "sub", "subn"}


def _modules() -> Iterator[ModuleType]:
    for package in PACKAGES:
        for info in pkgutil.iter_modules(package.__path__):
            yield importlib.import_module(f"{package.__name__}.{info.name}")


def _walk(value: object, name: str, found: dict[str, re.Pattern[str]], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            found.setdefault(name, value)
    elif depth < 4 and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _walk(item, f"{name}[{i}]", found, depth + 1)
    elif depth < 4 and isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{name}[{key!r}]", found, depth + 1)


def _is_re_call(node: ast.Call) -> bool:
    func = node.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "re"
        and func.attr in _RE_CALLS
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def collect() -> tuple[dict[str, re.Pattern[str]], set[str]]:
    """(patterns by name, names of those only ever used anchored)."""
    warm_up()
    found: dict[str, re.Pattern[str]] = {}
    uses: dict[str, set[str]] = {}
    inline_anchored: set[str] = set()
    for module in _modules():
        prefix = module.__name__.removeprefix("eclair.")
        for key, value in vars(module).items():
            if inspect.ismodule(value) or inspect.isclass(value):
                continue
            loader: Callable[[], object] | None = getattr(value, "cache_info", None) and value
            if loader is not None and getattr(value, "__module__", "") == module.__name__:
                try:
                    value = loader()  # a cached builder of patterns (from data files)
                except TypeError:
                    continue
                key += "()"
            _walk(value, f"{prefix}.{key}", found)
        tree = ast.parse(Path(inspect.getfile(module)).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            if _is_re_call(node):
                name = f"{prefix}:{node.lineno}"
                flags = sum(
                    getattr(re, kw.value.attr, 0)
                    for kw in node.keywords
                    if kw.arg == "flags" and isinstance(kw.value, ast.Attribute)
                )
                found.setdefault(name, re.compile(node.args[0].value, flags))  # type: ignore[union-attr]
                if node.func.attr in _ANCHORED:
                    inline_anchored.add(name)
            elif isinstance(node.func.value, ast.Name):
                uses.setdefault(node.func.value.id, set()).add(node.func.attr)
    anchored = set(inline_anchored)
    for name in found:
        bare = name.rsplit(".", 1)[-1]
        if bare in uses and uses[bare] and uses[bare] <= _ANCHORED:
            anchored.add(name)
    return found, anchored


def _seconds(run: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        # CPU time, not wall time: on a loaded machine a preemption in the long run read as x100
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def _growth(pattern: re.Pattern[str], anchored: bool) -> tuple[float, str]:
    """The largest time ratio between a text ``LONG // SHORT`` times longer and the short one."""

    def runner(text: str) -> Callable[[], object]:
        return (lambda: pattern.match(text)) if anchored else (lambda: sum(1 for _ in pattern.finditer(text)))

    worst = (0.0, "")
    for unit in UNITS:
        for prefix in PREFIXES if unit.isspace() else PREFIXES[:1]:
            for tail in TAILS:
                long = prefix + unit * (LONG // len(unit)) + tail
                if _seconds(runner(long)) < 300e-6:  # fast enough not to matter, whatever its growth
                    continue
                short = prefix + unit * (SHORT // len(unit)) + tail
                ratio = _seconds(runner(long), 3) / max(_seconds(runner(short), 3), 1e-6)
                if ratio > worst[0]:
                    worst = (ratio, repr(long[:24]))
    return worst


def test_the_collection_finds_the_patterns_of_every_kind() -> None:
    found, anchored = collect()
    assert len(found) > 500
    assert "answer.clauses.SEGMENT" in found  # module level
    assert any(name.startswith("answer.units._units()") for name in found)  # cached loader
    assert any(":" in name for name in found)  # inline
    assert "answer.dateref._WEEKDAY_ONLY_END" in anchored  # only ever matched from a position
    assert set(found) >= BOUNDED


def test_every_pattern_is_linear_on_hostile_runs() -> None:
    found, anchored = collect()
    slow = {}
    for name, pattern in found.items():
        if name in BOUNDED:
            continue
        ratio, text = _growth(pattern, name in anchored)
        if ratio > GROWTH_LIMIT:
            slow[name] = f"x{ratio:.0f} on {text}…: {pattern.pattern[:100]!r}"
    assert not slow, "\n".join(f"{name}: {why}" for name, why in slow.items())

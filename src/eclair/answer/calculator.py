"""An exact calculator: its own tokenizer, a recursive-descent parser and an evaluator over
:class:`fractions.Fraction`. Nothing is ever passed to ``eval``.

Grammar (lowest precedence first)::

    expr    := term (("+" | "-") term)*
    term    := unary (("*" | "/" | "mod") unary | implicit-product)*
    unary   := ("-" | "+") unary | power
    power   := postfix ("^" unary)?            # right associative, -2^2 = -4
    postfix := primary ("!" | "%")*
    primary := NUMBER | "pi" | "(" expr ")" | FUNC "(" expr ")" | FUNC primary

``FUNC`` is one of :data:`FUNCTIONS`. Symbols are normalised first (``×``, ``x``, ``·`` → ``*``;
``÷``, ``:`` → ``/``; ``**`` → ``^``; ``√``, ``∛``, ``²``, ``³``). Any other name or an
attribute access is refused.

Contract: :func:`calculate` returns a :class:`Calculation` (an AST and its value) or raises
:class:`CalcError` with a ``code`` that :mod:`eclair.answer.phrasing` turns into a sentence.
Values are exact rationals; square/cube roots and fractional powers are exact when the
result is rational and otherwise computed to 40 significant digits and flagged inexact.
An implicit product right after a division ("6/2(1+2)": 9 or 1?) is refused as ambiguous.
Hostile input is refused before work is done: input length, token count, nesting depth,
result size (:data:`MAX_DIGITS` digits, estimated *before* a power or factorial is
computed) and a wall-clock budget are all bounded, so ``9**9**9**9`` fails in microseconds.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from eclair.answer.numfmt import magnitude_digits

MAX_INPUT_CHARS = 500
MAX_TOKENS = 200
MAX_DEPTH = 64
MAX_DIGITS = 1000
MAX_FACTORIAL = 450  # 450! has 1001 digits
TIME_BUDGET_S = 0.05
FUNCTIONS = ("sqrt", "cbrt", "abs")
_PRECISION = 40
_PI = "3.141592653589793238462643383279502884197"


class CalcError(Exception):
    """Why an expression cannot be computed. ``code`` is one of: ``syntax``, ``name``,
    ``attribute``, ``too_long``, ``too_deep``, ``too_large``, ``timeout``, ``div_zero``,
    ``negative_root``, ``domain``, ``ambiguous``."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


# ---------------------------------------------------------------- AST


@dataclass(frozen=True, slots=True)
class Num:
    value: Fraction
    text: str
    exact: bool = True


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    # "12.5% of 360" is shown with "of", not "×".
    of_form: bool = False


@dataclass(frozen=True, slots=True)
class Func:
    name: str
    arg: Node


@dataclass(frozen=True, slots=True)
class Postfix:
    op: str  # "!" or "%"
    operand: Node


@dataclass(frozen=True, slots=True)
class Group:
    inner: Node


Node = Num | Unary | Binary | Func | Postfix | Group


@dataclass(frozen=True, slots=True)
class Value:
    q: Fraction
    exact: bool = True


@dataclass(frozen=True, slots=True)
class Calculation:
    tree: Node
    value: Value


# ---------------------------------------------------------------- tokens

_SYMBOLS = {
    "×": "*", "✕": "*", "·": "*", "⋅": "*", "∗": "*", "÷": "/", "∕": "/", ":": "/",
    "−": "-", "–": "-", "—": "-", "＋": "+", "√": " sqrt ", "∛": " cbrt ", "²": "^2", "³": "^3",
    "π": " pi ", "[": "(", "]": ")", "{": "(", "}": ")",
}  # fmt: skip
_TOKEN = re.compile(
    r"(?<!\s)\s*+(?:(?P<num>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[^\W\d]\w*)|(?P<op>\*\*|[-+*/^()!%.,]))"
)


def normalise(expression: str) -> str:
    text = "".join(_SYMBOLS.get(c, c) for c in expression)
    # "x"/"X" is a product between two operands: "3 x 4", "3x4", "(2)x(3)".
    return re.sub(r"(?<=[\d)\s])[xX](?=\s*[\d(.√])", "*", text)


def tokenize(expression: str) -> list[tuple[str, str]]:
    if len(expression) > MAX_INPUT_CHARS:
        raise CalcError("too_long", f"{len(expression)} characters")
    text = normalise(expression)
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise CalcError("syntax", text[pos:].strip()[:20])
        pos = m.end()
        if m["num"]:
            exponent = re.search(r"[eE][+-]?([0-9]+)$", m["num"])
            if exponent and len(exponent[1]) > 3:
                raise CalcError("too_large", m["num"][:20])
            tokens.append(("num", m["num"]))
        elif m["name"]:
            name = m["name"].lower()
            if name == "mod":
                tokens.append(("op", "mod"))
            elif name in FUNCTIONS or name == "pi":
                tokens.append(("name", name))
            else:
                raise CalcError("name", m["name"])
        else:
            op = "^" if m["op"] == "**" else m["op"]
            if op in ".,":
                raise CalcError("attribute" if tokens and tokens[-1][0] in ("name", "op") else "syntax", op)
            tokens.append(("op", op))
        if len(tokens) > MAX_TOKENS:
            raise CalcError("too_long", f"more than {MAX_TOKENS} tokens")
    return tokens


# ---------------------------------------------------------------- parser


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str, value: str | None = None) -> bool:
        tok = self.peek()
        if tok and tok[0] == kind and (value is None or tok[1] == value):
            self.pos += 1
            return True
        return False

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CalcError("too_deep", f"more than {MAX_DEPTH} levels")

    def parse(self) -> Node:
        if not self.tokens:
            raise CalcError("syntax", "empty")
        node = self.expr()
        if self.peek() is not None:
            raise CalcError("syntax", self.peek()[1])  # type: ignore[index]
        return node

    def expr(self) -> Node:
        node = self.term()
        while (tok := self.peek()) and tok[0] == "op" and tok[1] in "+-":
            self.pos += 1
            node = Binary(tok[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while tok := self.peek():
            if tok[0] == "op" and tok[1] in ("*", "/", "mod"):
                self.pos += 1
                node = Binary(tok[1], node, self.unary())
            elif tok == ("op", "(") or tok[0] == "name":  # implicit product: 2(3+4), 2 sqrt 9
                if isinstance(node, Binary) and node.op == "/":
                    # 6/2(1+2): 9 by the school rule, 1 by the "juxtaposition binds" one; not guessed.
                    raise CalcError("ambiguous", "implicit product after a division")
                node = Binary("*", node, self.unary())
            else:
                break
        return node

    def unary(self) -> Node:
        self.enter()
        try:
            tok = self.peek()
            if tok and tok[0] == "op" and tok[1] in "+-":
                self.pos += 1
                return Unary(tok[1], self.unary())
            return self.power()
        finally:
            self.depth -= 1

    def power(self) -> Node:
        base = self.postfix()
        if self.take("op", "^"):
            return Binary("^", base, self.unary())
        return base

    def postfix(self) -> Node:
        node = self.primary()
        while (tok := self.peek()) and tok[0] == "op" and tok[1] in "!%":
            self.pos += 1
            node = Postfix(tok[1], node)
        return node

    def primary(self) -> Node:
        self.enter()
        try:
            tok = self.peek()
            if tok is None:
                raise CalcError("syntax", "end of expression")
            self.pos += 1
            kind, text = tok
            if kind == "num":
                return Num(Fraction(text), text)
            if kind == "name":
                if text == "pi":
                    return Num(Fraction(Decimal(_PI)), "π", exact=False)
                if self.peek() == ("op", "("):
                    return Func(text, self.primary())
                return Func(text, self.unary())
            if text == "(":
                inner = self.expr()
                if not self.take("op", ")"):
                    raise CalcError("syntax", "missing )")
                return Group(inner)
            raise CalcError("syntax", text)
        finally:
            self.depth -= 1


def parse(expression: str) -> Node:
    return _Parser(tokenize(expression)).parse()


# ---------------------------------------------------------------- evaluation


def _check_size(q: Fraction) -> Fraction:
    if magnitude_digits(q) > MAX_DIGITS or len(str(q.denominator)) > MAX_DIGITS + 2:
        raise CalcError("too_large", f"more than {MAX_DIGITS} digits")
    return q


def _iroot(n: int, k: int) -> int | None:
    """Exact integer k-th root of n >= 0, or None."""
    if n < 2:
        return n
    guess = round(n ** (1.0 / k)) if n.bit_length() < 1000 else 1 << (n.bit_length() // k)
    # Newton from above for large n
    x = max(guess, 1)
    for _ in range(200):
        y = ((k - 1) * x + n // x ** (k - 1)) // k
        if y >= x:
            break
        x = y
    for cand in (x - 1, x, x + 1):
        if cand >= 0 and cand**k == n:
            return cand
    return None


def _exact_root(q: Fraction, k: int) -> Fraction | None:
    num, den = _iroot(abs(q.numerator), k), _iroot(q.denominator, k)
    if num is None or den is None:
        return None
    return Fraction(-num if q < 0 else num, den)


def _approx_power(base: Fraction, exponent: Fraction) -> Fraction:
    if magnitude_digits(base) * float(exponent) > MAX_DIGITS:
        raise CalcError("too_large", f"more than {MAX_DIGITS} digits")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        b = Decimal(base.numerator) / Decimal(base.denominator)
        e = Decimal(exponent.numerator) / Decimal(exponent.denominator)
        return Fraction(b**e)


def _power(base: Value, exponent: Value) -> Value:
    b, e = base.q, exponent.q
    if b == 0 and e < 0:
        raise CalcError("div_zero", "0 to a negative power")
    if e.denominator == 1:
        n = e.numerator
        if b in (0, 1) or n == 0:
            return Value(Fraction(1) if n == 0 else b, base.exact and exponent.exact)
        if b == -1:
            return Value(Fraction(1 if n % 2 == 0 else -1), base.exact and exponent.exact)
        size = max(abs(b.numerator), b.denominator)
        if math.log10(size) * abs(n) > MAX_DIGITS:
            raise CalcError("too_large", f"more than {MAX_DIGITS} digits")
        return Value(_check_size(b**n), base.exact and exponent.exact)
    if abs(e) > 10**6:
        raise CalcError("too_large", "exponent too large")
    if b < 0:
        if e.denominator % 2 == 1:  # odd root of a negative number is real
            magnitude = _power(Value(-b, base.exact), exponent)
            sign = -1 if e.numerator % 2 else 1
            return Value(sign * magnitude.q, magnitude.exact)
        raise CalcError("negative_root", str(b))
    if e.denominator <= 64:
        root = _exact_root(b, e.denominator)
        if root is not None:
            return _power(Value(root, base.exact), Value(Fraction(e.numerator), exponent.exact))
    return Value(_check_size(_approx_power(b, e)), False)


def _factorial(v: Value) -> Value:
    if v.q.denominator != 1 or v.q < 0:
        raise CalcError("domain", "factorial of a non-natural number")
    if v.q > MAX_FACTORIAL:
        raise CalcError("too_large", f"more than {MAX_DIGITS} digits")
    return Value(Fraction(math.factorial(int(v.q))), v.exact)


class _Evaluator:
    def __init__(self, budget_s: float):
        self.deadline = time.perf_counter() + budget_s

    def eval(self, node: Node) -> Value:
        if time.perf_counter() > self.deadline:
            raise CalcError("timeout")
        if isinstance(node, Num):
            return Value(_check_size(node.value), node.exact)
        if isinstance(node, Group):
            return self.eval(node.inner)
        if isinstance(node, Unary):
            v = self.eval(node.operand)
            return Value(-v.q if node.op == "-" else v.q, v.exact)
        if isinstance(node, Postfix):
            v = self.eval(node.operand)
            return _factorial(v) if node.op == "!" else Value(v.q / 100, v.exact)
        if isinstance(node, Func):
            v = self.eval(node.arg)
            if node.name == "abs":
                return Value(abs(v.q), v.exact)
            if node.name == "sqrt" and v.q < 0:
                raise CalcError("negative_root", str(v.q))
            return _power(v, Value(Fraction(1, 2 if node.name == "sqrt" else 3)))
        return self.binary(node)

    def binary(self, node: Binary) -> Value:
        a, b = self.eval(node.left), self.eval(node.right)
        exact = a.exact and b.exact
        if node.op == "^":
            return _power(a, b)
        if node.op in "+-" and _is_percent(node.right):
            # "80 + 15%" means 80 increased by 15% of itself, as on a calculator.
            b = Value(a.q * b.q, exact)
        if node.op == "+":
            return Value(_check_size(a.q + b.q), exact)
        if node.op == "-":
            return Value(_check_size(a.q - b.q), exact)
        if node.op == "*":
            return Value(_check_size(a.q * b.q), exact)
        if b.q == 0:
            raise CalcError("div_zero")
        if node.op == "/":
            return Value(_check_size(a.q / b.q), exact)
        if a.q.denominator != 1 or b.q.denominator != 1:
            raise CalcError("domain", "modulo of non-integers")
        return Value(a.q % b.q, exact)


def _is_percent(node: Node) -> bool:
    return isinstance(node, Postfix) and node.op == "%"


def evaluate(tree: Node, *, budget_s: float = TIME_BUDGET_S) -> Value:
    return _Evaluator(budget_s).eval(tree)


def calculate(expression: str, *, budget_s: float = TIME_BUDGET_S) -> Calculation:
    """Parse and evaluate ``expression``; raises :class:`CalcError`."""
    tree = parse(expression)
    return Calculation(tree, evaluate(tree, budget_s=budget_s))


def operands(tree: Node) -> list[Fraction]:
    """The numbers written in a tree, left to right."""
    if isinstance(tree, Num):
        return [tree.value]
    if isinstance(tree, Group):
        return operands(tree.inner)
    if isinstance(tree, (Unary, Postfix)):
        return operands(tree.operand)
    if isinstance(tree, Func):
        return operands(tree.arg)
    return operands(tree.left) + operands(tree.right)


def operator_count(tree: Node) -> int:
    """How many operations a tree performs (a bare number performs none)."""
    if isinstance(tree, Num):
        return 0
    if isinstance(tree, Group):
        return operator_count(tree.inner)
    if isinstance(tree, Unary):
        return operator_count(tree.operand) + (tree.op == "-" and not isinstance(tree.operand, Num))
    if isinstance(tree, (Postfix, Func)):
        return 1 + operator_count(tree.operand if isinstance(tree, Postfix) else tree.arg)
    return 1 + operator_count(tree.left) + operator_count(tree.right)

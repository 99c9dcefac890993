"""Per-answer accounting: quotas before, measurements during, energy and metrics after.

The chat and completion services call :meth:`Accounting.admit` before starting any
generation (it raises :class:`~eclair.errors.RateLimited` when the caller's quota is spent)
and pass every answer stream through :meth:`Accounting.track`, which yields the same events
while measuring:

- the event-loop thread's CPU time spent inside the answer's steps (the energy of answers
  no engine produced: tool answers);
- time to first text, the gaps between tokens, decode speed;
- on the final :class:`~eclair.engine.protocol.Finished`: the :class:`EnergyReport`
  (``answer.info.energy``), the tokens charged to the caller's tokens-per-minute quota, and
  the per-model, per-user metrics.

The wrapper never changes, drops or reorders events, and closing it closes the stream it
wraps (so a client that goes away still cancels the generation).
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from eclair.answer.types import AnswerStream
from eclair.engine.protocol import Finished, StreamEvent, TextDelta
from eclair.sovereignty.context import current_request, principal_for, user_label
from eclair.sovereignty.energy import EnergyMeter, EnergyReport
from eclair.sovereignty.metrics import Metrics
from eclair.sovereignty.quotas import Quotas

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class _Measure:
    started: float
    loop_cpu_s: float = 0.0
    first_text: float | None = None
    last_token: float | None = None
    tokens_after_first: int = 0
    # The process's CPU time and the engine's token counters when the answer started.
    process_cpu_s: float = 0.0
    engine_tokens: int | None = None


class _Measured:
    """The measuring iterator. A class rather than an async generator so that closing it
    closes the wrapped stream even when it was never iterated (an admitted generation that
    the client abandoned before the first event still frees its slot)."""

    def __init__(
        self,
        accounting: Accounting,
        events: AsyncIterator[StreamEvent],
        answer: AnswerStream,
        model: str,
        user_id: str | None,
    ):
        self._accounting = accounting
        self._events = events
        self._answer = answer
        self._model = model
        self._user_id = user_id
        self._measure = _Measure(started=time.monotonic())
        self._measure.process_cpu_s = time.process_time()
        self._measure.engine_tokens = accounting.engine_tokens(model)
        self._closed = False

    def __aiter__(self) -> _Measured:
        return self

    async def __anext__(self) -> StreamEvent:
        if self._closed:
            raise StopAsyncIteration
        cpu_before = time.thread_time()
        try:
            event = await anext(self._events)
        except StopAsyncIteration:
            await self.aclose()
            raise
        finally:
            self._measure.loop_cpu_s += time.thread_time() - cpu_before
        if isinstance(event, TextDelta):
            self._accounting._on_delta(self._measure, event, self._model)
        elif isinstance(event, Finished):
            await self._accounting._on_finished(
                self._answer, self._measure, event, self._model, self._user_id
            )
        return event

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        aclose = getattr(self._events, "aclose", None)
        if aclose is not None:
            await aclose()


class Accounting:
    def __init__(
        self,
        energy: EnergyMeter,
        metrics: Metrics | None = None,
        quotas: Quotas | None = None,
        *,
        engine_model: Callable[[str], str] = lambda model: model,
        engine_tokens: Callable[[str], int | None] = lambda model: None,
    ):
        self.energy = energy
        self.metrics = metrics
        self.quotas = quotas
        # The model that generates for a served model id (``eclair`` is the assistant's).
        self.engine_model = engine_model
        # Tokens the engine behind a served model id has processed so far (prefill + decode).
        self.engine_tokens = engine_tokens

    async def admit(self, user_id: str | None) -> None:
        """Refuse (429) before any work if the caller's quota is spent."""
        if self.quotas is not None and self.quotas.enabled:
            await self.quotas.admit(principal_for(user_id))

    def track(self, answer: AnswerStream, *, model: str, user_id: str | None) -> AnswerStream:
        """The same answer, measured (see the module docstring)."""
        context = current_request.get()
        if context is not None:
            context.model = model
        answer.events = _Measured(self, answer.events, answer, model, user_id)
        return answer

    def _on_delta(self, measure: _Measure, delta: TextDelta, model: str) -> None:
        now = time.monotonic()
        if measure.first_text is None:
            if delta.text:
                measure.first_text = measure.last_token = now
                if self.metrics is not None:
                    self.metrics.ttft.labels(model=model).observe(now - measure.started)
            return
        if delta.tokens <= 0 or measure.last_token is None:
            return
        measure.tokens_after_first += delta.tokens
        if self.metrics is not None:
            gap = (now - measure.last_token) / delta.tokens
            histogram = self.metrics.inter_token.labels(model=model)
            for _ in range(delta.tokens):
                histogram.observe(gap)
        measure.last_token = now

    async def _on_finished(
        self, answer: AnswerStream, measure: _Measure, finished: Finished, model: str, user_id: str | None
    ) -> None:
        now = time.monotonic()
        used_engine = finished.cpu_s is not None or finished.ttft_s is not None or finished.decode_s > 0
        try:
            report = self.energy.for_answer(
                engine_cpu_s=finished.cpu_s,
                loop_cpu_s=measure.loop_cpu_s,
                output_tokens=finished.usage.completion_tokens,
                latency_s=now - measure.started,
                used_engine=used_engine,
                model_id=self.engine_model(model),
                estimated_cpu=self._estimated_cpu(measure, finished, model),
            )
        except Exception:  # an energy estimate must never break an answer
            logger.exception("energy estimate failed")
            report = EnergyReport(None, None, self.energy.zone, "unknown: the estimate failed")
        answer.info.energy = report.to_json()
        if self.quotas is not None:
            await self.quotas.charge(principal_for(user_id), finished.usage.total_tokens)
        if self.metrics is not None:
            self._record(answer, measure, finished, report, model, user_id, now)

    def _estimated_cpu(self, measure: _Measure, finished: Finished, model: str) -> tuple[float, str]:
        """CPU seconds of an answer whose engine does not measure them: the process's CPU time
        over the answer's life × the answer's share of the tokens the engine processed."""
        cpu_s = max(0.0, time.process_time() - measure.process_cpu_s)
        usage = finished.usage
        mine = max(0, usage.prompt_tokens - usage.cached_tokens) + usage.completion_tokens
        now = self.engine_tokens(model)
        if now is None or measure.engine_tokens is None or now - measure.engine_tokens <= 0:
            return cpu_s, "process CPU time during the answer"
        processed = now - measure.engine_tokens
        share = min(1.0, mine / processed)
        return cpu_s * share, (
            f"process CPU time during the answer × its share of the engine's tokens ({mine}/{processed})"
        )

    def _record(
        self,
        answer: AnswerStream,
        measure: _Measure,
        finished: Finished,
        report: EnergyReport,
        model: str,
        user_id: str | None,
        now: float,
    ) -> None:
        assert self.metrics is not None
        m = self.metrics
        m.answers.labels(model=model, route=answer.info.route, finish_reason=finished.finish_reason).inc()
        m.prompt_tokens.labels(model=model).inc(finished.usage.prompt_tokens)
        m.completion_tokens.labels(model=model).inc(finished.usage.completion_tokens)
        if measure.first_text is not None and measure.tokens_after_first > 0 and now > measure.first_text:
            m.tokens_per_second.labels(model=model).observe(
                measure.tokens_after_first / (now - measure.first_text)
            )
        user = user_label(user_id)
        if report.wh is not None:
            m.energy_wh.labels(model=model, user=user).inc(report.wh)
        if report.gco2e is not None:
            m.co2e_g.labels(model=model, user=user).inc(report.gco2e)

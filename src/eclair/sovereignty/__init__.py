"""Sovereignty: what Éclair proves about itself while it runs.

- :mod:`~eclair.sovereignty.energy` and :mod:`~eclair.sovereignty.cpu_power`: energy and
  CO2e of each answer, from codecarbon's processor power data (or RAPL counters) and
  EcoLogits' electricity mixes and LLM impact model;
- :mod:`~eclair.sovereignty.accounting`: the per-answer wrapper that measures an answer
  (CPU time, latencies, tokens) and hands the figures to energy, metrics and quotas;
- :mod:`~eclair.sovereignty.metrics`: the Prometheus series behind ``/metrics``;
- :mod:`~eclair.sovereignty.quotas`: per-principal requests and tokens per minute;
- :mod:`~eclair.sovereignty.gate`: the ASGI middleware that counts requests in flight,
  refuses work when overloaded or draining, and records every HTTP request;
- :mod:`~eclair.sovereignty.shutdown`: SIGTERM drains the server, then exits 0.
"""

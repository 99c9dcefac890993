"""``eclair bench``: Artificial-Analysis-style speed figures for OpenAI-compatible servers."""

"""Regenerate the settings table in README.md from :class:`eclair.config.Settings`.

Run ``make docs`` after adding a setting; ``tests/test_config.py`` fails while the README
table and the settings class disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from eclair.config import Settings

BEGIN = "<!-- settings:begin -->"
END = "<!-- settings:end -->"
README = Path(__file__).resolve().parents[1] / "README.md"


def _default(name: str) -> str:
    field = Settings.model_fields[name]
    if field.default_factory is not None:
        return {
            "threads": "number of CPUs",
            "data_dir": "`~/.local/share/eclair`",
            "models_memory_budget": "75 % of memory",
        }.get(name, "computed")
    value = field.default
    return "—" if value is None else f"`{value}`"


def settings_table() -> str:
    rows = ["| flag | environment | default | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        flag = "--" + name.replace("_", "-")
        description = " ".join((field.description or "").split()).replace("``", "`").replace("|", "\\|")
        rows.append(f"| `{flag}` | `ECLAIR_{name.upper()}` | {_default(name)} | {description} |")
    return "\n".join(rows)


def render(readme: str) -> str:
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{settings_table()}\n{END}{tail}"


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    updated = render(text)
    if "--check" in sys.argv:
        sys.exit(0 if updated == text else 1)
    README.write_text(updated, encoding="utf-8")
